-- Used by TestRunnerNamesFailedLine: a failure inside a function named by
-- its assert line (5), not the error's origin inside Go.
local hmac = require 'eco.hash.hmac'
local function check()
    hmac.new({}, 'k')
end
check()
