---@meta silly.trace

---Trace ids carried by tasks (printed in every log line) and across nodes.
---@class silly.trace
local M = {}

---Set this node's id, mixed into new trace ids.
---@param nodeid integer
function M.setnode(nodeid) end

---Give the running task a new trace id; returns the id it had.
---@return integer previous
function M.spawn() end

---Set the running task's trace id (e.g. one received from a peer); returns the id it had.
---@param id integer
---@return integer previous
function M.attach(id) end

---The trace id to send along with a request to another node.
---@return integer
function M.propagate() end

return M
