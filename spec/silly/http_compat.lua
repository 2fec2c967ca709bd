-- silly.net.http details silly's own testhttp and testwebsocket rely on:
-- silly.net.http.helper, silly.net.http.client, 405 for methods silly does
-- not serve, stream.conn:close() cutting the response short, stream.eof as
-- silly's reader sees it, client read timeouts breaking the stream, and
-- modules resolving through the silly.net.dns they captured when loaded.
-- usage: golua-ws http_compat.lua <port>
local task = require "silly.task"
local time = require "silly.time"
local errno = require "silly.errno"
local tcp = require "silly.net.tcp"
local http = require "silly.net.http"
local websocket = require "silly.net.websocket"
local helper = require "silly.net.http.helper"
local client = require "silly.net.http.client"

local port = assert(arg[1])
local hostport = "127.0.0.1:" .. port
local base = "http://" .. hostport
local handler
local handled = 0

local function eq(a, b, what)
	if a ~= b then
		error(string.format("%s: expected %q, got %q", what, tostring(b), tostring(a)), 2)
	end
end

local server = assert(http.listen {addr = hostport, handler = function(stream)
	handled = handled + 1
	if stream.header["upgrade"] then
		local sock = assert(websocket.upgrade(stream))
		local data = sock:read()
		sock:write("echo:" .. data, "text")
		sock:close()
		return
	end
	handler(stream)
end})

