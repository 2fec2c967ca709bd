package eco_test

import (
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/spec/specrun"
	"github.com/miekg/dns"
)

// startDNSServer runs a real DNS server (miekg/dns) on 127.0.0.1 over UDP
// with a small zone, and returns its port. "silent.test." is never answered
// (the query's timeout path); a name outside the zone gets NXDOMAIN.
func startDNSServer(t *testing.T) int {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	zone := map[uint16]map[string][]string{
		dns.TypeA:     {"www.test.": {"www.test. 60 IN A 192.0.2.10", "www.test. 60 IN A 192.0.2.11"}, "mail.lan.": {"mail.lan. 60 IN A 192.0.2.25"}},
		dns.TypeAAAA:  {"www.test.": {"www.test. 60 IN AAAA 2001:db8::10"}},
		dns.TypeMX:    {"test.": {"test. 300 IN MX 10 mail.test."}},
		dns.TypeTXT:   {"txt.test.": {`txt.test. 60 IN TXT "hello world"`}, "multi.test.": {`multi.test. 60 IN TXT "a" "b"`}},
		dns.TypeSRV:   {"_ws._tcp.test.": {"_ws._tcp.test. 60 IN SRV 1 5 8443 ws.test."}},
		dns.TypeCNAME: {"alias.test.": {"alias.test. 60 IN CNAME www.test."}},
		dns.TypeSOA:   {"test.": {"test. 60 IN SOA ns.test. admin.test. 2024010101 7200 3600 1209600 300"}},
		dns.TypeCAA:   {"test.": {`test. 60 IN CAA 0 issue "ca.test"`}},
	}
	handler := dns.HandlerFunc(func(w dns.ResponseWriter, req *dns.Msg) {
		q := req.Question[0]
		if q.Name == "silent.test." {
			return
		}
		m := new(dns.Msg)
		m.SetReply(req)
		recs, ok := zone[q.Qtype][q.Name]
		if !ok {
			m.Rcode = dns.RcodeNameError
		}
		for _, s := range recs {
			rr, err := dns.NewRR(s)
			if err != nil {
				t.Errorf("zone record %q: %v", s, err)
				return
			}
			m.Answer = append(m.Answer, rr)
		}
		_ = w.WriteMsg(m)
	})
	srv := &dns.Server{PacketConn: pc, Handler: handler}
	started := make(chan struct{})
	srv.NotifyStartedFunc = func() { close(started) }
	go func() { _ = srv.ActivateAndServe() }()
	select {
	case <-started:
	case <-time.After(5 * time.Second):
		t.Fatal("DNS server did not start")
	}
	t.Cleanup(func() { _ = srv.Shutdown() })
	return pc.LocalAddr().(*net.UDPAddr).Port
}

// TestDNSSpec runs dns_spec.lua against a real DNS server on 127.0.0.1.
func TestDNSSpec(t *testing.T) {
	port := startDNSServer(t)
	specrun.RunToEnd(t, "dns_spec.lua", specrun.Options{
		Flags: coreFatal(),
		Args:  []string{strconv.Itoa(port)},
	}, "dns_spec ok")
}
