-- pending: _VERSION is Lua 5.1 (issue 12)
-- _VERSION names Lua 5.4.
print("version", _VERSION)
