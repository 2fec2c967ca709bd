package rfc6455

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"
)

// gorillaEcho serves one echo connection with gorilla/websocket. gorilla does
// not check UTF-8 in text messages, so the echo does it once the message is
// complete and fails the connection with 1007 itself.
func gorillaEcho(conn *websocket.Conn) {
	defer conn.Close()
	conn.EnableWriteCompression(true)
	for {
		mt, data, err := conn.ReadMessage()
		if err != nil {
			return // gorilla has already answered a close or sent 1002/1009
		}
		if mt == websocket.TextMessage && !utf8.Valid(data) {
			conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseInvalidFramePayloadData, ""), time.Now().Add(time.Second))
			return
		}
		if err := conn.WriteMessage(mt, data); err != nil {
			return
		}
	}
}

// gorillaDeviations are gorilla/websocket's documented non-strict behaviours.
func gorillaDeviations(role string) SuiteOptions {
	skip := map[string]string{
		"7.3.2":  "gorilla treats a 1-byte close payload as 'no status' and answers with an empty close",
		"7.5.1":  "gorilla answers an invalid UTF-8 close reason with 1002, not 1007",
		"7.9.10": "gorilla accepts the IANA-registered close code 1012",
		"7.9.11": "gorilla accepts the IANA-registered close code 1013",
		"7.9.12": "gorilla accepts the IANA-registered close code 1014",
		"10.3.1": "gorilla does not reject a 64-bit length with the most significant bit set",
	}
	if role == "server" {
		// gorilla answers every offer with both no_context_takeover
		// parameters and never with server_max_window_bits, which RFC 7692
		// 7.1.2.1 requires when the offer has it.
		for _, id := range []string{"13.3", "13.4", "13.5", "13.6"} {
			skip[id] = "gorilla's response omits the offered server_max_window_bits"
		}
	}
	return SuiteOptions{
		Compression: true,
		LateUTF8:    true, // gorilla (via the echo above) checks UTF-8 only on whole messages
		Skip:        skip,
	}
}

func TestGorillaServer(t *testing.T) {
	up := websocket.Upgrader{EnableCompression: true, CheckOrigin: func(*http.Request) bool { return true }}
	var wg sync.WaitGroup
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		wg.Add(1)
		defer wg.Done()
		gorillaEcho(conn)
	}))
	defer srv.Close()
	opts := gorillaDeviations("server")
	if testing.Short() {
		opts.QuickSplits = true
	}
	RunServerSuite(t, "ws"+strings.TrimPrefix(srv.URL, "http"), opts)
	wg.Wait()
}

func TestGorillaClient(t *testing.T) {
	opts := gorillaDeviations("client")
	if testing.Short() {
		opts.QuickSplits = true
	}
	RunClientSuite(t, func(t *testing.T, url string) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			d := websocket.Dialer{EnableCompression: true, HandshakeTimeout: 5 * time.Second}
			conn, _, err := d.Dial(url, nil)
			if err != nil {
				t.Logf("gorilla client: %v", err)
				return
			}
			gorillaEcho(conn)
		}()
		t.Cleanup(func() {
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Errorf("gorilla echo client did not exit after its case")
			}
		})
	}, opts)
}
