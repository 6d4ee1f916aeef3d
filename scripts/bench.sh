#!/usr/bin/env bash
# make bench: one table of how fast EtherLearn is on this machine.
#
# Rows: frame decoding, each feature set (decode + extract), each learner's
# test-then-train step (predict + learn, at 4 and 16 features), the
# pipeline's per-frame work with every learner, a whole `etherlearn run`
# over a generated capture (default 10^6 frames, extended features, all
# learners), and live runs: `etherlearn sim --listen` pacing frames over
# loopback into `etherlearn run --connect` at 50k, 100k and 200k frames/s.
#
# Go benchmark rows are one core, the median of COUNT runs; frames/s is
# 1e9/(ns per frame). The run rows give wall frames/s and, in the note,
# CPU-seconds (user+sys), so that a busy machine's numbers can be read.
# Allocations of the whole run are pprof's estimate from a heap profile
# (sampled, so approximate); the benchmark rows count them exactly.
#
# The scikit-learn rows compare with what a Python prototype would run:
# scripts/sklearn_loop.py's per-frame loop (predict, then partial_fit, one
# frame per call) over the feature rows and labels EtherLearn's learners
# saw (`run --trace`) for the capture's first SKLEARN_FRAMES frames, with
# the five learners scikit-learn has online (random_forest has no online
# counterpart there). Against it: `run --file` of the same frames, with
# the same five learners (`--learners`) and with all learners; each
# ratio is of frames per CPU-second, medians of COUNT runs. The loop's
# CPU-seconds exclude Python's start, imports and reading the CSV;
# EtherLearn's include the whole process (start, file reading, decode,
# features): both favour scikit-learn.
#
# Tunables (environment): BENCHTIME (default 1s), COUNT (3), FRAMES
# (1000000), LIVE_SECONDS (3), LIVE_RATES ("50000 100000 200000"),
# SKLEARN_FRAMES (20000; 0 skips scikit-learn), PYTHON (/usr/bin/python3,
# with python3-sklearn: `scripts/deps.sh bench`), GO (go).
# Builds everything it needs from the source tree; needs no network once
# the Go modules are in the module cache.
set -euo pipefail
cd "$(dirname "$0")/.."

GO=${GO:-go}
BENCHTIME=${BENCHTIME:-1s}
COUNT=${COUNT:-3}
FRAMES=${FRAMES:-1000000}
LIVE_SECONDS=${LIVE_SECONDS:-3}
LIVE_RATES=${LIVE_RATES:-"50000 100000 200000"}
SKLEARN_FRAMES=${SKLEARN_FRAMES:-20000}
PYTHON=${PYTHON:-/usr/bin/python3}

# Say what is missing before the long part starts.
if [ "$SKLEARN_FRAMES" -gt 0 ] && ! "$PYTHON" -c 'import sklearn' 2>/dev/null; then
	echo "bench: missing: scikit-learn for $PYTHON (Debian package python3-sklearn; scripts/deps.sh bench installs it), or set SKLEARN_FRAMES=0 to leave the comparison out" >&2
	exit 1
fi

