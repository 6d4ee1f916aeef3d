package ui

import (
	"image"
	"image/color"
	"math"
	"sort"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/etherlearn/etherlearn/pipeline"
	"github.com/etherlearn/etherlearn/pipeline/eval"
)

// scoreColumn is one column of the leaderboard.
type scoreColumn struct {
	Header string
	Help   string
	Value  func(s *pipeline.Snapshot, i int) float64
	Digits int // decimals; -1 for a whole number
	Width  float32
	// Text formats a defined value where plain decimals do not fit (e.g.
	// "7/9"); nil for decimals.
	Text func(s *pipeline.Snapshot, i int) string
	// Detection marks a column that depends only on the learner's
	// Detection record: its cells are built only when that changes, and
	// shown whether or not the learner has learned (a delayed-label run
	// scores and detects before its first label arrives).
	Detection bool
	// LowerFirst makes the first tap sort ascending: smaller is better.
	LowerFirst bool
}

// leaderboardColumns are the leaderboard's score columns, after the
// learner's name. Test-then-train scores: every frame is predicted before
// it is learned.
var leaderboardColumns = []scoreColumn{
	{Header: "accuracy", Help: "cumulative accuracy", Value: func(s *pipeline.Snapshot, i int) float64 { return s.Learners[i].Accuracy }, Digits: 4, Width: 84},
	{Header: "window", Help: "accuracy over the last 1,000 labelled frames", Value: func(s *pipeline.Snapshot, i int) float64 { return s.Learners[i].WindowAccuracy }, Digits: 4, Width: 76},
	{Header: "bal. acc.", Help: "balanced accuracy: the mean recall of every class", Value: func(s *pipeline.Snapshot, i int) float64 { return s.Learners[i].Scores.BalancedAccuracy }, Digits: 4, Width: 80},
	{Header: "F1", Help: "F1 of the attack class (macro average in multiclass runs)", Value: func(s *pipeline.Snapshot, i int) float64 { return f1Of(s.Learners[i].Scores) }, Digits: 4, Width: 66},
	{Header: "F1 window", Help: "F1 over the last 1,000 labelled frames (– while the window holds no attack, true or predicted)", Value: func(s *pipeline.Snapshot, i int) float64 { return f1Of(s.Learners[i].WindowScores) }, Digits: 4, Width: 84},
	{Header: "precision", Help: "precision of the attack class (– until an attack is predicted)", Value: func(s *pipeline.Snapshot, i int) float64 { return precisionOf(s.Learners[i].Scores) }, Digits: 4, Width: 84},
	{Header: "recall", Help: "recall of the attack class (– until an attack is seen)", Value: func(s *pipeline.Snapshot, i int) float64 { return recallOf(s.Learners[i].Scores) }, Digits: 4, Width: 66},
	{Header: "kappa", Help: "Cohen's kappa", Value: func(s *pipeline.Snapshot, i int) float64 { return s.Learners[i].Kappa }, Digits: 3, Width: 66},
	{Header: "kappa-M", Help: "kappa against the majority class", Value: func(s *pipeline.Snapshot, i int) float64 { return s.Learners[i].KappaM }, Digits: 3, Width: 78},
	{Header: "kappa-T", Help: "kappa against no change", Value: func(s *pipeline.Snapshot, i int) float64 { return s.Learners[i].KappaT }, Digits: 3, Width: 78},
	// Per-episode detection, as `run --report json` has it under
	// "detection" (eval.DetectionSummary). Where the report's number is
	// no measurement (a delay before any detection, a recall before any
	// finished episode), the cell shows "–" and sorts last.
	{Header: "detected", Help: "attack episodes with at least one correct alarm, of those seen (the open one included)",
		Value: detectedShare, Text: detectedOfSeen, Detection: true, Width: 70},
	{Header: "delay fr", Help: "median frames from an episode's first frame to the first correct alarm (latest 100 episodes)",
		Value: medianDelayFrames, Text: exactFrames(medianDelayFrames), Detection: true, LowerFirst: true, Width: 68},
	{Header: "mean fr", Help: "mean of the same delay over every detected episode: long tails show here",
		Value: meanDelayFrames, Digits: 1, Detection: true, LowerFirst: true, Width: 64},
	{Header: "delay ms", Help: "median delay in milliseconds of frame time",
		Value: medianDelayMS, Text: milliseconds(medianDelayMS), Detection: true, LowerFirst: true, Width: 74},
	{Header: "mean ms", Help: "mean delay in milliseconds of frame time",
		Value: meanDelayMS, Text: milliseconds(meanDelayMS), Detection: true, LowerFirst: true, Width: 70},
	{Header: "recall@50", Help: "recall over an episode's first 50 attack frames, mean of the finished episodes",
		Value: earlyRecall, Digits: 4, Detection: true, Width: 80},
	{Header: "learned", Help: "labelled frames learned", Value: func(s *pipeline.Snapshot, i int) float64 { return float64(s.Learners[i].Learned) }, Digits: -1, Width: 84},
	{Header: "learned/s", Help: "labelled frames learned per second", Value: func(s *pipeline.Snapshot, i int) float64 { return s.Learners[i].LearnedPerSecond }, Digits: -1, Width: 80},
	{Header: "µs/frame", Help: "time to predict and learn one frame", Value: func(s *pipeline.Snapshot, i int) float64 { return s.Learners[i].NsPerFrame / 1000 }, Digits: 1, Width: 76},
	{Header: "drifts", Help: "changes of the error rate ADWIN detected", Value: func(s *pipeline.Snapshot, i int) float64 {
		if s.Timeline == nil {
			return 0
		}
		return float64(s.Timeline.DriftCount(i))
	}, Digits: -1, Width: 64},
}

