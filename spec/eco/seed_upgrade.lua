local websocket = require 'eco.websocket'
local http = require 'eco.http.server'
local eco = require 'eco'

local function handler(con, req)
  if req.path == '/ws' then
    local ws, err = websocket.upgrade(con, req, { max_payload_len = 65535 })
    if not ws then return nil, err end
    local data, typ = ws:recv_frame()
    if typ == 'ping' then ws:send_pong(data) end
  end
end

eco.run(function()
    assert(http.listen(nil, 8080, { reuseaddr = true }, handler))
end)

eco.loop()
