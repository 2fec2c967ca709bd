// Package rfc6455 is golua-ws's conformance suite for RFC 6455 (The WebSocket
// Protocol) and RFC 7692 (permessage-deflate), organised like the sections of
// Autobahn|Testsuite: 1 framing, 2 ping/pong, 3 reserved bits, 4 opcodes,
// 5 fragmentation, 6 UTF-8 handling, 7 close handling, 9 limits (bounded
// sizes), 10 miscellaneous, 12/13 compression.
//
// The suite drives any WebSocket implementation in both roles with a peer that
// reads and writes raw bytes, so it can send what a well-behaved library never
// would (reserved bits, bad opcodes, bytes split at every boundary):
//
//   - RunServerSuite dials an echo server under test with RawConn, crafts
//     masked frames and asserts the exact frames, close code and TCP close that
//     come back.
//   - RunClientSuite runs a RawServer on 127.0.0.1, lets the implementation
//     under test connect to it as an echo client (one connection per case),
//     sends crafted unmasked frames and asserts what the client echoes back.
//
// Each case is a subtest named by its Autobahn id ("1.1.1", "5.15", "6.4.3").
// Cases this project added beyond Autobahn are marked "golua addition" in
// their description. SuiteOptions declares a target's documented deviations;
// every skipped case prints the reason.
//
// A target's test calls the suite with its deviations, for example a Lua
// echo server started by the test and a Lua client script run per case:
//
//	func TestEcoEchoServer(t *testing.T) {
//		url := startEchoScript(t) // ws://127.0.0.1:port/
//		rfc6455.RunServerSuite(t, url, rfc6455.SuiteOptions{
//			MaxMessageSize: 1 << 20,
//			Skip: map[string]string{"7.7": "eco replies 1000 to every close"},
//		})
//	}
//
//	func TestSillyClient(t *testing.T) {
//		rfc6455.RunClientSuite(t, func(t *testing.T, url string) {
//			cmd := exec.Command(golua, "client_echo.lua", url)
//			cmd.Start()
//			t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
//		}, rfc6455.SuiteOptions{QuickSplits: true})
//	}
//
// The raw peer (DialRaw, RawServer, RawConn.WriteFrame, RawConn.ReadFrame) is
// exported so other tests can craft frames of their own.
package rfc6455
