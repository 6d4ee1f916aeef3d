package ui

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/etherlearn/etherlearn/app"
	"github.com/etherlearn/etherlearn/pipeline"
	"github.com/etherlearn/etherlearn/pipeline/eval"
)

// leaderboardColumn is the leaderboard column (1 = the first score) with
// the given header.
func leaderboardColumn(t *testing.T, header string) int {
	t.Helper()
	for k, c := range leaderboardColumns {
		if c.Header == header {
			return k + 1
		}
	}
	t.Fatalf("no leaderboard column %q", header)
	return 0
}

// leaderboardRow is the row of the named learner in the overview's
// current order.
func leaderboardRow(t *testing.T, o *overviewTab, name string) int {
	t.Helper()
	for row, i := range o.order {
		if o.snap.Learners[i].Name == name {
			return row
		}
	}
	t.Fatalf("no %s in the leaderboard", name)
	return 0
}

// threeDigitsMS is how the leaderboard shows a delay in milliseconds:
// three decimals below 1 ms, two below 10, one below 100, none above (and
// for 0).
func threeDigitsMS(v float64) string {
	switch {
	case v == 0 || v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v < 1:
		return fmt.Sprintf("%.3f", v)
	case v < 10:
		return fmt.Sprintf("%.2f", v)
	}
	return fmt.Sprintf("%.1f", v)
}

// The leaderboard's detection cells have the numbers `run --report json`
// prints under "detection" for the same run: a real simulator run of
// 20,000 frames in the window and the same one headless.
func TestLeaderboardDetectionEqualsTheJSONReport(t *testing.T) {
	const frames = 20000
	u := newTestUIWith(t, app.Settings{Features: pipeline.DefaultFeatures, Target: "in-band", Seed: 1, MaxFrames: frames})
	u.conn.simRate.SetText("0")
	u.conn.simSeed.SetText("1")
	u.tabs.SelectIndex(0)
	final := runUntilEnd(t, u)
	if final.Counters.Received != frames {
		t.Fatalf("the window's run received %d frames, want %d", final.Counters.Received, frames)
	}
	o := u.overview
	tickUntil(t, u, "the leaderboard shows the last snapshot", func() bool { return o.snap == final })

	var out, errOut strings.Builder
	err := app.RunCommand(t.Context(), []string{"--sim", "default", "--seed", "1", "--count", fmt.Sprint(frames),
		"--features", pipeline.DefaultFeatures, "--report", "json"}, &out, &errOut)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, errOut.String())
	}
	var rep app.Report
	if err := json.Unmarshal([]byte(out.String()), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Evaluation.EpisodeGap != gapOrDefault(final.Eval.EpisodeGap) {
		t.Fatalf("episode gap: run %d, window %d", rep.Evaluation.EpisodeGap, final.Eval.EpisodeGap)
	}
	if len(rep.Classifiers) != len(final.Learners) {
		t.Fatalf("run reports %d classifiers, the window shows %d", len(rep.Classifiers), len(final.Learners))
	}

	detected, recall := leaderboardColumn(t, "detected"), leaderboardColumn(t, "recall@50")
	delay, meanDelay := leaderboardColumn(t, "delay fr"), leaderboardColumn(t, "mean fr")
	delayMS, meanMS := leaderboardColumn(t, "delay ms"), leaderboardColumn(t, "mean ms")
	ncol := 1 + len(leaderboardColumns)
	var withDetections, without int
	for _, c := range rep.Classifiers {
		d := c.Detection
		finished := d.Episodes
		if n := len(d.Recent); n > 0 && d.Recent[n-1].Open {
			finished--
		}
		if finished == 0 {
			t.Fatalf("%s: no finished attack episode in %d frames", c.Name, frames)
		}
		want := map[int]string{
			detected:  fmt.Sprintf("%d/%d", d.Detected, d.Episodes),
			delay:     "–",
			meanDelay: "–",
			delayMS:   "–",
			meanMS:    "–",
			recall:    fmt.Sprintf("%.4f", d.MeanRecallFirst),
		}
		if d.Detected > 0 {
			withDetections++
			want[delay] = fmt.Sprint(d.MedianDelayFrames) // a median of whole numbers: exact
			want[meanDelay] = fmt.Sprintf("%.1f", d.MeanDelayFrames)
			want[delayMS] = threeDigitsMS(d.MedianDelayMS)
			want[meanMS] = threeDigitsMS(d.MeanDelayMS)
		} else {
			without++
		}
		row := leaderboardRow(t, o, c.Name)
		for col, w := range want {
			if got := o.cells[row*ncol+col]; got != w {
				t.Errorf("%s: %s %q, the JSON report's detection says %q (%+v)", c.Name, leaderboardColumns[col-1].Header, got, w,
					struct{ Episodes, Detected, Missed int64 }{d.Episodes, d.Detected, d.Missed})
			}
		}
	}
	// Both kinds of row were compared: numbers and "–".
	if withDetections == 0 || without == 0 {
		t.Errorf("%d learners with detections, %d without: the run does not exercise both kinds of cell", withDetections, without)
	}
}

