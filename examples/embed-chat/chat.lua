-- The chat endpoint of the embed-chat example, in the silly dialect.
-- The Go host mounts M.serve on its own http.ServeMux at /chat and calls
-- M.broadcast from its JSON API; the module calls back into Go through the
-- "host" module the host registered (a *Stats value, via gopher-luar).
-- Edit this file while the example runs with -watch (or send it SIGHUP):
-- new connections get the new code, open ones keep theirs, and M.clients
-- is carried over by __reload.
local websocket = require "silly.net.websocket"
local host = require "host"

local M = {}
M.clients = {} -- socket -> user name

-- Keep the connected clients across a reload.
function M.__reload(old)
	M.clients = old.clients
end

-- broadcast sends text to every connected client. silly's write queues the
-- message and never blocks, so the loop cannot be interleaved with a join.
function M.broadcast(text)
	for sock in pairs(M.clients) do
		sock:write(text, "text")
	end
	return host:Online()
end

-- serve handles GET /chat?name=NAME with a WebSocket upgrade.
function M.serve(stream)
	local name = stream.query.name
	if not name or name == "" then
		stream:respond(400, { ["content-type"] = "text/plain" })
		stream:closewrite("chat: ?name= is required\n")
		return
	end
	local sock, err = websocket.upgrade(stream)
	if not sock then
		return -- upgrade answered the request with a 400 itself
	end
	M.clients[sock] = name
	host:Joined(name)
	M.broadcast("* " .. name .. " joined")
	while true do
		local data, typ = sock:read()
		if not data or typ == "close" then
			break
		end
		if typ == "text" then
			-- The host cleans the text and counts it.
			local text, ok = host:Message(name, data)
			if ok then
				M.broadcast(name .. ": " .. text)
			else
				sock:write("! " .. text, "text")
			end
		end
	end
	M.clients[sock] = nil
	host:Left(name)
	M.broadcast("* " .. name .. " left")
	sock:close()
end

return M
