package ui

import (
	"context"
	"encoding/csv"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/etherlearn/etherlearn/app"
	"github.com/etherlearn/etherlearn/pipeline"
	"github.com/etherlearn/etherlearn/pipeline/eval"
	"github.com/etherlearn/etherlearn/sim"
)

// fakeSnapshot is a snapshot of three learners (the last two baselines)
// with a timeline of the given length at 100 labelled frames a second,
// attacks 5 s in every 30 s.
func fakeSnapshot(seconds int) *pipeline.Snapshot {
	s := &pipeline.Snapshot{Seq: 1, Learners: []pipeline.LearnerState{
		{Name: "perceptron", Display: "Perceptron", Accuracy: 0.9, WindowAccuracy: 0.8, Learned: 10},
		{Name: "majority", Display: "Majority class (baseline)", Baseline: true, Accuracy: 0.7, WindowAccuracy: 0.95, Learned: 10},
		{Name: "no_change", Display: "No change (baseline)", Baseline: true, Accuracy: 0.8, WindowAccuracy: 0.5, Learned: 10},
	}}
	start := time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC)
	tl := eval.NewTimeline(3, start)
	samples := make([]eval.Sample, 3)
	for k := int64(1); k <= int64(seconds)*100; k++ {
		attack := k/100%30 < 5
		for i := range samples {
			w := 0.9 - 0.1*float64(i)
			if attack {
				w -= 0.3
			}
			samples[i] = eval.Sample{Hit: !attack, WindowAccuracy: w, Accuracy: 0.8}
		}
		tl.Add(start.Add(time.Duration(k)*10*time.Millisecond), k, attack, samples)
	}
	s.Timeline = tl
	return s
}

func TestRoundTicks(t *testing.T) {
	got := ticks(0, 335872, 5, nil)
	for _, v := range got {
		if math.Mod(v, 50000) != 0 {
			t.Errorf("tick %v is not round (%v)", v, got)
		}
	}
	if len(got) < 4 || len(got) > 8 {
		t.Errorf("%d ticks: %v", len(got), got)
	}
	for _, v := range ticks(0.6, 1, 5, nil) {
		if d := v*20 - math.Round(v*20); math.Abs(d) > 1e-9 {
			t.Errorf("accuracy tick %v is not a multiple of 0.05", v)
		}
	}
	start := time.Date(2026, 1, 2, 10, 0, 7, 0, time.UTC)
	tt, step := timeTicks(start, 0, 300, 6, nil)
	if step != 60 {
		t.Errorf("step %v for 5 minutes", step)
	}
	for _, v := range tt {
		if at := start.Add(time.Duration(v * float64(time.Second))); at.Second() != 0 {
			t.Errorf("clock tick %v not on a whole minute", at)
		}
	}
	// A run that started at an odd nanosecond still gets round, distinct
	// labels (float seconds must not turn 16:32 into 16:31:59.9999).
	odd := time.Date(2026, 1, 2, 10, 0, 7, 123456789, time.UTC)
	tt, step = timeTicks(odd, 0, 300, 6, nil)
	seen := map[string]bool{}
	for _, v := range tt {
		label := string(formatClock(nil, odd.Add(time.Duration(v*float64(time.Second))), step))
		if seen[label] {
			t.Errorf("clock label %q twice in %v", label, tt)
		}
		seen[label] = true
	}
	if got := string(formatClock(nil, time.Date(2026, 1, 2, 16, 31, 59, 999999000, time.UTC), 30)); got != "16:32:00" {
		t.Errorf("clock label %q, want 16:32:00", got)
	}
	if got := string(formatCount(nil, math.Copysign(0, -1))); got != "0" {
		t.Errorf("formatCount(-0) %q", got)
	}
	if got := string(formatCount(nil, 1500000)); got != "1.5M" {
		t.Errorf("formatCount %q", got)
	}
	if got := string(appendTick(nil, -1e-17, 0.2)); got != "0.0" {
		t.Errorf("tick label %q", got)
	}
}

