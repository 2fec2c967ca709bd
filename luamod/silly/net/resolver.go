package sillynet

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Resolver is silly's DNS client (silly.net.dns), one per VM: it asks the
// configured nameservers itself over UDP (TCP when an answer is truncated),
// caches answers per server for their TTL (negative answers too), shares one
// query among the tasks that ask the same question, retries each attempt
// after the configured timeout, prefers the server that failed least, and
// applies the search list and /etc/hosts. dns.conf replaces the
// configuration; the initial one comes from /etc/resolv.conf and /etc/hosts.
//
// Queries run on goroutines without the VM token; all state is guarded by
// mu.
type Resolver struct {
	mu       sync.Mutex
	servers  []*dnsServer
	search   []string
	timeout  time.Duration // per attempt
	attempts int
	ndots    int
	hosts    map[dnsKey][]string
	epoch    time.Time // monotonic base for TTL arithmetic
}

type dnsKey struct {
	name  string
	qtype uint16
}

// rrset is the cache entry of one name and type; it also numbers the
// queries for it (version is the ID of the latest one).
type rrset struct {
	expires int64 // ms since epoch; -1: not cached
	data    []any
	version uint16
}

type dnsServer struct {
	addr      string
	failcount int
	cache     map[dnsKey]*rrset
	inflight  map[dnsKey]*dnsQuery
	udp       *net.UDPConn
	tcp       net.Conn
	tcpUsed   time.Time
	connectMu sync.Mutex // one TCP connect at a time
	closed    bool
}

// dnsQuery is one question in flight to one server; the tasks asking it
// wait on done.
type dnsQuery struct {
	server   *dnsServer
	key      dnsKey
	pkt      []byte
	attempt  int
	version  uint16
	timer    *time.Timer
	done     chan struct{}
	finished bool
	err      string
	records  []dnsRecord
}

// dnsTCPIdle closes a TCP connection to a nameserver unused this long.
const dnsTCPIdle = 30 * time.Second

// NewResolver makes a resolver configured from resolvConf and hosts (the
// contents of /etc/resolv.conf and /etc/hosts; either may be empty).
func NewResolver(resolvConf, hosts string) *Resolver {
	r := &Resolver{epoch: time.Now(), hosts: map[dnsKey][]string{}}
	r.reset()
	r.parseResolvConf(resolvConf)
	if len(r.servers) == 0 {
		r.servers = []*dnsServer{newDNSServer("8.8.8.8")}
	}
	r.SetHosts(hosts)
	return r
}

// systemResolver reads the system's configuration files.
func systemResolver() *Resolver {
	rc, _ := os.ReadFile("/etc/resolv.conf")
	hosts, _ := os.ReadFile("/etc/hosts")
	return NewResolver(string(rc), string(hosts))
}

func (r *Resolver) now() int64 { return time.Since(r.epoch).Milliseconds() }

func (r *Resolver) reset() {
	r.servers = nil
	r.search = nil
	r.timeout = 5 * time.Second
	r.attempts = 2
	r.ndots = 1
}

// nsAddr adds port 53 to a nameserver address without one.
func nsAddr(s string) string {
	host, port, _, ok := SplitAddr(s)
	if !ok {
		return s
	}
	if port == "" {
		port = "53"
	}
	return JoinAddr(host, port)
}

func newDNSServer(addr string) *dnsServer {
	return &dnsServer{addr: nsAddr(addr), cache: map[dnsKey]*rrset{}, inflight: map[dnsKey]*dnsQuery{}}
}

func (r *Resolver) parseResolvConf(content string) {
	for _, line := range strings.Split(content, "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		switch f[0] {
		case "nameserver":
			r.servers = append(r.servers, newDNSServer(f[1]))
		case "search":
			r.search = nil
			for _, d := range f[1:] {
				r.search = append(r.search, strings.ToLower(d))
			}
		case "domain":
			r.search = []string{strings.ToLower(f[1])}
		case "options":
			for _, o := range f[1:] {
				k, v, ok := strings.Cut(o, ":")
				n, err := strconv.Atoi(v)
				if !ok || err != nil || n < 0 {
					continue
				}
				r.setOption(k, n)
			}
		}
	}
}

// setOption applies timeout (seconds, at most 30), attempts (at most 5) or
// ndots (at most 15).
func (r *Resolver) setOption(name string, n int) {
	switch name {
	case "timeout":
		r.timeout = time.Duration(min(n, 30)) * time.Second
	case "attempts":
		r.attempts = min(n, 5)
	case "ndots":
		r.ndots = min(n, 15)
	}
}

