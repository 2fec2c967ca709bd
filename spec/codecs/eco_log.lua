-- eco.log, after lua-eco tests/log-test.lua. SPEC_TMPDIR is set by the runner.
local log = require 'eco.log'

local function read(path)
    local f = assert(io.open(path, 'r'))
    local data = f:read('*a')
    f:close()
    return data
end

local function contains(s, needle)
    return s:find(needle, 1, true) ~= nil
end

assert(log.EMERG == 0 and log.ERR == 3 and log.WARNING == 4 and log.INFO == 6 and log.DEBUG == 7)
assert(log.FLAG_LF == 1 and log.FLAG_FILE == 2 and log.FLAG_PATH == 4)

assert(not pcall(log.set_level, 'x'))
assert(not pcall(log.set_path, false))
assert(not pcall(log.set_ident, false))
assert(not pcall(log.set_flags, 'x'))
assert(not pcall(log.set_roll_size, -1))
assert(not pcall(log.log, 'x', 'bad-priority'))

local path1 = SPEC_TMPDIR .. '/eco-log-1.log'
log.set_ident('eco-log-test')
log.set_path(path1)
log.set_flags(log.FLAG_LF)
log.set_level(log.INFO)
log.debug('debug-filtered')
log.info('info-line', 123, true, nil, { x = 1 })
log.err('err-line')
local data = read(path1)
assert(not contains(data, 'debug-filtered'))
assert(contains(data, 'info  eco-log-test['))
assert(contains(data, 'info-line 123 true nil\n'))
assert(not contains(data, 'table:'))
assert(contains(data, 'err   eco-log-test['))
assert(data:match('^%d%d%d%d/%d%d/%d%d %d%d:%d%d:%d%d info  eco%-log%-test%[%d+%]: info%-line'), data)

log.set_level(log.DEBUG)
log.log(log.WARNING, 'warn-line')
assert(contains(read(path1), 'warn  eco-log-test['))

log.set_flags(log.FLAG_LF + log.FLAG_FILE)
log.info('with-file-flag')
assert(contains(read(path1), '(eco_log.lua: 46) with-file-flag'))

local path2 = SPEC_TMPDIR .. '/eco-log-2.log'
log.set_path(path2)
log.set_flags(0)
log.info('noln')
assert(read(path2):sub(-4) == 'noln')
log.set_path('')