// Both views draw; the whole run has every bucket, the recent view only
// the last minutes; hiding a series draws fewer points; the attack bands
// tint the plot.
func TestChartViews(t *testing.T) {
	s := fakeSnapshot(3600)
	var p plotter
	o := chartOptions{Target: "overview", Span: 60, W: 600, H: 300}
	img := p.draw(s, o)
	if img == nil {
		t.Fatal("recent view not drawn")
	}
	if recent := p.Points; recent != 3*121 && recent != 3*120 {
		t.Errorf("%d points in the last minute, want 3×120", recent)
	}
	o.Whole = true
	if p.draw(s, o) == nil {
		t.Fatal("whole-run view not drawn")
	}
	whole := p.Points
	if whole < 3*eval.DefaultWholeBuckets/2 || whole > 3*eval.DefaultWholeBuckets {
		t.Errorf("%d points in the whole run", whole)
	}
	o.Hidden = 1 << 1
	p.draw(s, o)
	if p.Points != whole*2/3 {
		t.Errorf("%d points with one of three series hidden, want %d", p.Points, whole*2/3)
	}
	// A learner tab: its window and cumulative accuracy and two baselines.
	o = chartOptions{Target: "perceptron", Span: 60, W: 600, H: 300}
	if p.draw(s, o) == nil || p.Points < 4*100 {
		t.Errorf("learner chart: %d points", p.Points)
	}
	// Attack bands: some plot column is tinted red over the background.
	img = p.draw(s, chartOptions{Target: "overview", Span: 600, W: 600, H: 300, Hidden: 7})
	var tinted bool
	for x := 0; x < 600; x++ {
		r, g, _, _ := img.At(x, 150).RGBA()
		if r > g+0x800 {
			tinted = true
		}
	}
	if !tinted {
		t.Error("no attack band in the last 10 minutes")
	}
	// A learner that is not in the run draws nothing.
	if p.draw(s, chartOptions{Target: "svm", W: 600, H: 300}) != nil {
		t.Error("chart for a learner not in the run")
	}
}

// The whole-run view skips redraws that would not move a pixel.
func TestWholeRunRedrawsOnlyWhenAPixelChanges(t *testing.T) {
	s := fakeSnapshot(600)
	var p plotter
	o := chartOptions{Target: "overview", Whole: true, W: 600, H: 300}
	p.draw(s, o)
	if !p.current(s, o) {
		t.Error("redraw wanted without new data")
	}
	samples := make([]eval.Sample, 3)
	_, n := s.Timeline.Last()
	for k := 1; k <= 200; k++ { // 200 frames: more than a pixel of 60,000 over ~550 px
		s.Timeline.Add(time.Now(), n+int64(k), false, samples)
	}
	if p.current(s, o) {
		t.Error("no redraw after a pixel's worth of frames")
	}
	o.Whole = false
	if p.current(s, o) {
		t.Error("the recent view must always redraw")
	}
}

func TestLeaderboardSorts(t *testing.T) {
	u := newTestUI(t)
	s := fakeSnapshot(10)
	u.apply(update{snap: s})
	names := func() string {
		var out []string
		for _, i := range u.overview.order {
			out = append(out, s.Learners[i].Name)
		}
		return strings.Join(out, ",")
	}
	if got := names(); got != "perceptron,no_change,majority" {
		t.Errorf("by accuracy: %s", got)
	}
	u.overview.sortBy(1) // again: ascending
	if got := names(); got != "majority,no_change,perceptron" {
		t.Errorf("by accuracy ascending: %s", got)
	}
	u.overview.sortBy(2) // window accuracy, descending
	if got := names(); got != "majority,perceptron,no_change" {
		t.Errorf("by window: %s", got)
	}
	if c := u.overview.cells[2]; c != "0.9500" {
		t.Errorf("first row's window cell %q", c)
	}
	if !strings.Contains(u.overview.cells[0], "(baseline)") {
		t.Errorf("baseline not marked: %q", u.overview.cells[0])
	}
	if len(u.overview.chart.checks) != 3 {
		t.Errorf("%d legend entries", len(u.overview.chart.checks))
	}
	u.overview.chart.checks[1].SetChecked(false)
	if o := u.overview.chart.options(); o.Hidden != 1<<1 {
		t.Errorf("hidden mask %b", o.Hidden)
	}
}

