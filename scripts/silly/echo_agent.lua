-- Conformance-suite agent: an HTTP control endpoint on the address given as
-- the first argument; each POST /connect carrying a ws:// URL as its body
-- starts one silly echo client against that URL (echo text and binary with
-- their type, answer pings by hand, close when the peer closes).
-- usage: golua-ws scripts/silly/echo_agent.lua 127.0.0.1:9000
local task = require "silly.task"
local http = require "silly.net.http"
local websocket = require "silly.net.websocket"

local function echo(url)
	local sock, err = websocket.connect(url)
	if not sock then
		print("connect failed:", url, err)
		return
	end
	while true do
		local data, typ = sock:read()
		if not data or typ == "close" then
			break
		end
		if typ == "text" or typ == "binary" then
			sock:write(data, typ)
		elseif typ == "ping" then
			sock:write(data, "pong")
		end
	end
	sock:close()
end

local addr = arg and arg[1] or "127.0.0.1:9000"
assert(http.listen {
	addr = addr,
	handler = function(stream)
		local url = stream:readall()
		task.fork(function() echo(url) end)
		stream:respond(200, {["content-length"] = 2})
		stream:closewrite("OK")
	end,
})
print("agent listening on " .. addr)
