package silly_test

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/internal/testpeer"
	"github.com/golua-ws/golua-ws/spec/specrun"
	"github.com/gorilla/websocket"
)

// wsCDP is a minimal Chrome DevTools Protocol client: commands with ids over
// one WebSocket, flattened sessions for pages, events ignored.
type wsCDP struct {
	c       *websocket.Conn
	mu      sync.Mutex
	nextID  int
	pending map[int]chan wsCDPReply
}

type wsCDPReply struct {
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Message string `json:"message"`
	} `json:"error"`
}

func wsCDPDial(t *testing.T, url string) *wsCDP {
	c, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatalf("devtools dial: %v", err)
	}
	cd := &wsCDP{c: c, pending: map[int]chan wsCDPReply{}}
	go func() {
		for {
			_, data, err := c.ReadMessage()
			if err != nil {
				return
			}
			var msg struct {
				ID int `json:"id"`
				wsCDPReply
			}
			if json.Unmarshal(data, &msg) != nil || msg.ID == 0 {
				continue
			}
			cd.mu.Lock()
			ch := cd.pending[msg.ID]
			delete(cd.pending, msg.ID)
			cd.mu.Unlock()
			if ch != nil {
				ch <- msg.wsCDPReply
			}
		}
	}()
	t.Cleanup(func() { c.Close() })
	return cd
}

func (cd *wsCDP) call(t *testing.T, session, method string, params any, out any) {
	t.Helper()
	cd.mu.Lock()
	cd.nextID++
	id := cd.nextID
	ch := make(chan wsCDPReply, 1)
	cd.pending[id] = ch
	msg := map[string]any{"id": id, "method": method, "params": params}
	if session != "" {
		msg["sessionId"] = session
	}
	err := cd.c.WriteJSON(msg)
	cd.mu.Unlock()
	if err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	select {
	case r := <-ch:
		if r.Error != nil {
			t.Fatalf("%s: %s", method, r.Error.Message)
		}
		if out != nil {
			if err := json.Unmarshal(r.Result, out); err != nil {
				t.Fatalf("%s result: %v", method, err)
			}
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("%s: no reply", method)
	}
}

// eval evaluates a JavaScript expression in a page and returns its JSON.
func (cd *wsCDP) eval(t *testing.T, session, expr string) string {
	t.Helper()
	var res struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
	}
	cd.call(t, session, "Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true}, &res)
	return string(res.Result.Value)
}

func (cd *wsCDP) waitEval(t *testing.T, session, expr, want string, what string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		got := cd.eval(t, session, expr)
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %s is %s, want %s", what, expr, got, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestSillyChatBrowser starts scripts/silly/chat.lua and drives two headless
// Chromium pages: each sends a message through the page's form, and each
// page must show both messages.
func TestSillyChatBrowser(t *testing.T) {
	chromium := testpeer.Find(t, testpeer.Chrome())
	addr := fmt.Sprintf("127.0.0.1:%d", specrun.FreePort(t))
	script := filepath.Join(specrun.Root(t), "scripts", "silly", "chat.lua")
	p := specrun.Start(t, script, specrun.Options{Args: []string{addr}, Timeout: 2 * time.Minute})
	defer p.Stop()
	p.WaitForPort(addr, 10*time.Second)

	profile, err := os.MkdirTemp("", "golua-ws-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+profile, "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
		"about:blank")
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
				found <- m[1]
			}
		}
	}()
	var wsURL string
	select {
	case wsURL = <-found:
	case <-time.After(30 * time.Second):
		t.Fatal("chromium did not print its DevTools address")
	}
	cd := wsCDPDial(t, wsURL)

	page := func() string {
		var tgt struct {
			TargetID string `json:"targetId"`
		}
		cd.call(t, "", "Target.createTarget", map[string]any{"url": "http://" + addr + "/"}, &tgt)
		var att struct {
			SessionID string `json:"sessionId"`
		}
		cd.call(t, "", "Target.attachToTarget", map[string]any{"targetId": tgt.TargetID, "flatten": true}, &att)
		return att.SessionID
	}
	pages := []string{page(), page()}
	for i, s := range pages {
		cd.waitEval(t, s, `document.body && document.body.dataset.ready === "1"`, "true", fmt.Sprintf("page %d connected", i+1))
	}
	msgs := []string{"hello from page one", "hello from page two"}
	for i, s := range pages {
		cd.eval(t, s, fmt.Sprintf(`document.getElementById("text").value = %q; document.getElementById("send").click(); true`, msgs[i]))
	}
	want, _ := json.Marshal(msgs)
	for i, s := range pages {
		cd.waitEval(t, s, `Array.from(document.querySelectorAll("#log .msg")).map(e => e.textContent).sort()`,
			string(want), fmt.Sprintf("page %d messages", i+1))
	}
	if got := cd.eval(t, pages[0], `document.getElementById("status").textContent`); got != `"connected"` {
		t.Fatalf("status %s", got)
	}

	var shot struct {
		Data string `json:"data"`
	}
	cd.call(t, pages[0], "Page.captureScreenshot", map[string]any{"format": "png"}, &shot)
	png, err := base64.StdEncoding.DecodeString(shot.Data)
	if err != nil || len(png) == 0 {
		t.Fatalf("screenshot: %v", err)
	}
	out := filepath.Join(os.TempDir(), "golua-ws-silly-chat.png")
	if err := os.WriteFile(out, png, 0o644); err == nil {
		t.Logf("screenshot: %s", out)
	}
	if strings.Contains(cd.eval(t, pages[1], `document.getElementById("status").textContent`), "dis") {
		t.Fatal("page two disconnected")
	}
}
