-- match with captures, position captures and anchors.
print("kv", ("key = value"):match("(%w+)%s*=%s*(%w+)"))
print("pos", ("hello"):match("()ll()"))
print("whole", ("abc123"):match("%a+%d+"))
print("date", ("2024-01-15"):match("(%d+)-(%d+)-(%d+)"))
print("nested", ("abcd"):match("((a)(b))"))
print("none", ("abc"):match("x"))
print("init", ("abcabc"):match("b", 3))
