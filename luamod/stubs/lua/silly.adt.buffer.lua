---@meta silly.adt.buffer

---A byte queue: strings appended at the back, read by count or up to a delimiter.
---@class silly.adt.buffer
local M = {}

---@class silly.adt.buffer.buf

---A new, empty buffer.
---@return silly.adt.buffer.buf
function M.new() end

---Append each string (empty ones are skipped); returns the bytes now buffered.
---@param b silly.adt.buffer.buf
---@param ... string
---@return integer size
function M.append(b, ...) end

---Take `n` bytes, or everything up to and including the one-byte delimiter `n`;
---nil when not all of it is buffered yet. Also returns the bytes left.
---@param b silly.adt.buffer.buf
---@param n integer|string
---@return string? data, integer size
function M.read(b, n) end

---Take everything buffered.
---@param b silly.adt.buffer.buf
---@return string
function M.readall(b) end

---Drop everything buffered.
---@param b silly.adt.buffer.buf
function M.clear(b) end

---Bytes buffered.
---@param b silly.adt.buffer.buf
---@return integer
function M.size(b) end

---The buffer's internal state (node array and indexes), for tests.
---@param b silly.adt.buffer.buf
---@return table
function M.dump(b) end

return M
