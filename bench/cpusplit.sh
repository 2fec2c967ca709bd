#!/bin/bash
# cpusplit.sh: where one echo server's CPU per message goes, by layer, with
# the server alone on CPU 0 and its load generator on CPU 1.
#
#   bench/cpusplit.sh PORT SERVER_ARGV...
#
#   bench/cpusplit.sh 19301 /tmp/wsbench -serve gorilla -addr 127.0.0.1:19301
#   QUIET=1 bench/cpusplit.sh 19302 /tmp/golua-ws scripts/eco/echo_server.lua 19302
#   bench/cpusplit.sh 19303 /tmp/golua-ws scripts/silly/echo_server.lua 127.0.0.1:19303
#
# It starts the server, loads it with 1,000 connections × 128 B (CONNS, SIZE),
# samples CPU 0 with `perf record -e cpu-clock` for 4 s in the middle of the
# load (the whole CPU, so that threads the Go runtime starts later are in),
# and prints wsbench's result line, the kernel/user split of the server's
# samples, and its user samples summed by layer, each as µs per message (the
# share of samples times wsbench's server CPU per message). The layers are read from symbol names:
# gopher-lua (the interpreter), maps (Go map lookups: gopher-lua's tables),
# luamod (the bindings), wscore (framing), runtime (golua-ws's scheduler),
# gosched (Go's scheduler and poller), gc, and the rest. Needs perf and
# taskset; WSBENCH (default /tmp/wsbench) is a build of ./cmd/wsbench.
# Run from the repository root.
set -eu
PORT=$1
shift
WS=${WSBENCH:-/tmp/wsbench}
CONNS=${CONNS:-1000} SIZE=${SIZE:-128}
ulimit -n "$(ulimit -Hn)"
out=$(mktemp -d)
taskset -c 0 "$@" >/dev/null 2>&1 &
srv=$!
trap 'kill $srv 2>/dev/null' EXIT
sleep 1.5
taskset -c 1 "$WS" -url "ws://127.0.0.1:$PORT/ws" -conns "$CONNS" -size "$SIZE" -duration 8s -warmup 1s \
	-server-pid "$srv" >"$out/load" 2>&1 &
load=$!
sleep 3
perf record -e cpu-clock -F 4000 -C 0 -o "$out/perf.data" -- sleep 4 >/dev/null 2>&1
wait $load || true
result=$(tail -1 "$out/load")
echo "$result"
permsg=$(echo "$result" | sed -n 's/.*server_cpu\/msg=\([0-9.]*\)\(µs\|ms\|ns\).*/\1 \2/p')
perf report -i "$out/perf.data" --pid "$srv" --percentage relative --no-children --sort sym 2>/dev/null | grep -v '^#' | grep '%' |
	awk -v permsg="$permsg" '
	BEGIN {
		split(permsg, p, " "); us = p[1] + 0
		if (p[2] == "ms") us *= 1000; else if (p[2] == "ns") us /= 1000
	}
	{
		share = $1; sub("%", "", share); share += 0
		sym = $0; sub(/^[^\]]*\] /, "", sym)
		if ($0 ~ /\[k\]/) { kernel += share; next }
		user += share
		layer = "other"
		if (sym ~ /yuin\/gopher-lua/) layer = "gopher-lua"
		else if (sym ~ /mapaccess|internal\/runtime\/maps|aeshash|strhash/) layer = "maps"
		else if (sym ~ /golua-ws\/luamod/) layer = "luamod"
		else if (sym ~ /golua-ws\/wscore|gorilla\/websocket/) layer = "wscore/gorilla"
		else if (sym ~ /golua-ws\/runtime/) layer = "runtime"
		else if (sym ~ /^runtime\.(gopark|goready|ready|schedule|execute|findRunnable|casgstatus|chan|send|recv|netpoll|mcall|park_m|gogo|wakep|startm|stopm|notewake|futex|lock2|unlock2|Gosched|gosched|runq|globrunq|resetspinning|checkTimers|save|reentersyscall|entersyscall|exitsyscall|acquireSudog|releaseSudog)/) layer = "gosched"
		else if (sym ~ /^runtime\.(malloc|newobject|makeslice|growslice|scanobject|scanObject|gcDrain|greyobject|findObject|markBits|wbBuf|bulkBarrier|memclr|nextFree)|span/) layer = "gc"
		by[layer] += share
	}
	END {
		printf "µs per message: total %.2f = kernel %.2f + user %.2f\n", us, us * kernel / 100, us * user / 100
		for (l in by) printf "  %-15s %.2f\n", l, us * by[l] / 100
	}' | (
	read -r head
	echo "$head"
	sort -k2 -nr
)
