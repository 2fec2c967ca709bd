-- eco.log with stdout not a terminal and no file path set: lua-eco sends
-- records to syslog; with no syslog to reach (no /dev/log, as in any
-- container) golua-ws writes them to stderr instead of dropping them.
local log = require 'eco.log'

log.info('container record', 42)
log.err('an error record')
log.debug('below the default level: not written')
print('ops_log_stderr done')
