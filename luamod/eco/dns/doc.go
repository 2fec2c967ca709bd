// Package dns provides lua-eco's "eco.dns" module (query, type_name and the
// TYPE_*, CLASS_IN and SECTION_* constants) and the "eco.internal.dns"
// module it is built on.
//
// eco.dns is written in Lua over eco.socket, eco.internal.file and io.lines,
// as lua-eco's is, so that it looks at /etc/hosts and /etc/resolv.conf the
// same way and sends its queries through the same UDP sockets scripts use
// (a query releases the VM token while it waits, like any socket read).
// Building the request and parsing the response is Go (eco.internal.dns)
// over github.com/miekg/dns: the standard library's resolver cannot ask a
// given server for a given record type over a given socket, nor return the
// records themselves; golang.org/x/net/dns/dnsmessage could, but miekg/dns
// also decodes every record type lua-eco names (SOA, SRV, MX, TXT/SPF, ...)
// and is what the test suite's DNS server is written with.
package dns
