-- WebSocket echo server in the silly dialect.
-- usage: golua-ws scripts/silly/echo_server.lua [addr]   (default 127.0.0.1:8080)
-- Every text or binary message is sent back with its type; pings are
-- answered by hand, as silly scripts do; a close ends the connection.
local http = require "silly.net.http"
local websocket = require "silly.net.websocket"

local addr = arg and arg[1] or "127.0.0.1:8080"

local server, err = http.listen {
	addr = addr,
	handler = function(stream)
		if stream.header["upgrade"] ~= "websocket" then
			stream:respond(404, {})
			stream:closewrite("Not Found")
			return
		end
		local sock, err = websocket.upgrade(stream)
		if not sock then
			print("upgrade failed:", err)
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
	end,
}
assert(server, err)
print("echo server listening on " .. addr)