local function rawstatus(request)
	local c = assert(tcp.connect(hostport))
	c:write(request)
	local line, err = c:read("\n")
	local rest = {}
	while true do
		local d = c:read(1)
		if not d then break end
		rest[#rest + 1] = d
	end
	c:close()
	return line and line:match("^HTTP/1%.1 (%d+)"), table.concat(rest), err
end

task.fork(function()
	-- helper
	eq(helper.urlencode("a b&c/d~"), "a%20b%26c%2Fd%7E", "urlencode")
	eq(helper.urlencode("$_.!*(),-"), "$_.!*(),-", "urlencode keeps silly's safe set")
	eq(helper.urlencode({k = "v w"}), "k=v%20w", "urlencode table")
	eq(helper.urldecode("a%20b+c%zz%4"), "a b+c%zz%4", "urldecode is lenient and keeps +")
	eq(helper.htmlunescape("&lt;&#228;&gt;&amp;&bogus;"), "<ä>&&bogus;", "htmlunescape")
	local scheme, host, p, path, default = helper.parseurl("wss://[::1]/x?y=1")
	eq(scheme, "wss", "parseurl scheme") eq(host, "::1", "parseurl host")
	eq(p, "443", "parseurl default port") eq(path, "/x?y=1", "parseurl path")
	eq(default, true, "parseurl default flag")
	_, _, p, path, default = helper.parseurl("http://h:81?q")
	eq(p, "81", "parseurl port") eq(path, "/?q", "parseurl query-only path") eq(default, false, "explicit port")
	local r, err = helper.parseurl("no-scheme/x")
	eq(r, nil, "parseurl without scheme") eq(err, "Invalid url", "parseurl error")
	r, err = helper.parseurl("gopher://h/")
	eq(r, nil, "parseurl unknown scheme") eq(err, "Unsupported scheme", "parseurl scheme error")
	local tpath, q = helper.parsetarget("/p?a=1&b=%41&c&=x&a=2")
	eq(tpath, "/p", "parsetarget path") eq(q.a, "2", "last duplicate wins") eq(q.b, "A", "decoded value")
	eq(q.c, nil, "pair without =")
	tpath, q = helper.parsetarget("plain")
	eq(tpath, "plain", "target without ?") eq(next(q), nil, "no query")

	-- Methods outside silly's list get 405 and never reach the handler.
	handler = function(stream) stream:respond(200, {}) stream:closewrite("ok") end
	local before = handled
	local status, rest = rawstatus("PATCH / HTTP/1.1\r\nHost: x\r\n\r\n")
	eq(status, "405", "PATCH refused")
	eq(handled, before, "handler not called for PATCH")
	status = rawstatus("DELETE / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	eq(status, "200", "DELETE served")

	-- stream.conn:close() in the handler: the chunked body never ends.
	handler = function(stream)
		stream:respond(200, {["transfer-encoding"] = "chunked"})
		stream:write("AAAAA")
		stream.conn:close()
	end
	status, rest = rawstatus("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	eq(status, "200", "status before the cut")
	assert(rest:find("AAAAA\r\n", 1, true), "chunk sent before the cut")
	assert(not rest:find("0\r\n\r\n", 1, true), "no final chunk after conn:close()")
	local httpc = client.new()
	local s = assert(client.request(httpc, "GET", base .. "/", {}))
	s:closewrite()
	local body, berr = s:readall()
	eq(body, nil, "readall of a cut body") eq(berr, errno.EOF, "cut body error")
	eq(s.err, errno.EOF, "stream.err after the cut")
	s:close()

	-- stream.eof turns true when a read reaches the end, as silly reads.
	handler = function(stream)
		stream:respond(200, {["content-length"] = 10})
		stream:closewrite("0123456789")
	end
	s = assert(httpc:request("GET", base .. "/", {}))
	s:closewrite()
	eq(s:read(4), "0123", "sized read 1") eq(s.eof, false, "sized eof after 4 of 10")
	eq(s:read(6), "456789", "sized read 2") eq(s.eof, true, "sized eof at the last byte")
	s:close()
	handler = function(stream)
		stream:respond(200, {["transfer-encoding"] = "chunked"})
		stream:write("abc")
		stream:closewrite("def")
	end
	s = assert(httpc:request("GET", base .. "/", {}))
	s:closewrite()
	eq(s:read(6), "abcdef", "chunked read") eq(s.eof, false, "chunked eof before the end marker")
	local none, rerr = s:read(1)
	eq(none, nil, "read past a chunked end") eq(rerr, errno.EOF, "read past end error")
	eq(s.eof, true, "chunked eof after asking past the end")
	s:close()

	-- A client read that times out breaks the stream for good.
	handler = function(stream)
		stream:respond(200, {["content-length"] = 10})
		stream:write("01234")
		stream:flush()
		time.sleep(400)
		stream:closewrite("56789")
	end
	s = assert(httpc:request("GET", base .. "/", {}))
	s:closewrite()
	local t0 = time.monotonic()
	none, rerr = s:read(10, 50)
	eq(none, nil, "timed-out read") eq(rerr, errno.TIMEDOUT, "timed-out read error")
	assert(time.monotonic() - t0 < 300, "read waited past its timeout")
	eq(s.err, errno.TIMEDOUT, "stream.err after a timeout")
	eq(select(2, s:read(1)), errno.TIMEDOUT, "read after a timeout")
	eq(select(2, s:readall()), errno.TIMEDOUT, "readall after a timeout")
	s:close()
	time.sleep(450) -- let the handler finish

	-- Modules loaded while package.loaded["silly.net.dns"] is another table
	-- resolve through it; modules loaded before keep the real one.
	local real = package.loaded["silly.net.dns"]
	assert(real, "http loads silly.net.dns")
	local asked = {}
	package.loaded["silly.net.dns"] = {A = real.A, lookup = function(name, qtype)
		asked[#asked + 1] = name
		eq(qtype, real.A, "lookup asks for A records")
		if name == "svc.test" then return "127.0.0.1" end
		return nil, "no such host (mock)"
	end}
	local saved = {}
	for _, m in ipairs {"silly.net.http.client", "silly.net.http", "silly.net.websocket"} do
		saved[m] = package.loaded[m]
		package.loaded[m] = nil
	end
	local mhttp = require "silly.net.http"
	local mws = require "silly.net.websocket"
	package.loaded["silly.net.dns"] = real
	for m, v in pairs(saved) do package.loaded[m] = v end

	handler = function(stream)
		stream:respond(200, {})
		stream:closewrite("via " .. stream.header["host"])
	end
	local resp = assert(mhttp.get("http://svc.test:" .. port .. "/"))
	eq(resp.body, "via svc.test", "http through the mocked resolver")
	local ms = assert(mhttp.newclient():request("GET", "http://svc.test:" .. port .. "/", {}))
	ms:closewrite()
	eq(ms:readall(), "via svc.test", "newclient through the mocked resolver")
	ms:close()
	local _, herr = mhttp.get("http://bad.test:" .. port .. "/")
	eq(herr, "dns lookup bad.test failed: no such host (mock)", "http lookup failure")
	local sock = assert(mws.connect("ws://svc.test:" .. port .. "/ws"))
	sock:write("hi", "text")
	eq(sock:read(), "echo:hi", "websocket through the mocked resolver")
	sock:close()
	local nows, werr = mws.connect("ws://bad.test:" .. port .. "/ws")
	eq(nows, nil, "websocket lookup failure")
	eq(werr, "dns lookup bad.test failed: no such host (mock)", "websocket lookup error")
	local before_real = #asked
	local _, rerr2 = http.get("http://svc.test:" .. port .. "/")
	assert(rerr2 and rerr2:find("dns lookup svc.test failed", 1, true), "the real module does not use the mock")
	eq(#asked, before_real, "the real module never asked the mock")

	server:close()
	print("http_compat ok")
end)
