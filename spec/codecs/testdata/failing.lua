-- Used by TestRunnerNamesFailedLine: the assertion on line 4 fails.
local base64 = require 'eco.encoding.base64'
assert(base64.encode('f') == 'Zg==')
assert(base64.encode('fo') == 'wrong', 'deliberate failure')
assert(false, 'never reached')