// startSim starts the simulator from the toolbar and waits for frames.
func startSim(t *testing.T, u *UI, rate string) {
	t.Helper()
	u.conn.simRate.SetText(rate)
	test.Tap(u.toolbar.start)
	if u.conn.errLabel.Visible() {
		t.Fatalf("error: %s", u.conn.errLabel.Text)
	}
	tickUntil(t, u, "learned frames", func() bool {
		s := u.sess.Snapshot()
		return s != nil && s.Counters.Learned > 100
	})
}

func TestToolbarControls(t *testing.T) {
	u := newTestUI(t)
	if !u.toolbar.stop.Disabled() || !u.toolbar.restart.Disabled() || u.toolbar.start.Disabled() {
		t.Fatal("before a run only Start is enabled")
	}
	startSim(t, u, "3000")
	tickUntil(t, u, "while running: Stop enabled, Start and Connect disabled", func() bool {
		return !u.toolbar.stop.Disabled() && u.toolbar.start.Disabled() && u.conn.startSim.Disabled() && u.conn.connect.Disabled()
	})
	// On a screen under 1400 wide the source panel folds away for the
	// charts; the toolbar's Sources button brings it back.
	if u.split.Leading.Visible() {
		t.Error("source panel still shown after Start at 1280 wide")
	}
	test.Tap(u.toolbar.panel)
	if !u.split.Leading.Visible() {
		t.Error("Sources did not bring the panel back")
	}
	// A setting changed while running says it applies on restart.
	u.conn.target.SetSelected("arp")
	tickUntil(t, u, "applies on restart", func() bool {
		return strings.Contains(u.toolbar.pending.Text, "Target changed: applies on restart")
	})
	// Restart asks first, since the learners have learned.
	first := u.sess.Snapshot().Timeline
	test.Tap(u.toolbar.restart)
	if u.win.Canvas().Overlays().Top() == nil {
		t.Fatal("restart did not ask")
	}
	u.win.Canvas().Overlays().Top().Hide()
	u.win.Canvas().Overlays().Remove(u.win.Canvas().Overlays().Top())
	u.toolbar.onRestartConfirmed()
	tickUntil(t, u, "new run with the new target", func() bool {
		s := u.sess.Snapshot()
		return s != nil && s.Timeline != first && s.Target == "arp" && s.Counters.Learned > 10
	})
	tickUntil(t, u, "no pending change after the restart", func() bool { return u.toolbar.pending.Text == "" })
	// A new run clears the chart: it shows the new run's timeline only.
	tickUntil(t, u, "chart of the new run", func() bool { return u.bridge.plot.drawnTL == u.sess.Snapshot().Timeline })
	test.Tap(u.toolbar.stop)
	tickUntil(t, u, "stopped", func() bool { return !u.sess.Running() && u.toolbar.stop.Disabled() })
	if !strings.Contains(u.status.counters.Text, " 0/s") {
		t.Errorf("counters after stop %q", u.status.counters.Text)
	}
}

