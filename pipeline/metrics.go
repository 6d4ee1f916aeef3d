package pipeline

import (
	"bufio"
	"io"
	"strconv"
	"time"

	"github.com/etherlearn/etherlearn/pipeline/eval"
)

// DefaultMetricsEvery is the metrics-history interval, in labelled frames.
const DefaultMetricsEvery = 1000

// metricsColumns are the columns of the metrics history CSV: one row per
// learner every Config.MetricsEvery labelled frames and at the end. frame
// is the frame count, seconds the wall time since the first frame,
// stream_seconds the frame-timestamp time since the first frame; the
// scores are those of LearnerState (after the freeze, with FreezeAfter).
var metricsColumns = []string{"frame", "seconds", "stream_seconds", "learner", "baseline", "scored", "learned",
	"accuracy", "balanced_accuracy", "precision", "recall", "f1", "kappa", "kappa_m", "kappa_t",
	"window_accuracy", "window_balanced_accuracy", "window_precision", "window_recall", "window_f1",
	"window_kappa", "window_kappa_m", "window_kappa_t", "ns_per_frame",
	"episodes", "detected", "missed", "mean_delay_frames", "frozen"}

// metricsWriter writes the metrics history; it reuses one buffer, so a row
// costs no allocation.
type metricsWriter struct {
	w       *bufio.Writer
	buf     []byte
	err     error
	every   uint64
	lastRow uint64 // frame count of the last rows written
	firstTS time.Time
	lastTS  time.Time
}

func newMetricsWriter(w io.Writer, every int) *metricsWriter {
	if every <= 0 {
		every = DefaultMetricsEvery
	}
	m := &metricsWriter{w: bufio.NewWriterSize(w, 32<<10), every: uint64(every)}
	for i, c := range metricsColumns {
		if i > 0 {
			m.buf = append(m.buf, ',')
		}
		m.buf = append(m.buf, c...)
	}
	m.buf = append(m.buf, '\n')
	m.write()
	return m
}

func (m *metricsWriter) write() {
	if m.err == nil {
		_, m.err = m.w.Write(m.buf)
	}
}

func (m *metricsWriter) flush() error {
	if m.err != nil {
		return m.err
	}
	return m.w.Flush()
}

// noteFrame is called for every labelled frame, after it was scored.
func (p *Pipeline) noteMetrics(ts time.Time) {
	m := p.metrics
	if m.firstTS.IsZero() {
		m.firstTS = ts
	}
	m.lastTS = ts
	if p.c.Labelled%m.every == 0 {
		p.writeMetricsRows()
	}
}

// writeMetricsRows writes one row per learner for the current frame count.
func (p *Pipeline) writeMetricsRows() {
	m := p.metrics
	if m.lastRow == p.seq && p.seq > 0 {
		return
	}
	m.lastRow = p.seq
	p.syncParallel() // the rows read every learner: the workers catch up first
	var seconds float64
	if !p.first.IsZero() {
		seconds = time.Since(p.first).Seconds()
	}
	streamSeconds := m.lastTS.Sub(m.firstTS).Seconds()
	var majAcc, ncAcc, majWin, ncWin float64 = -1, -1, -1, -1
	for _, b := range p.learners {
		switch b.spec.Name {
		case "majority":
			majAcc, majWin = b.score.Accuracy(), b.score.WindowAccuracy()
		case "no_change":
			ncAcc, ncWin = b.score.Accuracy(), b.score.WindowAccuracy()
		}
	}
	vs := func(acc, base float64) float64 {
		if base < 0 {
			return 0
		}
		return eval.KappaAgainst(acc, base)
	}
	for _, l := range p.learners {
		cum, win := l.score.Scores(), l.score.WindowScores()
		b := strconv.AppendUint(m.buf[:0], p.seq, 10)
		b = appendFloat(b, seconds)
		b = appendFloat(b, streamSeconds)
		b = append(b, ',')
		b = append(b, l.spec.Name...)
		b = append(b, ',')
		b = strconv.AppendBool(b, l.spec.Baseline)
		b = append(b, ',')
		b = strconv.AppendInt(b, cum.N, 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, l.learned, 10)
		for _, v := range [...]float64{cum.Accuracy, cum.BalancedAccuracy, cum.Precision, cum.Recall, cum.F1, cum.Kappa,
			vs(cum.Accuracy, majAcc), vs(cum.Accuracy, ncAcc),
			win.Accuracy, win.BalancedAccuracy, win.Precision, win.Recall, win.F1, win.Kappa,
			vs(win.Accuracy, majWin), vs(win.Accuracy, ncWin)} {
			b = appendFloat(b, v)
		}
		b = appendFloat(b, l.timing.perFrame(l.scored, l.learned))
		episodes, detected, missed, meanDelay := l.det.Counts()
		b = append(b, ',')
		b = strconv.AppendInt(b, episodes, 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, detected, 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, missed, 10)
		b = appendFloat(b, meanDelay)
		b = append(b, ',')
		b = strconv.AppendBool(b, l.frozen)
		m.buf = append(b, '\n')
		m.write()
	}
}

func appendFloat(b []byte, v float64) []byte {
	b = append(b, ',')
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}
