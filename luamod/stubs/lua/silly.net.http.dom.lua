---@meta silly.net.http.dom

---A small, lenient HTML/XML parser with selection by tag, ".class" and "#id".
---@class silly.net.http.dom
local M = {}

---@class silly.net.http.dom.node
---@field name string
---@field attr table<string,string>
---@field class table<string,boolean>
---@field child (silly.net.http.dom.node|string)[]
local node = {}

---Append the subtree's text pieces to the array `buffer`.
---@param buffer string[]
function node:value(buffer) end

---The subtree's text, concatenated.
---@return string
function node:text() end

---Whether the node matches every field given.
---@param cond {name:string?,id:string?,class:string?}
---@return boolean
function node:match(cond) end

---Nodes of the subtree (this one included) matching "tag.class#id", breadth first.
---@param selector string
---@return silly.net.http.dom.node[]
function node:select(selector) end

---select applied `level` times, each from the first match of the previous one.
---@param selector string
---@param level integer
---@return silly.net.http.dom.node[]
function node:selectn(selector, level) end

---Parse markup; the first element as a node tree.
---@param str string
---@return silly.net.http.dom.node? root, string? err
function M.parse(str) end

return M
