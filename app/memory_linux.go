package app

import "os"

// maxRSSBytes is the peak resident set size, the kernel's VmHWM. Not
// getrusage's ru_maxrss: after exec, that keeps the high-water mark of the
// process image it replaced (a forked `go test` or shell), so it can
// exceed what this program ever used.
func maxRSSBytes() uint64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	return vmHWM(string(status))
}