func TestFrameTableFreezeFollowAndDetails(t *testing.T) {
	u := newTestUI(t)
	u.tabs.Select(u.framesTab)
	startSim(t, u, "2000")
	tickUntil(t, u, "rows", func() bool { return u.table.Rows() == pipeline.DefaultTableRows })
	u.table.freeze.SetChecked(true)
	frozen := u.table.lastTop
	before := u.sess.Snapshot().Counters.Received
	tickUntil(t, u, "more frames held back", func() bool {
		return u.sess.Snapshot().Counters.Received > before+500 && strings.Contains(u.table.info.Text, "newer not shown") &&
			u.table.newest.Rows[len(u.table.newest.Rows)-1].Seq > frozen
	})
	if got, _ := u.table.CellText(u.table.Rows()-1, colSeq); got != itoa(frozen) {
		t.Fatalf("frozen table moved: last row %s, frozen at %d", got, frozen)
	}
	if !strings.Contains(u.table.info.Text, "Frozen") || !strings.Contains(u.table.info.Text, "newer not shown") {
		t.Errorf("info %q", u.table.info.Text)
	}
	u.table.freeze.SetChecked(false)
	if u.table.lastTop == frozen {
		t.Error("unfreezing did not catch up")
	}
	// Predictions are marked right or wrong.
	var marked int
	for r := 0; r < u.table.Rows(); r++ {
		for c := fixedCols; c < fixedCols+u.table.nLearn; c++ {
			if _, m := u.table.CellText(r, c); m != 0 {
				marked++
			}
		}
	}
	if marked == 0 {
		t.Error("no prediction marked right or wrong")
	}
	if got, _ := u.table.CellText(0, fixedCols+u.table.nLearn); got == "" {
		t.Error("no EtherType name")
	}
	u.table.table.Select(widget.TableCellID{Row: 3, Col: 0})
	if d := u.table.details.Text; !strings.Contains(d, "frame "+itoa(u.table.snap.Rows[3].Seq)) || !strings.Contains(d, "predicted") || !strings.Contains(d, "scaled") {
		t.Errorf("details %q", d)
	}
	if u.table.follow.Checked {
		t.Error("selecting a frame did not hold the rows")
	}
	u.table.follow.SetChecked(true)
	// Table CSV export: a header and one line per row.
	path := filepath.Join(t.TempDir(), "frames.csv")
	if err := writeTableCSV(path, &frameTable{snap: u.table.snap, nFeat: u.table.nFeat, nLearn: u.table.nLearn, scaled: checked()}); err != nil {
		t.Fatal(err)
	}
	recs := readCSV(t, path)
	if len(recs) != u.table.Rows()+1 || recs[0][0] != "frame" || recs[0][3] != "pred_"+u.table.snap.Learners[0].Name {
		t.Errorf("table CSV: %d records, header %v", len(recs), recs[0])
	}
	// Metrics CSV export: one line per learner and bucket.
	path = filepath.Join(t.TempDir(), "metrics.csv")
	if err := writeMetricsCSV(path, u.sess.Snapshot()); err != nil {
		t.Fatal(err)
	}
	recs = readCSV(t, path)
	if len(recs) < 1+len(u.sess.Snapshot().Learners) || recs[0][0] != "learner" || recs[1][0] != u.sess.Snapshot().Learners[0].Name {
		t.Errorf("metrics CSV: %d records, first %v", len(recs), recs[:2])
	}
}

func checked() *widget.Check {
	c := widget.NewCheck("", nil)
	c.Checked = true
	return c
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }

