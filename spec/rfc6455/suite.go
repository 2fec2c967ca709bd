package rfc6455

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// SuiteOptions describes the target and its documented deviations. The zero
// value means a strict target with no size limit and no compression.
type SuiteOptions struct {
	// MaxMessageSize is the largest message the target accepts. Cases that
	// send a larger message are skipped with the reason printed. 0: no limit
	// (the largest case sends 16 MiB).
	MaxMessageSize int

	// Compression declares that the target negotiates permessage-deflate
	// (RFC 7692). Sections 12 and 13 are skipped without it.
	Compression bool

	// LateUTF8 declares that the target checks UTF-8 only once a whole frame
	// or message has arrived, not as bytes arrive. The fail-fast cases then
	// send the rest of the message and still require 1007 (Autobahn's
	// "non-strict" outcome) instead of requiring the close before the rest.
	LateUTF8 bool

	// QuickSplits limits the "-split" cases of section 6 to the byte
	// boundaries around the point where a sequence becomes invalid, instead
	// of every boundary (for targets where each connection is expensive).
	QuickSplits bool

	// CloseReplyNormal declares that the target answers a close with a valid
	// code by 1000 instead of echoing the code (Autobahn accepts both).
	CloseReplyNormal bool

	// Skip maps a case id to the documented reason it does not apply. A key
	// also covers every case below it: "6.4" skips "6.4.1" and "6.4.1-split".
	Skip map[string]string

	// Timeout bounds each wait for a reply (default 2 s). Large cases scale it.
	Timeout time.Duration

	// ConnectTimeout bounds how long RunClientSuite waits for the client
	// under test to connect after startClient returns (default 10 s).
	ConnectTimeout time.Duration

	// Report, if set, collects every failure so a test can summarise them.
	Report *Report
}

// Report collects case failures across subtests; safe for concurrent use.
type Report struct {
	mu       sync.Mutex
	failures []Failure
}

// Failure is one failed case.
type Failure struct {
	Role string // "server" or "client": the role of the target
	ID   string
	Desc string // what the case sent and expects
	Msg  string // what went wrong
}

func (r *Report) add(f Failure) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failures = append(r.failures, f)
}

// Failures returns the failures so far, ordered by role and case id.
func (r *Report) Failures() []Failure {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := append([]Failure(nil), r.failures...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Role != out[j].Role {
			return out[i].Role > out[j].Role
		}
		return caseLess(out[i].ID, out[j].ID)
	})
	return out
}

// WriteFile writes the failures as text, one block per case.
func (r *Report) WriteFile(path, title string) error {
	var sb strings.Builder
	fs := r.Failures()
	fmt.Fprintf(&sb, "%s\n%d failing case(s)\n\n", title, len(fs))
	for _, f := range fs {
		fmt.Fprintf(&sb, "[%s role] %s\n  case:   %s\n  result: %s\n\n", f.Role, f.ID, f.Desc, f.Msg)
	}
	return os.WriteFile(path, []byte(sb.String()), 0o644)
}

// caseLess orders ids like "6.10.2" numerically, part by part.
func caseLess(a, b string) bool {
	pa, pb := strings.FieldsFunc(a, isSep), strings.FieldsFunc(b, isSep)
	for i := 0; i < len(pa) && i < len(pb); i++ {
		var na, nb int
		_, ea := fmt.Sscan(pa[i], &na)
		_, eb := fmt.Sscan(pb[i], &nb)
		if ea == nil && eb == nil && na != nb {
			return na < nb
		}
		if pa[i] != pb[i] && (ea != nil || eb != nil) {
			return pa[i] < pb[i]
		}
	}
	return len(pa) < len(pb)
}

func isSep(r rune) bool { return r == '.' || r == '-' }

func (o SuiteOptions) timeout() time.Duration {
	if o.Timeout > 0 {
		return o.Timeout
	}
	return 2 * time.Second
}

// skipReason says why a case does not run against this target, or "".
func (o SuiteOptions) skipReason(c *testCase, targetIsClient bool) string {
	for key, why := range o.Skip {
		if c.id == key || strings.HasPrefix(c.id, key+".") || strings.HasPrefix(c.id, key+"-") {
			return fmt.Sprintf("deviation declared for %s: %s", key, why)
		}
	}
	if c.serverOnly && targetIsClient {
		return "applies to servers only"
	}
	if c.clientOnly && !targetIsClient {
		return "applies to clients only"
	}
	if c.deflate != nil && !o.Compression {
		return "target declares no permessage-deflate support (SuiteOptions.Compression is false)"
	}
	if o.MaxMessageSize > 0 && c.size > o.MaxMessageSize {
		return fmt.Sprintf("case sends a %d-byte message; target's declared MaxMessageSize is %d", c.size, o.MaxMessageSize)
	}
	return ""
}

