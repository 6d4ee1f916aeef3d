package app

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// readProfile returns the decompressed protobuf of a pprof file.
func readProfile(t *testing.T, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s is not a gzipped pprof profile: %v", filepath.Base(path), err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("%s: %v", filepath.Base(path), err)
	}
	return b
}

// TestRunWritesProfiles: a real run with --cpuprofile and --memprofile
// leaves two pprof files whose sample types and functions are those of the
// run (the profile's string table holds them in clear).
func TestRunWritesProfiles(t *testing.T) {
	dir := t.TempDir()
	cpu, mem := filepath.Join(dir, "cpu.pprof"), filepath.Join(dir, "mem.pprof")
	r := runJSON(t, "--sim", "default", "--count", "30000", "--cpuprofile", cpu, "--memprofile", mem)
	if r.Frames != 30000 {
		t.Fatalf("run saw %d frames, want 30000", r.Frames)
	}
	c := readProfile(t, cpu)
	for _, want := range []string{"samples", "cpu", "nanoseconds"} {
		if !bytes.Contains(c, []byte(want)) {
			t.Errorf("CPU profile has no %q", want)
		}
	}
	if !bytes.Contains(c, []byte("etherlearn/pipeline")) && !bytes.Contains(c, []byte("etherlearn/classifiers")) {
		t.Error("CPU profile holds no pipeline or classifier function: did it cover the run?")
	}
	m := readProfile(t, mem)
	for _, want := range []string{"inuse_space", "alloc_space", "etherlearn/"} {
		if !bytes.Contains(m, []byte(want)) {
			t.Errorf("memory profile has no %q", want)
		}
	}
}

// TestRunProfileBadPath: an unwritable profile path is a clear error before
// the run starts.
func TestRunProfileBadPath(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-such-dir", "p.pprof")
	for flag, what := range map[string]string{"--cpuprofile": "CPU profile", "--memprofile": "memory profile"} {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		var out, errOut bytes.Buffer
		err := RunCommand(ctx, []string{"--sim", "default", "--count", "10", flag, missing}, &out, &errOut)
		cancel()
		if err == nil || !strings.Contains(err.Error(), what) {
			t.Errorf("%s to a missing directory: error %v, want one about the %s", flag, err, what)
		}
		if out.Len() != 0 {
			t.Errorf("%s to a missing directory: the run went ahead: %s", flag, out.String())
		}
	}
}
