// Package browser drives a headless Chromium for the specs that test a page
// as its users see it (spec/chat): it starts the browser with a throwaway
// profile, speaks a minimal Chrome DevTools Protocol over one WebSocket,
// and opens pages with flattened sessions.
package browser

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/internal/testpeer"
	"github.com/gorilla/websocket"
)

// callTimeout bounds every DevTools command.
const callTimeout = 15 * time.Second

// Browser is one headless Chromium and its DevTools connection; it ends
// with the test.
type Browser struct {
	t       *testing.T
	conn    *websocket.Conn
	mu      sync.Mutex // serialises writes and guards nextID, pending
	nextID  int
	pending map[int]chan reply
}

type reply struct {
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Message string `json:"message"`
	} `json:"error"`
}

// Start runs a headless Chromium for the test, found by testpeer ($CHROME,
// else chromium / chromium-browser / google-chrome on PATH). Without one the
// test is skipped, visibly (failed under CI), as every peer-needing test is.
func Start(t *testing.T) *Browser {
	t.Helper()
	bin := testpeer.Find(t, testpeer.Chrome())
	profile, err := os.MkdirTemp("", "golua-ws-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--hide-scrollbars", "--user-data-dir="+profile,
		"--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank")
	// Chromium's helper processes share its process group: end them all,
	// then remove the profile (they may write to it until they are gone).
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
		for i := 0; i < 20 && os.RemoveAll(profile) != nil; i++ {
			time.Sleep(100 * time.Millisecond)
		}
	})
	found := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`DevTools listening on (ws://\S+)`)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
	}()
	var url string
	select {
	case url = <-found:
	case <-time.After(30 * time.Second):
		t.Fatal("chromium did not print its DevTools address")
	}
	conn, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatalf("devtools dial: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	b := &Browser{t: t, conn: conn, pending: map[int]chan reply{}}
	go b.read()
	return b
}

// read routes replies to their callers; events are ignored.
func (b *Browser) read() {
	for {
		_, data, err := b.conn.ReadMessage()
		if err != nil {
			return
		}
		var msg struct {
			ID int `json:"id"`
			reply
		}
		if json.Unmarshal(data, &msg) != nil || msg.ID == 0 {
			continue
		}
		b.mu.Lock()
		ch := b.pending[msg.ID]
		delete(b.pending, msg.ID)
		b.mu.Unlock()
		if ch != nil {
			ch <- msg.reply
		}
	}
}

// Call sends a DevTools command (to a page when session is not empty) and
// decodes its result into out (when not nil); an error fails the test.
func (b *Browser) Call(session, method string, params, out any) {
	b.t.Helper()
	b.mu.Lock()
	b.nextID++
	id := b.nextID
	ch := make(chan reply, 1)
	b.pending[id] = ch
	msg := map[string]any{"id": id, "method": method, "params": params}
	if session != "" {
		msg["sessionId"] = session
	}
	err := b.conn.WriteJSON(msg)
	b.mu.Unlock()
	if err != nil {
		b.t.Fatalf("%s: %v", method, err)
	}
	select {
	case r := <-ch:
		if r.Error != nil {
			b.t.Fatalf("%s: %s", method, r.Error.Message)
		}
		if out != nil {
			if err := json.Unmarshal(r.Result, out); err != nil {
				b.t.Fatalf("%s result: %v", method, err)
			}
		}
	case <-time.After(callTimeout):
		b.t.Fatalf("%s: no reply within %v", method, callTimeout)
	}
}

// Page is one tab.
type Page struct {
	b       *Browser
	target  string
	Session string
}

// Open opens url in a new tab.
func (b *Browser) Open(url string) *Page {
	b.t.Helper()
	var tgt struct {
		TargetID string `json:"targetId"`
	}
	b.Call("", "Target.createTarget", map[string]any{"url": url}, &tgt)
	var att struct {
		SessionID string `json:"sessionId"`
	}
	b.Call("", "Target.attachToTarget", map[string]any{"targetId": tgt.TargetID, "flatten": true}, &att)
	return &Page{b: b, target: tgt.TargetID, Session: att.SessionID}
}

// Close closes the tab, as a user closing it: its sockets close.
func (p *Page) Close() {
	p.b.t.Helper()
	p.b.Call("", "Target.closeTarget", map[string]any{"targetId": p.target}, nil)
}

// Eval evaluates a JavaScript expression in the page and returns its value
// as JSON.
func (p *Page) Eval(expr string) string {
	p.b.t.Helper()
	v, err := p.eval(expr)
	if err != nil {
		p.b.t.Fatal(err)
	}
	return v
}

// eval is Eval with a JavaScript exception returned as an error.
func (p *Page) eval(expr string) (string, error) {
	p.b.t.Helper()
	var res struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	p.b.Call(p.Session, "Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true}, &res)
	if res.ExceptionDetails != nil {
		return "", fmt.Errorf("evaluating %s: %s", expr, res.ExceptionDetails.Text)
	}
	return string(res.Result.Value), nil
}

// WaitEval evaluates expr until its JSON is want, failing the test after
// timeout with what it was. An exception counts as not yet (the page may
// still be loading).
func (p *Page) WaitEval(expr, want string, timeout time.Duration, what string) {
	p.b.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		got, err := p.eval(expr)
		if err == nil && got == want {
			return
		}
		if time.Now().After(deadline) {
			if err != nil {
				got = err.Error()
			}
			p.b.t.Fatalf("%s: %s is %s, want %s (after %v)", what, expr, got, want, timeout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// SetViewport emulates a device of width×height CSS pixels (mobile: touch
// and the viewport meta tag honoured, as on a phone).
func (p *Page) SetViewport(width, height int, mobile bool) {
	p.b.t.Helper()
	p.b.Call(p.Session, "Emulation.setDeviceMetricsOverride", map[string]any{
		"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile,
	}, nil)
	if mobile {
		p.b.Call(p.Session, "Emulation.setTouchEmulationEnabled", map[string]any{"enabled": true, "maxTouchPoints": 5}, nil)
	}
}

// Screenshot writes a PNG of the page's viewport to path.
func (p *Page) Screenshot(path string) {
	p.b.t.Helper()
	var shot struct {
		Data string `json:"data"`
	}
	p.b.Call(p.Session, "Page.captureScreenshot", map[string]any{"format": "png"}, &shot)
	png, err := base64.StdEncoding.DecodeString(shot.Data)
	if err != nil || len(png) == 0 {
		p.b.t.Fatalf("screenshot: %d bytes, %v", len(png), err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.b.t.Fatalf("screenshot: %v", err)
	}
}
