-- silly.net.websocket: every function, field and failure path, against
-- servers in this same script (the cases of silly's test/testwebsocket.lua
-- plus golua-ws's additions).
-- usage: golua-ws ws_api.lua <port> <tlsport>
local silly = require "silly"
local task = require "silly.task"
local time = require "silly.time"
local errno = require "silly.errno"
local http = require "silly.net.http"
local tcp = require "silly.net.tcp"
local tls = require "silly.net.tls"
local websocket = require "silly.net.websocket"
local waitgroup = require "silly.sync.waitgroup"

local port, tlsport = assert(arg[1]), assert(arg[2])
local url = "ws://127.0.0.1:" .. port
local handler -- the current server-side test body: handler(sock, stream)
local upgrade_opts

local function serve(stream)
	if stream.header["upgrade"] ~= "websocket" then
		stream:respond(404, {})
		stream:closewrite("Not Found")
		return
	end
	local sock, err = websocket.upgrade(stream, upgrade_opts)
	if not sock then
		return
	end
	local h = handler
	if h then
		h(sock, stream)
	end
end

local server = assert(http.listen {addr = "127.0.0.1:" .. port, handler = serve})
local cert = assert(tls.selfsigned())
local tls_server = assert(http.listen {
	addr = "127.0.0.1:" .. tlsport, tls = true, certs = {cert}, handler = serve,
})

local function eq(a, b, what)
	if a ~= b then
		error(string.format("%s: expected %q, got %q", what, tostring(b), tostring(a)), 2)
	end
end

-- run one case: body_srv runs in the server handler, body_cli here; the
-- case ends when both are done.
local function case(name, body_srv, body_cli)
	local done = false
	handler = function(sock, stream)
		body_srv(sock, stream)
		done = true
	end
	body_cli()
	local n = 0
	while not done do
		time.sleep(10)
		n = n + 1
		assert(n < 1000, name .. ": server side did not finish")
	end
	handler = nil
end

task.fork(function()
	-- Test 1: connect and close.
	case("basic", function(sock) sock:close() end, function()
		local sock, err = websocket.connect(url)
		assert(sock, err)
		eq(err, nil, "connect err")
		sock:close()
	end)

	-- Tests 2.x: the vectors both ways, 1 MiB reassembled from 64 KiB fragments.
	local vectors = {
		{"", "text"}, {"Hello", "text"}, {"", "binary"}, {"World", "binary"},
		{string.rep("A", 125), "text"}, {string.rep("B", 126), "binary"},
		{string.rep("C", 65535), "binary"}, {string.rep("D", 65536), "binary"},
		{string.rep("E", 1024 * 1024), "binary"}, {"\0\255\127", "binary"},
		{"utf8-test-中文", "text"},
	}
	for i, v in ipairs(vectors) do
		local data, typ = v[1], v[2]
		case("client->server " .. i, function(sock)
			local got, t = sock:read()
			eq(t, typ, "server read type " .. i)
			eq(#got, #data, "server read length " .. i)
			assert(got == data, "server read content " .. i)
			sock:close()
		end, function()
			local sock = assert(websocket.connect(url))
			eq(sock:write(data, typ), true, "client write " .. i)
			local d, t = sock:read()
			eq(t, "close", "client sees the server's close " .. i)
			sock:close()
		end)
		case("server->client " .. i, function(sock)
			eq(sock:write(data, typ), true, "server write " .. i)
			sock:close()
		end, function()
			local sock = assert(websocket.connect(url))
			local got, t = sock:read()
			eq(t, typ, "client read type " .. i)
			assert(got == data, "client read content " .. i)
			sock:close()
		end)
	end

	-- default write type is binary; nil data is an empty message
	case("defaults", function(sock)
		local d, t = sock:read()
		eq(t, "binary", "default type")
		eq(d, "x", "default data")
		d, t = sock:read()
		eq(d, "", "nil data")
		sock:close()
	end, function()
		local sock = assert(websocket.connect(url))
		assert(sock:write("x"))
		assert(sock:write(nil, "text"))
		sock:read()
		sock:close()
	end)

	-- Test 3: ping/pong written by hand, the empty close payload.
	case("ping/pong", function(sock)
		assert(sock:write("bar", "ping"))
		local d, t = sock:read()
		eq(d, "foo", "pong data")
		eq(t, "pong", "pong type")
		sock:close()
	end, function()
		local sock = assert(websocket.connect(url))
		local d, t = sock:read()
		eq(d, "bar", "ping data")
		eq(t, "ping", "ping type")
		eq(sock:write("foo", "pong"), true, "write pong")
		d, t = sock:read()
		eq(d, "", "close payload")
		eq(t, "close", "close type")
		-- after the close message the peer is gone: EOF
		local d2, e2, e3 = sock:read()
		eq(d2, nil, "read after close")
		eq(e2, errno.EOF, "read after close err")
		eq(e3, "", "third value")
		sock:close()
	end)

	-- control frames over 125 bytes are refused by write
	case("control too large", function(sock)
		local ok, err = sock:write(string.rep("p", 126), "ping")
		eq(ok, false, "126-byte ping")
		eq(err, "All control frames MUST have a payload length of 125 bytes or less", "126-byte ping err")
		ok, err = sock:write(string.rep("p", 126), "pong")
		eq(ok, false, "126-byte pong")
		ok, err = sock:write(string.rep("p", 126), "close")
		eq(ok, false, "126-byte close")
		eq(sock:write(string.rep("p", 125), "ping"), true, "125-byte ping")
		sock:close()
	end, function()
		local sock = assert(websocket.connect(url))
		local d, t = sock:read()
		eq(#d, 125, "125-byte ping arrives")
		eq(t, "ping", "ping type")
		sock:close()
	end)

	-- Test 4: the peer drops TCP without a close frame: read gives nil, EOF.
	case("abrupt close", function(sock)
		local d, err, partial = sock:read()
		eq(d, nil, "read after drop")
		eq(err, errno.EOF, "read err after drop")
		eq(partial, "", "third value after drop")
		sock:close()
	end, function()
		local sock = assert(websocket.connect(url))
		assert(sock.conn, "sock.conn")
		sock.conn:close()
	end)

	-- a 1 MiB message echoed back intact
	case("1 MiB echo", function(sock)
		local d, t = sock:read()
		assert(sock:write(d, t))
		sock:read() -- the client's close
		sock:close()
	end, function()
		local big = {}
		for i = 1, 1024 * 1024 / 16 do big[i] = string.format("%015d\n", i) end
		big = table.concat(big)
		local sock = assert(websocket.connect(url))
		assert(sock:write(big, "text"))
		local d, t = sock:read()
		eq(t, "text", "1 MiB type")
		eq(#d, #big, "1 MiB length")
		assert(d == big, "1 MiB content")
		sock:close()
	end)

	-- fields: sock.stream (the HTTP stream) and sock.conn, read-only; the
	-- socket is a table, as in silly, that takes a script's own fields
	case("fields", function(sock, stream)
		assert(sock.stream == stream, "server sock.stream is the stream")
		assert(sock.stream.remoteaddr:match("^127%.0%.0%.1:%d+$"), "remoteaddr")
		eq(sock.stream.path, "/chat", "stream.path")
		eq(sock.stream.query.room, "a b", "stream.query")
		eq(sock.stream.header["x-token"], "secret", "custom header")
		-- the stream after the take-over: every field still reads as
		-- before, the response side is closed, the body is at its end
		eq(sock.stream.method, "GET", "stream.method")
		eq(sock.stream.version, "1.1", "stream.version")
		eq(sock.stream.scheme, "http", "stream.scheme")
		eq(sock.stream.keepalive, true, "stream.keepalive")
		eq(type(sock.stream.trailer), "table", "stream.trailer")
		assert(sock.stream.header == sock.stream.header, "stream.header is one table")
		eq(sock.stream.header["upgrade"], "websocket", "upgrade header")
		eq(sock.stream.eof, true, "stream.eof")
		eq(sock.stream.err, nil, "stream.err")
		local wok, werr = stream:write("x")
		eq(wok, false, "stream:write after upgrade")
		eq(werr, "Write closed", "stream:write after upgrade err")
		local rd, rerr = stream:read(1)
		eq(rd, nil, "stream:read after upgrade")
		eq(rerr, errno.EOF, "stream:read after upgrade err")
		eq(stream:readall(), "", "stream:readall after upgrade")
		stream.mark = "kept"
		eq(sock.stream.mark, "kept", "a field stored in the stream")
		eq(type(sock), "table", "the socket is a table, as in silly")
		sock.mine = 42
		eq(sock.mine, 42, "a script's own field")
		local ok = pcall(function() sock.conn = nil end)
		eq(ok, false, "conn is read-only")
		ok = pcall(function() sock.stream = 1 end)
		eq(ok, false, "stream is read-only")
		assert(sock.stream == stream, "stream unchanged")
		assert(sock.conn.remoteaddr, "conn.remoteaddr")
		assert(sock.conn == sock.conn, "sock.conn is one object")
		sock:close()
		eq(sock.conn, nil, "conn after close")
		local ok2, e2 = sock:write("x")
		eq(ok2, false, "write after close")
		eq(e2, errno.CLOSED, "write after close err")
		local d, e3 = sock:read()
		eq(e3, errno.CLOSED, "read after close err")
		local c1, c2 = sock:close()
		eq(c1, false, "second close")
	end, function()
		local sock = assert(websocket.connect(url .. "/chat?room=a%20b", {["x-token"] = "secret"}))
		eq(sock.stream.status, 101, "client stream status")
		sock:read()
		sock:close()
	end)

	-- close() after the peer's close echoes its code (wscore), and <close>
	case("close echo", function(sock)
		local d, t = sock:read()
		eq(t, "close", "close arrives")
		eq(d, "\3\232bye", "close payload (code 1000, reason)")
		sock:close()
	end, function()
		local sock = assert(websocket.connect(url))
		assert(sock:write("\3\232bye", "close"))
		local d, t = sock:read()
		eq(t, "close", "echo arrives")
		eq(d, "\3\232", "echo carries the code")
		local mt = getmetatable(sock)
		assert(type(mt.__close) == "function", "__close metamethod")
		mt.__close(sock)
	end)

	-- subprotocols, compression and the size limit through the options table
	upgrade_opts = {subprotocols = {"chat"}, compression = true, maxmessage = 1000}
	case("options", function(sock)
		eq(sock:subprotocol(), "chat", "server subprotocol")
		local d, t = sock:read()
		eq(d, string.rep("z", 1000), "compressed message")
		d, t = sock:read()
		eq(d, nil, "oversized message refused")
		sock:close()
	end, function()
		local sock = assert(websocket.connect(url, nil, {subprotocols = {"x", "chat"}, compression = true}))
		eq(sock:subprotocol(), "chat", "client subprotocol")
		assert(sock:write(string.rep("z", 1000), "text"))
		assert(sock:write(string.rep("z", 1001), "text"))
		local d, t = sock:read()
		eq(t, "close", "1009 close arrives")
		eq(d:byte(1) * 256 + d:byte(2), 1009, "close code 1009")
		sock:close()
	end)
	upgrade_opts = nil

	-- upgrade errors: silly's messages, 400 to the client
	local errs = {}
	handler = nil
	local plain = assert(http.listen {addr = "127.0.0.1:0", handler = function(stream)
		local sock, err = websocket.upgrade(stream)
		errs[#errs + 1] = err
	end})
	local paddr = "127.0.0.1:" .. plain:addr():match(":(%d+)$")
	local r = assert(http.post("http://" .. paddr .. "/", {}, "x"))
	eq(r.status, 400, "POST upgrade status")
	eq(errs[1], "Method not GET", "POST upgrade err")
	r = assert(http.get("http://" .. paddr .. "/", {upgrade = "websocket", connection = "Upgrade"}))
	eq(errs[2], "Sec-websocket-key not found", "missing key err")
	r = assert(http.get("http://" .. paddr .. "/", {upgrade = "h2c", ["sec-websocket-key"] = "x"}))
	eq(errs[3], "Header upgrade mismatch", "upgrade mismatch err")
	r = assert(http.get("http://" .. paddr .. "/", {["sec-websocket-version"] = "8", ["sec-websocket-key"] = "x"}))
	eq(errs[4], "Header sec-websocket-version mismatch", "version mismatch err")
	plain:close()

	-- Connection: keep-alive, Upgrade (Firefox) is accepted
	case("keep-alive, Upgrade", function(sock) sock:close() end, function()
		local c = assert(tcp.connect("127.0.0.1:" .. port))
		c:write("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n" ..
			"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
		local line = assert(c:read("\n"))
		assert(line:find("101"), "101 for keep-alive, Upgrade: " .. line)
		repeat line = assert(c:read("\n")) until line == "\r\n"
		c:close()
	end)

	-- connect failures
	local s, err = websocket.connect("127.0.0.1:1")
	eq(s, nil, "url without scheme")
	eq(err, "Invalid url", "invalid url err")
	s, err = websocket.connect("ftp://127.0.0.1/")
	eq(err, "Unsupported scheme", "ftp err")
	s, err = websocket.connect("ws://127.0.0.1:" .. port .. "/missing-upgrade-path-404", {upgrade = "x"})
	assert(s, "header overrides are ignored: " .. tostring(err))
	s:close()
	local closed = assert(tcp.listen {addr = "127.0.0.1:0", accept = function(c) c:close() end})
	closed:close()
	s, err = websocket.connect("ws://127.0.0.1:1/")
	eq(s, nil, "refused")
	eq(err, "Connection refused (111)", "refused err")
	s, err = websocket.connect("ws://no-such-host.invalid/")
	eq(s, nil, "dns failure")
	assert(err:find("dns lookup no-such-host.invalid failed", 1, true), "dns err: " .. tostring(err))
	local h404 = assert(http.listen {addr = "127.0.0.1:0", handler = function(stream)
		stream:respond(404, {})
		stream:closewrite("no")
	end})
	s, err = websocket.connect("ws://127.0.0.1:" .. h404:addr():match(":(%d+)$") .. "/")
	eq(err, "websocket.connect fail:404", "non-101 err")
	h404:close()

	-- Test 5: wss, and wss:// to a plain server fails with a TLS error
	case("wss", function(sock)
		assert(sock:write("secure", "text"))
		sock:close()
	end, function()
		local sock = assert(websocket.connect("wss://127.0.0.1:" .. tlsport, nil, {insecure = true}))
		local d, t = sock:read()
		eq(d, "secure", "wss read")
		sock:close()
	end)
	s, err = websocket.connect("wss://127.0.0.1:" .. tlsport)
	eq(s, nil, "wss to a self-signed server, verifying")
	eq(err, errno.TLS, "self-signed err")
	s, err = websocket.connect("wss://127.0.0.1:" .. port, nil, {insecure = true})
	eq(s, nil, "wss to plain")
	eq(err, errno.TLS, "wss to plain err")

	-- Test 6: 50 concurrent clients
	local pongs = 0
	handler = function(sock)
		time.sleep(300)
		sock:write("foo", "pong")
		sock:close()
	end
	local wg = waitgroup.new()
	for i = 1, 50 do
		wg:fork(function()
			local sock = assert(websocket.connect(url))
			assert(sock:write("bar", "ping"))
			local d, t = sock:read()
			if d == "foo" and t == "pong" then pongs = pongs + 1 end
			sock:close()
		end)
	end
	wg:wait()
	eq(pongs, 50, "concurrent clients served")

	server:close()
	tls_server:close()
	print("ws_api: all passed")
	silly.exit(0)
end)
