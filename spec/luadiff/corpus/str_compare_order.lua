-- String comparison is bytewise.
local words = {"b", "a", "ab", "B", "aa", "", "a b"}
table.sort(words)
print("order", table.concat(words, "|"))
print("cmp", "a" < "ab", "Z" < "a", "abc" <= "abc", "10" < "2")
