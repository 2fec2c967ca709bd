-- Spec: silly.exit (silly-api.md §1.4, test/testexit.lua): the first
-- task's exit(0) wins; the second task, already forked, never runs; code
-- after exit never runs.
local silly = require "silly"
local task = require "silly.task"
task.fork(function()
    print('first')
    silly.exit(0)
    print('after exit')
end)
task.fork(function()
    print('second')
    silly.exit(1)
end)
print('main done')
