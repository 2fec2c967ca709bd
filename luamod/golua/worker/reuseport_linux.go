package worker

// soReusePort is SO_REUSEPORT, which Go's syscall package does not name on
// Linux (golang.org/x/sys/unix does; one constant is not worth the module).
const soReusePort = 0xf
