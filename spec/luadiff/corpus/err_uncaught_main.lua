-- An uncaught error ends the program; its message goes to stderr.
print("before")
local t = {}
error("fatal problem")
print("never")