// Sorting by a detection column: shorter delays first on the first tap,
// and rows without a value ("–": nothing detected, no episode yet) last
// whichever the direction.
func TestLeaderboardSortsByDetection(t *testing.T) {
	u := newTestUI(t)
	s := fakeSnapshot(10)
	s.Learners = append(s.Learners, pipeline.LearnerState{Name: "sgd", Display: "SGD", Accuracy: 0.85, Learned: 10})
	// perceptron: 3 of 4 detected, quickly; no_change: 4 of 4, slower;
	// majority: none; sgd: no episode yet (an empty record).
	s.Learners[0].Detection = eval.DetectionSummary{Episodes: 4, Detected: 3, Missed: 1,
		MedianDelayFrames: 2, MeanDelayFrames: 40, MedianDelayMS: 0.25, MeanDelayMS: 120, MeanRecallFirst: 0.5}
	s.Learners[1].Detection = eval.DetectionSummary{Episodes: 4, Missed: 4}
	s.Learners[2].Detection = eval.DetectionSummary{Episodes: 4, Detected: 4,
		MedianDelayFrames: 12.5, MeanDelayFrames: 14, MedianDelayMS: 3.75, MeanDelayMS: 4.5, MeanRecallFirst: 0.9}
	u.apply(update{snap: s})
	o := u.overview
	names := func() string {
		var out []string
		for _, i := range o.order {
			out = append(out, s.Learners[i].Name)
		}
		return strings.Join(out, ",")
	}
	for _, c := range []struct {
		header    string
		first     string // order on the first tap
		second    string // and on the second
		firstAsc  bool
		sgdCell   string
		majCell   string
		otherCell string // no_change's
	}{
		{"detected", "no_change,perceptron,majority,sgd", "majority,perceptron,no_change,sgd", false, "–", "0/4", "4/4"},
		{"delay fr", "perceptron,no_change,majority,sgd", "no_change,perceptron,majority,sgd", true, "–", "–", "12.5"},
		{"mean fr", "no_change,perceptron,majority,sgd", "perceptron,no_change,majority,sgd", true, "–", "–", "14.0"},
		{"delay ms", "perceptron,no_change,majority,sgd", "no_change,perceptron,majority,sgd", true, "–", "–", "3.75"},
		{"mean ms", "no_change,perceptron,majority,sgd", "perceptron,no_change,majority,sgd", true, "–", "–", "4.50"},
		{"recall@50", "no_change,perceptron,majority,sgd", "majority,perceptron,no_change,sgd", false, "–", "0.0000", "0.9000"},
	} {
		col := leaderboardColumn(t, c.header)
		o.sortBy(col)
		if o.sortAsc != c.firstAsc {
			t.Errorf("%s: the first tap sorts ascending=%v", c.header, o.sortAsc)
		}
		if got := names(); got != c.first {
			t.Errorf("%s, first tap: %s, want %s", c.header, got, c.first)
		}
		ncol := 1 + len(leaderboardColumns)
		for name, want := range map[string]string{"sgd": c.sgdCell, "majority": c.majCell, "no_change": c.otherCell} {
			if got := o.cells[leaderboardRow(t, o, name)*ncol+col]; got != want {
				t.Errorf("%s: %s shows %q, want %q", c.header, name, got, want)
			}
		}
		o.sortBy(col)
		if got := names(); got != c.second {
			t.Errorf("%s, second tap: %s, want %s", c.header, got, c.second)
		}
	}
}

