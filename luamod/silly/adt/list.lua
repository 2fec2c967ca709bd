-- silly.adt.list for golua-ws: a doubly linked list of distinct non-nil
-- values, linked through side tables keyed by the values themselves, so
-- that push, pop and remove of any value take constant time. The fields
-- (count, head, tail, prev, next, present) are public, as in silly.
local setmetatable, error, pairs = setmetatable, error, pairs

local List = {}
List.__index = List

function List.new()
	return setmetatable({ count = 0, head = nil, tail = nil, prev = {}, next = {}, present = {} }, List)
end

local function check_new(self, v)
	if v == nil then
		error("value cannot be nil", 3)
	end
	if self.present[v] then
		error("value duplicated", 3)
	end
end

local function wipe(t)
	for k in pairs(t) do
		t[k] = nil
	end
end

---Append v at the tail.
function List:pushback(v)
	check_new(self, v)
	local last = self.tail
	if last == nil then
		self.head = v
	else
		self.next[last], self.prev[v] = v, last
	end
	self.tail = v
	self.present[v] = true
	self.count = self.count + 1
end

---Insert v at the head.
function List:pushfront(v)
	check_new(self, v)
	local first = self.head
	if first == nil then
		self.tail = v
	else
		self.prev[first], self.next[v] = v, first
	end
	self.head = v
	self.present[v] = true
	self.count = self.count + 1
end

---Unlink v; returns nil, "Removed" when v is not in the list.
function List:remove(v)
	if not self.present[v] then
		return nil, "Removed"
	end
	local prev, next = self.prev, self.next
	local before, after = prev[v], next[v]
	prev[v], next[v] = nil, nil
	if before == nil then
		self.head = after
	else
		next[before] = after
	end
	if after == nil then
		self.tail = before
	else
		prev[after] = before
	end
	self.present[v] = nil
	self.count = self.count - 1
end

function List:popfront()
	local v = self.head
	if v ~= nil then
		self:remove(v)
	end
	return v
end

function List:popback()
	local v = self.tail
	if v ~= nil then
		self:remove(v)
	end
	return v
end

function List:clear()
	self.head, self.tail, self.count = nil, nil, 0
	wipe(self.next)
	wipe(self.prev)
	wipe(self.present)
end

function List:size()
	return self.count
end

function List:front()
	return self.head
end

function List:back()
	return self.tail
end

local function step(list, v)
	if v == nil then
		return list.head
	end
	return list.next[v]
end

---Iterate the values from head to tail: for v in list:values() do ... end
function List:values()
	return step, self, nil
end

return List
