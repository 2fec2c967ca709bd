package bench

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

func TestFanoutTextRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		seq  int
		sent time.Duration
	}{{0, 0}, {7, 1500 * time.Microsecond}, {123456, 90 * time.Second}} {
		line := "user42: " + fanoutText(tc.seq, tc.sent)
		kind, seq, sent := parseRelayed([]byte(line))
		if kind != measuredMessage || seq != tc.seq || sent != tc.sent {
			t.Errorf("parseRelayed(%q) = %v, %d, %v; want measured, %d, %v", line, kind, seq, sent, tc.seq, tc.sent)
		}
	}
}

func TestParseRelayedTellsMessagesApart(t *testing.T) {
	for line, want := range map[string]fanoutKind{
		"user1: warmup 3":                  warmupMessage,
		"a: b: fanout 1 2":                 otherMessage, // the text is "b: fanout 1 2"
		"* you are user1 on worker 2":      otherMessage,
		"* user3 joined":                   otherMessage,
		"user1: fanout 1":                  otherMessage, // no timestamp
		"user1: fanout x 5":                otherMessage,
		"user1: fanout -1 5":               otherMessage,
		"user1: fanout 1 5 extra":          otherMessage,
		"user1: warmup":                    otherMessage,
		"fanout 1 5":                       otherMessage, // not relayed
		"user1: hello":                     otherMessage,
		"user 1: fanout 3 " + "1000000000": measuredMessage,
	} {
		if got, _, _ := parseRelayed([]byte(line)); got != want {
			t.Errorf("parseRelayed(%q) = %v, want %v", line, got, want)
		}
	}
}

func TestDeliveryTrackerCompletesOnce(t *testing.T) {
	tr := newDeliveryTracker(3, 2)
	if tr.delivered(3) || tr.delivered(-1) {
		t.Fatal("a sequence number that was never sent was accepted")
	}
	tr.delivered(1)
	select {
	case seq := <-tr.complete:
		t.Fatalf("message %d complete after one of two subscribers", seq)
	default:
	}
	tr.delivered(1)
	if seq := <-tr.complete; seq != 1 {
		t.Fatalf("complete: %d, want 1", seq)
	}
}

// chatServer is a reference chat in Go with the chat scripts' protocol:
// a welcome line, then every text message relayed as `NAME: TEXT` to
// every client. drop, when set, keeps every n-th client from getting
// anything after the warm-up, to check that losses are counted.
type chatServer struct {
	mu      sync.Mutex
	clients map[*websocket.Conn]*sync.Mutex
	next    int
	dropNth int
}

func (s *chatServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	up := websocket.Upgrader{}
	c, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer c.Close()
	s.mu.Lock()
	s.next++
	id := s.next
	name := fmt.Sprintf("user%d", id)
	wmu := &sync.Mutex{}
	s.clients[c] = wmu
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.clients, c)
		s.mu.Unlock()
	}()
	wmu.Lock()
	err = c.WriteMessage(websocket.TextMessage, []byte("* you are "+name+" on worker 1"))
	wmu.Unlock()
	if err != nil {
		return
	}
	for {
		_, p, err := c.ReadMessage()
		if err != nil {
			return
		}
		line := []byte(name + ": " + string(p))
		measured := strings.HasPrefix(string(p), fanoutTag)
		s.mu.Lock()
		n := 0
		for peer, pmu := range s.clients {
			n++
			if measured && s.dropNth > 0 && n%s.dropNth == 0 {
				continue
			}
			pmu.Lock()
			_ = peer.WriteMessage(websocket.TextMessage, line)
			pmu.Unlock()
		}
		s.mu.Unlock()
	}
}

func TestFanoutAgainstGoChat(t *testing.T) {
	url := startServer(t, &chatServer{clients: map[*websocket.Conn]*sync.Mutex{}})
	for _, client := range []Client{ClientGorilla, ClientWscore} {
		cfg := FanoutConfig{
			SubscriberURLs: []string{url, url}, PublisherURL: url,
			Subscribers: 50, Messages: 40, Window: 3, Client: client,
		}
		res, err := Fanout(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		if res.Failed() || res.Subscribers != 50 || res.Sent != 40 || res.Delivered != 50*40 {
			t.Fatalf("%s: %v", client, res)
		}
		if res.P50 <= 0 || res.P99 < res.P50 || res.Max < res.P99 || res.DeliveredPerSec <= 0 {
			t.Fatalf("%s: implausible figures %v", client, res)
		}
	}
}

func TestFanoutCountsLosses(t *testing.T) {
	url := startServer(t, &chatServer{clients: map[*websocket.Conn]*sync.Mutex{}, dropNth: 5})
	res, err := Fanout(context.Background(), FanoutConfig{
		SubscriberURLs: []string{url}, PublisherURL: url,
		Subscribers: 9, Messages: 5, StallTimeout: 300 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	// One or two of the ten connections (with the publisher) are skipped;
	// the first measured message can never complete.
	if !res.Failed() || res.Lost == 0 || res.Delivered == 0 {
		t.Fatalf("losses not counted: %v", res)
	}
	if res.Delivered+res.Lost != uint64(res.Sent)*9 {
		t.Fatalf("delivered %d + lost %d != sent %d × 9", res.Delivered, res.Lost, res.Sent)
	}
}

// The cluster test and the fan-out benchmark stop nats-server and start it
// again on the same port.
func TestNATSServerRestartsOnSamePort(t *testing.T) {
	bin, err := FindNATSServer()
	if err != nil {
		t.Fatal(err)
	}
	addr, err := FreeAddr()
	if err != nil {
		t.Fatal(err)
	}
	port, _ := strconv.Atoi(addr[strings.LastIndexByte(addr, ':')+1:])
	ctx := context.Background()
	s, err := StartNATS(ctx, bin, port)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	hello := func() string {
		c, err := net.DialTimeout("tcp", s.Addr(), 2*time.Second)
		if err != nil {
			return err.Error()
		}
		defer c.Close()
		_ = c.SetReadDeadline(time.Now().Add(2 * time.Second))
		line, _ := bufio.NewReader(c).ReadString('\n')
		return line
	}
	if got := hello(); !strings.HasPrefix(got, "INFO ") {
		t.Fatalf("nats-server greeted with %q, want INFO", got)
	}
	s.Stop()
	if s.Pid() != 0 {
		t.Fatal("Pid after Stop is not 0")
	}
	if got := hello(); strings.HasPrefix(got, "INFO ") {
		t.Fatal("still answering after Stop")
	}
	if err := s.Start(ctx); err != nil {
		t.Fatalf("restart on port %d: %v", port, err)
	}
	if got := hello(); !strings.HasPrefix(got, "INFO ") {
		t.Fatalf("after the restart nats-server greeted with %q", got)
	}
	if s.URL() != "nats://"+addr {
		t.Fatalf("URL %q, want nats://%s", s.URL(), addr)
	}
}
