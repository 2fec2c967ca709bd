---@meta silly.errno

---Error values silly's I/O functions return as their second result: each is
---a message string ending in the code in parentheses ("End of file (10004)").
---Compare with the table's values (`err == errno.EOF`), not with literal text.

local M = {}

---@alias silly.errno string

---Permission denied (13)
M.ACCES = "Permission denied (13)"

---Address already in use (98)
M.ADDRINUSE = "Address already in use (98)"

---Cannot assign requested address (99)
M.ADDRNOTAVAIL = "Cannot assign requested address (99)"

---Address family not supported by protocol (97)
M.AFNOSUPPORT = "Address family not supported by protocol (97)"

---Resource temporarily unavailable (11)
M.AGAIN = "Resource temporarily unavailable (11)"

---Operation already in progress (114)
M.ALREADY = "Operation already in progress (114)"

---Bad file descriptor (9)
M.BADF = "Bad file descriptor (9)"

---Socket is closed (10003)
M.CLOSED = "Socket is closed (10003)"

---Socket is closing (10002)
M.CLOSING = "Socket is closing (10002)"

---Software caused connection abort (103)
M.CONNABORTED = "Software caused connection abort (103)"

---Connection refused (111)
M.CONNREFUSED = "Connection refused (111)"

---Connection reset by peer (104)
M.CONNRESET = "Connection reset by peer (104)"

---Destination address required (89)
M.DESTADDRREQ = "Destination address required (89)"

---End of file (10004)
M.EOF = "End of file (10004)"

---Bad address (14)
M.FAULT = "Bad address (14)"

---No route to host (113)
M.HOSTUNREACH = "No route to host (113)"

---Operation now in progress (115)
M.INPROGRESS = "Operation now in progress (115)"

---Interrupted system call (4)
M.INTR = "Interrupted system call (4)"

---Invalid argument (22)
M.INVAL = "Invalid argument (22)"

---Transport endpoint is already connected (106)
M.ISCONN = "Transport endpoint is already connected (106)"

---Too many open files (24)
M.MFILE = "Too many open files (24)"

---Message too long (90)
M.MSGSIZE = "Message too long (90)"

---Network is down (100)
M.NETDOWN = "Network is down (100)"

---Network dropped connection on reset (102)
M.NETRESET = "Network dropped connection on reset (102)"

---Network is unreachable (101)
M.NETUNREACH = "Network is unreachable (101)"

---Too many open files in system (23)
M.NFILE = "Too many open files in system (23)"

---No buffer space available (105)
M.NOBUFS = "No buffer space available (105)"

---Cannot allocate memory (12)
M.NOMEM = "Cannot allocate memory (12)"

---Protocol not available (92)
M.NOPROTOOPT = "Protocol not available (92)"

---No free socket available (10001)
M.NOSOCKET = "No free socket available (10001)"

---Transport endpoint is not connected (107)
M.NOTCONN = "Transport endpoint is not connected (107)"

---Socket operation on non-socket (88)
M.NOTSOCK = "Socket operation on non-socket (88)"

---Operation not supported (95)
M.OPNOTSUPP = "Operation not supported (95)"

---Broken pipe (32)
M.PIPE = "Broken pipe (32)"

---Protocol not supported (93)
M.PROTONOSUPPORT = "Protocol not supported (93)"

---Protocol wrong type for socket (91)
M.PROTOTYPE = "Protocol wrong type for socket (91)"

---Address resolution failed (10000)
M.RESOLVE = "Address resolution failed (10000)"

---Operation timed out (110)
M.TIMEDOUT = "Operation timed out (110)"

---TLS error (10005)
M.TLS = "TLS error (10005)"

---Resource temporarily unavailable (11)
M.WOULDBLOCK = "Resource temporarily unavailable (11)"

return M