// detectedShare is the share of the episodes seen that were detected, NaN
// before the first episode.
func detectedShare(s *pipeline.Snapshot, i int) float64 {
	d := &s.Learners[i].Detection
	if d.Episodes == 0 {
		return math.NaN()
	}
	return float64(d.Detected) / float64(d.Episodes)
}

func detectedOfSeen(s *pipeline.Snapshot, i int) string {
	d := &s.Learners[i].Detection
	return strconv.FormatInt(d.Detected, 10) + "/" + strconv.FormatInt(d.Episodes, 10)
}

// delayIfDetected returns a column's value: the delay that field picks
// from a learner's detection record, or NaN while no episode was detected
// (the report's delays are 0 then).
func delayIfDetected(field func(d *eval.DetectionSummary) float64) func(s *pipeline.Snapshot, i int) float64 {
	return func(s *pipeline.Snapshot, i int) float64 {
		d := &s.Learners[i].Detection
		if d.Detected == 0 {
			return math.NaN()
		}
		return field(d)
	}
}

var (
	medianDelayFrames = delayIfDetected(func(d *eval.DetectionSummary) float64 { return d.MedianDelayFrames })
	meanDelayFrames   = delayIfDetected(func(d *eval.DetectionSummary) float64 { return d.MeanDelayFrames })
	medianDelayMS     = delayIfDetected(func(d *eval.DetectionSummary) float64 { return d.MedianDelayMS })
	meanDelayMS       = delayIfDetected(func(d *eval.DetectionSummary) float64 { return d.MeanDelayMS })
)

// exactFrames shows a median of whole frame counts as it is: a whole
// number or one ending in .5.
func exactFrames(value func(*pipeline.Snapshot, int) float64) func(*pipeline.Snapshot, int) string {
	return func(s *pipeline.Snapshot, i int) string { return strconv.FormatFloat(value(s, i), 'f', -1, 64) }
}

// milliseconds shows a delay with three significant digits: on a busy
// LAN an alarm may come a few hundredths of a millisecond after the
// episode's first frame, or a quarter of a second, and both must be told
// apart from their neighbours.
func milliseconds(value func(*pipeline.Snapshot, int) float64) func(*pipeline.Snapshot, int) string {
	return func(s *pipeline.Snapshot, i int) string {
		v := value(s, i)
		var decimals int
		switch a := math.Abs(v); {
		case a == 0 || a >= 100:
			decimals = 0
		case a < 1:
			decimals = 3
		case a < 10:
			decimals = 2
		default:
			decimals = 1
		}
		return strconv.FormatFloat(v, 'f', decimals, 64)
	}
}

// earlyRecall is the mean recall over the finished episodes' first
// frames, NaN before an episode finished (the report's 0 then).
func earlyRecall(s *pipeline.Snapshot, i int) float64 {
	d := &s.Learners[i].Detection
	if finishedEpisodes(d) == 0 {
		return math.NaN()
	}
	return d.MeanRecallFirst
}

// finishedEpisodes is the number of episodes that ended: all but the
// open one.
func finishedEpisodes(d *eval.DetectionSummary) int64 {
	if n := len(d.Recent); n > 0 && d.Recent[n-1].Open {
		return d.Episodes - 1
	}
	return d.Episodes
}

// leaderboardDetectionKey is everything the detection columns show of
// one learner.
type leaderboardDetectionKey struct {
	episodes, detected, finished int64
	medianFrames, medianMS       float64
	meanFrames, meanMS           float64
	recall                       float64
}

