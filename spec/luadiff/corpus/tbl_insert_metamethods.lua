-- table.insert/remove go through __index/__newindex in 5.4.
local log = {}
local store = {}
local t = setmetatable({}, {
  __len = function() return #store end,
  __index = function(_, k) return store[k] end,
  __newindex = function(_, k, v) log[#log + 1] = "set" .. k; store[k] = v end,
})
table.insert(t, "a")
table.insert(t, "b")
print("store", #store, store[1], store[2])
print("log", table.concat(log, ","))
