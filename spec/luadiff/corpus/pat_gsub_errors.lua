-- gsub error cases.
print("badcap", pcall(string.gsub, "abc", "(a)", "%2"))
print("badrepl", pcall(string.gsub, "abc", "a", {a = {}}))
print("badpct", pcall(string.gsub, "abc", "a", "%x"))
print("malformed", pcall(string.find, "abc", "[a"))
print("endpct", pcall(string.find, "abc", "%"))
print("unbalanced", pcall(string.find, "abc", "(a"))
