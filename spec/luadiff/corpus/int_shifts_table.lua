-- A table of shifts and masks.
for i = 0, 12, 3 do
  print("bit", i, 1 << i, (1 << i) - 1, ((1 << i) - 1) & 0xAAA, 0xFFF >> i)
end
