package app

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/etherlearn/etherlearn/pipeline"
	"github.com/etherlearn/etherlearn/pipeline/ingest"
)

// waitFor polls cond (the session's state changes on its own goroutines).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not reached in 60s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Start and Stop asked for in quick succession run in that order on the
// worker: the session ends stopped, and each callback comes once.
func TestStartStopInBackgroundRunInOrder(t *testing.T) {
	s := NewSession(Settings{Features: pipeline.DefaultFeatures, Target: "in-band"})
	started := make(chan error, 1)
	stopped := make(chan struct{}, 1)
	s.StartInBackground(SourceConfig{Kind: SourceSim, Scenario: "default", Rate: 2000, Seed: 3}, func(err error) { started <- err })
	s.StopInBackground(func() { stopped <- struct{}{} })
	if err := <-started; err != nil {
		t.Fatalf("start: %v", err)
	}
	<-stopped
	if s.Running() {
		t.Fatal("still running after Start then Stop")
	}
	if st := s.Status(); st.State != StateStopped {
		t.Fatalf("state %q after Stop, want %q", st.State, StateStopped)
	}

	// A second start runs and delivers frames.
	s.StartInBackground(SourceConfig{Kind: SourceSim, Scenario: "default", Rate: 2000, Seed: 3}, func(err error) { started <- err })
	if err := <-started; err != nil {
		t.Fatalf("second start: %v", err)
	}
	waitFor(t, "frames after the second start", func() bool {
		snap := s.Snapshot()
		return snap != nil && snap.Counters.Received > 50
	})
	if err := s.SetParamsInBackground("perceptron", map[string]string{"eta0": "fast"}); err == nil {
		t.Fatal("a bad value accepted")
	}
	if err := s.SetParamsInBackground("perceptron", map[string]string{"eta0": "0.5"}); err != nil {
		t.Fatalf("set params: %v", err)
	}
	if got := s.Settings().Params["perceptron"]["eta0"]; got != "0.5" {
		t.Fatalf("kept eta0 %q", got)
	}
	s.Shutdown()
	if s.Running() {
		t.Fatal("running after Shutdown")
	}
}

// A bad configuration fails in the background and says so in the status.
func TestStartInBackgroundReportsErrorsInStatus(t *testing.T) {
	s := NewSession(Settings{Features: pipeline.DefaultFeatures, Target: "in-band"})
	started := make(chan error, 1)
	s.StartInBackground(SourceConfig{Kind: SourceSim, Scenario: "no-such-scenario"}, func(err error) { started <- err })
	err := <-started
	if err == nil {
		t.Fatal("an unknown scenario started")
	}
	st := s.Status()
	if st.State != StateFailed || st.Message != err.Error() {
		t.Fatalf("status after a failed start: %+v", st)
	}
}

// Shutdown (the window closing) while recording leaves a complete pcapng
// file that reads to its end, and nothing queued runs afterwards.
func TestShutdownLeavesRecordingComplete(t *testing.T) {
	dir := t.TempDir()
	rec := filepath.Join(dir, "rec.pcapng")
	s := NewSession(Settings{Features: pipeline.DefaultFeatures, Target: "in-band", RecordPath: rec})
	started := make(chan error, 1)
	s.StartInBackground(SourceConfig{Kind: SourceSim, Scenario: "default", Rate: 0, Seed: 9}, func(err error) { started <- err })
	if err := <-started; err != nil {
		t.Fatal(err)
	}
	waitFor(t, "frames", func() bool {
		snap := s.Snapshot()
		return snap != nil && snap.Counters.Received > 2000
	})
	s.Shutdown()
	ran := false
	s.StartInBackground(SourceConfig{Kind: SourceSim, Scenario: "default"}, func(error) { ran = true })
	if s.Running() || ran {
		t.Fatal("work ran after Shutdown")
	}

	f, err := os.Open(rec)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := ingest.NewReader(f, ingest.Options{})
	if err != nil {
		t.Fatalf("recording: %v", err)
	}
	n := 0
	for {
		_, err := r.ReadFrame()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("recording frame %d: %v", n+1, err)
		}
		n++
	}
	if n < 2000 {
		t.Fatalf("recording holds %d frames, want at least the 2000 seen before shutdown", n)
	}
	t.Logf("recording complete: %d frames", n)
}
