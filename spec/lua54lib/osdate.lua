-- os.date (C99 strftime conversions, C locale), os.time (normalized tables, field errors), os.difftime
local function try(...)
  local r = {pcall(...)}
  for i = 1, #r do r[i] = tostring(r[i]) end
  print(table.concat(r, "\t"))
end
for _, f in ipairs{"%a %A %b %B %c", "%C %d %D %e %F %g %G %h %H %I %j %m %M %n %p", "%r %R %S %t %T %u %U %V %w %W %x %X %y %Y %%",
  "%Ec %EC %Ex %EX %Ey %EY %Od %Oe %OH %OI %Om %OM %OS %Ou %OU %OV %Ow %OW %Oy"} do
  for _, t in ipairs{0, 86400 * 3 + 3600 * 13 + 61, 1700000000, 951782400, 1609459199} do
    print(os.date("!" .. f, t))
  end
end
local d = os.date("!*t", 1700000000)
print(d.year, d.month, d.day, d.hour, d.min, d.sec, d.wday, d.yday, d.isdst)
try(os.date, "%Ez")
try(os.date, "%Q")
try(os.date, "%")
try(os.date, "%E")
try(os.date, "!%c", 1.5)
try(os.time, {year = 2000})
try(os.time, {year = 2000, month = 1})
try(os.time, {year = 2000, month = 1.5, day = 1})
try(os.time, {year = "x", month = 1, day = 1})
try(os.time, 5)
try(os.difftime, 10)
print(os.difftime(10, 5))
try(os.difftime, 1.5, 1)
local t = {year = 2020, month = 14, day = 35, hour = 25, min = 61, sec = 61}
local ts = os.time(t)
print(t.year, t.month, t.day, t.hour, t.min, t.sec, t.wday, t.yday, os.date("%Y-%m-%d %H:%M:%S", ts))
print(os.time({year = 2000, month = 1, day = 1, hour = 0}) - os.time({year = 1999, month = 12, day = 31, hour = 0}))
print(os.date("%Y", 0) == "1970" or os.date("%Y", 0) == "1969", type(os.date()), #os.date("%c") > 10)
