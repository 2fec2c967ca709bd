package rfc6455

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"
)

// The suite is only worth something if it fails broken targets. Each entry
// runs a few cases against a deliberately broken echo (in a child test
// process, since a failing subtest cannot be contained in this one) and
// requires exactly the listed cases to fail.
var brokenTargets = []struct {
	name, role string
	cases      []string // cases to run
	mustFail   []string // of those, the ones that must fail
}{
	{"wrongtype", "server", []string{"1.1.2", "1.2.2", "2.1"}, []string{"1.1.2"}},
	{"emptypong", "server", []string{"2.1", "2.2"}, []string{"2.2"}},
	{"noutf8", "server", []string{"6.2.1", "6.3.1", "6.7.2"}, []string{"6.3.1"}},
	{"lateutf8", "server", []string{"6.3.1", "6.4.1", "6.4.3"}, []string{"6.4.1", "6.4.3"}},
	{"keepopen", "server", []string{"7.3.3"}, []string{"7.3.3"}},
	{"unmasked", "client", []string{"1.1.1", "10.2.2"}, []string{"1.1.1", "10.2.2"}},
}

func TestSuiteFailsBrokenTargets(t *testing.T) {
	if os.Getenv("RFC6455_BROKEN") != "" {
		t.Skip("inside a child process")
	}
	for _, bt := range brokenTargets {
		t.Run(bt.name, func(t *testing.T) {
			var quoted []string
			for _, c := range bt.cases {
				quoted = append(quoted, regexp.QuoteMeta(c))
			}
			run := "^TestBrokenTarget$/^(" + strings.Join(quoted, "|") + ")$"
			cmd := exec.Command(os.Args[0], "-test.run", run, "-test.v")
			cmd.Env = append(os.Environ(), "RFC6455_BROKEN="+bt.name, "RFC6455_BROKEN_ROLE="+bt.role)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("suite passed the broken target %q:\n%s", bt.name, out)
			}
			for _, c := range bt.cases {
				failed := bytes.Contains(out, []byte("--- FAIL: TestBrokenTarget/"+c+" "))
				want := false
				for _, m := range bt.mustFail {
					want = want || m == c
				}
				if failed != want {
					t.Errorf("case %s against %q: failed=%v, want %v\n%s", c, bt.name, failed, want, out)
				}
			}
		})
	}
}

// TestBrokenTarget is the child half of TestSuiteFailsBrokenTargets.
func TestBrokenTarget(t *testing.T) {
	name := os.Getenv("RFC6455_BROKEN")
	if name == "" {
		t.Skip("run by TestSuiteFailsBrokenTargets")
	}
	if os.Getenv("RFC6455_BROKEN_ROLE") == "client" {
		RunClientSuite(t, func(t *testing.T, url string) {
			done := make(chan struct{})
			go func() { defer close(done); unmaskedEchoClient(url) }()
			t.Cleanup(func() { <-done })
		}, SuiteOptions{})
		return
	}
	up := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		brokenEcho(name, conn)
	}))
	defer srv.Close()
	RunServerSuite(t, "ws"+strings.TrimPrefix(srv.URL, "http"), SuiteOptions{})
}

func brokenEcho(name string, conn *websocket.Conn) {
	defer conn.Close()
	if name == "emptypong" {
		conn.SetPingHandler(func(string) error {
			return conn.WriteControl(websocket.PongMessage, nil, time.Now().Add(time.Second))
		})
	}
	for {
		mt, data, err := conn.ReadMessage()
		if err != nil {
			if name == "keepopen" {
				time.Sleep(4 * time.Second) // never closes TCP in time
			}
			return
		}
		if mt == websocket.TextMessage && name != "noutf8" && !utf8.Valid(data) {
			conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(1007, ""), time.Now().Add(time.Second))
			return
		}
		if name == "wrongtype" && mt == websocket.TextMessage {
			mt = websocket.BinaryMessage
		}
		if err := conn.WriteMessage(mt, data); err != nil {
			return
		}
	}
}

