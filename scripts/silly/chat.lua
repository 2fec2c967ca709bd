-- Chat server in the silly dialect: GET / serves the page, /ws is the
-- WebSocket every page joins; each text message is broadcast to everyone.
-- usage: golua-ws scripts/silly/chat.lua [addr]   (default 127.0.0.1:8080)
local http = require "silly.net.http"
local websocket = require "silly.net.websocket"

local addr = arg and arg[1] or "127.0.0.1:8080"

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
  const d = document.createElement("div");
  d.className = "msg";
  d.textContent = ev.data;
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

-- The naive broadcast: write never waits for a peer, so a client that
-- stops reading delays nobody; it is dropped as a slow consumer (its write
-- returns false, "slow consumer").
local function broadcast(msg)
	for sock in pairs(clients) do
		if not sock:write(msg, "text") then
			clients[sock] = nil
		end
	end
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
