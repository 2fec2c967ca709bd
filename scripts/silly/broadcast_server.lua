-- Broadcast server in the silly dialect: every text message from any client
-- goes to all connected clients.
-- usage: golua-ws scripts/silly/broadcast_server.lua [addr]   (default 127.0.0.1:8080)
local http = require "silly.net.http"
local websocket = require "silly.net.websocket"

local addr = arg and arg[1] or "127.0.0.1:8080"
local clients = {}

local function broadcast(msg)
	-- sock:write never yields, so the table cannot change under this loop,
	-- and never waits for a peer: one that stops reading delays nobody and
	-- is dropped as a slow consumer (write returns false, "slow consumer").
	for sock in pairs(clients) do
		if not sock:write(msg, "text") then
			clients[sock] = nil
		end
	end
end

assert(http.listen {
	addr = addr,
	handler = function(stream)
		if stream.header["upgrade"] ~= "websocket" then
			stream:respond(404, {})
			stream:closewrite("Not Found")
			return
		end
		local sock = websocket.upgrade(stream)
		if not sock then
			return
		end
		clients[sock] = true
		while true do
			local data, typ = sock:read()
			if not data or typ == "close" then
				break
			end
			if typ == "text" then
				broadcast(data)
			elseif typ == "ping" then
				sock:write(data, "pong")
			end
		end
		clients[sock] = nil
		sock:close()
	end,
})
print("broadcast server listening on " .. addr)
