-- Spec: silly.logger (silly-api.md §1.10). The Go test checks the exact
-- lines on stdout. Run with --fatal-errors.
local logger = require "silly.logger"

local function errmsg(f, ...)
    local ok, err = pcall(f, ...)
    assert(not ok, 'expected an error')
    return tostring(err)
end

assert(logger.DEBUG == 0 and logger.INFO == 1 and logger.WARN == 2 and logger.ERROR == 3)
assert(logger.getlevel() == logger.INFO, 'default level INFO')
logger.debug("hidden debug")
logger.info("info", 1, 1.5, true, nil, { a = "s" })
logger.warn("warn line")
logger.error("error line")
logger.infof("x=%s y=%s 100%%", 7, "z")
logger.setlevel(logger.DEBUG)
logger.debug("shown debug")
logger.debugf("df %s", "v")
logger.setlevel(logger.ERROR)
assert(logger.getlevel() == 3)
logger.info("hidden info")
logger.warnf("hidden %s", 1)
logger.error("still error")
logger.setlevel(logger.INFO)
assert(errmsg(logger.infof, "%d", 1):find("invalid option '%d' to 'format', only support '%s'", 1, true))
assert(errmsg(logger.infof, "%s %s", 1):find("no value", 1, true))
print('core_logger ok')
