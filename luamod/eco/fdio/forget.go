package fdio

// Forget drops what the table knows about fd without closing fd: the
// poller it keeps for fd (a dup, which would hold the open file alive) is
// closed, which wakes a wait on it, and the entry is removed. A binding
// that owns fd through something else (eco.socket's sockets are Go
// net.Conns) calls it just before closing fd itself, so that closing the
// socket really closes it (the peer sees the end) even after a script
// waited on its fd with eco.io, eco.reader or eco.writer.
func (tb *Table) Forget(fd int) {
	tb.mu.Lock()
	e := tb.entries[fd]
	delete(tb.entries, fd)
	tb.mu.Unlock()
	if e != nil {
		e.closePoller()
	}
}
