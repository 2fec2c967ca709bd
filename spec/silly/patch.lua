-- Spec: silly.patch joins a new version of a module's functions to the old
-- version's upvalues and reports what the old version lacked. Run with
-- --fatal-errors.
local patch = require "silly.patch"

local function eq(a, b, what)
	if a ~= b then
		error(string.format("%s: expected %s, got %s", what, tostring(b), tostring(a)), 2)
	end
end

local old = load([[
	local count = 10
	local label = "old"
	local M = {}
	local function bump(n) count = count + n end
	function M.add(n) bump(n); return count end
	function M.label() return label end
	return M
]])()
eq(old.add(1), 11, "old module works")

local newenv = setmetatable({}, { __index = _G })
local new = load([[
	local count = 0
	local label = "new"
	local extra = 5
	local M = {}
	local function bump(n) count = count + n * 2 end
	function M.add(n) bump(n); return count + extra end
	function M.label() return label end
	function M.global() marker = (marker or 0) + 1; return marker end
	return M
]], "new", "t", newenv)()

local P = patch.new()
local upold = P:collectupval(old)
local upnew = P:collectupval(new)
assert(upold.add.upvals.bump.upvals.count, "function upvalues are followed")
eq(upold.add.upvals.bump.upvals.count.val, 11, "upvalue values recorded")
local absent = P:join(upnew, upold)
table.sort(absent)
eq(#absent, 1, "one upvalue missing in the old version: " .. table.concat(absent, ","))
eq(absent[1], "$.add.extra", "the path names the module function and upvalue")

-- the new functions now use the old state
eq(new.add(1), 18, "new code on the old count (11 + 2) plus its own extra")
eq(old.add(0), 13, "old and new share the count cell")
eq(new.label(), "old", "string upvalue joined")

-- a function using globals gains the global environment when the old one
-- had none (Lua 5.4's _ENV upvalue)
local oldg = load([[ local M = {} function M.global() return 0 end return M ]])()
local P2 = patch.new()
local missing = P2:join(P2:collectupval(new), P2:collectupval(oldg))
local found = false
for _, p in ipairs(missing) do
	if p == "$.global._ENV" then found = true end
end
assert(found, "_ENV reported absent: " .. table.concat(missing, ","))
marker = nil
eq(new.global(), 1, "global written")
eq(marker, 1, "the patched function writes the real globals")

-- join of two single functions
local function mk(v) local x = v; return function() x = x + 1; return x end end
local f1, f2 = mk(100), mk(0)
local P3 = patch.new()
eq(#P3:join(f2, P3:collectupval(f2), f1, P3:collectupval(f1)), 0, "nothing absent")
eq(f2(), 101, "f2 uses f1's x")
local ok = pcall(P3.join, P3, 1, {}, 2, {})
assert(not ok, "join of non-functions raises")
print("patch ok")
