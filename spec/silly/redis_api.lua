-- silly.store.redis against a real redis-server.
-- usage: golua-ws redis_api.lua <redis port> <port with nothing listening> <free port>
local task = require "silly.task"
local tcp = require "silly.net.tcp"
local time = require "silly.time"
local errno = require "silly.errno"
local waitgroup = require "silly.sync.waitgroup"
local redis = require "silly.store.redis"

local addr = "127.0.0.1:" .. assert(arg[1])
local deadaddr = "127.0.0.1:" .. assert(arg[2])
local oddaddr = "127.0.0.1:" .. assert(arg[3])

local function eq(a, b, what)
	if a ~= b then
		error(string.format("%s: expected %q, got %q", what, tostring(b), tostring(a)), 2)
	end
end

local function prefix(s, p, what)
	if type(s) ~= "string" or s:sub(1, #p) ~= p then
		error(string.format("%s: expected %q..., got %q", what, p, tostring(s)), 2)
	end
end

local admin = redis.new {addr = addr}

task.fork(function()
	-- Replies of every RESP2 type, with silly's (success, value) pair.
	local db = redis.new {addr = addr, db = 2}
	eq(db.addr, addr, "addr field")
	eq(db.db, 2, "db field")
	eq(db.closed, false, "closed field")
	local ok, v = db:flushdb()
	eq(ok, true, "flushdb") eq(v, "OK", "flushdb status")
	ok, v = db:ping()
	eq(ok, true, "ping") eq(v, "PONG", "ping status")
	ok, v = db:set("k", "hello")
	eq(v, "OK", "set")
	ok, v = db:get("k")
	eq(ok, true, "get ok") eq(v, "hello", "get bulk")
	ok, v = db:get("missing")
	eq(ok, true, "nil bulk ok") eq(v, nil, "nil bulk")
	ok, v = db:incr("n")
	eq(v, 1, "integer reply") eq(math.type(v), "integer", "integer reply type")
	ok, v = db:set("f", 1.5)
	ok, v = db:get("f")
	eq(v, "1.5", "number argument sent as tostring")
	ok, v = db:set("bin", "a\r\nb\0c")
	ok, v = db:get("bin")
	eq(v, "a\r\nb\0c", "binary-safe bulk")
	ok, v = db:lpush("list", "x")
	ok, v = db:strlen("list")
	eq(ok, false, "error reply ok") prefix(v, "WRONGTYPE", "error reply text")
	ok, v = db:rpush({"t", "a", "b", "c"})
	eq(v, 3, "table form of the arguments")
	ok, v = db:lrange("t", 0, -1)
	eq(ok, true, "array ok") eq(#v, 3, "array length") eq(v[1] .. v[2] .. v[3], "abc", "array elements")
	ok, v = db:call("hset", "h", "f1", "v1")
	eq(v, 1, "call with a lower-case command")
	ok, v = db:hgetall("h")
	eq(v[1], "f1", "hgetall key") eq(v[2], "v1", "hgetall value")
	ok, v = db:lrange("nolist", 0, -1)
	eq(ok, true, "empty array ok") eq(#v, 0, "empty array")
	-- An array holding an error reply is not a success; the table is kept.
	db:multi()
	db:set("s", "x")
	ok, v = db:incr("s")
	eq(v, "QUEUED", "queued in multi")
	ok, v = db:exec()
	eq(ok, false, "exec with a failed command") eq(v[1], "OK", "exec first result")
	prefix(v[2], "ERR value is not an integer", "exec second result")
	ok, v = db:nosuchcommand("x")
	eq(ok, false, "unknown command") prefix(v, "ERR unknown command", "unknown command text")
	local okcall, err = pcall(db.select, db, 3)
	eq(okcall, false, "select raises")
	prefix(tostring(err):match("please specify the db when redis.new") or err,
		"please specify the db when redis.new", "select message")

	-- db chooses the database on every (re)connect.
	local db0 = redis.new {addr = addr}
	ok, v = db0:get("k")
	eq(v, nil, "db 0 does not see db 2's key")
	db0:close()

	-- Pipelines: {ok1, v1, ok2, v2, ...}, errors in place.
	local res, perr = db:pipeline({
		{"SET", "p1", "one"},
		{"get", "p1"},
		{"STRLEN", "list"},
		{"GET", "nokey"},
		{"INCR", "pn"},
	})
	eq(perr, nil, "pipeline error")
	eq(res[1], true, "pipeline 1 ok") eq(res[2], "OK", "pipeline 1")
	eq(res[3], true, "pipeline 2 ok") eq(res[4], "one", "pipeline 2")
	eq(res[5], false, "pipeline 3 fails") prefix(res[6], "WRONGTYPE", "pipeline 3 error")
	eq(res[7], true, "pipeline 4 ok") eq(res[8], nil, "pipeline 4 nil")
	eq(res[9], true, "pipeline 5 ok") eq(res[10], 1, "pipeline 5")
	res, perr = db:pipeline({})
	eq(#res, 0, "empty pipeline") eq(perr, nil, "empty pipeline error")

	-- Replies come back in call order to concurrent tasks.
	db:del("ctr")
	local wg = waitgroup.new()
	local next_id = 0
	for _ = 1, 300 do
		wg:fork(function()
			next_id = next_id + 1
			local id = next_id
			local ok, n = db:incr("ctr")
			eq(ok, true, "concurrent incr")
			eq(n, id, "reply order")
		end)
	end
	wg:wait()

	-- A waiting command releases the VM: another task's LPUSH (on another
	-- client) is what ends this BLPOP.
	local pusher = redis.new {addr = addr, db = 2}
	task.fork(function()
		time.sleep(100)
		pusher:lpush("q", "item")
	end)
	local t0 = time.monotonic()
	ok, v = db:blpop("q", 5)
	eq(ok, true, "blpop") eq(v[1], "q", "blpop key") eq(v[2], "item", "blpop value")
	assert(time.monotonic() - t0 < 3000, "blpop waited for its timeout")
	pusher:close()

	-- The server drops the connection: the next command fails with EOF,
	-- the one after reconnects (and selects db 2 again).
	local _, id = db:client("id")
	ok, v = admin:client("kill", "id", id)
	eq(v, 1, "client kill")
	ok, v = db:ping()
	eq(ok, false, "command on a dropped connection") eq(v, errno.EOF, "dropped connection error")
	ok, v = db:get("k")
	eq(ok, true, "reconnected") eq(v, "hello", "reconnected to db 2")

	-- Dropped while a BLPOP waits, with commands queued behind it: all fail.
	_, id = db:client("id")
	local results = {}
	local wg2 = waitgroup.new()
	wg2:fork(function() results[1] = {db:blpop("never", 0)} end)
	wg2:fork(function() results[2] = {db:get("k")} end)
	time.sleep(100)
	admin:client("kill", "id", id)
	wg2:wait()
	eq(results[1][1], false, "blocked command fails") eq(results[1][2], errno.EOF, "blocked command error")
	eq(results[2][1], false, "queued command fails") eq(results[2][2], errno.EOF, "queued command error")

	-- close() wakes the blocked reader and the queued task with CLOSED;
	-- nothing reconnects afterwards.
	local wg3 = waitgroup.new()
	wg3:fork(function() results[3] = {db:blpop("never", 0)} end)
	wg3:fork(function() results[4] = {db:pipeline({{"PING"}})} end)
	time.sleep(100)
	db:close()
	wg3:wait()
	eq(results[3][1], false, "close: reader fails") eq(results[3][2], errno.CLOSED, "close: reader error")
	eq(results[4][1], nil, "close: queued pipeline fails") eq(results[4][2], errno.CLOSED, "close: pipeline error")
	eq(db.closed, true, "closed field after close")
	ok, v = db:ping()
	eq(ok, false, "command after close") eq(v, errno.CLOSED, "command after close error")
	res, perr = db:pipeline({{"PING"}})
	eq(res, nil, "pipeline after close") eq(perr, errno.CLOSED, "pipeline after close error")

	-- netstat counts a client's connection as silly counts tcp.connect's.
	local metrics = require "silly.metrics.c"
	-- Closed connections leave the count when their socket is really
	-- closed, just after close() returns: wait for the count to settle.
	local before = metrics.netstat()
	for _ = 1, 50 do
		time.sleep(50)
		local now = metrics.netstat()
		if now == before then break end
		before = now
	end
	local counted = redis.new {addr = addr}
	eq(metrics.netstat(), before, "redis.new does not connect")
	counted:ping()
	eq(metrics.netstat(), before + 1, "netstat counts the connection")
	counted:close()
	for _ = 1, 100 do
		if metrics.netstat() == before then break end
		time.sleep(10)
	end
	eq(metrics.netstat(), before, "netstat after close")

	-- Connect failures are returned, and the client tries again next time.
	local dead = redis.new {addr = deadaddr}
	ok, v = dead:ping()
	eq(ok, false, "refused") eq(v, errno.CONNREFUSED, "refused error")
	res, perr = dead:pipeline({{"PING"}})
	eq(res, nil, "refused pipeline") eq(perr, errno.CONNREFUSED, "refused pipeline error")
	ok, v = redis.new {addr = "localhost:1"}:ping()
	eq(v, errno.RESOLVE, "silly takes numeric addresses only")
	ok, v = redis.new {addr = "127.0.0.1"}:ping()
	eq(v, errno.INVAL, "address without a port")

	-- A reply RESP2 does not have fails the command and drops the connection.
	local accepted = 0
	local oddreply = "?what\r\n"
	local odd = assert(tcp.listen {addr = oddaddr, accept = function(conn)
		accepted = accepted + 1
		-- One reply per request line: a client reads only the first.
		while conn:read("\n") do
			conn:write(oddreply)
		end
		conn:close()
	end})
	local oddc = redis.new {addr = oddaddr}
	ok, v = oddc:ping()
	eq(ok, false, "unknown reply type") prefix(v, "redis protocol error: unknown reply type", "protocol error text")
	ok, v = oddc:ping()
	eq(ok, false, "unknown reply type again")
	eq(accepted, 2, "the connection was dropped after the protocol error")
	oddc:close()
	oddreply = "*3\r\n*1\r\n:5\r\n$-1\r\n*-1\r\n"
	oddc = redis.new {addr = oddaddr}
	ok, v = oddc:ping()
	eq(ok, true, "nested array") eq(v[1][1], 5, "nested element") eq(v[2], nil, "nil bulk inside")
	eq(v[3], nil, "nil array inside")
	oddc:close()
	oddreply = string.rep("*1\r\n", 600) .. ":1\r\n"
	oddc = redis.new {addr = oddaddr}
	ok, v = oddc:ping()
	eq(ok, false, "nesting too deep") eq(v, "redis protocol error: arrays nested too deep", "nesting error")
	oddreply = string.rep("*1\r\n", 100) .. ":1\r\n"
	ok, v = oddc:ping()
	eq(ok, true, "100 levels are fine")
	oddc:close()
	odd:close()

	-- AUTH and SELECT errors fail the connect with Redis's message.
	ok, v = redis.new {addr = addr, db = 99999}:ping()
	eq(ok, false, "bad db") prefix(v, "ERR DB index is out of range", "bad db error")
	ok, v = admin:config("set", "requirepass", "s3cret")
	eq(v, "OK", "requirepass set")
	ok, v = redis.new {addr = addr}:ping()
	eq(ok, false, "no auth") prefix(v, "NOAUTH", "no auth error")
	ok, v = redis.new {addr = addr, auth = "wrong"}:ping()
	eq(ok, false, "wrong auth") prefix(v, "WRONGPASS", "wrong auth error")
	local authed = redis.new {addr = addr, auth = "s3cret", db = 2}
	ok, v = authed:get("k")
	eq(ok, true, "auth and select") eq(v, "hello", "auth and select value")
	ok, v = authed:config("set", "requirepass", "")
	eq(v, "OK", "requirepass cleared")
	authed:close()
	admin:close()
	print("redis_api ok")
end)
