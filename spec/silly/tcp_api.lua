-- silly.net.tcp, silly.net.tls and silly.net.dns.
-- usage: golua-ws tcp_api.lua <port>
local silly = require "silly"
local task = require "silly.task"
local time = require "silly.time"
local errno = require "silly.errno"
local tcp = require "silly.net.tcp"
local tls = require "silly.net.tls"
local dns = require "silly.net.dns"

local port = assert(arg[1])
local addr = "127.0.0.1:" .. port

local function eq(a, b, what)
	if a ~= b then
		error(string.format("%s: expected %q, got %q", what, tostring(b), tostring(a)), 2)
	end
end

task.fork(function()
	local serverside = {}
	local l = assert(tcp.listen {addr = addr, accept = function(conn)
		assert(conn.remoteaddr:match("^127%.0%.0%.1:%d+$"), "accepted remoteaddr")
		local line, err = conn:read("\n")
		if line == "close-me\n" then
			conn:close()
			return
		end
		if line == "echo\n" then
			while true do
				local d, e = conn:read(4)
				if not d then
					serverside.err = e
					break
				end
				conn:write(d)
			end
			conn:close()
		end
	end})
	assert(l.fd, "listener fd")

	local c = assert(tcp.connect(addr))
	eq(c.remoteaddr, addr, "outbound remoteaddr is the addr given")
	assert(c:write({"ec", "ho\n"}))
	assert(c:write("abcdefgh"))
	eq(c:read(4), "abcd", "read(4)")
	eq(c:read(4), "efgh", "read(4) again")
	eq(c:read(0), "", "read(0)")
	assert(c:write("12\n4"))
	eq(c:read("\n"), "12\n", "read delimiter")
	eq(c:unreadbytes(), 1, "unreadbytes (the \"4\" arrived with the line)")
	-- a read timeout keeps the conn usable
	local d, e = c:read(10, 50)
	eq(d, nil, "timeout read")
	eq(e, errno.TIMEDOUT, "timeout err")
	eq(c:read(1), "4", "data after timeout")
	eq(c:isalive(), true, "isalive")
	local ok, perr = pcall(c.read, c, "ab")
	eq(ok, false, "long delimiter raises")
	assert(tostring(perr):find("delimiter length must be 1", 1, true), "delimiter err")
	-- a read blocked in one task is woken by close() in another with CLOSED
	task.fork(function() time.sleep(50) c:close() end)
	d, e = c:read(100)
	eq(e, errno.CLOSED, "closed while reading")
	local w, we = c:write("x")
	eq(we, errno.CLOSED, "write after close")
	local cc, ce = c:close()
	eq(ce, errno.CLOSED, "second close")
	eq(c.fd, nil, "fd nil after close")
	time.sleep(50)
	eq(serverside.err, errno.EOF, "peer close is EOF")

	-- a peer close leaves the short read buffered
	c = assert(tcp.connect(addr))
	c:write("close-me\n")
	d, e = c:read(10)
	eq(e, errno.EOF, "EOF on peer close")
	c:close()

	-- connect errors
	d, e = tcp.connect("127.0.0.1:1")
	eq(e, "Connection refused (111)", "refused")
	d, e = tcp.connect("localhost:80")
	eq(e, errno.RESOLVE, "host names are not resolved by tcp.connect")
	d, e = tcp.connect("127.0.0.1")
	eq(d, nil, "missing port")
	d, e = tcp.listen {addr = addr, accept = function() end}
	eq(e, "Address already in use (98)", "listen on a used port")
	eq(l:close(), true, "listener close")

	-- tls: listen, connect with ALPN, echo, wrong protocol
	local cert = assert(tls.selfsigned())
	local tl = assert(tls.listen {addr = addr, certs = {cert}, alpnprotos = {"x-test"}, accept = function(conn)
		local line = conn:read("\n")
		conn:write("tls:" .. line)
		conn:close()
	end})
	-- The certificate is self-signed: refused by default, accepted with
	-- golua-ws's insecure option.
	d, e = tls.connect(addr, {hostname = "localhost", alpnprotos = {"x-test"}})
	eq(d, nil, "self-signed refused")
	eq(e, errno.TLS, "self-signed err")
	local tc = assert(tls.connect(addr, {hostname = "localhost", alpnprotos = {"x-test"}, insecure = true}))
	eq(tc:alpnproto(), "x-test", "alpn")
	tc:write("hi\n")
	eq(tc:read("\n"), "tls:hi\n", "tls echo")
	tc:close()
	tl:close()
	local pl = assert(tcp.listen {addr = addr, accept = function(conn)
		conn:write("HTTP/1.1 400 Bad Request\r\n\r\n")
		conn:close()
	end})
	d, e = tls.connect(addr)
	eq(d, nil, "tls to plain")
	eq(e, errno.TLS, "tls to plain err")
	pl:close()

	-- dns
	eq(dns.lookup("127.0.0.1", dns.A), "127.0.0.1", "literal")
	eq(dns.lookup("localhost", dns.A), "127.0.0.1", "hosts file")
	d, e = dns.lookup("no-such-host.invalid", dns.A)
	eq(d, nil, "unknown name")
	assert(e, "unknown name err")
	eq(dns.A, 1, "dns.A")
	eq(dns.AAAA, 28, "dns.AAAA")
	print("tcp_api: all passed")
	silly.exit(0)
end)