work=$(mktemp -d)
sim_pid=
cleanup() {
	if [ -n "$sim_pid" ]; then kill "$sim_pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

say() { echo "bench: $*" >&2; }
rows=$work/rows # what|frames/s|ns/frame|allocs/frame|note
: >"$rows"

# gobench PACKAGE PATTERN LABEL STRIP: run Go benchmarks and add one row
# per benchmark (median ns/op and allocs/op over COUNT runs), labelled
# LABEL followed by the benchmark's name less the regexp STRIP.
gobench() {
	local pkg=$1 pattern=$2 prefix=$3 strip=$4
	say "go test -bench '$pattern' $pkg (count $COUNT, $BENCHTIME each)"
	"$GO" test -run '^$' -bench "$pattern" -benchmem -benchtime "$BENCHTIME" -count "$COUNT" "$pkg" >"$work/go.out" ||
		{
			cat "$work/go.out" >&2
			exit 1
		}
	awk -v prefix="$prefix" -v strip="$strip" '
		/^Benchmark/ && / ns\/op/ {
			name = $1
			sub(/^Benchmark/, "", name)
			sub(/-[0-9]+$/, "", name)
			sub(strip, "", name)
			sub(/\/d=/, ", d=", name)
			ns = ""; allocs = ""
			for (i = 2; i < NF; i++) {
				if ($(i+1) == "ns/op") ns = $i
				if ($(i+1) == "allocs/op") allocs = $i
			}
			if (!(name in count)) order[++n] = name
			count[name]++
			nsv[name, count[name]] = ns
			av[name, count[name]] = allocs
		}
		function median(arr, name, k,   i, j, t, v) {
			for (i = 1; i <= k; i++) v[i] = arr[name, i] + 0
			for (i = 2; i <= k; i++) for (j = i; j > 1 && v[j-1] > v[j]; j--) { t = v[j]; v[j] = v[j-1]; v[j-1] = t }
			return v[int((k + 1) / 2)]
		}
		END {
			for (i = 1; i <= n; i++) {
				name = order[i]; k = count[name]
				ns = median(nsv, name, k)
				printf "%s%s|%.0f|%.0f|%s|median of %d\n", prefix, name, 1e9 / ns, ns, median(av, name, k), k
			}
		}' "$work/go.out" >>"$rows"
}

# jsonfield FILE NAME: a number from run's JSON report.
jsonfield() { sed -n "s/^  \"$2\": \([-0-9.e+]*\),\{0,1\}$/\1/p" "$1" | head -1; }

# timed OUTFILE CMD...: runs CMD with stdout to OUTFILE (stderr shown on
# failure); sets wall and cpu (user + sys seconds).
timed() {
	local out=$1
	shift
	local TIMEFORMAT='%R %U %S'
	if ! { time "$@" >"$out" 2>"$work/cmd.err"; } 2>"$work/time"; then
		cat "$work/cmd.err" >&2
		echo "bench: $* failed" >&2
		exit 1
	fi
	read -r wall user sys <"$work/time"
	cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.3f", u + s }')
}

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
say "building etherlearn"
"$GO" build -o "$work/etherlearn" .
bin=$work/etherlearn

gobench ./pipeline/features/ '^BenchmarkDecode$' "decode" '^Decode$'
gobench ./pipeline/features/ '^BenchmarkDecodeExtract$' "decode + features " '^DecodeExtract/'
gobench ./classifiers/ '^BenchmarkPredictLearn$' "learner " '^PredictLearn/'
gobench ./pipeline/ '^BenchmarkProcessAllLearners$' "pipeline per frame, all learners" '^ProcessAllLearners$'

say "generating a $FRAMES-frame simulator capture"
"$bin" sim --out "$work/capture.pcapng" --count "$FRAMES" 2>/dev/null

say "etherlearn run --file (all learners, extended features)"
timed "$work/file.json" "$bin" run --file "$work/capture.pcapng" --report json --memprofile "$work/mem.pprof"
frames=$(jsonfield "$work/file.json" frames)
allocs=$("$GO" tool pprof -sample_index=alloc_objects -top "$bin" "$work/mem.pprof" 2>/dev/null |
	awk '/of .* total/ { v = $(NF-1); m = 1; if (v ~ /k$/) m = 1e3; if (v ~ /M$/) m = 1e6; if (v ~ /G$/) m = 1e9; sub(/[kMG]$/, "", v); print v * m }')
awk -v f="$frames" -v w="$wall" -v c="$cpu" -v a="${allocs:-0}" -v n="$(nproc)" 'BEGIN {
	printf "run --file, %d frames, parallel (%d cores)|%.0f|%.0f|~%.2f|wall %.2fs, CPU %.2fs: %.0f frames per CPU-second\n", f, n, f / w, w * 1e9 / f, a / f, w, c, f / c }' >>"$rows"

# The same with every learner on the pipeline goroutine (same results).
say "etherlearn run --file --parallel=false"
timed "$work/serial.json" "$bin" run --file "$work/capture.pcapng" --report json --parallel=false
awk -v f="$frames" -v w="$wall" -v c="$cpu" 'BEGIN {
	printf "run --file, %d frames, --parallel=false|%.0f|%.0f||wall %.2fs, CPU %.2fs: %.0f frames per CPU-second\n", f, f / w, w * 1e9 / f, w, c, f / c }' >>"$rows"

# median V...: the median of numbers (the lower middle one of an even count).
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