func newLeaderboardDetectionKey(d *eval.DetectionSummary) leaderboardDetectionKey {
	return leaderboardDetectionKey{episodes: d.Episodes, detected: d.Detected, finished: finishedEpisodes(d),
		medianFrames: d.MedianDelayFrames, medianMS: d.MedianDelayMS,
		meanFrames: d.MeanDelayFrames, meanMS: d.MeanDelayMS, recall: d.MeanRecallFirst}
}

// detectionCells are one learner's formatted detection cells, kept until
// its record changes (an episode begins, ends or is detected, or during
// an episode's first 50 frames).
type detectionCells struct {
	key   leaderboardDetectionKey
	valid bool
	cells []string // one per Detection column, in column order
}

// overviewTab compares all learners: a chart of windowed accuracy and a
// leaderboard of their scores, sorted by any column (tap its header).
type overviewTab struct {
	u       *UI
	content fyne.CanvasObject
	chart   *chartPanel
	board   *widget.Table
	snap    *pipeline.Snapshot
	order   []int    // learner indices in display order
	cells   []string // formatted cells, row-major over order
	sortCol int      // 0 = name, k = leaderboardColumns[k-1]
	sortAsc bool
	names   []string // learners the legend was built for
	points  int
	det     []detectionCells // by learner index
}

// headerHelp is what each leaderboard header says under the pointer.
var headerHelp = func() []string {
	help := []string{"learner: tap a header to sort by its column, tap again to reverse"}
	for _, c := range leaderboardColumns {
		help = append(help, c.Header+": "+c.Help)
	}
	return help
}()

func newOverviewTab(u *UI) *overviewTab {
	o := &overviewTab{u: u, sortCol: 1}
	o.chart = newChartPanel(u, "overview")
	ncol := 1 + len(leaderboardColumns)
	o.board = widget.NewTableWithHeaders(
		func() (int, int) { return len(o.order), ncol },
		func() fyne.CanvasObject {
			sw := canvas.NewRectangle(color.Transparent)
			sw.SetMinSize(fyne.NewSize(10, 10))
			return container.NewHBox(container.NewCenter(sw), widget.NewLabel("Passive-Aggressive"))
		},
		o.updateCell)
	o.board.ShowHeaderColumn = false
	// The learners' names stay in view while the scores scroll sideways
	// (on a small screen the detection columns are far to the right).
	o.board.StickyColumnCount = 1
	o.board.CreateHeader = func() fyne.CanvasObject { return newHeaderButton() }
	o.board.UpdateHeader = func(id widget.TableCellID, obj fyne.CanvasObject) {
		b := obj.(*headerButton)
		text := "learner"
		if id.Col > 0 {
			text = leaderboardColumns[id.Col-1].Header
		}
		b.help = headerHelp[id.Col]
		if id.Col == o.sortCol {
			if o.sortAsc {
				text += " ▲"
			} else {
				text += " ▼"
			}
		}
		b.SetText(text)
		col := id.Col
		b.OnTapped = func() { o.sortBy(col) }
	}
	o.board.SetColumnWidth(0, 190)
	for k, c := range leaderboardColumns {
		o.board.SetColumnWidth(k+1, c.Width+14)
	}
	split := container.NewVSplit(o.chart.content, o.board)
	split.Offset = 0.58
	o.content = split
	return o
}

// headerButton is a leaderboard header: tapped, it sorts; under the
// pointer, it says what its column holds (the headers are short).
type headerButton struct {
	widget.Button
	help string
	pop  *widget.PopUp
}

func newHeaderButton() *headerButton {
	b := &headerButton{}
	b.Text = "accuracy ▼"
	b.Importance = widget.LowImportance
	b.ExtendBaseWidget(b)
	return b
}

// MouseIn shows the column's help above the header, clear of the pointer.
func (b *headerButton) MouseIn(e *desktop.MouseEvent) {
	b.Button.MouseIn(e)
	c := fyne.CurrentApp().Driver().CanvasForObject(b)
	if c == nil || b.help == "" {
		return
	}
	text := widget.NewLabel(b.help)
	b.pop = widget.NewPopUp(text, c)
	size := text.MinSize()
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(b)
	x := min(pos.X, max(0, c.Size().Width-size.Width))
	b.pop.ShowAtPosition(fyne.NewPos(x, max(0, pos.Y-size.Height-4)))
}

// MouseOut hides the help.
func (b *headerButton) MouseOut() {
	b.Button.MouseOut()
	if b.pop != nil {
		b.pop.Hide()
		b.pop = nil
	}
}

// sortBy sorts by column col; a second tap on the same column reverses.
func (o *overviewTab) sortBy(col int) {
	if o.sortCol == col {
		o.sortAsc = !o.sortAsc
	} else {
		o.sortCol, o.sortAsc = col, col == 0 || leaderboardColumns[col-1].LowerFirst
	}
	if o.snap != nil {
		o.fill(o.snap)
	}
	o.board.Refresh()
}

