-- Flags combined with widths and precisions.
print("flags", string.format("[%-+6d][%+06d][% 06d][%-6x][%#6o]", 42, 42, 42, 42, 42))
print("prec", string.format("[%.0f][%.1f][%#.0f][%10.4e]", 2.5, 0.05, 3.0, 1234.5))
print("str", string.format("[%5.1s][%-5.3s][%.0s]", "abc", "abcdef", "gone"))
print("g", string.format("[%10.3g][%-10.2g][%+g]", 1234.5678, 0.000123, 5.5))
