// Package testkit holds what the project's tests share: the policy for
// missing tools (skip, or fail under ETHERLEARN_REQUIRE_TOOLS=1), the
// allocation-check rule, a locked buffer and socat pseudo-terminal pairs.
//
// Only _test.go files import it (TestOnlyTestsImportTestkit checks).
package testkit

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"
)

// RequireTools reports whether ETHERLEARN_REQUIRE_TOOLS=1 (as `make test`
// sets it): then a missing tool, file or facility fails a test instead of
// skipping it, so CI cannot pass by skipping.
func RequireTools() bool { return os.Getenv("ETHERLEARN_REQUIRE_TOOLS") == "1" }

// Unavailable ends the test because something it needs is not here: a
// skip, or a failure under ETHERLEARN_REQUIRE_TOOLS=1. why says what is
// missing and how to get it.
func Unavailable(t testing.TB, why string) {
	t.Helper()
	if RequireTools() {
		t.Fatal(why + " (and ETHERLEARN_REQUIRE_TOOLS=1)")
		return
	}
	t.Skip(why + " (ETHERLEARN_REQUIRE_TOOLS=1 makes this a failure)")
}

// NeedTool returns the path of the program tool, installed by the Debian
// package pkg, or ends the test through Unavailable.
func NeedTool(t testing.TB, tool, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(tool)
	if err != nil {
		Unavailable(t, fmt.Sprintf("%s not found (Debian package %s; `make test` installs it)", tool, pkg))
	}
	return p
}

// NeedFile ends the test through Unavailable unless path exists; pkg is
// the Debian package that ships it.
func NeedFile(t testing.TB, path, pkg string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		Unavailable(t, fmt.Sprintf("%s not available (Debian package %s)", path, pkg))
	}
}

// NeedRoot ends the test through Unavailable unless it runs as root.
func NeedRoot(t testing.TB, why string) {
	t.Helper()
	if os.Geteuid() != 0 {
		Unavailable(t, why+" needs root")
	}
}

// AllocsPerRun runs testing.AllocsPerRun(runs, f) and says whether its
// result may be checked. The race detector's instrumentation allocates, so
// under -race the count is only logged (check is false) and f still runs
// as often, for the test's other assertions. `make test` runs every test
// of each package that measures allocations once without -race, so every
// such check runs whatever the test is named.
func AllocsPerRun(t testing.TB, runs int, f func()) (allocs float64, check bool) {
	t.Helper()
	allocs = testing.AllocsPerRun(runs, f)
	if RaceEnabled {
		t.Logf("%v allocations per run under -race (not checked; the run without -race checks)", allocs)
		return allocs, false
	}
	return allocs, true
}

// LockedBuffer is a bytes.Buffer that one goroutine may write while
// another reads (a child process's output, a command's log).
type LockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *LockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String returns what was written so far.
func (l *LockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// PTYPair starts socat joining two pseudo-terminals reachable through the
// symlinks dev and peer (raw, no echo), waits until both exist and returns
// the socat command; killing it "unplugs" the line. The test's cleanup
// stops it. Without socat the test ends through Unavailable.
func PTYPair(t testing.TB, dev, peer string) *exec.Cmd {
	t.Helper()
	socat := NeedTool(t, "socat", "socat")
	cmd := exec.Command(socat, "-d", "pty,raw,echo=0,link="+dev, "pty,raw,echo=0,link="+peer)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	// Polling, not sleeping as synchronisation: socat gives no other sign
	// that the links exist. The deadline only guards against a hang.
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, e1 := os.Stat(dev)
		_, e2 := os.Stat(peer)
		if e1 == nil && e2 == nil {
			return cmd
		}
		if time.Now().After(deadline) {
			t.Fatal("socat did not create the pseudo-terminals in 30 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
