-- silly.net.http: the server stream (fields, respond, write, flush,
-- closewrite, read, readall, close), keep-alive, a handler error ending only
-- its request, and the client (get, post, request, newclient, streams).
-- usage: golua-ws http_api.lua <port>
local silly = require "silly"
local task = require "silly.task"
local time = require "silly.time"
local errno = require "silly.errno"
local http = require "silly.net.http"
local tcp = require "silly.net.tcp"

local port = assert(arg[1])
local base = "http://127.0.0.1:" .. port
local handler

local function eq(a, b, what)
	if a ~= b then
		error(string.format("%s: expected %q, got %q", what, tostring(b), tostring(a)), 2)
	end
end

local server = assert(http.listen {addr = "127.0.0.1:" .. port, handler = function(stream)
	handler(stream)
end})

-- a raw HTTP/1.1 exchange over silly.net.tcp; returns status, headers, body
local function rawreq(c, req)
	assert(c:write(req))
	local line = assert(c:read("\n"))
	local status = tonumber(line:match("^HTTP/1%.1 (%d+)"))
	local hdr = {}
	while true do
		local l = assert(c:read("\n"))
		if l == "\r\n" then break end
		local k, v = l:match("^(.-):%s*(.-)\r\n$")
		hdr[k:lower()] = v
	end
	local body = ""
	if hdr["content-length"] then
		body = c:read(tonumber(hdr["content-length"]))
	end
	return status, hdr, body
end

