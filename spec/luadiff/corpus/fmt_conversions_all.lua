-- Every conversion string.format accepts, on integer-valued arguments.
for _, spec in ipairs({"%d", "%i", "%u", "%o", "%x", "%X", "%c", "%e", "%E", "%f", "%g", "%G", "%s", "%q", "%a", "%A"}) do
  print("conv", spec, string.format(spec, 65))
end
print("floatconv", string.format("%e|%f|%g", 0.5, 0.5, 0.5))
print("invalid", pcall(string.format, "%F", 1))
