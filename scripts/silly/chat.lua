-- Chat server in the silly dialect: GET / serves the chat page
-- (scripts/chat/page.html, the same page as the eco script's); a page joins
-- on /ws?name=NAME and each text message is broadcast to everyone as
-- "NAME: TEXT". The room itself (names, relay, presence) is
-- scripts/chat/room.lua, shared with the eco script; this file only wires
-- it to silly's HTTP server, WebSocket, tasks and timer.
--
-- On golua-ws the broadcast goes through golua.bus (subject chat.room), so
-- the clients of every worker (--workers N) and of every process on one
-- NATS server (--bus nats://...) share the room, and the peer list covers
-- them all (subject chat.presence, see room.lua); on silly, without
-- golua.bus, it is a local room. CHAT_PRESENCE=off turns off the peer list
-- and the join/leave notices; CHAT_PRESENCE_INTERVAL sets the seconds
-- between presence announcements (default 5).
-- usage: golua-ws scripts/silly/chat.lua [addr]   (default 127.0.0.1:8080)
local http = require "silly.net.http"
local websocket = require "silly.net.websocket"
local task = require "silly.task"
local time = require "silly.time"

local here = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"
local chat = dofile(here .. "../chat/room.lua")

local addr = arg and arg[1] or "127.0.0.1:8080"

local has_bus, bus = pcall(require, "golua.bus")
local has_worker, worker = pcall(require, "golua.worker")

local room = chat.new {
	send = function(sock, text) return sock:write(text, "text") end,
	publish = has_bus and bus.publish or nil,
	now = function() return time.now() / 1000 end,
	worker_id = has_worker and worker.id or 1,
	workers = has_worker and worker.count or 1,
	presence = os.getenv("CHAT_PRESENCE") ~= "off",
	interval = tonumber(os.getenv("CHAT_PRESENCE_INTERVAL")) or 5,
}
local page = chat.page()

-- subscribe runs on(msg) for every message of subject in a task of its
-- own; recv ends with "closed" at shutdown.
local function subscribe(subject, on)
	local sub = assert(bus.subscribe(subject))
	task.fork(function()
		while true do
			local msg = sub:recv()
			if not msg then
				break
			end
			on(msg)
		end
	end)
end

if has_bus then
	subscribe(chat.ROOM_SUBJECT, function(msg) room:deliver(msg) end)
	if room.presence then
		subscribe(chat.PRESENCE_SUBJECT, function(msg) room:on_presence(msg) end)
	end
end

if room.presence then
	room:start()
	task.fork(function()
		while true do
			time.sleep(1000)
			room:tick()
		end
	end)
end

assert(http.listen {
	addr = addr,
	handler = function(stream)
		if stream.path == "/ws" and stream.header["upgrade"] == "websocket" then
			local sock, err = websocket.upgrade(stream)
			if not sock then
				print("upgrade failed:", err)
				return
			end
			local name = room:name(stream.query and stream.query.name)
			if room:join(sock, name) then
				while true do
					local data, typ = sock:read()
					if not data or typ == "close" then
						break
					end
					if typ == "text" then
						room:say(name, data)
					elseif typ == "ping" then
						sock:write(data, "pong")
					end
				end
				room:leave(sock)
			end
			sock:close()
		elseif stream.path == "/" then
			stream:respond(200, {
				["content-type"] = "text/html; charset=utf-8",
				["content-length"] = #page,
			})
			stream:closewrite(page)
		else
			stream:respond(404, {["content-type"] = "text/plain"})
			stream:closewrite("Not Found")
		end
	end,
})
print("chat server listening on http://" .. addr .. "/")
