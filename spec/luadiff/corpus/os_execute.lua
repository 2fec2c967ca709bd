-- os.execute's 5.4 results: true|nil, "exit"|"signal", code.
print(os.execute())
print(os.execute("exit 0"))
print(os.execute("exit 3"))
print(os.execute("kill -TERM $$"))
print(os.execute("true") == true, os.execute("false") == nil)
