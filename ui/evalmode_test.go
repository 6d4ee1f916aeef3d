package ui

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/etherlearn/etherlearn/app"
	"github.com/etherlearn/etherlearn/pipeline"
	"github.com/etherlearn/etherlearn/pipeline/eval"
)

// newTestUIWith builds the window on the test driver for a session with
// the given settings (newTestUI's are fixed).
func newTestUIWith(t *testing.T, st app.Settings) *UI {
	t.Helper()
	a := test.NewApp()
	w := a.NewWindow("EtherLearn")
	u := build(w, app.NewSession(st))
	w.Resize(fyne.NewSize(1280, 800))
	t.Cleanup(func() {
		u.Close()
		a.Quit()
	})
	return u
}

// runUntilEnd starts the simulator from the panel and ticks until the run
// ended and the visible learner tab (if any) shows its last snapshot.
func runUntilEnd(t *testing.T, u *UI) *pipeline.Snapshot {
	t.Helper()
	test.Tap(u.conn.startSim)
	if u.conn.errLabel.Visible() {
		t.Fatalf("error after Start simulator: %s", u.conn.errLabel.Text)
	}
	tickUntil(t, u, "the run's end", func() bool { return !u.sess.Running() && u.sess.Snapshot() != nil })
	return u.sess.Snapshot()
}

// The evaluation fields reach the session and the pipeline, the line
// above the tabs says the mode, and each learner tab's detection record
// has the numbers `run` reports for the same run: a real simulator run of
// 20,000 frames in the window and the same one headless.
func TestEvalModesFromThePanelAndDetectionInTheLearnerTab(t *testing.T) {
	const frames = 20000
	u := newTestUIWith(t, app.Settings{Features: pipeline.DefaultFeatures, Target: "in-band", Seed: 1, MaxFrames: frames})
	c := u.conn
	c.simRate.SetText("0")
	c.simSeed.SetText("1")
	c.labelDelay.SetText("200")
	c.freezeAfter.SetText("0")
	c.episodeGap.SetText("500")
	want := pipeline.EvalModes{LabelDelayFrames: 200, EpisodeGap: 500}
	final := runUntilEnd(t, u)
	if got := u.sess.Settings().Eval; got != want {
		t.Errorf("session's evaluation modes %+v, want %+v", got, want)
	}
	if final.Eval != want || final.Counters.Received != frames {
		t.Fatalf("the pipeline ran %d frames with %+v, want %d with %+v", final.Counters.Received, final.Eval, frames, want)
	}
	tickUntil(t, u, "evaluation line", func() bool { return u.evalLine.shown })
	if got := u.evalLine.text.Text; !strings.Contains(got, "labels delayed 200 frames") || u.evalLine.text.Importance != widget.WarningImportance {
		t.Errorf("evaluation line %q (importance %v)", got, u.evalLine.text.Importance)
	}

	// The same run headless, as `run` reports it.
	var out, errOut strings.Builder
	err := app.RunCommand(t.Context(), []string{"--sim", "default", "--seed", "1", "--count", fmt.Sprint(frames),
		"--features", pipeline.DefaultFeatures, "--label-delay", "200", "--episode-gap", "500", "--report", "json"}, &out, &errOut)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, errOut.String())
	}
	var rep app.Report
	if err := json.Unmarshal([]byte(out.String()), &rep); err != nil {
		t.Fatal(err)
	}
	reported := map[string]eval.DetectionSummary{}
	for _, cl := range rep.Classifiers {
		reported[cl.Name] = cl.Detection
	}
	for _, lt := range u.learners {
		idx, _ := u.learnerTab(lt.spec.Name)
		u.tabs.SelectIndex(idx)
		tickUntil(t, u, lt.spec.Name+" tab shows the last snapshot", func() bool { return lt.snap == final })
		d, ok := reported[lt.spec.Name]
		if !ok {
			t.Fatalf("run reports no %s", lt.spec.Name)
		}
		if d.Episodes == 0 {
			t.Fatalf("%s: no attack episode in %d frames", lt.spec.Name, frames)
		}
		text := lt.detection.Text
		wantLines := []string{
			"(an episode ends after 500 normal frames)",
			fmt.Sprintf("episodes %d · detected %d · missed %d", d.Episodes, d.Detected, d.Missed),
			fmt.Sprintf("recall over an episode's first 50 frames: %.4f", d.MeanRecallFirst),
		}
		if d.Detected > 0 {
			wantLines = append(wantLines, fmt.Sprintf("mean %.1f frames (%.1f ms) · median %.1f frames (%.1f ms)",
				d.MeanDelayFrames, d.MeanDelayMS, d.MedianDelayFrames, d.MedianDelayMS))
		}
		last := d.Recent[len(d.Recent)-1]
		wantLines = append(wantLines, fmt.Sprintf("#%-6d %-18s %8d %8d", last.ID, last.Kind, last.StartFrame, last.AttackFrames))
		for _, w := range wantLines {
			if !strings.Contains(text, w) {
				t.Errorf("%s tab lacks %q; it shows:\n%s", lt.spec.Name, w, text)
			}
		}
	}

	// Changed fields apply on the next start, and the toolbar says so.
	c.labelDelay.SetText("2s")
	c.episodeGap.SetText("1000")
	if got := c.changedSince(*u.toolbar.lastSrc, u.toolbar.lastSettings); !strings.Contains(got, "Label delay") || !strings.Contains(got, "Episode gap") {
		t.Errorf("changed settings %q", got)
	}
	c.labelDelay.SetText("200")
	c.episodeGap.SetText("500")
	if got := c.changedSince(*u.toolbar.lastSrc, u.toolbar.lastSettings); got != "" {
		t.Errorf("changed settings %q after putting them back", got)
	}
}

