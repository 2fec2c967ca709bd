package chat

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/spec/browser"
	"github.com/golua-ws/golua-ws/spec/specrun"
)

// waitTimeout bounds each wait for the page to show something.
const waitTimeout = 15 * time.Second

// TestChatBrowser opens each chat script's page in headless Chromium as
// two people: they exchange messages through the page's form; the peer
// list shows both and drops the one who leaves; at a phone's 360×740 the
// page has no horizontal overflow and touch-size controls; after the
// server restarts the page reconnects by itself, with one socket.
//
// A screenshot of each dialect's page at 360×740 goes to
// $CHAT_SCREENSHOTS/chat-DIALECT.png (default: the temp directory).
func TestChatBrowser(t *testing.T) {
	for _, dialect := range []string{"eco", "silly"} {
		t.Run(dialect, func(t *testing.T) { runChatBrowser(t, dialect) })
	}
}

func runChatBrowser(t *testing.T, dialect string) {
	b := browser.Start(t)
	c := chatCase{dialect: dialect, mode: "embedded", presence: true}
	port := specrun.FreePort(t)
	srv := startOn(t, c, "", port)
	base := "http://127.0.0.1:" + strconv.Itoa(port) + "/"

	alice := b.Open(base + "?name=alice")
	bob := b.Open(base + "?name=bob")
	const state = `document.body.dataset.state`
	const peers = `Array.from(document.querySelectorAll("#peerlist li")).map(e => e.textContent)`
	const messages = `Array.from(document.querySelectorAll("#log .msg")).map(e => e.textContent).sort()`
	const status = `document.getElementById("status").textContent`
	for _, p := range []*browser.Page{alice, bob} {
		p.WaitEval(state, `"connected"`, waitTimeout, "connected")
		p.WaitEval(peers, `["alice","bob"]`, waitTimeout, "peer list with both")
		p.WaitEval(`document.getElementById("count").textContent`, `"2"`, waitTimeout, "peer count")
	}
	if got := alice.Eval(status); got != `"connected"` {
		t.Fatalf("status %s, want \"connected\"", got)
	}
	if got := alice.Eval(`document.querySelector("#peerlist li.self").textContent`); got != `"alice"` {
		t.Fatalf("alice's page marks %s as its own name", got)
	}

	say := func(p *browser.Page, text string) {
		t.Helper()
		q, _ := json.Marshal(text)
		p.Eval(`document.getElementById("text").value = ` + string(q) + `; document.getElementById("send").click(); true`)
	}
	say(alice, "hello from alice")
	say(bob, "hello from bob")
	for _, p := range []*browser.Page{alice, bob} {
		p.WaitEval(messages, `["hello from alice","hello from bob"]`, waitTimeout, "both messages")
	}

	// A phone: 360×740 CSS pixels, touch. One unbreakable long word must
	// wrap, not widen the page.
	alice.SetViewport(360, 740, true)
	long := strings.Repeat("w", 120)
	say(bob, long)
	alice.WaitEval(`Array.from(document.querySelectorAll("#log .msg")).some(e => e.textContent === "`+long+`")`, "true", waitTimeout, "long message")
	if got := alice.Eval(`window.innerWidth`); got != "360" {
		t.Fatalf("layout viewport %s px wide at a 360 px screen: the viewport meta is not honoured", got)
	}
	alice.WaitEval(`document.documentElement.scrollWidth <= document.documentElement.clientWidth && document.body.scrollWidth <= 360`,
		"true", waitTimeout, "no horizontal overflow at 360 px")
	// Touch targets: the send button and the message field are at least
	// 44 CSS px high, and the input's text is 16 px (no zoom on focus).
	if got := alice.Eval(`["send","text"].every(id => document.getElementById(id).getBoundingClientRect().height >= 44)`); got != "true" {
		t.Fatal("controls lower than 44 px at 360 px")
	}
	if got := alice.Eval(`[...document.querySelectorAll("*")].filter(e => { const r = e.getBoundingClientRect(); return r.right > 360.5 || r.left < -0.5; }).map(e => e.tagName + "#" + e.id)`); got != "[]" {
		t.Fatalf("elements outside the 360 px viewport: %s", got)
	}
	// The page fills the screen: the peer strip above the messages, the
	// form at the bottom edge.
	if got := alice.Eval(`(() => { const r = (id) => document.getElementById(id).getBoundingClientRect();
		return r("peers").bottom <= r("log").top + 0.5 && Math.abs(r("form").bottom - 740) < 1; })()`); got != "true" {
		t.Fatal("at 360×740 the peer list is not above the messages or the form is not at the bottom")
	}
	dir := os.Getenv("CHAT_SCREENSHOTS")
	if dir == "" {
		dir = os.TempDir()
	}
	shot := filepath.Join(dir, "chat-"+dialect+".png")
	alice.Screenshot(shot)
	t.Logf("screenshot: %s", shot)

	// Bob closes his tab: he leaves alice's list.
	bob.Close()
	alice.WaitEval(peers, `["alice"]`, waitTimeout, "peer list after bob left")

	// The server restarts: the page says it is offline, retries with
	// backoff, and comes back on one socket, with its name.
	srv.Stop()
	alice.WaitEval(state, `"waiting"`, waitTimeout, "offline state")
	if got := alice.Eval(status); !strings.Contains(got, "retrying in") {
		t.Fatalf("offline status %s does not say it retries", got)
	}
	startOn(t, c, "", port)
	alice.WaitEval(state, `"connected"`, 30*time.Second, "reconnected")
	alice.WaitEval(peers, `["alice"]`, waitTimeout, "peer list after the restart")
	if got := alice.Eval(`chatStats.live`); got != "1" {
		t.Fatalf("%s sockets open after reconnecting, want 1", got)
	}
	say(alice, "back again")
	alice.WaitEval(`Array.from(document.querySelectorAll("#log .msg")).map(e => e.textContent).includes("back again")`,
		"true", waitTimeout, "message after the restart")
}
