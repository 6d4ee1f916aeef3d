#!/usr/bin/env bash
# make bench-memory: does headless memory stay flat as frames pass?
# Issue 14's goal: peak RSS within 10% from 10^6 to 10^7 frames, on the
# `default` and the `random` simulator scenarios.
#
# For each scenario of SCENARIOS and each count of COUNTS, one at a time,
# runs `etherlearn run --sim SCENARIO --count N --report json` (all
# learners, extended features) and prints one table: the peak resident set
# size (the report's memory.max_rss_bytes, the kernel's VmHWM), the Go heap
# in use at the end, wall and CPU seconds (user + sys), and the peak RSS's
# growth from the scenario's first count. 10^7 frames take several minutes
# per scenario on two cores (longer on a busy machine); COUNTS="1000000
# 5000000" is a quicker check. PROFILES=DIR keeps a heap profile of each
# run (DIR/SCENARIO-N.pprof) to compare with
#   go tool pprof -top -sample_index=inuse_space etherlearn DIR/default-1000000.pprof
#
# Tunables (environment): SCENARIOS ("default random"), COUNTS ("1000000
# 10000000"), NICE (0: the niceness to run at), PROFILES (unset), GO (go).
# Exits 1 if a run fails; the table says whether each growth is within 10%.
set -euo pipefail
cd "$(dirname "$0")/.."

GO=${GO:-go}
SCENARIOS=${SCENARIOS:-"default random"}
COUNTS=${COUNTS:-"1000000 10000000"}
NICE=${NICE:-0}
PROFILES=${PROFILES:-}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
say() { echo "bench-memory: $*" >&2; }

# field FILE NAME: a number from the JSON report (any depth; the first).
field() { sed -n "s/^ *\"$2\": \([-0-9.e+]*\),\{0,1\}$/\1/p" "$1" | head -1; }

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
say "building etherlearn"
"$GO" build -o "$work/etherlearn" .
if [ -n "$PROFILES" ]; then mkdir -p "$PROFILES"; fi

rows=$work/rows
: >"$rows"
for scenario in $SCENARIOS; do
	first=
	for n in $COUNTS; do
		say "run --sim $scenario --count $n ($(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1-3 /proc/loadavg))"
		prof=()
		if [ -n "$PROFILES" ]; then prof=(--memprofile "$PROFILES/$scenario-$n.pprof"); fi
		TIMEFORMAT='%R %U %S'
		if ! { time nice -n "$NICE" "$work/etherlearn" run --sim "$scenario" --count "$n" --report json "${prof[@]}" \
			>"$work/report.json" 2>"$work/err"; } 2>"$work/time"; then
			cat "$work/err" >&2
			echo "bench-memory: run --sim $scenario --count $n failed" >&2
			exit 1
		fi
		read -r wall user sys <"$work/time"
		frames=$(field "$work/report.json" frames)
		rss=$(field "$work/report.json" max_rss_bytes)
		heap=$(field "$work/report.json" heap_inuse_bytes)
		if [ "$frames" != "$n" ] || [ -z "$rss" ] || [ "$rss" = 0 ]; then
			echo "bench-memory: run --sim $scenario --count $n reported $frames frames and peak RSS '${rss}' (want $n frames and a peak RSS)" >&2
			exit 1
		fi
		isfirst=0
		if [ -z "$first" ]; then first=$rss isfirst=1; fi
		awk -v s="$scenario" -v n="$n" -v w="$wall" -v u="$user" -v y="$sys" -v r="$rss" -v h="$heap" -v f="$first" -v one="$isfirst" 'BEGIN {
			g = 100 * (r - f) / f
			verdict = one ? "(first)" : sprintf("%+.1f%% %s", g, (g <= 10 ? "within 10%" : "OVER 10%"))
			printf "%s|%d|%.1f|%.1f|%.1f|%.1f|%s\n", s, n, w, u + y, r / 1048576, h / 1048576, verdict }' >>"$rows"
	done
done

echo
echo "EtherLearn memory, run --sim, all learners, extended features; $(nproc) cores, $("$GO" env GOVERSION); load average $load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
echo
awk -F'|' -v header='scenario|frames|wall s|CPU s|peak RSS MiB|heap in use MiB|peak RSS vs the first count' -f scripts/mdtable.awk "$rows"