// Freeze after N labels: the learners freeze, the line says where and
// that the scores are of the frames after it, and the learner tab shows
// the scores before the freeze beside them.
func TestFreezeAfterFromThePanel(t *testing.T) {
	u := newTestUIWith(t, app.Settings{Features: pipeline.DefaultFeatures, Target: "in-band", Seed: 1, MaxFrames: 6000})
	idx, lt := u.learnerTab("random_forest")
	u.tabs.SelectIndex(idx)
	u.conn.simRate.SetText("0")
	u.conn.freezeAfter.SetText(" 3000 ")
	final := runUntilEnd(t, u)
	if got := u.sess.Settings().Eval; got != (pipeline.EvalModes{FreezeAfter: 3000, EpisodeGap: eval.DefaultEpisodeGap}) {
		t.Errorf("session's evaluation modes %+v", got)
	}
	if final.FrozenAt == 0 {
		t.Fatal("the learners were not frozen")
	}
	tickUntil(t, u, "the tab shows the last snapshot", func() bool { return lt.snap == final })
	want := fmt.Sprintf("Evaluation: learners frozen after 3000 labels (at frame %d): the scores are of the frames after it.", final.FrozenAt)
	if got := u.evalLine.text.Text; got != want {
		t.Errorf("evaluation line %q, want %q", got, want)
	}
	for _, w := range []string{"after freeze", "before freeze", "(then frozen)"} {
		if !strings.Contains(lt.scores.Text, w) {
			t.Errorf("scores lack %q:\n%s", w, lt.scores.Text)
		}
	}
	// The wider text pushed the confusion matrix aside.
	d := fyne.CurrentApp().Driver()
	if textEnd, matrix := d.AbsolutePositionForObject(lt.scores).X+lt.scores.MinSize().Width, d.AbsolutePositionForObject(lt.confusion).X; matrix < textEnd {
		t.Errorf("the confusion matrix at x=%v overlaps the scores, which end at x=%v", matrix, textEnd)
	}
}

