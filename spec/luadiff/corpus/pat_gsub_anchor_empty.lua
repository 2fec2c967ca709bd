-- gsub with empty matches between characters.
print("e1", ("abc"):gsub("", "-"))
print("e2", ("abc"):gsub("x*", "-"))
print("e3", ("hello world"):gsub("o*", "_"))
