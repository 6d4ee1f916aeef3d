package app

import (
	"runtime"
	"strconv"
	"strings"
)

// MemoryReport is the report's "memory" object: how much memory the run
// took, so that scripts (scripts/bench_memory.sh) can check that it stays
// flat however many frames pass, without an external time(1).
type MemoryReport struct {
	// MaxRSSBytes is the process's peak resident set size (Linux's
	// VmHWM); 0 where the system does not say.
	MaxRSSBytes uint64 `json:"max_rss_bytes"`
	// HeapInuseBytes is the Go heap in use after the run and a garbage
	// collection: what the finished session still holds (learners,
	// tables, timelines, the last frames), rounded up to whole spans.
	HeapInuseBytes uint64 `json:"heap_inuse_bytes"`
	// HeapObjects counts the heap objects still live then.
	HeapObjects uint64 `json:"heap_objects"`
}

func newMemoryReport() MemoryReport {
	runtime.GC() // what is live, not what the last cycle left behind
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return MemoryReport{MaxRSSBytes: maxRSSBytes(), HeapInuseBytes: ms.HeapInuse, HeapObjects: ms.HeapObjects}
}

// vmHWM reads the "VmHWM:   1234 kB" line of /proc/PID/status, in bytes
// (0 if absent or unreadable).
func vmHWM(status string) uint64 {
	for line := range strings.SplitSeq(status, "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				return 0
			}
			return kb * 1024
		}
	}
	return 0
}
