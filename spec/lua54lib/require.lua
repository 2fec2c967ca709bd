-- require, package.searchpath and package.cpath as 5.4 has them
print(package.config == "/\n;\n?\n!\n-\n")
print(package.searchpath("no.such", "./?.lua;/nonexistent/?.x"))
print(package.searchpath("a-b", "/nonexistent/?.lua", "-", "_"))
print(package.searchpath("x", ";;a?"))
print(pcall(package.searchpath))
local oldpath, oldcpath = package.path, package.cpath
package.path = "?.lua;?/?"
package.cpath = "?.so;?/init"
print(pcall(require, "XXX"))
print(pcall(require, "XXX.yy"))
package.path = {}
print(pcall(require, "no-such-file"))
package.path, package.cpath = oldpath, oldcpath
package.preload.mymod = function(...) print("loading", ...) return {v = 1} end
local m, extra = require("mymod")
print(m.v, extra, package.loaded.mymod == m, require("mymod") == m)
package.preload.nothing = function() end
print(require("nothing"), package.loaded.nothing)
print(select("#", require("mymod")))
print(package.searchpath("x", "a?;")) print(package.searchpath("x", ";a?")) print(package.searchpath("x", "")) print(package.searchpath("x", ";"))