// testCase is one conformance case, written once for both roles against the
// peer abstraction, which masks or not according to the role.
type testCase struct {
	id         string
	desc       string // what is sent and what is expected
	size       int    // largest message payload the case sends
	serverOnly bool
	clientOnly bool
	deflate    *deflateVariant // non-nil: a compression case
	run        func(p *peer)
}

// Cases returns the ids and descriptions of every case, in order, for
// documentation and for building Skip maps.
func Cases() []CaseInfo {
	var out []CaseInfo
	for _, c := range allCases() {
		out = append(out, CaseInfo{ID: c.id, Desc: c.desc})
	}
	return out
}

// CaseInfo names one case.
type CaseInfo struct{ ID, Desc string }

func allCases() []*testCase {
	var cs []*testCase
	cs = append(cs, framingCases()...)
	cs = append(cs, pingCases()...)
	cs = append(cs, rsvCases()...)
	cs = append(cs, opcodeCases()...)
	cs = append(cs, fragmentationCases()...)
	cs = append(cs, utf8Cases()...)
	cs = append(cs, closeCases()...)
	cs = append(cs, limitCases()...)
	cs = append(cs, miscCases()...)
	cs = append(cs, compressionCases()...)
	return cs
}

// RunServerSuite runs every case against an echo server at url (ws://). The
// server must echo each text and binary message with the same type and
// payload, answer pings with pongs and answer the closing handshake. Each
// case opens its own connection and runs as subtest "<id>".
func RunServerSuite(t *testing.T, url string, opts SuiteOptions) {
	t.Helper()
	for _, c := range allCases() {
		t.Run(c.id, func(t *testing.T) {
			if why := opts.skipReason(c, false); why != "" {
				t.Skip(why)
			}
			p := &peer{t: t, c: c, opts: opts, targetIsClient: false, timeout: opts.timeout()}
			p.dial = func() *RawConn { return p.dialServer(url) }
			p.start(p.dial())
			defer p.finish()
			c.run(p)
		})
	}
}

// RunClientSuite runs every case against a client under test. For each case
// the suite listens on 127.0.0.1 and calls startClient with the URL to
// connect to (ws://127.0.0.1:port/<case id>); startClient must start the
// implementation as an echo client (echo each text and binary message with
// the same type and payload, answer pings, answer the closing handshake) and
// return without waiting for it, using t.Cleanup to reap it. The client under
// test should exit when its connection ends.
func RunClientSuite(t *testing.T, startClient func(t *testing.T, url string), opts SuiteOptions) {
	t.Helper()
	for _, c := range allCases() {
		t.Run(c.id, func(t *testing.T) {
			if why := opts.skipReason(c, true); why != "" {
				t.Skip(why)
			}
			p := &peer{t: t, c: c, opts: opts, targetIsClient: true, timeout: opts.timeout()}
			p.dial = func() *RawConn { return p.acceptClient(startClient) }
			p.start(p.dial())
			defer p.finish()
			c.run(p)
		})
	}
}

func (p *peer) dialServer(url string) *RawConn {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var dopts DialOptions
	if p.c.deflate != nil {
		dopts.Header = map[string][]string{"Sec-WebSocket-Extensions": {p.c.deflate.offer}}
	}
	rc, err := DialRaw(ctx, url, dopts)
	if err != nil {
		p.fatalf("opening handshake with the server under test: %v", err)
	}
	if p.c.deflate != nil {
		p.defl = p.c.deflate.checkResponse(p, rc.Extensions)
	} else if rc.Extensions != "" {
		p.fatalf("server negotiated extensions %q that were not offered", rc.Extensions)
	}
	return rc
}

func (p *peer) acceptClient(startClient func(t *testing.T, url string)) *RawConn {
	p.t.Helper()
	srv, err := NewRawServer()
	if err != nil {
		p.fatalf("%v", err)
	}
	defer srv.Close()
	startClient(p.t, srv.URL("/"+p.c.id))
	ct := p.opts.ConnectTimeout
	if ct <= 0 {
		ct = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), ct)
	defer cancel()
	var aopts AcceptOptions
	var negotiated *deflateSession
	var skip string
	aopts.Extensions = func(offer string) (string, error) {
		if p.c.deflate == nil {
			return "", nil // offers of clients are ignored outside section 12/13
		}
		resp, sess, why, err := p.c.deflate.respond(offer)
		negotiated, skip = sess, why
		return resp, err
	}
	rc, err := srv.Accept(ctx, aopts)
	if err != nil {
		p.fatalf("accepting the client under test: %v", err)
	}
	if skip != "" {
		rc.Close()
		p.t.Skip(skip)
	}
	p.defl = negotiated
	return rc
}
