package silly_test

import (
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	sillyws "github.com/golua-ws/golua-ws/luamod/silly/websocket"
	"github.com/golua-ws/golua-ws/spec/rfc6455"
	"github.com/golua-ws/golua-ws/spec/specrun"
)

// wsSuiteOptions are silly.net.websocket's documented deviations from a
// strict target: none but the protective message limit.
func wsSuiteOptions() rfc6455.SuiteOptions {
	return rfc6455.SuiteOptions{
		MaxMessageSize: sillyws.DefaultMaxMessage,
		QuickSplits:    testing.Short(),
	}
}

// TestSillyConformanceServer runs the RFC 6455 server suite against
// scripts/silly/echo_server.lua.
func TestSillyConformanceServer(t *testing.T) {
	addr := fmt.Sprintf("127.0.0.1:%d", specrun.FreePort(t))
	script := filepath.Join(specrun.Root(t), "scripts", "silly", "echo_server.lua")
	p := specrun.Start(t, script, specrun.Options{Args: []string{addr}, Timeout: 10 * time.Minute})
	defer p.Stop()
	p.WaitForPort(addr, 10*time.Second)
	rfc6455.RunServerSuite(t, "ws://"+addr+"/", wsSuiteOptions())
}

// TestSillyConformanceClient runs the RFC 6455 client suite against silly
// echo clients: scripts/silly/echo_agent.lua starts one silly
// websocket.connect echo loop per case when told the case's URL.
func TestSillyConformanceClient(t *testing.T) {
	addr := fmt.Sprintf("127.0.0.1:%d", specrun.FreePort(t))
	script := filepath.Join(specrun.Root(t), "scripts", "silly", "echo_agent.lua")
	p := specrun.Start(t, script, specrun.Options{Args: []string{addr}, Timeout: 10 * time.Minute})
	defer p.Stop()
	p.WaitForPort(addr, 10*time.Second)
	cl := &http.Client{Timeout: 5 * time.Second}
	rfc6455.RunClientSuite(t, func(t *testing.T, url string) {
		resp, err := cl.Post("http://"+addr+"/connect", "text/plain", strings.NewReader(url))
		if err != nil {
			t.Fatalf("start silly client for %s: %v", url, err)
		}
		resp.Body.Close()
	}, wsSuiteOptions())
}
