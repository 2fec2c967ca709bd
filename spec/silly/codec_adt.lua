-- Spec: silly.adt.buffer, silly.adt.queue and silly.adt.list.
-- Run with --fatal-errors; prints "codec_adt ok".
local buffer = require "silly.adt.buffer"
local queue = require "silly.adt.queue"
local list = require "silly.adt.list"

local function raises(want, f, ...)
	local ok, err = pcall(f, ...)
	assert(not ok and tostring(err):find(want, 1, true), tostring(err))
end

-- buffer: append returns the bytes buffered; read by count or delimiter
-- returns nil (and keeps everything) when not all of it is there.
local b = buffer.new()
assert(type(b) == "userdata" and b:size() == 0)
assert(b:append("GET / HTTP/1.1\r", "\nHost: x\r\n", "", "\r\nbody") == 31)
local line, left = b:read("\n")
assert(line == "GET / HTTP/1.1\r\n" and left == 15)
assert(b:read("\n") == "Host: x\r\n")
assert(b:read("\n") == "\r\n")
assert(b:read("\n") == nil and b:size() == 4)
assert(b:read(5) == nil and b:size() == 4)
assert(b:read(0) == "" and b:read(-3) == "")
assert(b:read(2) == "bo" and b:readall() == "dy" and b:readall() == "")
-- a line split over many appends is found once its end arrives
for c in ("partial line"):gmatch(".") do
	b:append(c)
	assert(b:read("\n") == nil)
end
b:append("\n", "next")
assert(b:read("\n") == "partial line\n" and b:read(4) == "next")
-- reads across nodes, then the node array is compacted and grown
for i = 1, 200 do b:append(string.format("%03d", i)) end
assert(b:read(5) == "00100" and b:read(595) ~= nil and b:size() == 0)
local d = buffer.dump(b)
assert(d.bytes == 0 and d.cap >= 200 and d.readi == d.writei and next(d.refs) == nil)
-- refs are recycled last-freed first
b:append("a") b:append("b")
d = buffer.dump(b)
local ids = {}
for k, v in pairs(d.refs) do ids[v] = k end
assert(ids.a and ids.b and ids.a ~= ids.b)
b:read(1)
b:append("c")
assert(buffer.dump(b).refs[ids.a] == "c")
b:clear()
d = buffer.dump(b)
assert(d.bytes == 0 and d.readi == 0 and d.writei == 0 and next(d.refs) == nil)
-- errors
raises("invalid append argument type", b.append, b, 1)
raises("invalid append argument type", b.append, b, "ok", {})
raises("bad argument #2 to 'read' (number or string expected, got table)", buffer.read, b, {})
raises("delimiter length must be 1", buffer.read, b, "\r\n")
raises("bad argument #1 to 'size' (silly.adt.buffer expected, got table)", buffer.size, {})
raises("silly.adt.buffer expected, got silly.adt.queue", buffer.size, queue.new())

-- queue: FIFO of any values, nil included.
local q = queue.new()
assert(q:pop() == nil and q:size() == 0)
local t = {}
assert(q:push(1) == 1 and q:push("two") == 2 and q:push(t) == 3 and q:push(nil) == 4 and q:push(false) == 5)
assert(q:pop() == 1 and q:pop() == "two" and q:pop() == t)
assert(q:pop() == nil and q:size() == 1 and q:pop() == false and q:size() == 0)
for round = 1, 3 do
	for i = 1, 1000 do q:push(i) end
	for i = 1, 600 do assert(q:pop() == i) end
	for i = 601, 1000 do assert(q:pop() == i) end
end
q:push(1) q:push(2)
q:clear()
assert(q:size() == 0 and q:pop() == nil)
q:push("after clear")
assert(q:pop() == "after clear")
raises("bad argument #1 to 'push' (silly.adt.queue expected, got string)", queue.push, "q", 1)

-- list: distinct non-nil values, O(1) removal anywhere.
local l = list.new()
assert(l:size() == 0 and l:front() == nil and l:back() == nil and l:popfront() == nil and l:popback() == nil)
l:pushback("b") l:pushback("c") l:pushfront("a")
assert(l:size() == 3 and l.count == 3 and l:front() == "a" and l:back() == "c")
assert(l.next.a == "b" and l.prev.c == "b" and l.present.b)
local seen = {}
for v in l:values() do seen[#seen + 1] = v end
assert(table.concat(seen) == "abc")
assert(l:remove("b") == nil and l.next.a == "c" and l.prev.c == "a" and not l.present.b)
local r, why = l:remove("b")
assert(r == nil and why == "Removed")
assert(l:popback() == "c" and l:popfront() == "a" and l:size() == 0 and l.head == nil and l.tail == nil)
raises("value cannot be nil", l.pushback, l, nil)
l:pushback(t)
raises("value duplicated", l.pushfront, l, t)
l:pushback(1) l:pushback(2)
l:clear()
assert(l:size() == 0 and next(l.present) == nil and next(l.next) == nil and next(l.prev) == nil)
print("codec_adt ok")