func (o *overviewTab) updateCell(id widget.TableCellID, obj fyne.CanvasObject) {
	box := obj.(*fyne.Container)
	sw := box.Objects[0].(*fyne.Container).Objects[0].(*canvas.Rectangle)
	l := box.Objects[1].(*widget.Label)
	ncol := 1 + len(leaderboardColumns)
	if id.Row >= len(o.order) || id.Row*ncol+id.Col >= len(o.cells) {
		l.SetText("")
		return
	}
	if id.Col == 0 {
		sw.FillColor = learnerColor(o.order[id.Row])
		sw.Show()
	} else {
		sw.Hide()
	}
	sw.Refresh()
	l.SetText(o.cells[id.Row*ncol+id.Col])
}

// fill sorts the learners and formats every cell.
func (o *overviewTab) fill(s *pipeline.Snapshot) {
	o.snap = s
	o.order = o.order[:0]
	for i := range s.Learners {
		o.order = append(o.order, i)
	}
	sort.SliceStable(o.order, func(a, b int) bool {
		ia, ib := o.order[a], o.order[b]
		if o.sortCol == 0 {
			if o.sortAsc {
				ia, ib = ib, ia
			}
			return s.Learners[ia].Display > s.Learners[ib].Display
		}
		c := leaderboardColumns[o.sortCol-1]
		va, vb := c.Value(s, ia), c.Value(s, ib)
		if na, nb := math.IsNaN(va), math.IsNaN(vb); na || nb {
			return !na && nb // undefined scores sort last either way
		}
		if o.sortAsc {
			return va < vb
		}
		return va > vb
	})
	o.updateDetectionCells(s)
	o.cells = o.cells[:0]
	for _, i := range o.order {
		l := &s.Learners[i]
		name := l.Display
		if l.Baseline {
			name += " (baseline)"
		}
		o.cells = append(o.cells, name)
		k := 0
		for _, c := range leaderboardColumns {
			if c.Detection {
				o.cells = append(o.cells, o.det[i].cells[k])
				k++
				continue
			}
			o.cells = append(o.cells, formatScore(c, s, i, l.Learned))
		}
	}
}

// updateDetectionCells formats the detection columns of the learners
// whose record changed since the last snapshot.
func (o *overviewTab) updateDetectionCells(s *pipeline.Snapshot) {
	if len(o.det) != len(s.Learners) {
		o.det = make([]detectionCells, len(s.Learners))
	}
	for i := range s.Learners {
		k := newLeaderboardDetectionKey(&s.Learners[i].Detection)
		dc := &o.det[i]
		if dc.valid && dc.key == k {
			continue
		}
		dc.key, dc.valid = k, true
		dc.cells = dc.cells[:0]
		for _, c := range leaderboardColumns {
			if c.Detection {
				dc.cells = append(dc.cells, formatScore(c, s, i, s.Learners[i].Learned))
			}
		}
	}
}

// precisionOf, recallOf and f1Of are the score, or NaN (shown as "–")
// where it carries no information (eval.Scores.Defined).
func precisionOf(sc eval.Scores) float64 {
	if p, _, _ := sc.Defined(); !p {
		return math.NaN()
	}
	return sc.Precision
}

func recallOf(sc eval.Scores) float64 {
	if _, r, _ := sc.Defined(); !r {
		return math.NaN()
	}
	return sc.Recall
}

func f1Of(sc eval.Scores) float64 {
	if _, _, f := sc.Defined(); !f {
		return math.NaN()
	}
	return sc.F1
}

func formatScore(c scoreColumn, s *pipeline.Snapshot, i int, learned int64) string {
	if learned == 0 && c.Digits >= 0 && !c.Detection {
		return "–"
	}
	v := c.Value(s, i)
	if math.IsNaN(v) {
		return "–"
	}
	if c.Text != nil {
		return c.Text(s, i)
	}
	if c.Digits < 0 {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'f', c.Digits, 64)
}

// update refreshes the leaderboard and, when drawn for it, the chart.
func (o *overviewTab) update(s *pipeline.Snapshot, text, drawn bool, img image.Image, points int) {
	if len(o.names) != len(s.Learners) {
		o.names = o.names[:0]
		var cols []color.RGBA
		var dashed []bool
		for i, l := range s.Learners {
			o.names = append(o.names, l.Display)
			cols = append(cols, learnerColor(i))
			dashed = append(dashed, l.Baseline)
		}
		o.chart.setLegend(o.names, cols, dashed)
	}
	if text && s != o.snap {
		o.fill(s)
		o.board.Refresh()
	}
	if drawn {
		o.points = points
		o.chart.show(img)
	}
}
