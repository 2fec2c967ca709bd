package metrics_test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/internal/syncbuf"
	"github.com/golua-ws/golua-ws/luamod"
	"github.com/golua-ws/golua-ws/luamod/golua/metrics"
	"github.com/golua-ws/golua-ws/luamod/golua/worker"
	"github.com/golua-ws/golua-ws/runtime"
	"github.com/gorilla/websocket"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// freePort returns a port that was free a moment ago on 127.0.0.1.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startPool runs script on a pool of workers that report into set.
func startPool(t *testing.T, set *metrics.Set, workers int, script string, args ...string) *syncbuf.Buffer {
	t.Helper()
	out := &syncbuf.Buffer{}
	p, err := worker.NewPool(worker.Config{
		Workers: workers,
		Options: append(set.Options(), runtime.WithStdout(out), runtime.WithStderr(out)),
		Setup:   luamod.Register,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Start(func(rt *runtime.Runtime) { rt.RunFile(script, args...) }); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = p.Shutdown(ctx, 0)
	})
	return out
}

func dial(t *testing.T, url string, out *syncbuf.Buffer) *websocket.Conn {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ws, _, err := websocket.DefaultDialer.Dial(url, nil)
		if err == nil {
			return ws
		}
		if time.Now().After(deadline) {
			t.Fatalf("dial %s: %v; script output:\n%s", url, err, out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// session sends msgs (text when i is even, binary when odd), reads each
// echo back, then closes with 1000 and waits for the server's close.
// It returns the payload bytes sent.
func session(t *testing.T, ws *websocket.Conn, msgs []string) (bytes int) {
	t.Helper()
	_ = ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	for i, m := range msgs {
		typ := websocket.TextMessage + i%2
		if err := ws.WriteMessage(typ, []byte(m)); err != nil {
			t.Fatal(err)
		}
		gt, got, err := ws.ReadMessage()
		if err != nil || gt != typ || string(got) != m {
			t.Fatalf("echo %d: %d %q %v", i, gt, got, err)
		}
		bytes += len(m)
	}
	if err := ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(1000, "bye"), time.Now().Add(5*time.Second)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ws.ReadMessage(); !websocket.IsCloseError(err, 1000) {
		t.Fatalf("after close: %v, want the server's close 1000", err)
	}
	ws.Close()
	return bytes
}

func scrape(t *testing.T, addr string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parse /metrics: %v", err)
	}
	return mfs
}

// sample returns the value of the sample of family name whose labels
// include want ("k=v" pairs), or -1 when there is none.
func sample(mfs map[string]*dto.MetricFamily, name string, want ...string) float64 {
	mf := mfs[name]
	if mf == nil {
		return -1
	}
next:
	for _, m := range mf.Metric {
		have := map[string]string{}
		for _, lp := range m.Label {
			have[lp.GetName()] = lp.GetValue()
		}
		for _, w := range want {
			k, v, _ := strings.Cut(w, "=")
			if have[k] != v {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue()
		case m.Gauge != nil:
			return m.Gauge.GetValue()
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount())
		case m.Untyped != nil:
			return m.Untyped.GetValue()
		}
	}
	return -1
}

// serveRegistry makes a registry with golua-ws's metrics and serves it on a
// free loopback port until the test ends; it returns the set to give the
// runtimes and the address to scrape.
func serveRegistry(t *testing.T) (*metrics.Set, net.Addr) {
	t.Helper()
	reg, set, err := metrics.NewRegistry()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	maddr, err := metrics.Serve(ctx, "127.0.0.1:0", reg)
	if err != nil {
		t.Fatal(err)
	}
	return set, maddr
}

// TestEndpointEchoBothDialects runs an echo session on each dialect's
// server (eco on two workers, silly on one), all reporting into one
// registry served on a real socket, and checks what the scrape says
// against what the client sent.
func TestEndpointEchoBothDialects(t *testing.T) {
	set, maddr := serveRegistry(t)

	ecoPort, sillyPort := freePort(t), freePort(t)
	ecoOut := startPool(t, set, 2, "testdata/eco_echo.lua", strconv.Itoa(ecoPort))
	sillyOut := startPool(t, set, 1, "testdata/silly_echo.lua", fmt.Sprintf("127.0.0.1:%d", sillyPort))

	ecoMsgs := []string{"hello", "binary\x00\x01", strings.Repeat("e", 3000), "x"}
	sillyMsgs := []string{"a", strings.Repeat("s", 100), "hey", "bin", strings.Repeat("z", 70000)}
	ecoBytes := session(t, dial(t, fmt.Sprintf("ws://127.0.0.1:%d/", ecoPort), ecoOut), ecoMsgs)
	sillyBytes := session(t, dial(t, fmt.Sprintf("ws://127.0.0.1:%d/", sillyPort), sillyOut), sillyMsgs)

	// A handshake each server refuses: no Sec-WebSocket-Key.
	for _, port := range []int{ecoPort, sillyPort} {
		req, _ := http.NewRequest("GET", fmt.Sprintf("http://127.0.0.1:%d/", port), nil)
		req.Header.Set("Connection", "Upgrade")
		req.Header.Set("Upgrade", "websocket")
		req.Header.Set("Sec-WebSocket-Version", "13")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("port %d: status %d for a handshake without a key, want 400", port, resp.StatusCode)
		}
	}

	// The servers finish their side of the close after the client has
	// seen it: wait until no connection is open.
	var mfs map[string]*dto.MetricFamily
	deadline := time.Now().Add(10 * time.Second)
	for {
		mfs = scrape(t, maddr.String())
		if sample(mfs, "golua_ws_connections_open", "dialect=eco") == 0 &&
			sample(mfs, "golua_ws_connections_open", "dialect=silly") == 0 &&
			sample(mfs, "golua_ws_handshake_failures_total", "dialect=silly") == 1 &&
			sample(mfs, "golua_ws_handshake_failures_total", "dialect=eco") == 1 {
			break
		}
		if time.Now().After(deadline) {
			var b bytes.Buffer
			for _, mf := range mfs {
				_, _ = expfmt.MetricFamilyToText(&b, mf)
			}
			t.Fatalf("connections still open or handshake failure not counted:\n%s", b.String())
		}
		time.Sleep(20 * time.Millisecond)
	}

	check := func(want float64, name string, labels ...string) {
		t.Helper()
		if got := sample(mfs, name, labels...); got != want {
			t.Errorf("%s%v = %v, want %v", name, labels, got, want)
		}
	}
	for _, d := range []struct {
		dialect string
		msgs    int
		bytes   int
	}{{"eco", len(ecoMsgs), ecoBytes}, {"silly", len(sillyMsgs), sillyBytes}} {
		l := []string{"dialect=" + d.dialect, "role=server"}
		check(1, "golua_ws_connections_total", l...)
		check(float64(d.msgs), "golua_ws_messages_received_total", l...)
		check(float64(d.msgs), "golua_ws_messages_sent_total", l...)
		check(float64(d.bytes), "golua_ws_received_bytes_total", l...)
		check(float64(d.bytes), "golua_ws_sent_bytes_total", l...)
		check(1, "golua_ws_close_received_total", append(l, "code=1000")...)
		check(1, "golua_ws_close_sent_total", append(l, "code=1000")...)
	}
	check(1, "golua_ws_handshake_failures_total", "dialect=silly", "role=server", "reason=bad_handshake")
	check(1, "golua_ws_handshake_failures_total", "dialect=eco", "role=server", "reason=bad_handshake")

	// The scripts' own metrics, with their labels.
	check(2, "eco_echo_messages_total", "typ=text")
	check(2, "eco_echo_messages_total", "typ=binary")
	check(3, "silly_echo_messages_total", "typ=text")
	check(2, "silly_echo_messages_total", "typ=binary")
	check(3, "silly_echo_size_bytes", "typ=text")
	if h := mfs["silly_echo_size_bytes"]; h == nil || h.GetType() != dto.MetricType_HISTOGRAM {
		t.Errorf("silly_echo_size_bytes is not a histogram: %v", h)
	} else {
		for _, m := range h.Metric {
			if m.Label[0].GetValue() == "binary" {
				// 100 bytes and "bin" (3 bytes): one in le=4, both in le=1024.
				b := m.Histogram.Bucket
				if len(b) < 3 || b[0].GetCumulativeCount() != 1 || b[1].GetCumulativeCount() != 1 ||
					b[2].GetCumulativeCount() != 2 || m.Histogram.GetSampleSum() != 103 {
					t.Errorf("binary sizes histogram: %v", m.Histogram)
				}
			}
		}
	}

	// Runtime, Go and process metrics.
	// The eco workers' listening tasks are alive (silly's main chunk has
	// returned; its listener is not a task).
	if got := sample(mfs, "golua_ws_tasks_live"); got < 2 {
		t.Errorf("golua_ws_tasks_live = %v, want at least the two eco listening tasks", got)
	}
	check(0, "golua_ws_task_errors_total")
	if got := sample(mfs, "golua_ws_vm_token_wait_seconds"); got <= 0 {
		t.Errorf("golua_ws_vm_token_wait_seconds has %v observations", got)
	}
	for _, name := range []string{"go_gc_duration_seconds", "go_memstats_heap_alloc_bytes", "process_open_fds"} {
		if mfs[name] == nil {
			t.Errorf("%s missing", name)
		}
	}
}

// TestEndpointClientRole dials from an eco script: a refused handshake
// (a server that answers 404) and an echo session with a Go server; the
// client role's counters match what the script sent.
func TestEndpointClientRole(t *testing.T) {
	set, maddr := serveRegistry(t)
	up := websocket.Upgrader{}
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		for {
			typ, msg, err := c.ReadMessage()
			if err != nil {
				return // gorilla answers the close frame itself
			}
			if err := c.WriteMessage(typ, msg); err != nil {
				return
			}
		}
	}))
	defer echo.Close()
	notWS := httptest.NewServer(http.NotFoundHandler())
	defer notWS.Close()

	out := &syncbuf.Buffer{}
	rt := runtime.New(append(set.Options(), runtime.WithStdout(out), runtime.WithStderr(out), runtime.WithFatalErrors(true))...)
	luamod.Register(rt)
	rt.RunFile("testdata/eco_client.lua", "ws"+strings.TrimPrefix(echo.URL, "http")+"/", "ws"+strings.TrimPrefix(notWS.URL, "http")+"/")
	wctx, wcancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer wcancel()
	code, err := rt.Wait(wctx)
	if err != nil || code != 0 || !strings.Contains(out.String(), "client done") {
		t.Fatalf("script: code %d, %v; output:\n%s", code, err, out.String())
	}
	mfs := scrape(t, maddr.String())
	l := []string{"dialect=eco", "role=client"}
	for _, c := range []struct {
		name   string
		want   float64
		labels []string
	}{
		{"golua_ws_connections_total", 1, l},
		{"golua_ws_messages_sent_total", 2, l},
		{"golua_ws_messages_received_total", 2, l},
		{"golua_ws_sent_bytes_total", 9, l},
		{"golua_ws_received_bytes_total", 9, l},
		{"golua_ws_close_sent_total", 1, append(l, "code=1000")},
		{"golua_ws_close_received_total", 1, append(l, "code=1000")},
		{"golua_ws_handshake_failures_total", 1, append(l, "reason=bad_handshake")},
	} {
		if got := sample(mfs, c.name, c.labels...); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	rt.Close(context.Background())
}

// TestEndpointParkedTasks: an idle connection's handler parks (issue #14)
// and golua_ws_tasks_parked counts it, over the workers of a pool, until
// its next message.
func TestEndpointParkedTasks(t *testing.T) {
	set, maddr := serveRegistry(t)
	port := freePort(t)
	out := startPool(t, set, 2, "testdata/eco_echo.lua", strconv.Itoa(port))
	var conns []*websocket.Conn
	for range 3 {
		ws := dial(t, fmt.Sprintf("ws://127.0.0.1:%d/", port), out)
		defer ws.Close()
		conns = append(conns, ws)
	}
	waitParked := func(want float64) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			got := sample(scrape(t, maddr.String()), "golua_ws_tasks_parked")
			if got == want {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("golua_ws_tasks_parked = %v, want %v", got, want)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	waitParked(3)
	session(t, conns[0], []string{"wake up"})
	waitParked(2)
}
