-- Each precedence level and associativity of Lua 5.4:
-- or < and < comparison < | < ~ < & < shift < .. (right) < + - < * / // % < unary < ^ (right)
print(1 or 2 and nil)            -- or < and
print(nil and 1 or 2)
print(1 < 2 == true)             -- comparisons are left associative
print(1 | 2 == 3)                -- comparison < |
print(3 == 1 | 2)
print(1 | 6 ~ 3)                 -- | < ~   : 1 | (6 ~ 3)
print(5 ~ 6 & 3)                 -- ~ < &   : 5 ~ (6 & 3)
print(6 & 1 << 2)                -- & < shift : 6 & (1 << 2)
local trace = setmetatable({}, {
  __shl = function(a, b) return "shl(" .. tostring(a) .. "," .. tostring(b) .. ")" end,
  __concat = function(a, b) return "cat" end,
  __tostring = function() return "o" end,
})
print(trace << trace .. trace)   -- shift < .. : o << (o .. o)
print("1" .. 2 + 3)              -- .. < +
print(1 .. 2 .. 3)               -- .. is right associative
print(2 + 3 * 4, 2 - 3 - 4)      -- + < *, left associative
print(7 // 2 * 3, 7 % 4 // 2, 2 * 7 // 3)
print(-2 ^ 2, 2 ^ -1, 2 ^ 3 ^ 2) -- unary < ^, ^ right associative
print(~0 << 4, ~(0 << 4), - - 2, not not nil)
print(#"abc" + 1, -#"ab", ~#"abc")
print(1 << 1 << 2, 256 >> 2 >> 1) -- shifts are left associative
print(2 ^ 2 << 1)                -- ^ binds tighter than shift
print(1 + 1 << 1 + 1)            -- + binds tighter than shift
print(5 // 2 .. "", -7 // 2 ^ 1)
print(2 ^ 2 // 3, 7 // 2 ^ 1)
print(0xF0 | 0x0F & 0x3C ~ 0x01)  -- 0xF0 | ((0x0F & 0x3C) ~ 0x01)
print(1 < 2 and 2 < 3, 1 == 1 ~= false)
