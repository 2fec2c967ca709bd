-- Spec: silly.trace ids per task, task.hook, and the live views of
-- task._dump and time._dump. Run without --fatal-errors (one forked task
-- fails on purpose); every check runs in the main chunk.
local trace = require "silly.trace"
local task = require "silly.task"
local time = require "silly.time"

local function eq(a, b, what)
	if a ~= b then
		error(string.format("%s: expected %s, got %s", what, tostring(b), tostring(a)), 2)
	end
end

local dump = task._dump()
local me = task.running()
eq(dump.task_traceid[me], nil, "no trace id at start")
eq(trace.spawn(), 0, "spawn returns the previous id")
local id = dump.task_traceid[me]
assert(id and id > 0, "spawn sets a new id")
assert(math.type(id) == "integer" or id == math.floor(id), "ids are integral")
assert(id < 2^53, "ids stay exact in Lua")
eq(trace.spawn(), id, "second spawn returns the first id")
assert(dump.task_traceid[me] ~= id, "each spawn makes a new id")

trace.setnode(0x2a)
local prev = dump.task_traceid[me]
eq(trace.attach(0x1230000), prev, "attach returns the previous id")
eq(dump.task_traceid[me], 0x1230000, "attached id visible")
eq(trace.propagate(), 0x1230000 | 0x2a, "propagate puts the node in the low 16 bits")
eq(trace.attach(0), 0x1230000, "attach(0) returns the id")
eq(dump.task_traceid[me], nil, "attach(0) clears")
eq(trace.propagate() & 0xffff, 0x2a, "propagate of no id is just the node")
assert(not pcall(trace.attach, 2^60), "ids a float cannot carry are refused")
assert(not pcall(trace.attach, "x"), "attach checks its argument")

-- a forked task starts without an id and has its own
local child, childlater
local co = task.fork(function()
	child = dump.task_traceid[task.running()]
	trace.attach(77)
	childlater = dump.task_traceid[task.running()]
end)
eq(dump.task_status[co], "READY", "status view")
time.sleep(0)
eq(child, nil, "forked task has no id")
eq(childlater, 77, "child id")
eq(dump.task_status[co], nil, "finished task leaves the views")
eq(dump.task_traceid[co], nil, "finished task's id is gone")
assert(#dump.copool >= 1 and dump.copool[#dump.copool] == co, "finished thread pooled")
assert(not pcall(function() dump.task_status[co] = "RUN" end), "views are read-only")

-- task.hook
local created, ended = {}, {}
local r, y = task.hook(function(t) created[#created + 1] = t end, function(t) ended[#ended + 1] = t end)
eq(type(r), "function", "hook returns a resume function")
eq(type(y), "function", "hook returns a yield function")
local a = task.fork(function() end)
local b = task.fork(function() error("hooked task fails") end)
eq(#created, 2, "create hook per fork")
eq(created[1], a, "create hook gets the thread")
time.sleep(0)
eq(#ended, 1, "term hook only for the task that returned")
eq(ended[1], a, "term hook gets the thread")
task.hook()
task.fork(function() end)
time.sleep(0)
eq(#created, 2, "hooks removed")
assert(not pcall(task.hook, 1), "hook checks its arguments")

-- time._dump
local tdump = time._dump()
local ud = {}
local s1 = time.after(50, function() end, ud)
local s2 = time.after(50, function() end)
assert(tdump.sleep_session_task[s1], "pending callback visible")
eq(tdump.timer_user_data[s1], ud, "pending ud visible")
eq(tdump.timer_user_data[s2], nil, "no ud, no entry")
time.cancel(s2)
eq(tdump.sleep_session_task[s2], nil, "cancelled timer leaves the view")
time.sleep(100)
eq(tdump.sleep_session_task[s1], nil, "fired timer leaves the view")
eq(tdump.timer_user_data[s1], nil, "fired timer's ud leaves the view")
print("trace ok")
