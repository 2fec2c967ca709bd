---@meta silly.adt.list

---A doubly linked list of distinct non-nil values; the
---module table is also the lists' metatable index, so methods work with `:`.
---@class silly.adt.list
local M = {}

---A new, empty list.
---@return silly.adt.list
function M.new() end

---Append `v` at the back; raises an error if `v` is nil or already in the list.
---@param self silly.adt.list
---@param v any
function M.pushback(self, v) end

---Insert `v` at the front; raises an error if `v` is nil or already in the list.
---@param self silly.adt.list
---@param v any
function M.pushfront(self, v) end

---Remove and return the front value, or nil.
---@param self silly.adt.list
---@return any
function M.popfront(self) end

---Remove and return the back value, or nil.
---@param self silly.adt.list
---@return any
function M.popback(self) end

---Remove `v`; returns nil, "Removed" when it is not in the list.
---@param self silly.adt.list
---@param v any
---@return nil, string? err
function M.remove(self, v) end

---Drop every value.
---@param self silly.adt.list
function M.clear(self) end

---Number of values.
---@param self silly.adt.list
---@return integer
function M.size(self) end

---The front value, or nil.
---@param self silly.adt.list
---@return any
function M.front(self) end

---The back value, or nil.
---@param self silly.adt.list
---@return any
function M.back(self) end

---Iterator over the values from front to back: `for v in l:values() do`.
---@param self silly.adt.list
---@return fun(l:silly.adt.list,v:any):any iterator
---@return silly.adt.list state
---@return nil
function M.values(self) end

return M
