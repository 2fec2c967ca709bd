-- silly.net.udp, silly.net.addr, silly.net.dns's configuration, conn:limit
-- and tls listener reload.
-- usage: golua-ws --fatal-errors net_api.lua <udp port> <udp port> <tcp port>
local silly = require "silly"
local task = require "silly.task"
local time = require "silly.time"
local errno = require "silly.errno"
local udp = require "silly.net.udp"
local addr = require "silly.net.addr"
local dns = require "silly.net.dns"
local tcp = require "silly.net.tcp"
local tls = require "silly.net.tls"

local uaddr1 = "127.0.0.1:" .. assert(arg[1])
local uaddr2 = "127.0.0.1:" .. assert(arg[2])
local taddr = "127.0.0.1:" .. assert(arg[3])

local function eq(a, b, what)
	if a ~= b then
		error(string.format("%s: expected %q, got %q", what, tostring(b), tostring(a)), 2)
	end
end

task.fork(function()
	-- silly.net.addr
	local h, p = addr.parse("[::1]:53")
	eq(h, "::1", "parse v6 host")
	eq(p, "53", "parse v6 port")
	h, p = addr.parse("host.test")
	eq(h, "host.test", "parse host only")
	eq(p, nil, "parse no port")
	h, p = addr.parse(":80")
	eq(h, nil, "parse empty host")
	eq(p, "80", "parse port only")
	h, p = addr.parse("[::1")
	eq(h, nil, "unclosed bracket host")
	eq(p, nil, "unclosed bracket port")
	h, p = addr.parse("[::1]x")
	eq(h, nil, "junk after bracket")
	eq(addr.join("::1", "80"), "[::1]:80", "join v6")
	eq(addr.join("[::1]", "80"), "[::1]:80", "join bracketed")
	eq(addr.join(nil, "80"), ":80", "join no host")
	eq(addr.join("a.test", "80"), "a.test:80", "join name")
	eq(addr.iptype("10.0.0.1"), 4, "iptype v4")
	eq(addr.iptype("fe80::1"), 6, "iptype v6")
	eq(addr.iptype("01.2.3.4"), 0, "iptype leading zero")
	eq(addr.iptype("fe80::1%eth0"), 0, "iptype zone")
	eq(addr.isv4("::ffff:1.2.3.4"), false, "mapped is v6")
	eq(addr.isv6("::ffff:1.2.3.4"), true, "mapped is v6 (isv6)")
	eq(addr.ishost("a-b.test"), true, "ishost")
	eq(addr.ishost(""), false, "ishost empty")

	-- silly.net.udp
	local s = assert(udp.bind(uaddr1))
	assert(s.fd, "bound fd")
	local c = assert(udp.connect(uaddr1))
	eq(c:sendto("one"), true, "sendto connected")
	eq(c:sendto("two"), true, "sendto connected 2")
	time.sleep(100)
	eq(s:unreadbytes(), 6, "stashed bytes")
	local d, from = s:recvfrom()
	eq(d, "one", "first datagram")
	assert(from:match("^127%.0%.0%.1:%d+$"), "sender address " .. tostring(from))
	d = s:recvfrom(1000)
	eq(d, "two", "second datagram")
	eq(s:unreadbytes(), 0, "stash empty")
	eq(s:sendto("back", from), true, "sendto address")
	eq(c:recvfrom(1000), "back", "reply")
	local t0 = time.monotonic()
	d, from = s:recvfrom(150)
	eq(d, nil, "timeout data")
	eq(from, errno.TIMEDOUT, "timeout err")
	assert(time.monotonic() - t0 >= 100, "timeout waited")
	eq(s:unsentbytes(), 0, "unsentbytes")
	-- a second socket on the same port is refused
	local dup, err = udp.bind(uaddr1)
	eq(dup, nil, "bind in use")
	assert(err and err:find("(98)", 1, true), "bind in use err " .. tostring(err))
	d, err = udp.bind("127.0.0.1")
	eq(d, nil, "bind without port")
	eq(err, errno.INVAL or "Invalid argument (22)", "bind without port err")
	-- close wakes a waiting reader with ECLOSED
	task.fork(function()
		time.sleep(50)
		s:close()
	end)
	d, err = s:recvfrom(2000)
	eq(d, nil, "closed while waiting")
	eq(err, errno.CLOSED, "closed while waiting err")
	eq(s.fd, nil, "fd after close")
	eq(s:isalive(), false, "isalive after close")
	local ok
	ok, err = s:sendto("x", uaddr1)
	eq(ok, false, "sendto closed")
	eq(err, errno.CLOSED, "sendto closed err")
	ok, err = s:close()
	eq(ok, false, "double close")
	eq(err, errno.CLOSED, "double close err")
	eq(udp.close(c), true, "module close")

	-- silly.net.dns: hosts and a nameserver that is a udp socket here
	dns.sethosts("10.20.30.40 pinned.spec.test\n::2 pinned.spec.test\n")
	eq(dns.lookup("pinned.spec.test", dns.A), "10.20.30.40", "sethosts A")
	eq(dns.lookup("PINNED.spec.test", dns.AAAA), "::2", "sethosts AAAA")
	d, err = dns.lookup("bad..name", dns.A)
	eq(d, nil, "invalid name")
	eq(err, "Invalid name", "invalid name err")
	eq(dns.isname("::1"), false, "isname ip")
	local ns = assert(udp.bind(uaddr2))
	dns.conf {nameservers = {uaddr2}, timeout = 1, attempts = 1}
	task.fork(function()
		local q, peer = ns:recvfrom(3000)
		assert(q, "the configured nameserver got no query")
		assert(q:find("answer\4spec\4test\0", 1, true), "query names the host")
		-- the response: the query with QR set, one answer, no OPT record
		local question = q:sub(13, #q - 11)
		local resp = q:sub(1, 2) .. string.pack(">I2I2I2I2I2", 0x8180, 1, 1, 0, 0) .. question ..
			string.pack(">I2I2I2I4I2", 0xC00C, 1, 1, 60, 4) .. "\10\1\2\3"
		ns:sendto(resp, peer)
		-- the second question stays unanswered
		ns:recvfrom(3000)
	end)
	eq(dns.lookup("answer.spec.test", dns.A, 2000), "10.1.2.3", "answer from the configured server")
	eq(dns.lookup("answer.spec.test", dns.A, 2000), "10.1.2.3", "cached answer")
	t0 = time.monotonic()
	d, err = dns.lookup("silent.spec.test", dns.A, 300)
	eq(d, nil, "silent server")
	eq(err, errno.TIMEDOUT, "silent server err")
	assert(time.monotonic() - t0 < 1500, "lookup timeout bounded")
	ns:close()

	-- conn:limit reads ahead up to the limit and pauses
	local accepted
	local l = assert(tcp.listen {addr = taddr, accept = function(conn)
		accepted = conn
		conn:write(string.rep("a", 1000))
		time.sleep(200)
		conn:write(string.rep("b", 1000))
	end})
	local cc = assert(tcp.connect(taddr))
	cc:limit(500)
	time.sleep(500)
	eq(cc:unreadbytes(), 500, "paused at the limit")
	cc:limit(1500)
	time.sleep(300)
	eq(cc:unreadbytes(), 1500, "resumed to the new limit")
	local got = assert(cc:read(1800, 2000))
	eq(got, string.rep("a", 1000) .. string.rep("b", 800), "read past the limit")
	cc:limit(nil)
	eq(cc:read(200, 1000), string.rep("b", 200), "rest after limit(nil)")
	d, err = cc:read(1, 100)
	eq(d, nil, "no more data")
	eq(err, errno.TIMEDOUT, "read timeout with read-ahead")
	accepted:close()
	d, err = cc:read(1, 1000)
	eq(d, nil, "peer closed")
	eq(err, errno.EOF, "EOF with read-ahead")
	cc:close()
	-- closing a conn wakes the task reading it ahead, with errno.CLOSED
	local cc2 = assert(tcp.connect(taddr))
	cc2:limit(100)
	task.fork(function()
		time.sleep(100)
		cc2:close()
	end)
	d, err = cc2:read("\n", 3000)
	eq(d, nil, "closed while reading ahead")
	eq(err, errno.CLOSED, "closed while reading ahead err")
	eq(cc2.fd, nil, "fd after close")
	time.sleep(50)
	accepted:close()

	-- listener reload: tcp listeners have no certificates, closed ones fail
	ok, err = l:reload({})
	eq(ok, false, "tcp reload")
	eq(err, errno.INVAL or "Invalid argument (22)", "tcp reload err")
	eq(tcp.close(l), true, "tcp.close(listener)")
	ok, err = tls.reload(l, {})
	eq(ok, false, "reload closed")
	eq(err, errno.CLOSED, "reload closed err")
	print("net_api: all passed")
	silly.exit(0)
end)
