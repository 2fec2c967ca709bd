-- The chat room both chat scripts share (scripts/eco/chat.lua and
-- scripts/silly/chat.lua): names, relaying, presence and the page. It is
-- plain Lua 5.4 with no module of either dialect; a script hands it the
-- few things that differ (how to write a text frame, the bus, the clock)
-- and runs its timer and subscriptions with its own task API.
--
-- Frames a client receives (text):
--   * you are NAME on worker ID     first, to the joining client only
--   * peers: NAME, NAME, ...        the whole room, sorted; sent to a client
--                                   on joining and to everyone when it changes
--   * NAME joined / * NAME left     notices
--   NAME: TEXT                      a message
-- The peer list and the notices are off with presence = false
-- (CHAT_PRESENCE=off): they make every join N frames for N clients.
--
-- Presence over the bus (subject chat.presence). Each node (one worker of
-- one process, named by a random id) announces its WHOLE local roster:
--   here NODE TTL NAME ...    on every join and leave, every `interval`
--                             seconds, and when asked; TTL = 3 * interval
--   who NODE                  a node that starts asks everyone to announce
-- Every node keeps the last roster of every other node, stamped with its
-- own clock at arrival, and forgets a node not heard from for the TTL that
-- node gave (so nodes with different intervals agree); it checks every
-- second. Why state, not join/leave events: an announcement is
-- idempotent and complete, so a lost, repeated or late message is healed
-- by the next one, and a node that dies without a word (kill -9, a lost
-- machine) drops out by expiry instead of staying listed forever. The
-- arrival stamp needs no synchronised clocks between machines. The cost
-- is one message per node per interval, of the size of its roster.

local M = {}

local PRESENCE_SUBJECT = "chat.presence"
M.PRESENCE_SUBJECT = PRESENCE_SUBJECT
M.ROOM_SUBJECT = "chat.room"

