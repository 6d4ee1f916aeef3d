package pipeline

import (
	"bufio"
	"io"
	"strconv"

	"github.com/etherlearn/etherlearn/pipeline/features"
)

// traceWriter writes the --trace CSV: one row per decoded frame with the
// scaled features the learners saw, the label (empty when unlabelled) and
// each learner's prediction (empty when not predicted). It reuses one
// buffer, so it allocates nothing per row.
type traceWriter struct {
	w        *bufio.Writer
	buf      []byte
	err      error
	learners int
}

func newTraceWriter(w io.Writer, feats []features.Feature, learners []string) *traceWriter {
	t := &traceWriter{w: bufio.NewWriterSize(w, 64<<10), learners: len(learners)}
	t.buf = append(t.buf, "frame"...)
	for _, f := range feats {
		t.buf = append(t.buf, ',')
		t.buf = append(t.buf, f.Name...)
	}
	t.buf = append(t.buf, ",label"...)
	for _, l := range learners {
		t.buf = append(t.buf, ",pred_"...)
		t.buf = append(t.buf, l...)
	}
	t.buf = append(t.buf, '\n')
	t.write()
	return t
}

func (t *traceWriter) row(seq uint64, x []float64, label int, preds []int) {
	t.buf = strconv.AppendUint(t.buf[:0], seq, 10)
	for _, v := range x {
		t.buf = append(t.buf, ',')
		t.buf = strconv.AppendFloat(t.buf, v, 'g', -1, 64)
	}
	t.buf = append(t.buf, ',')
	if label >= 0 {
		t.buf = strconv.AppendInt(t.buf, int64(label), 10)
	}
	for i := range t.learners {
		t.buf = append(t.buf, ',')
		if preds != nil {
			t.buf = strconv.AppendInt(t.buf, int64(preds[i]), 10)
		}
	}
	t.buf = append(t.buf, '\n')
	t.write()
}

func (t *traceWriter) write() {
	if t.err == nil {
		_, t.err = t.w.Write(t.buf)
	}
}

func (t *traceWriter) flush() error {
	if t.err != nil {
		return t.err
	}
	return t.w.Flush()
}