// DNSConf is dns.conf's table.
type DNSConf struct {
	Nameservers []string
	Search      []string
	Options     map[string]int // timeout, attempts, ndots when given
}

// Configure is dns.conf: queries in flight fail with "Dns reconfigured",
// connections and caches are dropped, and conf replaces the whole
// configuration (8.8.8.8 when it names no server).
func (r *Resolver) Configure(conf DNSConf) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range r.servers {
		for _, q := range s.inflight {
			r.finish(q, "Dns reconfigured")
		}
		s.closed = true
		if s.udp != nil {
			s.udp.Close()
		}
		if s.tcp != nil {
			s.tcp.Close()
		}
	}
	r.reset()
	ns := conf.Nameservers
	if len(ns) == 0 {
		ns = []string{"8.8.8.8"}
	}
	for _, a := range ns {
		r.servers = append(r.servers, newDNSServer(a))
	}
	for _, s := range conf.Search {
		r.search = append(r.search, strings.ToLower(s))
	}
	for k, v := range conf.Options {
		r.setOption(k, v)
	}
}

// SetHosts is dns.sethosts: lines of "ip name..." ('#' or ';' starts a
// comment) whose names then resolve to ip without a query. A name given
// here replaces its earlier addresses of the same family.
func (r *Resolver) SetHosts(content string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	seen := map[dnsKey]bool{}
	for _, line := range strings.Split(content, "\n") {
		if i := strings.IndexAny(line, "#;"); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		var qtype uint16
		switch IPType(f[0]) {
		case 4:
			qtype = DNSTypeA
		case 6:
			qtype = DNSTypeAAAA
		default:
			continue
		}
		for _, name := range f[1:] {
			k := dnsKey{strings.ToLower(name), qtype}
			if !seen[k] {
				seen[k] = true
				r.hosts[k] = nil
			}
			r.hosts[k] = append(r.hosts[k], f[0])
		}
	}
}

func (s *dnsServer) rr(k dnsKey) *rrset {
	rr := s.cache[k]
	if rr == nil {
		rr = &rrset{expires: -1}
		s.cache[k] = rr
	}
	return rr
}

// Resolve answers name's records of qtype: addresses as strings for A and
// AAAA, dnsSRV values for SRV. err is silly's message ("Invalid name",
// "No nameserver", "Not found", "Server failure", ETIMEDOUT, ...). It
// blocks; call it without the VM token. timeout 0 uses the configured one.
func (r *Resolver) Resolve(ctx context.Context, name string, qtype uint16, timeout time.Duration) ([]any, string) {
	if IPType(name) != 0 {
		return []any{name}, ""
	}
	name = strings.ToLower(name)
	if !validDNSName(name) {
		return nil, errDNSInvalidName
	}
	r.mu.Lock()
	if qtype == DNSTypeA || qtype == DNSTypeAAAA {
		if ips, ok := r.hosts[dnsKey{name, qtype}]; ok {
			r.mu.Unlock()
			out := make([]any, len(ips))
			for i, ip := range ips {
				out[i] = ip
			}
			return out, ""
		}
	}
	if timeout <= 0 {
		timeout = r.timeout
	}
	var server *dnsServer
	least := math.MaxInt
	for _, s := range r.servers {
		if s.failcount == 0 {
			server = s
			break
		}
		if s.failcount < least {
			least, server = s.failcount, s
		}
	}
	search, ndots := r.search, r.ndots
	r.mu.Unlock()
	if server == nil {
		return nil, "No nameserver"
	}
	data, found, err := r.resolveChain(ctx, server, name, qtype, timeout)
	if found {
		return data, ""
	}
	if ndots > strings.Count(name, ".") {
		for _, suffix := range search {
			data, found, err = r.resolveChain(ctx, server, name+"."+suffix, qtype, timeout)
			if found {
				return data, ""
			}
		}
	}
	if err == "" {
		err = errDNSNotFound
	}
	return nil, err
}

// resolveChain resolves name, following CNAMEs (at most 100), from the
// transaction's own records first and then the server's cache, and asks the
// server for what is missing.
func (r *Resolver) resolveChain(ctx context.Context, s *dnsServer, name string, qtype uint16, timeout time.Duration) ([]any, bool, string) {
	trans := map[dnsKey][]any{}
	for depth := 1; depth <= 100; depth++ {
		data, found, cname := r.findCache(trans, s, name, qtype)
		if !found && cname == "" {
			if err := r.query(ctx, s, trans, name, qtype, timeout); err != "" {
				return nil, false, err
			}
			data, found, cname = r.findCache(trans, s, name, qtype)
		}
		if cname == "" {
			return data, found, ""
		}
		name = cname
	}
	return nil, false, "Too deep"
}

