---@meta golua.bus
--- A message bus between workers (and processes, on NATS): publish, subscribe, request. The same in both dialects.

---@class golua.bus.sub
local Sub = {}

--- The subject this subscription listens on.
---@return string
function Sub:subject() end

--- Wait for the next message; nil, err on timeout or when closed.
---@param timeout? number seconds
---@return string|nil data
---@return string|nil reply_subject_or_err
function Sub:recv(timeout) end

--- Number of messages dropped because the subscriber was too slow.
---@return integer
function Sub:dropped() end

--- Stop the subscription.
function Sub:close() end

local M = {}

--- Publish data on subject (to every subscriber).
---@param subject string
---@param data string
---@param reply? string subject for replies
---@return boolean|nil ok
---@return string? err
function M.publish(subject, data, reply) end

--- Subscribe to subject; with handler, each message runs handler(data, reply) in a new task.
---@param subject string
---@param handler? fun(data: string, reply?: string)
---@return golua.bus.sub|nil sub
---@return string? err
function M.subscribe(subject, handler) end

--- Send data to subject and wait for one reply.
---@param subject string
---@param data string
---@param timeout? number seconds
---@return string|nil reply
---@return string? err
function M.request(subject, data, timeout) end

return M
