#!/bin/bash
# headtohead.sh: server CPU per echoed message of two golua-ws builds against
# the gorilla server, with the servers loaded AT THE SAME TIME (one wsbench
# client each), so that all of them see the same machine state. On a shared
# machine whose load moves by ±50% from one second to the next, the matrix's
# one-target-at-a-time rounds cannot tell a 10% change; this can.
#
#   bench/headtohead.sh CONNS SIZE ROUNDS DURATION NEW_BIN BASE_BIN [WSBENCH_BIN]
#
# Each round loads gorilla, eco (BASE_BIN) and eco (NEW_BIN) together, then
# gorilla, silly (BASE_BIN) and silly (NEW_BIN) together, and prints one line
# per target (wsbench's result line). Run from the repository root.
#
# Two knobs, for a quiet machine where the question is CPU per message on one
# core rather than under contention:
#   PIN=1        servers run on CPU 0 and the load generators on CPU 1
#                (taskset), so each server's work shares no core with its load
#                and gorilla's own figure stops moving with where the Go
#                scheduler put things (±5% between rounds instead of ±20%).
#   ONEATATIME=1 within a round, the targets are loaded one after another
#                rather than together.
set -eu
CONNS=$1 SIZE=$2 ROUNDS=$3 DUR=$4 NEW=$5 BASE=$6
WS=${7:-}
if [ -z "$WS" ]; then
	WS=$(mktemp -d)/wsbench
	go build -o "$WS" ./cmd/wsbench
fi
ulimit -n "$(ulimit -Hn)"
SRVPIN=() LOADPIN=()
if [ "${PIN:-}" = 1 ]; then
	SRVPIN=(taskset -c 0) LOADPIN=(taskset -c 1)
fi
freeport() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
declare -A PID URL
start() { # name port argv...
	local n=$1 p=$2
	shift 2
	"${SRVPIN[@]}" "$@" >/dev/null 2>&1 &
	PID[$n]=$!
	URL[$n]=ws://127.0.0.1:$p/ws
}
p=$(freeport); start gorilla "$p" "$WS" -serve gorilla -addr "127.0.0.1:$p"
p=$(freeport); QUIET=1 start eco-base "$p" "$BASE" scripts/eco/echo_server.lua "$p"
p=$(freeport); QUIET=1 start eco "$p" "$NEW" scripts/eco/echo_server.lua "$p"
p=$(freeport); start silly-base "$p" "$BASE" scripts/silly/echo_server.lua "127.0.0.1:$p"
p=$(freeport); start silly "$p" "$NEW" scripts/silly/echo_server.lua "127.0.0.1:$p"
trap 'kill "${PID[@]}" 2>/dev/null' EXIT
sleep 2
out=$(mktemp -d)
for r in $(seq "$ROUNDS"); do
	for grp in "gorilla eco-base eco" "gorilla silly-base silly"; do
		pids=()
		for t in $grp; do
			"${LOADPIN[@]}" "$WS" -url "${URL[$t]}" -conns "$CONNS" -size "$SIZE" -duration "$DUR" -warmup 1s \
				-server-pid "${PID[$t]}" >"$out/$t" 2>&1 &
			pids+=($!)
			if [ "${ONEATATIME:-}" = 1 ]; then
				wait $! || true
				sleep 0.5
			fi
		done
		wait "${pids[@]}" || true
		sleep 0.5
		for t in $grp; do echo "r$r $t $(cat "$out/$t")"; done | tee -a "$out/all"
	done
done
# Summary: each target's server CPU per message over gorilla's of the same
# round and group, every round, then the median.
summary() {
	awk '
	function cpu(line,   s, v, u) {
		s = substr(line, index(line, "server_cpu/msg=") + 15)
		match(s, /^[0-9.]+/)
		v = substr(s, 1, RLENGTH) + 0
		u = substr(s, RLENGTH + 1, 2)
		if (u == "ms") v *= 1000
		else if (u == "ns") v /= 1000
		return v
	}
	$2 == "gorilla" { g = cpu($0); next }
	{ r[$2] = r[$2] sprintf(" %.2f", cpu($0) / g); n[$2]++; all[$2, n[$2]] = cpu($0) / g }
	END {
		for (t in n) {
			m = n[t]
			for (i = 1; i <= m; i++) a[i] = all[t, i]
			for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] < a[i]) { x = a[i]; a[i] = a[j]; a[j] = x }
			med = (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
			printf "%-10s x gorilla: median %.2f, rounds%s\n", t, med, r[t]
		}
	}'
}
echo
summary <"$out/all"