// Without a mode the line says the scores are plain test-then-train.
func TestInstantLabelsLine(t *testing.T) {
	u := newTestUIWith(t, app.Settings{Features: "basic", Target: "in-band", MaxFrames: 500})
	if u.evalLine.shown {
		t.Error("evaluation line before any run")
	}
	runUntilEnd(t, u)
	tickUntil(t, u, "evaluation line", func() bool { return u.evalLine.shown })
	if got := u.evalLine.text.Text; !strings.Contains(got, "instant labels") || u.evalLine.text.Importance == widget.WarningImportance {
		t.Errorf("evaluation line %q (importance %v)", got, u.evalLine.text.Importance)
	}
}

// A bad evaluation field is a one-line error in the panel and nothing
// starts.
func TestBadEvalFieldIsAnErrorAndNothingStarts(t *testing.T) {
	u := newTestUI(t)
	c := u.conn
	for _, bad := range []struct {
		field *widget.Entry
		value string
		name  string
	}{
		{c.labelDelay, "soon", "label delay"},
		{c.labelDelay, "-500", "label delay"},
		{c.freezeAfter, "1e5", "freeze after"},
		{c.freezeAfter, "-1", "freeze after"},
		{c.episodeGap, "ten", "episode gap"},
	} {
		bad.field.SetText(bad.value)
		if bad.field.Validate() == nil {
			t.Errorf("%s %q passes the field's check", bad.name, bad.value)
		}
		test.Tap(c.startSim)
		if !c.errLabel.Visible() || !strings.HasPrefix(c.errLabel.Text, bad.name) || strings.Contains(c.errLabel.Text, "\n") {
			t.Errorf("%s %q: error %q (shown %v)", bad.name, bad.value, c.errLabel.Text, c.errLabel.Visible())
		}
		c.kind.SetSelected(kindFile)
		c.filePath.SetText("testdata-none.pcapng")
		test.Tap(c.connect)
		if !strings.HasPrefix(c.errLabel.Text, bad.name) {
			t.Errorf("%s %q with Connect: error %q", bad.name, bad.value, c.errLabel.Text)
		}
		if u.sess.Running() || u.sess.Snapshot() != nil {
			t.Fatalf("%s %q: a run started", bad.name, bad.value)
		}
		bad.field.SetText("0")
	}

	// From the toolbar, with the panel folded away and scrolled to its
	// top on a small screen: the panel comes back, scrolled to the error.
	u.win.Resize(fyne.NewSize(1024, 600))
	scroll := u.split.Leading.(*container.Scroll)
	scroll.ScrollToTop()
	u.toolbar.togglePanel()
	c.freezeAfter.SetText("a lot")
	test.Tap(u.toolbar.start)
	if !u.split.Leading.Visible() {
		t.Fatal("the panel with the error stays folded away")
	}
	top := c.content.Position().Y + c.errLabel.Position().Y
	if !strings.HasPrefix(c.errLabel.Text, "freeze after") || top < scroll.Offset.Y || top+c.errLabel.Size().Height > scroll.Offset.Y+scroll.Size().Height {
		t.Errorf("error %q at %v..%v, the panel shows %v..%v", c.errLabel.Text, top, top+c.errLabel.Size().Height,
			scroll.Offset.Y, scroll.Offset.Y+scroll.Size().Height)
	}
	if u.sess.Running() {
		t.Fatal("a run started")
	}
}

// A label delay in frame time reaches the run as a duration, and the line
// says so.
func TestLabelDelayAsADuration(t *testing.T) {
	u := newTestUIWith(t, app.Settings{Features: "basic", Target: "in-band", MaxFrames: 2000})
	u.conn.simRate.SetText("0")
	u.conn.labelDelay.SetText("250ms")
	final := runUntilEnd(t, u)
	if final.Eval.LabelDelay != 250*time.Millisecond || final.Eval.LabelDelayFrames != 0 {
		t.Errorf("the pipeline ran with %+v", final.Eval)
	}
	tickUntil(t, u, "evaluation line", func() bool { return u.evalLine.shown })
	if got, want := u.evalLine.text.Text, "Evaluation: labels delayed 250ms of frame time."; got != want {
		t.Errorf("evaluation line %q, want %q", got, want)
	}
}
