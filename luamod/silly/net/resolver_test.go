package sillynet

import (
	"context"
	"encoding/binary"
	"io"
	"net"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// testAnswer describes one response of the test server.
type testAnswer struct {
	rcode     uint16
	truncated bool
	records   []testRR
	silent    bool // send nothing
}

type testRR struct {
	name  string
	rtype uint16
	ttl   uint32
	data  string // an address or a CNAME target
}

// testDNSServer is a real DNS server on 127.0.0.1 (UDP and TCP on the same
// port) that answers through handler and counts the questions it got.
type testDNSServer struct {
	addr    string
	udp     *net.UDPConn
	tcp     net.Listener
	handler func(name string, qtype uint16, overTCP bool) testAnswer
	asked   atomic.Int64
	wg      sync.WaitGroup
}

func startTestDNS(t *testing.T, handler func(name string, qtype uint16, overTCP bool) testAnswer) *testDNSServer {
	t.Helper()
	var s *testDNSServer
	for i := 0; ; i++ {
		udp, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		if err != nil {
			t.Fatal(err)
		}
		tcp, err := net.Listen("tcp", udp.LocalAddr().String())
		if err != nil {
			udp.Close()
			if i < 10 {
				continue
			}
			t.Fatal(err)
		}
		s = &testDNSServer{addr: udp.LocalAddr().String(), udp: udp, tcp: tcp, handler: handler}
		break
	}
	s.wg.Add(2)
	go s.serveUDP()
	go s.serveTCP()
	t.Cleanup(func() {
		s.udp.Close()
		s.tcp.Close()
		s.wg.Wait()
	})
	return s
}

func (s *testDNSServer) respond(q []byte, overTCP bool) []byte {
	name, pos := dnsReadName(q, dnsHeaderSize)
	if pos == 0 {
		return nil
	}
	qtype := binary.BigEndian.Uint16(q[pos:])
	s.asked.Add(1)
	a := s.handler(name, qtype, overTCP)
	if a.silent {
		return nil
	}
	flags := uint16(0x8180) | a.rcode
	if a.truncated {
		flags |= 0x0200
	}
	b := binary.BigEndian.AppendUint16(nil, binary.BigEndian.Uint16(q))
	b = binary.BigEndian.AppendUint16(b, flags)
	b = binary.BigEndian.AppendUint16(b, 1)
	b = binary.BigEndian.AppendUint16(b, uint16(len(a.records)))
	b = append(b, 0, 0, 0, 0)
	b = append(b, q[dnsHeaderSize:pos+4]...) // the question
	for _, rr := range a.records {
		b = appendTestName(b, rr.name)
		b = binary.BigEndian.AppendUint16(b, rr.rtype)
		b = binary.BigEndian.AppendUint16(b, 1)
		b = binary.BigEndian.AppendUint32(b, rr.ttl)
		var rd []byte
		if rr.rtype == dnsTypeCNAME {
			rd = appendTestName(nil, rr.data)
		} else {
			rd = netip.MustParseAddr(rr.data).AsSlice()
		}
		b = binary.BigEndian.AppendUint16(b, uint16(len(rd)))
		b = append(b, rd...)
	}
	return b
}

func appendTestName(b []byte, name string) []byte {
	for _, l := range strings.Split(name, ".") {
		b = append(b, byte(len(l)))
		b = append(b, l...)
	}
	return append(b, 0)
}

func (s *testDNSServer) serveUDP() {
	defer s.wg.Done()
	buf := make([]byte, 2048)
	for {
		n, from, err := s.udp.ReadFromUDPAddrPort(buf)
		if err != nil {
			return
		}
		if resp := s.respond(buf[:n], false); resp != nil {
			_, _ = s.udp.WriteToUDPAddrPort(resp, from)
		}
	}
}

func (s *testDNSServer) serveTCP() {
	defer s.wg.Done()
	for {
		c, err := s.tcp.Accept()
		if err != nil {
			return
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer c.Close()
			var hdr [2]byte
			for {
				_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
				if _, err := io.ReadFull(c, hdr[:]); err != nil {
					return
				}
				q := make([]byte, binary.BigEndian.Uint16(hdr[:]))
				if _, err := io.ReadFull(c, q); err != nil {
					return
				}
				if resp := s.respond(q, true); resp != nil {
					out := binary.BigEndian.AppendUint16(nil, uint16(len(resp)))
					_, _ = c.Write(append(out, resp...))
				}
			}
		}()
	}
}

func newTestResolver(t *testing.T, conf DNSConf) *Resolver {
	r := NewResolver("", "")
	r.Configure(conf)
	t.Cleanup(r.Close)
	return r
}

func TestResolverAnswersCachesAndFollowsCNAME(t *testing.T) {
	srv := startTestDNS(t, func(name string, qtype uint16, _ bool) testAnswer {
		switch name {
		case "a.test":
			return testAnswer{records: []testRR{{"a.test", DNSTypeA, 60, "10.0.0.1"}, {"a.test", DNSTypeA, 60, "10.0.0.2"}}}
		case "alias.test":
			return testAnswer{records: []testRR{{"alias.test", dnsTypeCNAME, 60, "a.test"}}}
		case "six.test":
			return testAnswer{records: []testRR{{"six.test", DNSTypeAAAA, 60, "2001:0db8::0001"}}}
		}
		return testAnswer{rcode: dnsRcodeNXDomain}
	})
	r := newTestResolver(t, DNSConf{Nameservers: []string{srv.addr}})
	ctx := context.Background()

	data, err := r.Resolve(ctx, "A.Test", DNSTypeA, time.Second)
	if err != "" || len(data) != 2 || data[0] != "10.0.0.1" || data[1] != "10.0.0.2" {
		t.Fatalf("A: %v %q", data, err)
	}
	if _, err := r.Resolve(ctx, "a.test", DNSTypeA, time.Second); err != "" || srv.asked.Load() != 1 {
		t.Fatalf("second lookup asked the server again (%d questions, err %q)", srv.asked.Load(), err)
	}
	data, err = r.Resolve(ctx, "alias.test", DNSTypeA, time.Second)
	if err != "" || len(data) != 2 || data[0] != "10.0.0.1" {
		t.Fatalf("CNAME: %v %q", data, err)
	}
	data, err = r.Resolve(ctx, "six.test", DNSTypeAAAA, time.Second)
	if err != "" || len(data) != 1 || data[0] != "2001:db8::1" {
		t.Fatalf("AAAA: %v %q", data, err)
	}
	// NXDOMAIN is cached: an empty answer, and no second question.
	before := srv.asked.Load()
	for i := 0; i < 2; i++ {
		data, err = r.Resolve(ctx, "missing.test", DNSTypeA, time.Second)
		if err != "" || len(data) != 0 {
			t.Fatalf("NXDOMAIN: %v %q", data, err)
		}
	}
	if got := srv.asked.Load() - before; got != 1 {
		t.Fatalf("NXDOMAIN asked %d times, want 1 (negative cache)", got)
	}
}

func TestResolverErrors(t *testing.T) {
	srv := startTestDNS(t, func(name string, _ uint16, _ bool) testAnswer {
		if name == "fail.test" {
			return testAnswer{rcode: 2} // SERVFAIL
		}
		return testAnswer{silent: true}
	})
	r := newTestResolver(t, DNSConf{Nameservers: []string{srv.addr}, Options: map[string]int{"timeout": 1, "attempts": 1}})
	ctx := context.Background()
	if _, err := r.Resolve(ctx, "bad..name", DNSTypeA, time.Second); err != errDNSInvalidName {
		t.Fatalf("invalid name: %q", err)
	}
	if _, err := r.Resolve(ctx, "fail.test", DNSTypeA, time.Second); err != "Server failure" {
		t.Fatalf("SERVFAIL: %q", err)
	}
	start := time.Now()
	if _, err := r.Resolve(ctx, "silent.test", DNSTypeA, 200*time.Millisecond); err != ErrTimedOut {
		t.Fatalf("silent server: %q", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("the 200 ms timeout took %v", d)
	}
	// The query itself ends after the configured attempts (1 s each).
	if _, err := r.Resolve(ctx, "silent2.test", DNSTypeA, 5*time.Second); err != ErrTimedOut {
		t.Fatalf("attempts exhausted: %q", err)
	}
	data, err := r.Resolve(ctx, "::1", DNSTypeAAAA, time.Second)
	if err != "" || len(data) != 1 || data[0] != "::1" {
		t.Fatalf("literal: %v %q", data, err)
	}
}

func TestResolverTruncatedAnswerRetriesOverTCP(t *testing.T) {
	srv := startTestDNS(t, func(name string, _ uint16, overTCP bool) testAnswer {
		if !overTCP {
			return testAnswer{truncated: true}
		}
		return testAnswer{records: []testRR{{name, DNSTypeA, 60, "10.9.9.9"}}}
	})
	r := newTestResolver(t, DNSConf{Nameservers: []string{srv.addr}})
	data, err := r.Resolve(context.Background(), "big.test", DNSTypeA, 2*time.Second)
	if err != "" || len(data) != 1 || data[0] != "10.9.9.9" {
		t.Fatalf("TC fallback: %v %q", data, err)
	}
}

func TestResolverHostsSearchAndFailover(t *testing.T) {
	down := startTestDNS(t, func(string, uint16, bool) testAnswer { return testAnswer{silent: true} })
	up := startTestDNS(t, func(name string, _ uint16, _ bool) testAnswer {
		if name == "box.corp.test" {
			return testAnswer{records: []testRR{{name, DNSTypeA, 60, "10.1.1.1"}}}
		}
		// A failure, not NXDOMAIN: a (negative) answer for the bare
		// name would end the lookup before the search list, as in silly.
		return testAnswer{rcode: 2}
	})
	r := newTestResolver(t, DNSConf{
		Nameservers: []string{down.addr, up.addr},
		Search:      []string{"Corp.Test"},
		Options:     map[string]int{"timeout": 1, "attempts": 1},
	})
	ctx := context.Background()
	r.SetHosts("# comment\n10.2.3.4 pinned.test other.test ; trailing\nnot-an-ip bogus.test\n")
	if data, err := r.Resolve(ctx, "Pinned.Test", DNSTypeA, time.Second); err != "" || len(data) != 1 || data[0] != "10.2.3.4" {
		t.Fatalf("hosts: %v %q", data, err)
	}
	// The first server never answers: the lookup times out and counts a
	// failure, so the next lookup starts at the second server.
	if _, err := r.Resolve(ctx, "box", DNSTypeA, 3*time.Second); err != ErrTimedOut {
		t.Fatalf("down server: %q", err)
	}
	data, err := r.Resolve(ctx, "box", DNSTypeA, 3*time.Second)
	if err != "" || len(data) != 1 || data[0] != "10.1.1.1" {
		t.Fatalf("search list after failover: %v %q", data, err)
	}
	// dns.conf without servers falls back to 8.8.8.8 and drops caches.
	r.Configure(DNSConf{})
	r.mu.Lock()
	addr := r.servers[0].addr
	r.mu.Unlock()
	if addr != "8.8.8.8:53" {
		t.Fatalf("default server %q", addr)
	}
}

func TestParseDNSAnswerRejectsMalformed(t *testing.T) {
	q := dnsQuestion("x.test", DNSTypeA, 7)
	resp := append([]byte(nil), q[:len(q)-11]...)
	resp[2] |= 0x80
	resp[11] = 0 // no OPT
	if _, ok := parseDNSAnswer(resp); !ok {
		t.Fatal("well-formed response rejected")
	}
	noQR := append([]byte(nil), resp...)
	noQR[2] &^= 0x80
	if _, ok := parseDNSAnswer(noQR); ok {
		t.Fatal("a query (QR=0) was accepted as an answer")
	}
	twoQ := append([]byte(nil), resp...)
	twoQ[5] = 2
	if _, ok := parseDNSAnswer(twoQ); ok {
		t.Fatal("QDCOUNT 2 accepted")
	}
	loop := append([]byte(nil), resp[:dnsHeaderSize]...)
	loop = append(loop, 0xC0, dnsHeaderSize, 0, 1, 0, 1) // a pointer to itself
	if _, ok := parseDNSAnswer(loop); ok {
		t.Fatal("compression loop accepted")
	}
	if validDNSName(strings.Repeat("a", 64)+".test") || !validDNSName("a.test.") || validDNSName("") {
		t.Fatal("validDNSName")
	}
}