// unmaskedEchoClient echoes messages like a client but never masks and
// ignores masked frames from the server.
func unmaskedEchoClient(url string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := DialRaw(ctx, url, DialOptions{})
	if err != nil {
		return
	}
	defer c.Close()
	for {
		f, err := c.ReadFrame(3 * time.Second)
		if err != nil {
			return
		}
		switch f.Op {
		case OpText, OpBinary:
			c.WriteFrame(true, 0, f.Op, false, f.Payload)
		case OpClose:
			c.WriteFrame(true, 0, OpClose, false, f.Payload)
			return
		}
	}
}

// --- unit tests of the suite's own helpers ---------------------------------

func TestUTF8FailIndexAgreesWithGo(t *testing.T) {
	for _, g := range utf8Groups() {
		for _, s := range g.seqs {
			if got := utf8.Valid(s.b); got != s.valid {
				t.Errorf("%s % x: marked valid=%v, utf8.Valid=%v", g.name, s.b, s.valid, got)
			}
			for k := 0; k <= len(s.b); k++ {
				idx, complete := utf8FailIndex(s.b[:k])
				if want := utf8.Valid(s.b[:k]); (idx < 0 && complete) != want {
					t.Errorf("% x: utf8FailIndex=(%d,%v), utf8.Valid=%v", s.b[:k], idx, complete, want)
				}
			}
		}
	}
	// Fail-fast points from the Autobahn validator's incremental tests.
	for _, c := range []struct {
		in   string
		want int
	}{{"\xf5", 0}, {"edited\xed\xa0\x80", 7}, {"ed\xed\xa0\x80", 3}, {"\xce\xba\xf4\x90", 3}, {"\xdf", -1}} {
		if got, _ := utf8FailIndex([]byte(c.in)); got != c.want {
			t.Errorf("utf8FailIndex(% x) = %d, want %d", c.in, got, c.want)
		}
	}
}

func TestDeflateRoundTripWithContext(t *testing.T) {
	for _, noCtx := range []bool{false, true} {
		for _, bits := range []int{8, 15} {
			out := compressor{noContext: noCtx, windowBits: bits}
			in := decompressor{noContext: noCtx, windowBits: bits}
			c := newCorpus(0)
			for range 20 {
				msg := c.next(3000)
				got, err := in.decompress(out.compress(msg), 1<<20)
				if err != nil || !bytes.Equal(got, msg) {
					t.Fatalf("noCtx=%v bits=%d: round trip failed: %v", noCtx, bits, err)
				}
			}
		}
	}
	// A message compressed with context cannot be inflated without it.
	out := compressor{windowBits: 15}
	msg := textPayload(2000)
	out.compress(msg)
	fresh := decompressor{noContext: true, windowBits: 15}
	if got, err := fresh.decompress(out.compress(msg), 1<<20); err == nil && bytes.Equal(got, msg) {
		t.Fatal("second message inflated without the first one's context; the context check would prove nothing")
	}
}

func TestNegotiationRules(t *testing.T) {
	parse := func(s string, resp bool) deflateParams {
		t.Helper()
		e, err := parseExtensions(s)
		if err != nil || len(e) != 1 {
			t.Fatalf("parse %q: %v", s, err)
		}
		d, err := parseDeflateParams(e[0], resp)
		if err != nil {
			t.Fatalf("params %q: %v", s, err)
		}
		return d
	}
	offer := parse("permessage-deflate; server_no_context_takeover; server_max_window_bits=10; client_max_window_bits", false)
	for resp, ok := range map[string]bool{
		"permessage-deflate; server_no_context_takeover; server_max_window_bits=10":                          true,
		"permessage-deflate; server_no_context_takeover; server_max_window_bits=9; client_max_window_bits=8": true,
		"permessage-deflate; server_max_window_bits=10":                                                      false,
		"permessage-deflate; server_no_context_takeover":                                                     false,
		"permessage-deflate; server_no_context_takeover; server_max_window_bits=11":                          false,
	} {
		if err := responseMatchesOffer(offer, parse(resp, true)); (err == nil) != ok {
			t.Errorf("response %q: err=%v, want ok=%v", resp, err, ok)
		}
	}
	for _, bad := range []string{"permessage-deflate; server_max_window_bits=7", "permessage-deflate; foo", "permessage-deflate; client_no_context_takeover=1", "permessage-deflate; server_max_window_bits=010"} {
		e, _ := parseExtensions(bad)
		if _, err := parseDeflateParams(e[0], true); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