-- dir is the directory of this file, where page.html lives too.
local dir = (debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./")

-- page returns the chat page (page.html next to this file), the one copy
-- both dialects serve.
function M.page()
	local f = assert(io.open(dir .. "page.html", "rb"))
	local html = f:read("a")
	f:close()
	return html
end

-- node_id returns an id no other process on the bus will pick: the
-- kernel's random UUID where there is one, else time and a random number.
local function node_id(worker_id)
	local f = io.open("/proc/sys/kernel/random/uuid", "r")
	local id = f and f:read("l")
	if f then f:close() end
	if not id or id == "" then
		math.randomseed(os.time() + worker_id)
		id = string.format("%x-%x", os.time(), math.random(0, 0x7fffffff))
	end
	return id .. "/w" .. worker_id
end

local Room = {}
Room.__index = Room

-- new makes a room. opts:
--   send(conn, text) -> ok   writes a text frame (false: drop the client)
--   publish(subject, msg) -> ok, err   the bus; nil without golua.bus
--   now() -> seconds         a clock (for presence expiry)
--   worker_id, workers       golua.worker's id and count (1, 1 without it)
--   presence                 peer list and notices on (default true)
--   interval                 seconds between announcements (default 5)
--   log(msg)                 where to report a failing bus (default stderr)
function M.new(opts)
	local r = setmetatable({}, Room)
	r.send = assert(opts.send, "send")
	r.publish = opts.publish
	r.now = opts.now or os.time
	r.worker_id = opts.worker_id or 1
	r.workers = opts.workers or 1
	r.presence = opts.presence ~= false
	r.interval = opts.interval or 5
	r.log = opts.log or function(msg) io.stderr:write(msg, "\n") end
	r.node = node_id(r.worker_id)
	r.clients = {} -- conn -> name, this node's
	r.nodes = {}   -- other node -> { names = {...}, seen = now() }
	r.next_id = 0
	r.last_peers = nil
	return r
end

-- name returns the name for a new client: the one it asked for
-- (?name=...), cut to letters, digits and _.-@ and 24 bytes, or userN
-- (with @wID when there are several workers).
function Room:name(asked)
	self.next_id = self.next_id + 1
	local name = type(asked) == "string" and asked:gsub("[^%w_.@-]", ""):sub(1, 24) or ""
	if name == "" then
		name = "user" .. self.next_id
		if self.workers > 1 then name = name .. "@w" .. self.worker_id end
	end
	return name
end

-- deliver sends msg to this node's clients. A write never waits for a
-- peer, so a client that stops reading delays nobody: it is dropped as a
-- slow consumer.
function Room:deliver(msg)
	local dropped = false
	for conn in pairs(self.clients) do
		if not self.send(conn, msg) then
			self.clients[conn] = nil
			dropped = true
		end
	end
	if dropped then self:changed() end
end

-- broadcast sends msg to the whole room: through the bus, whose
-- subscription (one per node) delivers it here and everywhere else, or
-- straight to the local clients when there is no bus or it refuses the
-- message (a NATS outage beyond its buffer).
function Room:broadcast(msg)
	if self.publish then
		local ok, err = self.publish(M.ROOM_SUBJECT, msg)
		if ok then return end
		self.log("chat: bus publish failed (" .. tostring(err) .. "): delivering locally")
	end
	self:deliver(msg)
end

function Room:say(name, text)
	self:broadcast(name .. ": " .. text)
end

-- join adds conn as name: the welcome, then the peer list to it and the
-- notice and changed list to everyone.
function Room:join(conn, name)
	if not self.send(conn, "* you are " .. name .. " on worker " .. self.worker_id) then
		return false
	end
	self.clients[conn] = name
	if self.presence then
		self:announce("here")
		local peers = self:peers()
		if peers == self.last_peers then
			self.send(conn, "* peers: " .. peers)
		else
			self.last_peers = peers
			self:deliver("* peers: " .. peers)
		end
		self:broadcast("* " .. name .. " joined")
	end
	return true
end

function Room:leave(conn)
	local name = self.clients[conn]
	if not name then return end
	self.clients[conn] = nil
	if self.presence then
		self:broadcast("* " .. name .. " left")
		self:changed()
	end
end

-- announce tells every node (this one included, without a bus) this
-- node's roster; a failing bus is healed by the next tick.
function Room:announce(kind)
	local msg
	if kind == "here" then
		local names = {}
		for _, name in pairs(self.clients) do names[#names + 1] = name end
		table.sort(names)
		msg = "here " .. self.node .. " " .. 3 * self.interval
		if #names > 0 then msg = msg .. " " .. table.concat(names, " ") end
	else
		msg = kind .. " " .. self.node
	end
	if self.publish then self.publish(PRESENCE_SUBJECT, msg) end
end

-- peers is the room's sorted name list: this node's clients and the
-- rosters of the nodes heard from within 3 intervals.
function Room:peers()
	local names = {}
	for _, name in pairs(self.clients) do names[#names + 1] = name end
	local now = self.now()
	for node, st in pairs(self.nodes) do
		if st.expires < now then
			self.nodes[node] = nil
		else
			for _, name in ipairs(st.names) do names[#names + 1] = name end
		end
	end
	table.sort(names)
	return table.concat(names, ", ")
end

-- refresh sends the peer list to this node's clients when it changed.
function Room:refresh()
	if not self.presence then return end
	local peers = self:peers()
	if peers ~= self.last_peers then
		self.last_peers = peers
		self:deliver("* peers: " .. peers)
	end
end

-- changed is called when this node's roster changed.
function Room:changed()
	self:announce("here")
	self:refresh()
end

-- on_presence handles a message of chat.presence.
function Room:on_presence(msg)
	local kind, node, rest = msg:match("^(%a+) (%S+) ?(.*)$")
	if not kind or node == self.node then return end
	if kind == "who" then
		self:announce("here")
	elseif kind == "here" then
		local ttl, list = rest:match("^(%d+%.?%d*) ?(.*)$")
		if not ttl then return end
		local names = {}
		for name in list:gmatch("%S+") do names[#names + 1] = name end
		self.nodes[node] = { names = names, expires = self.now() + tonumber(ttl) }
		self:refresh()
	end
end

-- start asks the other nodes for their rosters; tick is called every
-- second: it announces this node every interval and drops the nodes whose
-- TTL has passed.
function Room:start()
	if self.presence then
		self.announced = self.now()
		self:announce("who")
	end
end

function Room:tick()
	if not self.presence then return end
	if self.now() - (self.announced or 0) >= self.interval then
		self.announced = self.now()
		self:announce("here")
	end
	self:refresh()
end

return M
