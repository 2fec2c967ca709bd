-- Version 2 of the reloadable handler: prefixes "v2:" and upper-cases, and
-- carries the connection counter over from the version it replaces.
local websocket = require "silly.net.websocket"

local M = {}
M.version = "v2"
M.served = 0

local function reply(msg)
	return "v2:" .. string.upper(msg)
end

-- Called by the reload on the new table, with the old one, before the swap.
function M.__reload(old)
	M.served = old.served
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
