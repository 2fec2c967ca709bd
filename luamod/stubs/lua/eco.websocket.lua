---@meta eco.websocket
--- WebSocket (RFC 6455) client and server upgrade.

---@class eco.websocket.opts
---@field max_payload_len? integer largest frame payload accepted
---@field protocols? string|string[] subprotocols offered / accepted
---@field timeout? number handshake timeout, seconds
---@field headers? table<string,string> extra handshake headers (connect)
---@field insecure? boolean do not verify the server's certificate (wss)

---@class eco.websocket.connection
local conn = {}

--- Receive one frame: data, type ("text", "binary", "close", "ping", "pong", "continuation") and, for close, the code; "again" as err for a fragment.
---@param timeout? number seconds
---@return string|nil data
---@return string|nil typ_or_err
---@return any err
function conn:recv_frame(timeout) end

--- Send a frame with the given opcode.
---@param fin boolean
---@param opcode integer
---@param payload? string
---@return integer|nil bytes
---@return string? err
function conn:send_frame(fin, opcode, payload) end

--- Send a text message.
---@param data? string
---@return integer|nil bytes
---@return string? err
function conn:send_text(data) end

--- Send a binary message.
---@param data? string
---@return integer|nil bytes
---@return string? err
function conn:send_binary(data) end

--- Send a close frame with code and reason.
---@param code? integer
---@param msg? string
---@return integer|nil bytes
---@return string? err
function conn:send_close(code, msg) end

--- Send a ping.
---@param data? string
---@return integer|nil bytes
---@return string? err
function conn:send_ping(data) end

--- Send a pong.
---@param data? string
---@return integer|nil bytes
---@return string? err
function conn:send_pong(data) end

local M = {}

--- Upgrade an eco.http.server request to a WebSocket connection.
---@param con table the eco.http.server connection
---@param req table the request
---@param opts? eco.websocket.opts
---@return eco.websocket.connection|nil ws
---@return string? err
function M.upgrade(con, req, opts) end

--- Connect to a ws:// or wss:// URI.
---@param uri string
---@param opts? eco.websocket.opts
---@return eco.websocket.connection|nil ws
---@return string? err
function M.connect(uri, opts) end

return M
