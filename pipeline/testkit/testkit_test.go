package testkit

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// fakeT records how a helper ends a test instead of ending it.
type fakeT struct {
	testing.TB
	fatal, skip string
}

func (f *fakeT) Helper()           {}
func (f *fakeT) Fatal(args ...any) { f.fatal = fmt.Sprint(args...) }
func (f *fakeT) Skip(args ...any)  { f.skip = fmt.Sprint(args...) }

func TestMissingToolSkipsOrFails(t *testing.T) {
	const tool = "etherlearn-no-such-tool"
	t.Setenv("ETHERLEARN_REQUIRE_TOOLS", "")
	f := &fakeT{}
	NeedTool(f, tool, "nopkg")
	if f.fatal != "" || !strings.Contains(f.skip, tool) || !strings.Contains(f.skip, "nopkg") {
		t.Errorf("without ETHERLEARN_REQUIRE_TOOLS: fatal %q, skip %q; want a skip naming the tool and package", f.fatal, f.skip)
	}
	t.Setenv("ETHERLEARN_REQUIRE_TOOLS", "1")
	f = &fakeT{}
	NeedTool(f, tool, "nopkg")
	if f.skip != "" || !strings.Contains(f.fatal, tool) {
		t.Errorf("with ETHERLEARN_REQUIRE_TOOLS=1: fatal %q, skip %q; want a failure naming the tool", f.fatal, f.skip)
	}
	f = &fakeT{}
	NeedFile(f, "/nonexistent/etherlearn", "nopkg")
	if f.fatal == "" {
		t.Error("NeedFile of a missing file did not fail under ETHERLEARN_REQUIRE_TOOLS=1")
	}
}

// TestOnlyTestsImportTestkit: no package's non-test code imports testkit.
func TestOnlyTestsImportTestkit(t *testing.T) {
	goTool := NeedTool(t, "go", "golang-go")
	out, err := exec.Command(goTool, "list", "-f", "{{.ImportPath}}:{{range .Imports}} {{.}}{{end}}", "github.com/etherlearn/etherlearn/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	const self = "github.com/etherlearn/etherlearn/pipeline/testkit"
	for _, line := range strings.Split(string(out), "\n") {
		pkg, imports, _ := strings.Cut(line, ":")
		for _, imp := range strings.Fields(imports) {
			if imp == self {
				t.Errorf("%s imports testkit outside its tests", pkg)
			}
		}
	}
}

// TestAllocationChecksUseTestkit: allocation counts go through
// AllocsPerRun, which knows not to check them under -race (and the
// Makefile finds the packages to run without -race by that name).
func TestAllocationChecksUseTestkit(t *testing.T) {
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte("testing."+"AllocsPerRun(")) {
			t.Errorf("%s calls testing.AllocsPerRun; use testkit.AllocsPerRun", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
