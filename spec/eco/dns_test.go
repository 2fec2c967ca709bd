package eco_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
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

// mayPing reports whether this process may open unprivileged ICMP sockets:
// its group is in net.ipv4.ping_group_range.
func mayPing() bool {
	b, err := os.ReadFile("/proc/sys/net/ipv4/ping_group_range")
	if err != nil {
		return false
	}
	var lo, hi int
	if _, err := fmt.Sscan(string(b), &lo, &hi); err != nil {
		return false
	}
	gid := os.Getgid()
	return lo <= gid && gid <= hi
}

// TestNetSpec runs net_spec.lua (eco.net, eco.packet) with the test's DNS
// server; a real ping of 127.0.0.1 where the system allows ICMP sockets,
// else the 'Permission denied' path.
func TestNetSpec(t *testing.T) {
	port := startDNSServer(t)
	ping := "noping"
	if mayPing() {
		ping = "ping"
	}
	specrun.RunToEnd(t, "net_spec.lua", specrun.Options{
		Flags: coreFatal(),
		Args:  []string{strconv.Itoa(port), ping},
	}, "net_spec ok")
}

// runInOwnNetns runs script with --fatal-errors in a network namespace of
// its own (unshare(1), as root) after the shell commands setup, and fails t
// unless it prints marker. It skips where that is impossible.
func runInOwnNetns(t *testing.T, script, setup, marker string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root for a network namespace of its own")
	}
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Skip("no unshare(1)")
	}
	abs, _ := filepath.Abs(script)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, unshare, "-n", "sh", "-c",
		setup+` && ip link set lo up && exec "$0" --fatal-errors "$1"`, specrun.Binary(t), abs)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), marker) {
		t.Fatalf("%s: %v\n%s", script, err, out)
	}
}

// TestNetPingSpec pings for real. Where this process may not open ICMP
// sockets, it runs in a network namespace of its own whose ping_group_range
// allows them (the host's setting is left alone).
func TestNetPingSpec(t *testing.T) {
	if !mayPing() {
		runInOwnNetns(t, "net_ping_spec.lua", `echo "0 2147483647" > /proc/sys/net/ipv4/ping_group_range`, "net_ping_spec ok")
		return
	}
	specrun.RunToEnd(t, "net_ping_spec.lua", specrun.Options{Flags: coreFatal()}, "net_ping_spec ok")
}

// TestTunSpec runs tun_spec.lua (open_tun) in a network namespace of its
// own, so that the TUN interface it creates and configures never touches
// the host's network.
func TestTunSpec(t *testing.T) {
	if _, err := os.Stat("/dev/net/tun"); err != nil {
		t.Skipf("no TUN device: %v", err)
	}
	runInOwnNetns(t, "tun_spec.lua", "true", "tun_spec ok")
}