// A capture without labels (pcap carries none): the window says why
// nothing is learned and offers the rule targets; choosing one replays the
// file and the learners learn.
func TestNoLabelsOffersRuleTargets(t *testing.T) {
	capture := filepath.Join(t.TempDir(), "unlabelled.pcap")
	f, err := os.Create(capture)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sim.Stream(context.Background(), f, sim.Config{Count: 2000, Seed: 3, Format: "pcap"}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	u := newTestUI(t)
	u.conn.kind.SetSelected(kindFile)
	u.conn.filePath.SetText(capture)
	test.Tap(u.conn.connect)
	tickUntil(t, u, "hint", func() bool { return u.hint.shown && !u.sess.Running() })
	if !strings.Contains(u.hint.text.Text, "2000 frames received and none carries a label") {
		t.Errorf("hint %q", u.hint.text.Text)
	}
	test.Tap(u.hint.buttons.Objects[1].(*widget.Button)) // broadcast
	tickUntil(t, u, "learning with the rule target", func() bool {
		s := u.sess.Snapshot()
		return s != nil && s.Target == "broadcast" && s.Counters.Learned == 2000 && !u.hint.shown
	})
}

// The hint itself, on a snapshot with only unlabelled frames.
func TestNoLabelsHintText(t *testing.T) {
	u := newTestUI(t)
	s := &pipeline.Snapshot{Target: "in-band", Counters: pipeline.Counters{Received: 2337, Decoded: 2337, Unlabelled: 2337}}
	u.hint.update(s, true)
	if !u.hint.shown || !strings.Contains(u.hint.text.Text, "2337 frames received and none carries a label") {
		t.Fatalf("hint shown=%v %q", u.hint.shown, u.hint.text.Text)
	}
	var targets []string
	for _, o := range u.hint.buttons.Objects {
		targets = append(targets, o.(*widget.Button).Text)
	}
	if strings.Join(targets, ",") != "random,broadcast,ipv4,arp,tcp-syn,large" {
		t.Errorf("offered %v", targets)
	}
	s.Counters.Labelled = 1
	u.hint.update(s, true)
	if u.hint.shown {
		t.Error("hint stays with labelled frames")
	}
}

func TestStatusWording(t *testing.T) {
	src := &app.SourceConfig{Kind: app.SourceSim, Scenario: "default", Rate: 1000}
	got := StatusText(app.Status{State: app.StateRunning, Source: "tcp 127.0.0.1:35501", Format: "pcapng", Message: "Receiving pcapng from tcp 127.0.0.1:35501."}, src)
	if got != "receiving · simulator: default scenario at 1000 frames/s (pcapng)" {
		t.Errorf("status %q", got)
	}
	s := &pipeline.Snapshot{Rate: 997}
	if got := CountersText(s, false, 0); !strings.Contains(got, " 0/s") {
		t.Errorf("stopped counters %q", got)
	}
	if got := CountersText(s, true, 0); !strings.Contains(got, " 997/s") || strings.Contains(got, "learning 1 in") {
		t.Errorf("running counters %q", got)
	}
	s.LearnOneIn = 8 // live sampling (pipeline/sampling.go)
	if got := CountersText(s, true, 0); !strings.Contains(got, " · learning 1 in 8") || strings.Contains(got, "predicting") {
		t.Errorf("sampling counters %q", got)
	}
	s.PredictOneIn = 2
	if got := CountersText(s, true, 0); !strings.Contains(got, " · learning 1 in 8 · predicting 1 in 2") {
		t.Errorf("sampling counters %q", got)
	}
}

// The hyper-parameter form: every input sits on its label's row, right of
// it and inside the tab, at both screen sizes and after the tab is hidden
// and shown again; Apply says it applied.
func TestHyperParameterFormLayout(t *testing.T) {
	u := newTestUI(t)
	idx, lt := u.learnerTab("sgd")
	for _, size := range []fyne.Size{{Width: 1024, Height: 600}, {Width: 1920, Height: 1080}} {
		u.win.Resize(size)
		for round := 0; round < 2; round++ {
			u.tabs.SelectIndex(idx)
			lt.inner.SelectIndex(1)
			form := lt.form
			objs := form.Objects
			if len(objs) < 4 {
				t.Fatalf("form has %d objects", len(objs))
			}
			for k := 0; k+1 < len(objs); k += 2 {
				label, input := objs[k], objs[k+1]
				if input.Position().X <= label.Position().X || math.Abs(float64(input.Position().Y-label.Position().Y)) > 4 {
					t.Errorf("%v: %q at %v, its input at %v", size, label.(*widget.Label).Text, label.Position(), input.Position())
				}
				if input.Position().X+input.Size().Width > form.Size().Width+1 || input.Size().Width < 100 {
					t.Errorf("%v: input of %q is %v wide at %v in a form %v wide", size, label.(*widget.Label).Text, input.Size().Width, input.Position().X, form.Size().Width)
				}
			}
			u.tabs.SelectIndex(0) // hide and show again
		}
	}
	// A value is checked as it is typed.
	lt.entries["alpha"].SetText("-1")
	if lt.entries["alpha"].Validate() == nil {
		t.Error("a negative alpha passes the entry's check")
	}
	lt.entries["alpha"].SetText("0.0001")
	if err := lt.entries["alpha"].Validate(); err != nil {
		t.Errorf("alpha 0.0001: %v", err)
	}
	lt.apply()
	if !lt.applied.Visible() || !strings.Contains(lt.applied.Text, "Saved") {
		t.Errorf("applied %q", lt.applied.Text)
	}
}

func TestWindowFitsALargeScreen(t *testing.T) {
	u := newTestUI(t)
	u.win.Resize(fyne.NewSize(1920, 1080))
	if sz := u.overview.chart.image.Size(); sz.Width < 900 || sz.Height < 300 {
		t.Errorf("overview chart only %v at 1920×1080", sz)
	}
}

// The chart exports as the PNG it shows.
func TestChartPNGExport(t *testing.T) {
	var p plotter
	img := p.draw(fakeSnapshot(120), chartOptions{Target: "overview", Span: 60, W: 400, H: 200})
	path := filepath.Join(t.TempDir(), "chart.png")
	if err := writePNG(path, img); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if got.Bounds() != img.Bounds() || got.At(200, 100) != img.At(200, 100) {
		t.Errorf("PNG %v differs from the chart %v", got.Bounds(), img.Bounds())
	}
}

// Hovering the status line shows the whole message, leaving hides it.
func TestStatusHoverShowsFullText(t *testing.T) {
	u := newTestUI(t)
	long := strings.Repeat("a long status message ", 20)
	u.status.state.set(long)
	u.status.state.MouseIn(nil)
	if u.status.state.pop == nil || !u.status.state.pop.Visible() {
		t.Fatal("no pop-up on hover")
	}
	if got := u.status.state.pop.Content.(*widget.Label).Text; got != long {
		t.Errorf("pop-up shows %q", got)
	}
	u.status.state.MouseOut()
	if u.status.state.pop != nil {
		t.Error("pop-up stays after the pointer left")
	}
}

// A learner's tab shows its scores, cumulative and windowed, and its
// confusion matrix, whose cells add up to the frames it scored.
func TestLearnerTabScoresAndConfusion(t *testing.T) {
	u := newTestUI(t)
	idx, lt := u.learnerTab("perceptron")
	u.tabs.SelectIndex(idx)
	startSim(t, u, "3000")
	tickUntil(t, u, "confusion matrix", func() bool { return lt.confK >= 2 })
	for _, want := range []string{"balanced accuracy", "precision", "recall", "F1", "kappa-T", "cumulative", "window", "µs per frame"} {
		if !strings.Contains(lt.scores.Text, want) {
			t.Errorf("scores lack %q:\n%s", want, lt.scores.Text)
		}
	}
	var sum int64
	for _, c := range lt.confCells {
		n, err := strconv.ParseInt(c.Text, 10, 64)
		if err != nil {
			t.Fatalf("confusion cell %q", c.Text)
		}
		sum += n
	}
	s := lt.snap
	i := findLearnerIndex(s, "perceptron")
	if sum != s.Learners[i].Scored || sum == 0 {
		t.Errorf("confusion cells add up to %d, the learner scored %d", sum, s.Learners[i].Scored)
	}
}

// Scrolling up to older rows stops following the newest, so the rows stay
// put; ticking Follow newest again catches up.
func TestScrollingUpStopsFollowing(t *testing.T) {
	u := newTestUI(t)
	u.tabs.Select(u.framesTab)
	startSim(t, u, "3000")
	tickUntil(t, u, "full table", func() bool { return u.table.Rows() == pipeline.DefaultTableRows })
	if !u.table.follow.Checked {
		t.Fatal("not following at the start")
	}
	u.table.table.ScrollToTop() // as a person dragging the scroll bar up
	if u.table.follow.Checked {
		t.Fatal("still following after scrolling to the top")
	}
	held := u.table.lastTop
	before := u.sess.Snapshot().Counters.Received
	tickUntil(t, u, "newer frames held back", func() bool {
		return u.sess.Snapshot().Counters.Received > before+300 && strings.Contains(u.table.info.Text, "Scrolled back")
	})
	if u.table.lastTop != held {
		t.Error("rows moved while scrolled back")
	}
	u.table.follow.SetChecked(true)
	if u.table.lastTop == held {
		t.Error("following again did not catch up")
	}
}
