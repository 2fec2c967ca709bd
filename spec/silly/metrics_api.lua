-- Spec: silly.metrics.{counter,gauge,histogram,labels,registry,prometheus}
-- and golua.metrics, from silly's documented behaviour (lualib/silly/metrics).
-- Run with --fatal-errors.
local counter = require "silly.metrics.counter"
local gauge = require "silly.metrics.gauge"
local histogram = require "silly.metrics.histogram"
local labels = require "silly.metrics.labels"
local registry = require "silly.metrics.registry"
local prometheus = require "silly.metrics.prometheus"
local gmetrics = require "golua.metrics"

local function errmsg(f, ...)
    local ok, err = pcall(f, ...)
    assert(not ok, 'expected an error')
    return tostring(err)
end

-- labels.key
assert(labels.key({}, {"a", "b"}, {"x", 2}) == 'a="x",b="2"')
assert(labels.key({}, {}, {}) == "")
assert(errmsg(labels.key, {}, {"a", "b"}, {"x"}):find("2 label names and 1 values", 1, true))

-- counter without labels
local c = counter("spec_c", "a counter")
assert(c.name == "spec_c" and c.help == "a counter" and c.kind == "counter")
assert(c.value == 0 and c.metrics == nil and c.labelnames == nil)
c:inc(); c:add(2.5); c:add(0)
assert(c.value == 3.5, c.value)
assert(errmsg(c.add, c, -1):find("can only increase", 1, true))
assert(c.value == 3.5, "a failed add changes nothing")
assert(errmsg(c.dec, c):find("counter, which has no dec", 1, true))
assert(errmsg(c.set, c, 1):find("has no set", 1, true))
assert(errmsg(c.observe, c, 1):find("has no observe", 1, true))
assert(errmsg(c.add, c, "x"):find("number expected", 1, true))
assert(errmsg(c.labels, c, "x"):find("has no labels", 1, true))
assert(tostring(c) == "counter: spec_c")

