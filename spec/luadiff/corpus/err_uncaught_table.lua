-- An uncaught non-string error.
print("before")
error({})
