#!/usr/bin/env golua-ws
-- An eco-style chat server (lua-eco API, runs unchanged on lua-eco).
--
--   golua-ws scripts/eco/chat.lua [port]        (or PORT=... ; default 8080)
--
-- GET / serves the chat page (scripts/chat/page.html, the same page as the
-- silly script's); a page joins on /ws?name=NAME and every text message it
-- sends is relayed, as 'NAME: TEXT', to every client (the sender
-- included). The room itself (names, relay, presence) is
-- scripts/chat/room.lua, shared with the silly script; this file only
-- wires it to eco's HTTP server, WebSocket, tasks and timer.
--
-- On golua-ws the relay goes through golua.bus (subject chat.room), so
-- clients of every worker (--workers N) and of every process on the same
-- NATS server (--bus nats://...) are in one room, and the peer list covers
-- them all (subject chat.presence, see room.lua); on lua-eco, without
-- golua.bus, it is a local room. CHAT_PRESENCE=off turns off the peer list
-- and the join/leave notices; CHAT_PRESENCE_INTERVAL sets the seconds
-- between presence announcements (default 5).

local eco = require 'eco'
local time = require 'eco.time'
local http = require 'eco.http.server'
local websocket = require 'eco.websocket'

local here = debug.getinfo(1, 'S').source:match('^@(.*[/\\])') or './'
local chat = dofile(here .. '../chat/room.lua')

local port = tonumber(arg and arg[1]) or tonumber(os.getenv('PORT')) or 8080

local has_bus, bus = pcall(require, 'golua.bus')
local has_worker, worker = pcall(require, 'golua.worker')

local room = chat.new {
    send = function(ws, text) return ws:send_text(text) end,
    publish = has_bus and bus.publish or nil,
    now = time.now,
    worker_id = has_worker and worker.id or 1,
    workers = has_worker and worker.count or 1,
    presence = os.getenv('CHAT_PRESENCE') ~= 'off',
    interval = tonumber(os.getenv('CHAT_PRESENCE_INTERVAL')) or 5,
}
local page = chat.page()

local function handler(con, req)
    if req.path == '/ws' then
        local ws, err = websocket.upgrade(con, req)
        if not ws then
            con:send_error(400, nil, err)
            return
        end
        local name = room:name(req.query and req.query.name)
        if not room:join(ws, name) then return end
        while true do
            local data, typ, code = ws:recv_frame()
            if not data then break end
            if typ == 'text' then
                room:say(name, data)
            elseif typ == 'ping' then
                ws:send_pong(data)
            elseif typ == 'close' then
                ws:send_close(code or 1000)
                break
            end
        end
        room:leave(ws)
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

-- subscribe runs on(msg) for every message of subject in a task of its
-- own; recv ends with 'closed' at shutdown.
local function subscribe(subject, on)
    local sub = assert(bus.subscribe(subject))
    eco.run(function()
        while true do
            local msg = sub:recv()
            if not msg then break end
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
    eco.run(function()
        while true do
            time.sleep(1)
            room:tick()
        end
    end)
end

eco.run(function()
    print(string.format('eco chat server on http://0.0.0.0:%d/', port))
    local _, err = http.listen(nil, port, { reuseaddr = true }, handler)
    print('listen failed: ' .. tostring(err))
    os.exit(1)
end)