// findCache walks the CNAME chain from name in the transaction's records and
// the server's live cache. found reports a cached answer (possibly empty,
// for a negative one); otherwise cname is where the chain stopped, or "" if
// nothing about name is known.
func (r *Resolver) findCache(trans map[dnsKey][]any, s *dnsServer, name string, qtype uint16) (data []any, found bool, cname string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	original := name
	for i := 0; i < 100; i++ {
		next := ""
		if d := trans[dnsKey{name, qtype}]; len(d) > 0 {
			return d, true, ""
		}
		if d := trans[dnsKey{name, dnsTypeCNAME}]; len(d) > 0 {
			next, _ = d[0].(string)
		}
		if next == "" {
			if rr := s.cache[dnsKey{name, qtype}]; rr != nil && rr.expires >= now {
				return rr.data, true, ""
			}
			if rr := s.cache[dnsKey{name, dnsTypeCNAME}]; rr != nil && rr.expires >= now && len(rr.data) > 0 {
				next, _ = rr.data[0].(string)
			}
		}
		if next == "" {
			if name != original {
				return nil, false, name
			}
			return nil, false, ""
		}
		name = next
	}
	return nil, false, ""
}

// query asks s about name (or joins the query already in flight) and waits
// up to timeout. The answer's records go into the transaction too, so that
// a chain resolves even when the server says not to cache it (TTL 0).
func (r *Resolver) query(ctx context.Context, s *dnsServer, trans map[dnsKey][]any, name string, qtype uint16, timeout time.Duration) string {
	k := dnsKey{name, qtype}
	r.mu.Lock()
	q := s.inflight[k]
	if q == nil {
		rr := s.rr(k)
		rr.version++
		q = &dnsQuery{server: s, key: k, attempt: 1, version: rr.version, done: make(chan struct{})}
		q.pkt = dnsQuestion(name, qtype, q.version)
		s.inflight[k] = q
		if !r.send(q) {
			r.finish(q, "Send failed")
			r.mu.Unlock()
			return "Send failed"
		}
	}
	r.mu.Unlock()
	tm := time.NewTimer(timeout)
	defer tm.Stop()
	select {
	case <-q.done:
	case <-tm.C:
		return ErrTimedOut
	case <-ctx.Done():
		return ErrClosed
	}
	if q.err != "" {
		return q.err
	}
	seen := map[dnsKey]bool{}
	for _, rec := range q.records {
		rk := dnsKey{rec.name, rec.qtype}
		if !seen[rk] {
			seen[rk] = true
			trans[rk] = nil
		}
		if rec.hasData {
			trans[rk] = append(trans[rk], rec.data)
		}
	}
	return ""
}

// send sends q over UDP and arms its retry timer. Called with r.mu held.
func (r *Resolver) send(q *dnsQuery) bool {
	s := q.server
	if s.closed {
		return false
	}
	if s.udp == nil {
		raddr, err := net.ResolveUDPAddr("udp", s.addr)
		if err != nil {
			return false
		}
		c, err := net.DialUDP("udp", nil, raddr)
		if err != nil {
			return false
		}
		s.udp = c
		go r.udpLoop(s, c)
	}
	if _, err := s.udp.Write(q.pkt); err != nil {
		return false
	}
	q.timer = time.AfterFunc(r.timeout, func() { r.retry(q) })
	return true
}

// retry sends q again after an attempt timed out, or fails it after the
// last attempt.
func (r *Resolver) retry(q *dnsQuery) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if q.finished {
		return
	}
	if q.attempt < r.attempts {
		q.attempt++
		if r.send(q) {
			return
		}
	}
	r.finish(q, ErrTimedOut)
}

// finish completes q and wakes its waiters; err "" is success. It counts
// the server's consecutive failures, which pick the server of later
// lookups. Called with r.mu held.
func (r *Resolver) finish(q *dnsQuery, err string) {
	if q.finished {
		return
	}
	q.finished = true
	if q.timer != nil {
		q.timer.Stop()
	}
	s := q.server
	if s.inflight[q.key] == q {
		delete(s.inflight, q.key)
	}
	q.err = err
	if err != "" {
		s.failcount++
	} else {
		s.failcount = 0
	}
	close(q.done)
}

