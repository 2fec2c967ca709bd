package hostile

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Upgrade handlers that report a refused upgrade in the response body.
var hsEcoScript = layerEco("", `
	local ws, err = websocket.upgrade(con, req)
	if not ws then
		con:send_error(400, nil, err)
		return
	end
	ws:send_text("upgraded")`)

var hsSillyScript = layerSilly("", `
		local sock = websocket.upgrade(stream)
		if sock then
			sock:write("upgraded", "text")
			sock:close()
		end`)

const hsKey = "dGhlIHNhbXBsZSBub25jZQ=="

// hsRequests are upgrade requests wscore's validator refuses, with what
// eco must say about each.
var hsRequests = []struct {
	name, request, eco string
}{
	{"post", "POST /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + hsKey + "\r\nContent-Length: 0\r\n\r\n", "bad method: POST"},
	{"duplicate key", "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + hsKey + "\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\n\r\n",
		`duplicate "sec-websocket-key" request header`},
	{"short key", "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: c2hvcnQ=\r\n\r\n", `bad "sec-websocket-key" request header`},
	{"version", "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Version: 8\r\nSec-WebSocket-Key: " + hsKey + "\r\n\r\n", `bad "sec-websocket-version" request header: 8`},
}

func TestHandshakeRefusedEco(t *testing.T)   { hsRun(t, hsEcoScript, true) }
func TestHandshakeRefusedSilly(t *testing.T) { hsRun(t, hsSillyScript, false) }

func hsRun(t *testing.T, script string, eco bool) {
	srv := layerServe(t, script, nil)
	addr := strings.TrimSuffix(strings.TrimPrefix(srv.url, "ws://"), "/ws")
	for _, rq := range hsRequests {
		t.Run(strings.ReplaceAll(rq.name, " ", "_"), func(t *testing.T) {
			status, body := hsSend(t, addr, rq.request)
			if status == http.StatusSwitchingProtocols {
				t.Fatalf("answered 101 to a request wscore refuses")
			}
			if eco && (status != http.StatusBadRequest || !strings.Contains(body, rq.eco)) {
				t.Errorf("status %d, body %q; want 400 with %q", status, body, rq.eco)
			}
		})
	}
	// A valid request still upgrades.
	c := layerDial(t, srv.url, 0)
	defer c.CloseNow()
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, data, err := c.ReadMessage(); err != nil || string(data) != "upgraded" {
		t.Fatalf("valid upgrade: %q, %v", data, err)
	}
}

// hsSend writes a raw request and returns the response's status and body.
func hsSend(t *testing.T, addr, request string) (int, string) {
	t.Helper()
	nc, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	_ = nc.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(nc, request); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(nc), nil)
	if err != nil {
		t.Fatalf("reading the response: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusSwitchingProtocols {
		return resp.StatusCode, ""
	}
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
