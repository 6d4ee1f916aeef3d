package ui

import (
	"image"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"

	"github.com/etherlearn/etherlearn/app"
	"github.com/etherlearn/etherlearn/pipeline"
)

// RefreshInterval is the shortest interval between window updates
// (20 Hz); the toolbar offers slower ones.
const RefreshInterval = 50 * time.Millisecond

// TextInterval is the shortest interval between updates of the text that
// changes with every frame (counters, scores, table rows): a person
// cannot read it faster, and every changed string must be rendered anew,
// which costs more than drawing the chart. The chart follows the refresh
// rate.
const TextInterval = 500 * time.Millisecond

// bridge is the only place where background state reaches widgets. Each
// tick it takes the newest snapshot; if anything changed it draws the
// visible chart on its own goroutine, then applies the snapshot, the chart
// and the status in one fyne.Do. If the UI has not applied the previous
// update yet, the tick is skipped (and counted) rather than queued, so a
// slow UI never builds a backlog and never slows the pipeline.
type bridge struct {
	u *UI

	opts     atomic.Value // chartOptions: what chart to draw, and how big
	interval atomic.Int64 // time.Duration between ticks
	pending  atomic.Bool
	skipped  atomic.Uint64
	reset    chan struct{} // the interval changed

	quit chan struct{}
	wg   sync.WaitGroup

	plot       plotter
	lastSnap   *pipeline.Snapshot
	lastTL     uint64
	lastStatus app.Status
	lastOpts   chartOptions
	lastRun    bool
	lastText   time.Time
	// What the text was last updated from.
	lastStatusText app.Status
	lastTextSnap   *pipeline.Snapshot
	lastTextTarget string
}

func newBridge(u *UI) *bridge {
	b := &bridge{u: u, quit: make(chan struct{}), reset: make(chan struct{}, 1)}
	b.opts.Store(chartOptions{})
	b.interval.Store(int64(RefreshInterval))
	return b
}

// setOptions says what to draw from the next tick on.
func (b *bridge) setOptions(o chartOptions) { b.opts.Store(o) }

// setInterval changes the refresh interval (never below RefreshInterval).
func (b *bridge) setInterval(d time.Duration) {
	b.interval.Store(int64(max(d, RefreshInterval)))
	select {
	case b.reset <- struct{}{}:
	default:
	}
}

func (b *bridge) start() {
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		t := time.NewTicker(time.Duration(b.interval.Load()))
		defer t.Stop()
		for {
			select {
			case <-b.quit:
				return
			case <-b.reset:
				t.Reset(time.Duration(b.interval.Load()))
			case <-t.C:
				b.tick()
			}
		}
	}()
}

func (b *bridge) stop() {
	select {
	case <-b.quit:
	default:
		close(b.quit)
	}
	b.wg.Wait()
}

// tick draws and applies one update if anything changed.
func (b *bridge) tick() {
	snap := b.u.sess.Snapshot()
	st := b.u.sess.Status()
	running := b.u.sess.Running()
	o := b.opts.Load().(chartOptions)
	var tlv uint64
	if snap != nil && snap.Timeline != nil {
		tlv = snap.Timeline.Version()
	}
	// Nothing new (same snapshot, timeline, status, options): draw nothing.
	if snap == b.lastSnap && tlv == b.lastTL && sameStatus(st, b.lastStatus) && o == b.lastOpts && running == b.lastRun {
		return
	}
	if b.pending.Load() {
		b.skipped.Add(1)
		return
	}
	b.lastSnap, b.lastTL, b.lastStatus, b.lastOpts, b.lastRun = snap, tlv, st, o, running
	var img image.Image
	redraw := o.Target != "" && !b.plot.current(snap, o)
	if redraw {
		img = b.plot.draw(snap, o)
	}
	points := b.plot.Points
	// Text waits for its interval, unless the state changed (a stop, a new
	// run, another tab): then it follows at once.
	chartOnly := time.Since(b.lastText) < TextInterval && running && sameStatus(st, b.lastStatusText) && o.Target == b.lastTextTarget &&
		snap != nil && b.lastTextSnap != nil && snap.Timeline == b.lastTextSnap.Timeline
	if !chartOnly {
		b.lastText, b.lastStatusText, b.lastTextSnap, b.lastTextTarget = time.Now(), st, snap, o.Target
	}
	progress, isFile := b.u.sess.FileProgress()
	b.pending.Store(true)
	fyne.Do(func() {
		defer b.pending.Store(false)
		b.u.apply(update{snap: snap, status: st, running: running, opts: o, img: img, redraw: redraw, chartOnly: chartOnly, points: points,
			progress: progress, isFile: isFile, skipped: b.skipped.Load()})
		// Follow the visible chart's size (a resize redraws it).
		b.opts.Store(b.u.chartOptions())
	})
}

// update is what one tick hands to the widgets.
type update struct {
	snap    *pipeline.Snapshot
	status  app.Status
	running bool
	opts    chartOptions
	img     image.Image
	redraw  bool // img is new (else the chart stays as it is)
	// chartOnly: update the chart but leave the text (counters, scores,
	// table rows) until its TextInterval is up.
	chartOnly bool
	points    int
	progress  float64
	isFile    bool
	skipped   uint64
}

// sameStatus reports whether two statuses show the same. Status holds an
// error, and == on an interface panics when the error's dynamic type is
// not comparable, so errors compare by presence and message: what the
// window shows of them.
func sameStatus(a, b app.Status) bool {
	ae, be := a.Err, b.Err
	a.Err, b.Err = nil, nil
	if a != b || (ae == nil) != (be == nil) {
		return false
	}
	return ae == nil || ae.Error() == be.Error()
}
