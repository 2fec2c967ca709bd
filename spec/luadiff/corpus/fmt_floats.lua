-- %f %e %g with precision and flags.
print("f", string.format("%f|%.2f|%10.3f|%-10.1f|", 3.14159, 3.14159, 3.14159, 3.14159))
print("e", string.format("%e|%.3e|%E", 12345.678, 12345.678, 0.00012))
print("g", string.format("%g|%g|%g|%g", 100000, 1000000, 0.0001, 0.00001))
print("g2", string.format("%.3g|%#g|%g", 3.14159, 1.5, 2.5e-7))
print("plus", string.format("%+.1f|% .1f", 2.25, 2.25))
print("zero", string.format("%08.3f|%-8.2f|", -3.5, 1.125))
