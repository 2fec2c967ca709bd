//go:build !unix

package wscore

import (
	"net"
	"syscall"
)

// rawConnOf reports that reads go through net.Conn.Read on this platform.
func rawConnOf(net.Conn) syscall.RawConn { return nil }

func (c *Conn) rawFill() (int, error) { panic("wscore: raw reads are not used on this platform") }

func (c *Conn) rawRead(uintptr) bool { panic("wscore: raw reads are not used on this platform") }