local function main()
	-- stream fields
	handler = function(stream)
		eq(stream.method, "GET", "method")
		eq(stream.path, "/p/a%20th", "raw path")
		eq(stream.query.name, "你好", "query decoded")
		eq(stream.query["key with space"], "val&ue", "query key decoded")
		eq(stream.version, "1.1", "version")
		eq(stream.scheme, "http", "scheme")
		assert(stream.remoteaddr:match("^127%.0%.0%.1:%d+$"), "remoteaddr")
		eq(stream.header["x-multi"][2], "b", "repeated header array")
		eq(stream.header["host"], "127.0.0.1", "host without port")
		assert(stream.conn, "stream.conn")
		stream:respond(200, {["content-type"] = "text/plain", ["x-empty"] = "", ["x-arr"] = {"1", "2"}})
		stream:closewrite("fields ok")
	end
	local r = assert(http.get(base .. "/p/a%20th?name=%E4%BD%A0%E5%A5%BD&key%20with%20space=val%26ue",
		{["x-multi"] = {"a", "b"}}))
	eq(r.status, 200, "status")
	eq(r.body, "fields ok", "body")
	eq(r.header["x-empty"], "", "empty header value")
	eq(type(r.header["x-arr"]), "table", "array response header")
	eq(r.header["content-type"], "text/plain", "content-type")

	-- the data fields behave like the fields of a table: the same table on
	-- every read, assignments (nil too) win over the built-in value, a
	-- field set to nil is nil, methods stay reachable, other keys can be
	-- stored and read back
	handler = function(stream)
		assert(stream.header == stream.header, "header is one table")
		assert(stream.query == stream.query, "query is one table")
		eq(type(stream.trailer), "table", "trailer is a table")
		eq(next(stream.trailer), nil, "trailer is empty")
		assert(stream.trailer == stream.trailer, "trailer is one table")
		stream.trailer.x = "kept"
		eq(stream.trailer.x, "kept", "trailer keeps what is stored")
		eq(next(stream.query), nil, "no query: empty table")
		eq(stream.path, "/f", "path without a query")
		eq(stream.keepalive, true, "keepalive")
		local names = {}
		for k, v in pairs(stream.header) do
			eq(type(k), "string", "header key")
			assert(k == k:lower(), "header key is lowercase: " .. k)
			names[#names + 1] = k
		end
		table.sort(names)
		local want = {"host", "user-agent", "x-a", "x-b"}
		local found = {}
		for _, k in ipairs(names) do found[k] = true end
		for _, k in ipairs(want) do assert(found[k], "header iterates " .. k) end
		eq(stream.header["x-a"], "1", "x-a")
		stream.header["x-new"] = "n"
		eq(stream.header["x-new"], "n", "header table is writable")
		local h = stream.header
		stream.header = nil
		eq(stream.header, nil, "header set to nil")
		stream.header = h
		assert(stream.header == h, "header assigned back")
		stream.method = "PUT"
		eq(stream.method, "PUT", "assigned method")
		stream.version = nil
		eq(stream.version, nil, "version set to nil")
		stream.mine = 42
		eq(stream.mine, 42, "own field")
		stream[1] = "one"
		eq(stream[1], "one", "integer key")
		eq(stream.nothing, nil, "unknown field")
		eq(type(stream.respond), "function", "method")
		stream.respond = nil
		eq(type(stream.respond), "function", "a method cannot be cleared")
		stream:respond(200, {})
		stream:closewrite("fields behave")
	end
	r = assert(http.get(base .. "/f", {["x-a"] = "1", ["x-b"] = "2"}))
	eq(r.body, "fields behave", "field semantics")

	-- chunked write without closewrite (Test 3), respond returns nothing
	handler = function(stream)
		local n = select("#", stream:respond(200, {["transfer-encoding"] = "chunked"}))
		eq(n, 0, "respond returns nothing")
		assert(stream:write("Hello"))
		assert(stream:write("World"))
	end
	r = assert(http.get(base .. "/"))
	eq(r.body, "HelloWorld", "chunked body")

	-- write errors: before respond, past content-length, after closewrite, bodyless
	handler = function(stream)
		local ok, err = stream:write("x")
		eq(err, "Write not allowed (no body expected)", "write before respond")
		stream:respond(200, {["content-length"] = 3})
		ok, err = stream:write("abcd")
		eq(err, "Write exceed content-length size", "write past length")
		assert(stream:write("abc"))
		stream:closewrite()
		ok, err = stream:write("x")
		eq(err, "Write closed", "write after closewrite")
	end
	r = assert(http.get(base .. "/"))
	eq(r.body, "abc", "content-length body")
	handler = function(stream)
		stream:respond(204, {})
		local ok, err = stream:write("x")
		eq(err, "Write not allowed (no body expected)", "write on 204")
	end
	r = assert(http.get(base .. "/"))
	eq(r.status, 204, "204")

	-- status codes (Test 9)
	for _, code in ipairs({200, 201, 400, 401, 403, 404, 500}) do
		handler = function(stream)
			stream:respond(code, {})
			stream:closewrite("Status: " .. code)
		end
		r = assert(http.get(base .. "/"))
		eq(r.status, code, "status " .. code)
		eq(r.body, "Status: " .. code, "body " .. code)
	end

	-- request body: readall, read(n) with EOF keeping data (Tests 7, 24)
	handler = function(stream)
		eq(stream:readall(), "Hello Server", "readall")
		stream:respond(200, {})
		stream:closewrite("Received")
	end
	r = assert(http.post(base .. "/", {["content-type"] = "text/plain"}, "Hello Server"))
	eq(r.body, "Received", "post reply")
	handler = function(stream)
		local d, err = stream:read(100)
		eq(d, nil, "read past the end")
		eq(err, errno.EOF, "read past the end err")
		eq(stream:read(5), "12345", "data kept after EOF")
		eq(stream:readall(), "67890", "readall rest")
		stream:respond(200, {})
		stream:closewrite("ok")
	end
	r = assert(http.post(base .. "/", {}, "1234567890"))
	eq(r.body, "ok", "read(n) reply")

	-- read timeout is cached in stream.err (Test 26 on the server side)
	handler = function(stream)
		local d, err = stream:read(10, 50)
		eq(err, errno.TIMEDOUT, "read timeout")
		eq(stream.err, errno.TIMEDOUT, "stream.err")
		d, err = stream:readall()
		eq(err, errno.TIMEDOUT, "cached timeout")
		stream:respond(200, {})
		stream:closewrite("t")
	end
	local c = assert(tcp.connect("127.0.0.1:" .. port))
	local st, hdr, body = rawreq(c, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 20\r\n\r\n12345")
	eq(st, 200, "timeout case status")
	c:close()

	-- keep-alive: two requests on one connection, flush and close(body)
	local seen = 0
	handler = function(stream)
		seen = seen + 1
		stream:respond(200, {["content-length"] = 2})
		stream:flush()
		stream:close("ok")
	end
	c = assert(tcp.connect("127.0.0.1:" .. port))
	st, hdr, body = rawreq(c, "GET /1 HTTP/1.1\r\nHost: x\r\n\r\n")
	eq(body, "ok", "first keep-alive body")
	st, hdr, body = rawreq(c, "GET /2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	eq(body, "ok", "second request on the same connection")
	eq(seen, 2, "both requests served")
	c:close()

	-- a handler error ends that request only: connection closed, server lives
	handler = function(stream)
		if stream.path == "/boom" then
			error("handler failure on purpose")
		end
		stream:respond(200, {})
		stream:closewrite("alive")
	end
	c = assert(tcp.connect("127.0.0.1:" .. port))
	assert(c:write("GET /boom HTTP/1.1\r\nHost: x\r\n\r\n"))
	local d, err = c:read("\n")
	eq(d, nil, "no response to a failed handler")
	eq(err, errno.EOF, "connection closed after a handler error")
	c:close()
	r = assert(http.get(base .. "/after"))
	eq(r.body, "alive", "server still serves")

	-- client streams: request, write (chunked), closewrite, waitresponse, read
	handler = function(stream)
		eq(stream.method, "PUT", "request method")
		eq(stream.header["transfer-encoding"], "chunked", "chunked request")
		eq(stream:readall(), "part1part2part3", "chunked request body")
		stream:respond(200, {["transfer-encoding"] = "chunked"})
		stream:write("AAAAA")
		stream:write("BBBBB")
		stream:closewrite(nil, {["x-checksum"] = "abc123"})
	end
	local s = assert(http.request("PUT", base .. "/api", {["transfer-encoding"] = "chunked"}))
	local rd, rerr = s:read(1)
	eq(rerr, "Should closewrite first", "read before closewrite")
	assert(s:write("part1"))
	assert(s:write("part2"))
	s:closewrite("part3")
	eq(s:waitresponse(), true, "waitresponse")
	eq(s.status, 200, "client stream status")
	eq(s:read(7), "AAAAABB", "client read(7)")
	local rest, e2 = s:read(10)
	eq(rest, nil, "client read past end")
	eq(e2, errno.EOF, "client EOF")
	eq(s.eof, true, "eof flag")
	eq(s:readall(), "BBB", "client readall rest")
	eq(s.trailer["x-checksum"], "abc123", "trailer")
	s:close()

	-- HEAD: no body, eof at once (Test 15)
	handler = function(stream)
		stream:respond(200, {["content-length"] = 100})
	end
	s = assert(http.request("HEAD", base .. "/"))
	s:closewrite()
	assert(s:waitresponse())
	eq(s.eof, true, "HEAD eof")
	eq(s:readall(), "", "HEAD body")
	s:close()

	-- newclient and bad urls (Test 39)
	local cli = http.newclient {max_idle_per_host = 2, idle_timeout = 2000}
	handler = function(stream) stream:respond(200, {}) stream:closewrite("OK") end
	eq(assert(cli:get(base .. "/")).body, "OK", "newclient get")
	eq(assert(cli:get(base .. "/")).body, "OK", "newclient reuse")
	local x, xe = cli:get("not-a-url")
	eq(x, nil, "bad url")
	eq(xe, "Invalid url", "bad url err")
	x, xe = http.get("ftp://127.0.0.1/")
	eq(xe, "Unsupported scheme", "ftp err")
	x, xe = http.get("http://no-such-host.invalid/")
	assert(xe and xe:find("dns lookup no-such-host.invalid failed", 1, true), "dns err " .. tostring(xe))

	-- listen errors are returned
	local l2, lerr = http.listen {addr = "127.0.0.1:" .. port, handler = function() end}
	eq(l2, nil, "listen on a used port")
	eq(lerr, "Address already in use (98)", "listen err")
	eq(server:close(), true, "listener close")
	local c2, c2e = server:close()
	eq(c2e, errno.CLOSED, "second close")
	print("http_api: all passed")
end

-- Not run with --fatal-errors: one case raises in a handler on purpose.
-- A failed assertion here exits 1 with its traceback.
task.fork(function()
	local ok, err = xpcall(main, debug.traceback)
	if not ok then
		print(err)
		silly.exit(1)
	end
	silly.exit(0)
end)