// dispatch matches a response to the query in flight for its question and
// ID and caches its records. It returns the query when the answer was
// truncated (to be asked again over TCP). Called with r.mu held.
func (r *Resolver) dispatch(s *dnsServer, msg []byte) *dnsQuery {
	a, ok := parseDNSAnswer(msg)
	if !ok {
		return nil
	}
	k := dnsKey{a.name, a.qtype}
	q := s.inflight[k]
	rr := s.cache[k]
	if q == nil || rr == nil || rr.version != a.id {
		return nil // late or foreign
	}
	if a.truncated {
		return q
	}
	if a.failed {
		// Not a negative answer: the cache stays as it was.
		r.finish(q, "Server failure")
		return nil
	}
	now := r.now()
	seen := map[*rrset]bool{}
	q.records = a.records
	for _, rec := range a.records {
		if rec.ttlMS <= 0 {
			continue
		}
		c := s.rr(dnsKey{rec.name, rec.qtype})
		if !seen[c] {
			seen[c] = true
			c.expires, c.data = now+rec.ttlMS, nil
		}
		if rec.hasData {
			c.data = append(c.data, rec.data)
		}
	}
	if !seen[rr] {
		// The answer may carry only a CNAME: what was cached for the
		// question's own type is stale now.
		rr.expires, rr.data = -1, nil
	}
	r.finish(q, "")
	return nil
}

func (r *Resolver) udpLoop(s *dnsServer, c *net.UDPConn) {
	buf := make([]byte, 64*1024)
	for {
		n, err := c.Read(buf)
		if err != nil {
			if errors.Is(err, syscall.ECONNREFUSED) {
				continue // the server is down; the retry timer handles it
			}
			break
		}
		r.mu.Lock()
		tq := r.dispatch(s, buf[:n])
		r.mu.Unlock()
		if tq != nil {
			go r.tcpFallback(s, tq)
		}
	}
	c.Close()
	r.mu.Lock()
	if s.udp == c {
		s.udp = nil
	}
	r.mu.Unlock()
}

// tcpFallback asks a truncated question again over the server's TCP
// connection, opening it if needed.
func (r *Resolver) tcpFallback(s *dnsServer, q *dnsQuery) {
	s.connectMu.Lock()
	defer s.connectMu.Unlock()
	r.mu.Lock()
	if q.finished || s.closed {
		r.mu.Unlock()
		return
	}
	c := s.tcp
	r.mu.Unlock()
	if c == nil {
		var err error
		c, err = net.DialTimeout("tcp", s.addr, r.timeout)
		if err != nil {
			return // the retry timer ends the query
		}
		r.mu.Lock()
		if s.closed {
			r.mu.Unlock()
			c.Close()
			return
		}
		s.tcp = c
		s.tcpUsed = time.Now()
		r.mu.Unlock()
		go r.tcpLoop(s, c)
	}
	msg := binary.BigEndian.AppendUint16(make([]byte, 0, 2+len(q.pkt)), uint16(len(q.pkt)))
	msg = append(msg, q.pkt...)
	_ = c.SetWriteDeadline(time.Now().Add(r.timeout))
	if _, err := c.Write(msg); err != nil {
		c.Close() // tcpLoop clears s.tcp
	}
}

// tcpLoop reads length-prefixed responses until the connection fails or
// stays idle for dnsTCPIdle.
func (r *Resolver) tcpLoop(s *dnsServer, c net.Conn) {
	var hdr [2]byte
	for {
		_ = c.SetReadDeadline(time.Now().Add(dnsTCPIdle))
		if _, err := io.ReadFull(c, hdr[:]); err != nil {
			break
		}
		n := binary.BigEndian.Uint16(hdr[:])
		if n == 0 {
			break
		}
		msg := make([]byte, n)
		if _, err := io.ReadFull(c, msg); err != nil {
			break
		}
		r.mu.Lock()
		s.tcpUsed = time.Now()
		r.dispatch(s, msg)
		r.mu.Unlock()
	}
	c.Close()
	r.mu.Lock()
	if s.tcp == c {
		s.tcp = nil
	}
	r.mu.Unlock()
}

// Close drops every connection (runtime shutdown).
func (r *Resolver) Close() {
	r.Configure(DNSConf{})
	r.mu.Lock()
	for _, s := range r.servers {
		s.closed = true
	}
	r.mu.Unlock()
}
