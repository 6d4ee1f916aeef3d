package sim

import (
	"bytes"
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/etherlearn/etherlearn/pipeline/testkit"
)

func runCmd(args ...string) (stdout, stderr string, err error) {
	var o, e bytes.Buffer
	err = RunCommand(context.Background(), args, &o, &e)
	return o.String(), e.String(), err
}

func TestRunCommandHelpExplainsScenariosAndFlags(t *testing.T) {
	out, _, err := runCmd("--help")
	if err != nil {
		t.Fatalf("--help: %v", err)
	}
	for _, s := range Scenarios() {
		if !strings.Contains(out, "  "+s.Name+" ") || !strings.Contains(out, s.Summary) {
			t.Errorf("--help does not explain scenario %q", s.Name)
		}
	}
	for _, f := range []string{"listen", "serial", "baud", "out", "count", "scenario", "rate", "format", "seed", "target", "drift"} {
		if !strings.Contains(out, "--"+f) {
			t.Errorf("--help does not mention --%s", f)
		}
	}
}

func TestRunCommandOutWritesCountFrames(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.pcapng")
	if _, _, err := runCmd("--out", path, "--count", "250", "--seed", "4"); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := render(t, Config{Seed: 4}, "pcapng", 250)
	if !bytes.Equal(got, want) {
		t.Fatalf("--out file (%d bytes) differs from Stream's 250 frames (%d bytes)", len(got), len(want))
	}
	stdout, _, err := runCmd("--out", "-", "--count", "250", "--seed", "4")
	if err != nil || stdout != string(want) {
		t.Fatalf("--out - : err %v, %d bytes, want the same %d bytes", err, len(stdout), len(want))
	}
}

func TestRunCommandRejectsBadInput(t *testing.T) {
	cases := []struct {
		args []string
		want string // in the error
	}{
		{[]string{"--out", "-", "--scenario", "nope"}, "valid scenarios are default"},
		{[]string{"--out", "-", "--format", "xml"}, "unknown format"},
		{[]string{"--out", "-", "--rate", "-1"}, "negative"},
		{[]string{"--out", "-", "--count", "-5"}, "negative"},
		{[]string{"--out", "-", "--target", "nine"}, "unknown target"},
		{[]string{"--out", "-", "--bogus"}, "not defined"},
		{[]string{"--out", "-", "--rate", "fast"}, "invalid value"},
		{[]string{}, "choose exactly one"},
		{[]string{"--out", "-", "--listen", ":0"}, "choose exactly one"},
		{[]string{"--out", "-", "--baud", "9600"}, "--baud only applies"},
		{[]string{"--out", "-", "extra"}, "unexpected argument"},
	}
	for _, c := range cases {
		_, _, err := runCmd(c.args...)
		if err == nil {
			t.Errorf("%q: no error", c.args)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, c.want) {
			t.Errorf("%q: error %q does not say %q", c.args, msg, c.want)
		}
		if strings.Count(strings.TrimSuffix(msg, "."), "\n") > 0 {
			t.Errorf("%q: error is not one sentence: %q", c.args, msg)
		}
	}
}

func TestRunCommandListenServesUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var stderr testkit.LockedBuffer
	done := make(chan error, 1)
	go func() {
		done <- RunCommand(ctx, []string{"--listen", "127.0.0.1:0", "--rate", "0", "--count", "10"}, &bytes.Buffer{}, &stderr)
	}()
	addr := waitForAddr(t, &stderr)
	got := dialAll(t, addr)
	if want := render(t, Config{Seed: 1}, "pcapng", 10); !bytes.Equal(got, want) {
		t.Fatalf("client got %d bytes, want the %d of 10 frames", len(got), len(want))
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("RunCommand --listen after cancel: %v", err)
	}
}

var servingRE = regexp.MustCompile(`serving scenario \S+ on (\S+) \(`)

// waitForAddr waits until RunCommand says where it listens.
func waitForAddr(t *testing.T, stderr *testkit.LockedBuffer) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if m := servingRE.FindStringSubmatch(stderr.String()); m != nil {
			return m[1]
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("RunCommand never said where it listens; stderr: %q", stderr.String())
	return ""
}

func dialAll(t *testing.T, addr string) []byte {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	b, err := io.ReadAll(c)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
