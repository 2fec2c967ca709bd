// Package fdio is the raw file descriptor layer of the lua-eco dialect: the
// Go side of lua-eco's eco.io, eco.reader and eco.writer (eco.c), and the
// per-runtime table of the integer fds that eco's Go bindings hand to Lua.
//
// lua-eco scripts pass plain integer fds around (sock:getfd(), the fds of
// eco.sys pipes, eco.internal.file's open) and wrap them with eco.io,
// eco.reader and eco.writer. This package gives those fds:
//
//   - a [Table] per runtime ([TableOf]): bindings that create an fd call
//     [Table.Adopt] so that it is closed when the runtime ends, and
//     [Table.Close] is close(2) for any fd (eco.internal.file's close);
//   - a [Handle] per eco.io/reader/writer object: [Handle.Wait] waits for
//     readiness on Go's netpoller with the VM token released, bounded by a
//     timeout and ended early by [Handle.Cancel]; [Handle.ReadOnce],
//     [Handle.Write] and [Handle.Sendfile] do the I/O, waiting when the fd
//     would block;
//   - a [Reader] with lua-eco's read formats (a count, "a", "l", "L",
//     readfull, readuntil) over a 4 KiB buffer.
//
// Readiness is waited for on a dup of the fd wrapped with os.NewFile: a
// nonblocking fd of a pollable kind (socket, pipe, tty, eventfd, inotify)
// is registered with the netpoller, and syscall.RawConn.Read/Write give a
// readiness wait that consumes no data. The dup keeps the caller's fd
// number out of the os.File, whose finalizer would otherwise close it, and
// lives only while waits use it, so that it never keeps a file open after
// its owner closed the fd. Fds the netpoller refuses (regular files) are
// always ready; any other kind falls back to poll(2) in short slices.
//
// Every method documented as needing the token must be called by the task
// holding the VM token, from a Lua binding; the waits release it.
package fdio
