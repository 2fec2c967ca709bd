-- Chat server in the silly dialect: GET / serves the page, /ws is the
-- WebSocket every page joins; each text message is broadcast to everyone
-- as "NAME: TEXT". On golua-ws the broadcast goes through golua.bus
-- (subject chat.room), so the clients of every worker (--workers N) and of
-- every process on one NATS server (--bus nats://...) share the room; on
-- silly, without golua.bus, it is a local broadcast.
--
-- A joining client first gets "* you are NAME on worker ID"; everyone gets
-- "* NAME joined" and "* NAME left" unless CHAT_PRESENCE=off.
-- usage: golua-ws scripts/silly/chat.lua [addr]   (default 127.0.0.1:8080)
local http = require "silly.net.http"
local websocket = require "silly.net.websocket"
local task = require "silly.task"

local addr = arg and arg[1] or "127.0.0.1:8080"
local presence = os.getenv("CHAT_PRESENCE") ~= "off"
local SUBJECT = "chat.room"

local has_bus, bus = pcall(require, "golua.bus")
local has_worker, worker = pcall(require, "golua.worker")
local worker_id = has_worker and worker.id or 1
local workers = has_worker and worker.count or 1

local page = [[
<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>golua-ws chat (silly)</title>
<style>
body { font-family: sans-serif; margin: 2em; }
#log { border: 1px solid #888; height: 20em; overflow-y: auto; padding: .5em; }
#log div { margin: .2em 0; }
#status { color: #666; }
</style>
</head>
<body>
<h1>golua-ws chat</h1>
<p id="status">connecting...</p>
<div id="log"></div>
<form id="form">
<input id="text" autocomplete="off" placeholder="message" size="40">
<button id="send" type="submit">Send</button>
</form>
<script>
const log = document.getElementById("log");
const status = document.getElementById("status");
const ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws");
ws.onopen = () => { status.textContent = "connected"; document.body.dataset.ready = "1"; };
ws.onclose = () => { status.textContent = "disconnected"; };
ws.onmessage = (ev) => {
  // "NAME: TEXT" shows the name apart from the text; "* ..." lines are
  // notices.
  const d = document.createElement("div");
  const i = ev.data.indexOf(": ");
  if (ev.data.startsWith("* ") || i < 0) {
    d.className = "sys";
    d.textContent = ev.data;
  } else {
    const from = document.createElement("b");
    from.className = "from";
    from.textContent = ev.data.slice(0, i) + ": ";
    const text = document.createElement("span");
    text.className = "msg";
    text.textContent = ev.data.slice(i + 2);
    d.append(from, text);
  }
  log.appendChild(d);
  log.scrollTop = log.scrollHeight;
};
document.getElementById("form").onsubmit = (ev) => {
  ev.preventDefault();
  const t = document.getElementById("text");
  if (t.value !== "") { ws.send(t.value); t.value = ""; }
};
</script>
</body>
</html>
]]

local clients = {}
local next_id = 0

-- deliver sends msg to this worker's clients. write never waits for a
-- peer, so a client that stops reading delays nobody; it is dropped as a
-- slow consumer (its write returns false, "slow consumer").
local function deliver(msg)
	for sock in pairs(clients) do
		if not sock:write(msg, "text") then
			clients[sock] = nil
		end
	end
end

-- broadcast sends msg to the whole room: through the bus, whose
-- subscriber below (one per worker) delivers it here and everywhere else,
-- or straight to the local clients when there is no bus or it refuses the
-- message (a NATS outage beyond its buffer).
local function broadcast(msg)
	if has_bus then
		local ok, err = bus.publish(SUBJECT, msg)
		if ok then
			return
		end
		io.stderr:write("chat: bus publish failed (", err, "): delivering locally\n")
	end
	deliver(msg)
end

if has_bus then
	-- The relay: everything said in the room, by anyone anywhere, goes to
	-- this worker's clients. recv ends with "closed" at shutdown.
	local sub = assert(bus.subscribe(SUBJECT))
	task.fork(function()
		while true do
			local msg = sub:recv()
			if not msg then
				break
			end
			deliver(msg)
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
			next_id = next_id + 1
			local name = "user" .. next_id
			if workers > 1 then
				name = name .. "@w" .. worker_id
			end
			sock:write("* you are " .. name .. " on worker " .. worker_id, "text")
			clients[sock] = name
			if presence then
				broadcast("* " .. name .. " joined")
			end
			while true do
				local data, typ = sock:read()
				if not data or typ == "close" then
					break
				end
				if typ == "text" then
					broadcast(name .. ": " .. data)
				elseif typ == "ping" then
					sock:write(data, "pong")
				end
			end
			clients[sock] = nil
			if presence then
				broadcast("* " .. name .. " left")
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
