-- // and % on integers of every sign combination.
for _, a in ipairs({7, -7}) do
  for _, b in ipairs({2, -2, 3, -3}) do
    print("divmod", a, b, a // b, a % b)
  end
end
print("zero", 0 // 5, 0 % 5)
print("big", 1000000007 // 13, 1000000007 % 13)