-- counter with labels
local cv = counter("spec_cv", "by method", {"method", "code"})
assert(cv.value == nil and #cv.labelnames == 2)
assert(errmsg(cv.inc, cv):find("call labels", 1, true))
assert(errmsg(cv.labels, cv, "GET"):find("has 2 labels (method, code), got 1 values", 1, true))
assert(errmsg(cv.labels, cv, "GET", 200, "x"):find("got 3 values", 1, true))
assert(errmsg(cv.labels, cv, "GET", {}):find("string expected", 1, true))
cv:labels("GET", 200):inc()
cv:labels("GET", "200"):add(2)
cv:labels("POST", 500):inc()
assert(cv:labels("GET", 200).value == 3)
local n = 0
for k, v in pairs(cv.metrics) do
    n = n + 1
    assert(k == 'method="GET",code="200"' or k == 'method="POST",code="500"', k)
    assert(v.value == (k:find("GET") and 3 or 1))
end
assert(n == 2)

-- gauge
local g = gauge("spec_g", "a gauge")
assert(g.kind == "gauge" and g.value == 0)
g:set(10); g:inc(); g:dec(); g:dec(); g:add(5); g:sub(2.5)
assert(g.value == 11.5, g.value)
g:add(-20)
assert(g.value == -8.5)
assert(errmsg(g.observe, g, 1):find("has no observe", 1, true))
local gv = gauge("spec_gv", "by host", {"host"})
gv:labels("a"):set(1)
gv:labels("b"):set(2)
assert(gv:labels("a").value == 1 and gv:labels("b").value == 2)

-- histogram
local h = histogram("spec_h", "a histogram", nil, {10, 1, 5})
assert(h.kind == "histogram")
assert(h.buckets[1] == 1 and h.buckets[2] == 5 and h.buckets[3] == 10, "buckets sorted")
for _, v in ipairs({0.5, 1, 3, 5, 7, 10, 15}) do h:observe(v) end
assert(h.count == 7 and h.sum == 41.5, h.sum)
local bc = h.bucketcounts
assert(bc[1] == 2 and bc[2] == 2 and bc[3] == 2 and #bc == 3, "not cumulative; 15 only in count")
assert(errmsg(h.inc, h):find("histogram, which has no inc", 1, true))
assert(errmsg(h.observe, h, nil):find("number expected", 1, true))
local hd = histogram("spec_hd", "default buckets")
assert(#hd.buckets == 14 and hd.buckets[1] == 0.005 and hd.buckets[14] == 10)
local hv = histogram("spec_hv", "by path", {"path"}, {1})
hv:labels("/a"):observe(0.5)
hv:labels("/a"):observe(2)
assert(hv:labels("/a").count == 2 and hv:labels("/a").sum == 2.5)
assert(errmsg(histogram, "x", "y", nil, {"a"}):find("bucket #1 is not a number", 1, true))
assert(errmsg(counter, "x", "y", {1}):find("label name #1 is not a string", 1, true))
assert(errmsg(counter, "x", "y", 5):find("table expected", 1, true))
assert(errmsg(counter):find("string expected", 1, true))

-- registry
local r = registry.new()
r:register(c); r:register(cv); r:register(c)
assert(#r == 2)
local buf = r:collect()
assert(#buf == 2 and buf[1] == c and buf[2] == cv)
r:unregister(c); r:unregister(c)
assert(#r == 1)
local b2 = {}
g:collect(b2)
assert(b2[1] == g)

-- gather: the exposition format, from an explicit registry
r:register(h)
local out = prometheus.gather(r)
assert(out:find('# TYPE spec_cv counter', 1, true), out)
assert(out:find('spec_cv{code="200",method="GET"} 3', 1, true), out)
assert(out:find('spec_h_bucket{le="5"} 4', 1, true), out)
assert(out:find('spec_h_bucket{le="+Inf"} 7', 1, true), out)
assert(out:find('spec_h_count 7', 1, true), out)
assert(not out:find("spec_c ", 1, true), "unregistered metric left out")
assert(errmsg(prometheus.gather, 5):find("table expected", 1, true))

-- the default registry: prometheus.* and golua.metrics.* share it; a name
-- defined again gives the same metric, with another shape an error.
local pc = prometheus.counter("spec_requests_total", "requests", {"route"})
pc:labels("/"):inc()
assert(gmetrics.counter("spec_requests_total", "requests", {"route"}) == pc)
assert(errmsg(gmetrics.gauge, "spec_requests_total", "requests"):find("already defined as a counter", 1, true))
assert(prometheus.registry() == gmetrics.registry())
local gh = gmetrics.histogram("spec_latency_seconds", "latency", nil, {0.1, 1})
gh:observe(0.05)
local all = gmetrics.gather()
assert(all:find('spec_requests_total{route="/"} 1', 1, true), all)
assert(all:find('spec_latency_seconds_bucket{le="0.1"} 1', 1, true), all)
-- silly.metrics.collector.process reads silly.metrics.c when it loads: a
-- stand-in shows the counters grow only by increases.
local stand_in = {usr = 2, sys = 1}
function stand_in.cpustat() return stand_in.sys, stand_in.usr end
function stand_in.memstat() return 4096, 1024 end
local real_c = package.loaded["silly.metrics.c"]
package.loaded["silly.metrics.c"] = stand_in
package.loaded["silly.metrics.collector.process"] = nil
local pc_mod = require "silly.metrics.collector.process"
package.loaded["silly.metrics.c"] = real_c
local proc = pc_mod.new()
assert(proc.name == "Process" and proc.new == pc_mod.new)
local pbuf = {}
proc:collect(pbuf)
assert(#pbuf == 4 and pbuf[1].name == "process_cpu_seconds_user" and pbuf[1].value == 2)
assert(pbuf[3].value == 4096 and pbuf[4].value == 1024)
stand_in.usr = 1.5 -- goes back: no error, no decrease
stand_in.sys = 3
pbuf = {}
proc:collect(pbuf)
assert(pbuf[1].value == 2 and pbuf[2].value == 3, pbuf[2].value)
stand_in.usr = 4
proc:collect({})
assert(pbuf[1].value == 4.5, pbuf[1].value)
stand_in.memstat = function() return "x" end
assert(errmsg(proc.collect, proc, {}):find("number expected", 1, true))
-- the real silly.metrics.c
package.loaded["silly.metrics.collector.process"] = nil
local real_proc = require("silly.metrics.collector.process").new()
local rbuf = {}
real_proc:collect(rbuf)
assert(rbuf[3].value > 0, "resident memory")
print("metrics_api ok")
