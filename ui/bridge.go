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

// RefreshInterval is the most often the window is updated (20 Hz).
const RefreshInterval = 50 * time.Millisecond

// bridge is the only place where background state reaches widgets. Each
// tick it takes the newest snapshot; if anything changed it draws the
// visible chart on its own goroutine, then applies the snapshot, the chart
// and the status in one fyne.Do. If the UI has not applied the previous
// update yet, the tick is skipped (and counted) rather than queued, so a
// slow UI never builds a backlog and never slows the pipeline.
type bridge struct {
	u *UI

	visible   atomic.Value // string: what chart to draw
	chartSize atomic.Value // fyne.Size of the visible chart's image
	pending   atomic.Bool
	skipped   atomic.Uint64

	quit chan struct{}
	wg   sync.WaitGroup

	last view // what the window was last drawn from
}

// view is what one update draws the window from.
type view struct {
	seq    uint64
	status app.Status
	chart  string
	size   fyne.Size
}

// same reports whether two views draw the same window. Status holds an
// error, and == on an interface panics when the error's dynamic type is
// not comparable (a struct with a slice, say), so errors compare by
// presence and message: what the window shows of them.
func (v view) same(o view) bool {
	a, b := v.status, o.status
	if (a.Err == nil) != (b.Err == nil) || (a.Err != nil && a.Err.Error() != b.Err.Error()) {
		return false
	}
	a.Err, b.Err = nil, nil
	return v.seq == o.seq && a == b && v.chart == o.chart && v.size == o.size
}

func newBridge(u *UI) *bridge {
	b := &bridge{u: u, quit: make(chan struct{})}
	b.visible.Store("")
	b.chartSize.Store(fyne.NewSize(800, 500))
	return b
}

func (b *bridge) setVisible(name string) { b.visible.Store(name) }

func (b *bridge) start() {
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		t := time.NewTicker(RefreshInterval)
		defer t.Stop()
		for {
			select {
			case <-b.quit:
				return
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

func (b *bridge) tick() {
	snap := b.u.sess.Snapshot()
	st := b.u.sess.Status()
	vis := b.visible.Load().(string)
	sz := b.chartSize.Load().(fyne.Size)
	var seq uint64
	if snap != nil {
		seq = snap.Seq
	}
	// Nothing new (same snapshot, status, tab and chart size): draw nothing.
	now := view{seq: seq, status: st, chart: vis, size: sz}
	if now.same(b.last) {
		return
	}
	if b.pending.Load() {
		b.skipped.Add(1)
		return
	}
	b.last = now

	var img image.Image
	if snap != nil && vis != "" {
		w, h := int(sz.Width), int(sz.Height)
		if vis == "overview" {
			img = OverviewChart(snap, w, h)
		} else {
			img = LearnerChart(snap, vis, w, h)
		}
	}
	progress, isFile := b.u.sess.FileProgress()
	b.pending.Store(true)
	fyne.Do(func() {
		defer b.pending.Store(false)
		b.u.apply(snap, st, vis, img, progress, isFile, b.skipped.Load())
		if sz := b.u.chartSize(vis); sz.Width > 0 && sz.Height > 0 {
			b.chartSize.Store(sz)
		}
	})
}

// apply updates every widget from one snapshot. UI goroutine only.
func (u *UI) apply(snap *pipeline.Snapshot, st app.Status, vis string, img image.Image, progress float64, isFile bool, skipped uint64) {
	u.status.update(snap, st, skipped)
	u.conn.update(st, progress, isFile, u.sess.Running())
	u.events.update(u.sess.Events())
	if snap == nil {
		return
	}
	u.table.update(snap)
	u.overview.update(snap, vis == "overview", img)
	for _, lt := range u.learners {
		lt.update(snap, vis == lt.spec.Name, img)
	}
}

// chartSize is the size of the visible chart's image. UI goroutine only.
func (u *UI) chartSize(vis string) fyne.Size {
	if vis == "overview" {
		return u.overview.chart.Size()
	}
	for _, lt := range u.learners {
		if lt.spec.Name == vis {
			return lt.chart.Size()
		}
	}
	return fyne.Size{}
}
