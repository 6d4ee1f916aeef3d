package app

import (
	"os"
	"runtime"
	"testing"
)

// The report's memory object: the peak RSS is the kernel's high-water mark
// of this process (at most what /proc says after the run, at least what
// the run's heap took), and the heap holds at least the session's learners.
func TestRunReportsMemory(t *testing.T) {
	r := runJSON(t, "--sim", "default", "--count", "2000")
	m := r.Memory
	t.Logf("memory %+v", m)
	// The finished session (extended features' tables, learners) holds
	// about 11 MiB here; without it the heap is under 3 MiB.
	if m.HeapInuseBytes < 6<<20 || m.HeapObjects == 0 {
		t.Errorf("heap in use %d bytes in %d objects after a run", m.HeapInuseBytes, m.HeapObjects)
	}
	if runtime.GOOS != "linux" {
		return
	}
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	hwm := vmHWM(string(status))
	if m.MaxRSSBytes < m.HeapInuseBytes/2 || m.MaxRSSBytes > hwm {
		t.Errorf("max RSS %d bytes; want between half the heap in use (%d) and the high-water mark after the run (%d)",
			m.MaxRSSBytes, m.HeapInuseBytes, hwm)
	}
}

func TestVMHWM(t *testing.T) {
	status := "Name:\tetherlearn\nVmPeak:\t  200000 kB\nVmHWM:\t   54992 kB\nVmRSS:\t   50000 kB\n"
	if got := vmHWM(status); got != 54992*1024 {
		t.Errorf("vmHWM = %d, want %d", got, 54992*1024)
	}
	if got := vmHWM("Name:\tx\nVmHWM:\tlots kB\n"); got != 0 {
		t.Errorf("vmHWM of a bad line = %d, want 0", got)
	}
}