if [ "$SKLEARN_FRAMES" -gt 0 ]; then
	n=$((SKLEARN_FRAMES < frames ? SKLEARN_FRAMES : frames))
	five=sgd,svm,passive_aggressive,perceptron,naive_bayes
	say "etherlearn run --file --count $n --trace: the feature rows and labels for scikit-learn"
	"$bin" run --file "$work/capture.pcapng" --count "$n" --trace "$work/trace.csv" --report json >"$work/trace.json"
	sk_cpu=() five_cpu=() all_cpu=()
	for i in $(seq "$COUNT"); do
		say "scikit-learn per-frame loop over $n frames ($i of $COUNT)"
		"$PYTHON" scripts/sklearn_loop.py "$work/trace.csv" --json >"$work/sklearn.json"
		sk_cpu+=("$(jsonfield "$work/sklearn.json" cpu_seconds)")
	done
	# EtherLearn's runs take a tenth of a second: at least 5 of each, so
	# that the median is not one scheduling accident.
	el_count=$((COUNT < 5 ? 5 : COUNT))
	say "etherlearn run --file --count $n, the same 5 learners and all learners ($el_count times each)"
	for i in $(seq "$el_count"); do
		timed "$work/five.json" "$bin" run --file "$work/capture.pcapng" --count "$n" --learners "$five" --report json
		five_cpu+=("$cpu")
		timed "$work/all.json" "$bin" run --file "$work/capture.pcapng" --count "$n" --report json
		all_cpu+=("$cpu")
	done
	for f in sklearn five all; do
		got=$(jsonfield "$work/$f.json" frames)
		if [ "$got" != "$n" ]; then
			echo "bench: the $f run saw $got frames, not $n" >&2
			exit 1
		fi
	done
	sk=$(median "${sk_cpu[@]}")
	agree=$(jsonfield "$work/sklearn.json" same_model_agreement)
	version=$(sed -n 's/^  "sklearn_version": "\(.*\)",$/\1/p' "$work/sklearn.json")
	awk -v n="$n" -v c="$sk" -v k="$COUNT" -v v="$version" -v a="$agree" 'BEGIN {
		printf "scikit-learn %s per-frame loop, 5 learners, %d frames (per CPU-second)|%.0f|%.0f||CPU %.2fs, median of %d; its sgd, passive_aggressive and perceptron predict as EtherLearn did on at least %.2f%% of frames\n", v, n, n / c, c * 1e9 / n, c, k, 100 * a }' >>"$rows"
	for set in five all; do
		if [ "$set" = five ]; then
			c=$(median "${five_cpu[@]}") what="the same 5 learners"
		else
			c=$(median "${all_cpu[@]}") what="all learners"
		fi
		awk -v n="$n" -v c="$c" -v s="$sk" -v k="$el_count" -v w="$what" 'BEGIN {
			printf "run --file, %d frames, %s (per CPU-second)|%.0f|%.0f||%.0fx scikit-learn per CPU-second (CPU %.3fs, median of %d)\n", n, w, n / c, c * 1e9 / n, s / c, c, k }' >>"$rows"
	done
fi

for rate in $LIVE_RATES; do
	n=$((rate * LIVE_SECONDS))
	say "live: sim --listen at $rate frames/s into run --connect ($n frames)"
	: >"$work/sim.log"
	"$bin" sim --listen 127.0.0.1:0 --rate "$rate" --count "$n" 2>"$work/sim.log" &
	sim_pid=$!
	addr=
	for _ in $(seq 100); do # wait for the listening address (up to 10 s)
		addr=$(sed -n 's/.* on \(127\.0\.0\.1:[0-9]*\) .*/\1/p' "$work/sim.log" | head -1)
		[ -n "$addr" ] && break
		sleep 0.1
	done
	if [ -z "$addr" ]; then
		cat "$work/sim.log" >&2
		echo "bench: the simulator did not start listening" >&2
		exit 1
	fi
	timed "$work/live.json" "$bin" run --connect "$addr" --count "$n" --duration "$((LIVE_SECONDS * 3 + 10))s" --report json
	kill "$sim_pid" 2>/dev/null || true
	wait "$sim_pid" 2>/dev/null || true
	sim_pid=
	got=$(jsonfield "$work/live.json" frames)
	dropped=$(jsonfield "$work/live.json" dropped)
	learned=$(jsonfield "$work/live.json" learned_per_second)
	secs=$(jsonfield "$work/live.json" seconds)
	sampling=$(sed -n 's/^    "max_learn_one_in": \([0-9]*\),\{0,1\}$/\1/p' "$work/live.json" | head -1)
	predicting=$(sed -n 's/^    "max_predict_one_in": \([0-9]*\),\{0,1\}$/\1/p' "$work/live.json" | head -1)
	awk -v r="$rate" -v f="$got" -v d="$dropped" -v l="$learned" -v s="$secs" -v c="$cpu" -v n="${sampling:-1}" -v m="${predicting:-1}" 'BEGIN {
		printf "live %d frames/s offered (loopback)|%.0f|-|-|dropped %.1f%% (%d of %d), learned %.0f/s (at most 1 in %d, predicted at least 1 in %d), run CPU %.2fs\n", r, f / s, (f > 0 ? 100 * d / f : 0), d, f, l, n, m, c }' >>"$rows"
done

echo
echo "EtherLearn benchmarks on $(nproc) cores, $(uname -m), $("$GO" env GOVERSION); load average $load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
if awk -v l="${load_start%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n) }'; then
	echo "(the machine was busy: wall-clock rows are slower than on an idle machine; compare CPU-seconds)"
fi
echo
awk -F'|' -v header='what|frames/s|ns/frame|allocs/frame|note' -f scripts/mdtable.awk "$rows"
