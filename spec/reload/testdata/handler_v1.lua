-- Version 1 of the reloadable handler: a WebSocket echo that prefixes "v1:".
local websocket = require "silly.net.websocket"

local M = {}
M.version = "v1"
M.served = 0 -- WebSocket connections accepted, across reloads (see v2)

-- A local function is captured by the running connection loops: after a
-- reload they keep calling this one, so open connections keep the old
-- behaviour while new ones get the new module's.
local function reply(msg)
	return "v1:" .. msg
end

function M.serve(stream)
	if stream.header["upgrade"] ~= "websocket" then
		stream:respond(200, { ["content-type"] = "text/plain" })
		stream:closewrite(M.version .. " served=" .. M.served)
		return
	end
	local sock = assert(websocket.upgrade(stream))
	M.served = M.served + 1
	while true do
		local data, typ = sock:read()
		if not data or typ == "close" then
			break
		end
		if typ == "text" then
			sock:write(reply(data), "text")
		end
	end
	sock:close()
end

return M