// The detection cells are kept between snapshots but follow every change
// of what they show.
func TestLeaderboardDetectionCellsFollowTheRecord(t *testing.T) {
	u := newTestUI(t)
	s := fakeSnapshot(10)
	s.Learners[0].Detection = eval.DetectionSummary{Episodes: 4, Detected: 3, Missed: 1, MedianDelayFrames: 2, MedianDelayMS: 0.25, MeanRecallFirst: 0.5}
	u.apply(update{snap: s})
	o := u.overview
	ncol := 1 + len(leaderboardColumns)
	for _, c := range []struct {
		change func(d *eval.DetectionSummary)
		header string
		want   string
	}{
		{func(d *eval.DetectionSummary) { d.Episodes = 5 }, "detected", "3/5"},
		{func(d *eval.DetectionSummary) { d.Detected = 4 }, "detected", "4/5"},
		{func(d *eval.DetectionSummary) { d.MedianDelayFrames = 3 }, "delay fr", "3"},
		{func(d *eval.DetectionSummary) { d.MeanDelayFrames = 7.5 }, "mean fr", "7.5"},
		{func(d *eval.DetectionSummary) { d.MedianDelayMS = 0.5 }, "delay ms", "0.500"},
		{func(d *eval.DetectionSummary) { d.MeanDelayMS = 250 }, "mean ms", "250"},
		{func(d *eval.DetectionSummary) { d.MeanRecallFirst = 0.625 }, "recall@50", "0.6250"},
		{func(d *eval.DetectionSummary) { d.Episodes, d.Detected = 1, 1 }, "recall@50", "0.6250"},
		// The same episode, now open: no finished one yet, so no recall.
		{func(d *eval.DetectionSummary) { d.Recent = []eval.EpisodeResult{{ID: 1, Open: true}} }, "recall@50", "–"},
	} {
		// Each change on top of the last, so only the changed field differs.
		next := *s
		next.Seq++
		next.Learners = append([]pipeline.LearnerState(nil), s.Learners...)
		c.change(&next.Learners[0].Detection)
		u.apply(update{snap: &next})
		s = &next
		col := leaderboardColumn(t, c.header)
		if got := o.cells[leaderboardRow(t, o, "perceptron")*ncol+col]; got != c.want {
			t.Errorf("%s after %+v: %q, want %q", c.header, next.Learners[0].Detection, got, c.want)
		}
	}
}

// canvasObjects calls f for o and everything drawn inside it, as laid out
// (test.LaidOutObjects lays the tree out anew at its minimum size).
func canvasObjects(o fyne.CanvasObject, f func(fyne.CanvasObject)) {
	f(o)
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			canvasObjects(c, f)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			canvasObjects(c, f)
		}
	}
}

// The short headers say under the pointer what their column holds.
func TestLeaderboardHeaderHelpOnHover(t *testing.T) {
	u := newTestUI(t)
	u.win.Resize(fyne.NewSize(1920, 1080))
	u.apply(update{snap: fakeSnapshot(10)})
	u.overview.board.ScrollTo(widget.TableCellID{Row: 0, Col: leaderboardColumn(t, "delay fr")})
	var header *headerButton
	canvasObjects(u.win.Content(), func(o fyne.CanvasObject) {
		if b, ok := o.(*headerButton); ok && b.Visible() && strings.HasPrefix(b.Text, "delay fr") {
			header = b
		}
	})
	if header == nil {
		t.Fatal("no delay fr header in view")
	}
	c := u.win.Canvas()
	d := fyne.CurrentApp().Driver()
	test.MoveMouse(c, d.AbsolutePositionForObject(header).AddXY(header.Size().Width/2, header.Size().Height/2))
	pop := header.pop
	if pop == nil || !pop.Visible() || c.Overlays().Top() == nil {
		t.Fatalf("no help over the header at %v", d.AbsolutePositionForObject(header))
	}
	if got := pop.Content.(*widget.Label).Text; !strings.HasPrefix(got, "delay fr: median frames") {
		t.Errorf("help %q", got)
	}
	if d.AbsolutePositionForObject(pop.Content).Y+pop.Content.Size().Height > d.AbsolutePositionForObject(header).Y {
		t.Error("the help covers the header it explains")
	}
	test.MoveMouse(c, fyne.NewPos(1, 1))
	if c.Overlays().Top() != nil {
		t.Error("the help stays after the pointer left")
	}
	for k, c := range leaderboardColumns {
		if c.Help == "" || headerHelp[k+1] != c.Header+": "+c.Help {
			t.Errorf("column %q: help %q", c.Header, headerHelp[k+1])
		}
	}
}
