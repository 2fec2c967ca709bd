// Package bench is golua-ws's end-to-end WebSocket load benchmark.
//
// It holds the load client used by cmd/wsbench (closed-loop echo load with a
// bounded latency histogram and byte-for-byte checking of every echo), the
// two pure-Go echo servers that serve as baselines (one on wscore, one on
// gorilla/websocket), and the harness that, in one run, starts every target
// as a separate process on a free 127.0.0.1 port, drives the
// connections × message-size matrix against each, measures the server's
// resident memory per idle connection, and reports everything as ratios to
// the wscore baseline measured in the same run.
//
// Run the whole matrix with either of
//
//	go test -run '^$' -bench . -benchtime 1x -timeout 30m ./bench/
//	go run ./cmd/wsbench -matrix
//
// The benchmarks take their sizes from WSBENCH_DURATION, WSBENCH_WARMUP,
// WSBENCH_CONNS, WSBENCH_SIZES, WSBENCH_TARGETS, WSBENCH_IDLE and
// WSBENCH_CLIENT (see bench_test.go); the command from its -matrix-* flags.
//
// Besides messages per second and latency percentiles, every cell reports
// the user+system CPU time per message of the server process and of the
// load client. On a small machine the client and the server share the
// cores, so throughput ratios also depend on the client; CPU per message of
// the server does not.
//
// The fan-out benchmark (Fanout, RunFanout; wsbench -fanout) measures the
// chat scripts relaying through golua.bus: one publisher connection, N
// subscriber connections, delivery latency and deliveries per second, one
// golua-ws process with the embedded bus against two processes on a real
// nats-server (NATSServer) in the same run.
//
// The tests in this package are functional smoke tests (zero errors and
// mismatches, every echo checked byte for byte); they never assert timings.
package bench
