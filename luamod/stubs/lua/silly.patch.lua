---@meta silly.patch

---Hot-patching: carry upvalues (state) from old functions over to new ones.
---@class silly.patch
local M = {}

---@class silly.patch.upval
---@field idx integer
---@field val any
---@field upvals table<string,silly.patch.upval>?

---@class silly.patch.patcher
local patcher = {}

---A new patcher.
---@return silly.patch.patcher
function M.new() end

---Collect the upvalues of a function, or of every function in a table, by name (recursively through nested functions).
---@param p silly.patch.patcher
---@param f_or_t function|table<string,function>
---@return table<string,silly.patch.upval>
function M.collectupval(p, f_or_t) end

---Join the new function's upvalues to the old one's of the same name.
---Called as join(newf, newup, oldf, oldup), or join(newup_table, oldup_table).
---@param p silly.patch.patcher
---@param f1 function|table
---@param up1 table
---@param f2 function?
---@param up2 table?
---@return string[] absent paths of upvalues the old function did not have
function M.join(p, f1, up1, f2, up2) end

return M
