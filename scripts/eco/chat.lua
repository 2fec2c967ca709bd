#!/usr/bin/env golua-ws
-- An eco-style chat server (lua-eco API, runs unchanged on lua-eco).
--
--   golua-ws scripts/eco/chat.lua [port]        (or PORT=... ; default 8080)
--
-- GET / serves a chat page; every text message a client sends on /ws is
-- relayed, as 'NAME: TEXT', to every connected client (the sender
-- included). On golua-ws the relay goes through golua.bus (subject
-- chat.room), so clients of every worker (--workers N) and of every
-- process on the same NATS server (--bus nats://...) are in one room; on
-- lua-eco, without golua.bus, it is a local broadcast.
--
-- A joining client first gets '* you are NAME on worker ID'; everyone
-- gets '* NAME joined' and '* NAME left' unless CHAT_PRESENCE=off.

local eco = require 'eco'
local http = require 'eco.http.server'
local websocket = require 'eco.websocket'

local port = tonumber(arg and arg[1]) or tonumber(os.getenv('PORT')) or 8080
local presence = os.getenv('CHAT_PRESENCE') ~= 'off'
local SUBJECT = 'chat.room'

local has_bus, bus = pcall(require, 'golua.bus')
local has_worker, worker = pcall(require, 'golua.worker')
local worker_id = has_worker and worker.id or 1
local workers = has_worker and worker.count or 1

local clients = {}
local next_id = 0

local page = [[<!doctype html>
<html><head><meta charset="utf-8"><title>golua-ws chat</title>
<style>body{font-family:sans-serif;max-width:40em;margin:2em auto}#log{border:1px solid #ccc;height:20em;overflow:auto;padding:.5em}</style>
</head><body>
<h1>golua-ws chat</h1>
<div id="log"></div>
<form id="f"><input id="msg" autocomplete="off" size="50"> <button>send</button></form>
<script>
const log = document.getElementById('log');
const add = (s) => { const d = document.createElement('div'); d.textContent = s; log.appendChild(d); log.scrollTop = log.scrollHeight; };
const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
ws.onopen = () => add('* connected');
ws.onmessage = (e) => add(e.data);
ws.onclose = () => add('* disconnected');
document.getElementById('f').onsubmit = (e) => {
  e.preventDefault();
  const m = document.getElementById('msg');
  if (m.value) { ws.send(m.value); m.value = ''; }
};
</script>
</body></html>
]]

-- deliver sends msg to this worker's clients. send_text never waits for a
-- peer, so a client that stops reading delays nobody; it is dropped as a
-- slow consumer (its send_text returns nil, 'failed to send frame: slow
-- consumer').
local function deliver(msg)
    for ws in pairs(clients) do
        if not ws:send_text(msg) then
            clients[ws] = nil
        end
    end
end

-- broadcast sends msg to the whole room: through the bus, whose
-- subscriber below (one per worker) delivers it here and everywhere else,
-- or straight to the local clients when there is no bus or it refuses
-- the message (a NATS outage beyond its buffer).
local function broadcast(msg)
    if has_bus then
        local ok, err = bus.publish(SUBJECT, msg)
        if ok then return end
        io.stderr:write('chat: bus publish failed (', err, '): delivering locally\n')
    end
    deliver(msg)
end

local function handler(con, req)
    if req.path == '/ws' then
        local ws, err = websocket.upgrade(con, req)
        if not ws then
            con:send_error(400, nil, err)
            return
        end
        next_id = next_id + 1
        local name = 'user' .. next_id
        if workers > 1 then name = name .. '@w' .. worker_id end
        ws:send_text('* you are ' .. name .. ' on worker ' .. worker_id)
        clients[ws] = name
        if presence then broadcast('* ' .. name .. ' joined') end
        while true do
            local data, typ, code = ws:recv_frame()
            if not data then break end
            if typ == 'text' then
                broadcast(name .. ': ' .. data)
            elseif typ == 'ping' then
                ws:send_pong(data)
            elseif typ == 'close' then
                ws:send_close(code or 1000)
                break
            end
        end
        clients[ws] = nil
        if presence then broadcast('* ' .. name .. ' left') end
        return
    end
    if req.path ~= '/' then
        con:send_error(404, nil, 'not found')
        return
    end
    con:add_header('content-type', 'text/html; charset=utf-8')
    con:add_header('content-length', #page)
    con:send(page)
end

if has_bus then
    -- The relay: everything said in the room, by anyone anywhere, goes to
    -- this worker's clients. recv ends with 'closed' at shutdown.
    local sub = assert(bus.subscribe(SUBJECT))
    eco.run(function()
        while true do
            local msg = sub:recv()
            if not msg then break end
            deliver(msg)
        end
    end)
end

eco.run(function()
    print(string.format('eco chat server on http://0.0.0.0:%d/', port))
    local _, err = http.listen(nil, port, { reuseaddr = true }, handler)
    print('listen failed: ' .. tostring(err))
    os.exit(1)
end)
