-- A queue and a stack on tables.
local q = {first = 1, last = 0}
local function push(v) q.last = q.last + 1; q[q.last] = v end
local function pop() local v = q[q.first]; q[q.first] = nil; q.first = q.first + 1; return v end
push("a"); push("b"); push("c")
print("queue", pop(), pop(), q.last - q.first + 1)
local st = {}
for i = 1, 4 do st[#st + 1] = i * i end
print("stack", table.remove(st), table.remove(st), #st)
