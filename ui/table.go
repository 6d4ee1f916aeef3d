package ui

import (
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/etherlearn/etherlearn/pipeline"
	"github.com/etherlearn/etherlearn/pipeline/features"
)

// frameTable is the live table of the last frames: for each feature, its
// raw value (MACs with their codes) and the scaled value the learners saw,
// then the label and each learner's prediction. Cells are formatted from
// the current snapshot only: no locks, no I/O in UpdateCell.
type frameTable struct {
	content    fyne.CanvasObject
	table      *widget.Table
	autoScroll *widget.Check
	snap       *pipeline.Snapshot
	headers    []string
	nFeat      int
	lastTop    uint64
}

func newFrameTable() *frameTable {
	t := &frameTable{}
	t.table = widget.NewTableWithHeaders(t.size,
		func() fyne.CanvasObject {
			l := widget.NewLabel("00:00:00:00:00:00 #0000")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		t.updateCell)
	t.table.ShowHeaderColumn = false
	t.table.CreateHeader = func() fyne.CanvasObject { return boldLabel("header") }
	t.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		l := o.(*widget.Label)
		if id.Col >= 0 && id.Col < len(t.headers) {
			l.SetText(t.headers[id.Col])
		} else {
			l.SetText("")
		}
	}
	t.autoScroll = widget.NewCheck("Follow newest", nil)
	t.autoScroll.SetChecked(true)
	hint := widget.NewLabel("last 500 frames, newest at the bottom; \"·s\" columns are scaled as the learners see them")
	hint.Truncation = fyne.TextTruncateEllipsis
	t.content = container.NewBorder(container.NewBorder(nil, nil, t.autoScroll, nil, hint),
		nil, nil, nil, t.table)
	return t
}

// Rows is the number of rows shown.
func (t *frameTable) Rows() int {
	if t.snap == nil {
		return 0
	}
	return len(t.snap.Rows)
}

func (t *frameTable) size() (int, int) {
	return t.Rows(), len(t.headers)
}

func (t *frameTable) setHeaders(s *pipeline.Snapshot) {
	h := []string{"#", "len", "label"}
	for _, f := range s.Features {
		h = append(h, f.Name, f.Name+" ·s")
	}
	for _, l := range s.Learners {
		h = append(h, "pred "+l.Name)
	}
	h = append(h, "error")
	t.headers = h
	t.nFeat = len(s.Features)
	for i := range h {
		w := float32(90)
		if i >= 3 && i < 3+2*t.nFeat && (i-3)%2 == 0 {
			w = 120
			if f := s.Features[(i-3)/2]; f.Notation == features.NotationDstMAC || f.Notation == features.NotationSrcMAC {
				w = 190
			}
		}
		if i == len(h)-1 {
			w = 260
		}
		t.table.SetColumnWidth(i, w)
	}
}

// CellText is what a cell shows; exported for tests.
func (t *frameTable) CellText(row, col int) string {
	if t.snap == nil || row < 0 || row >= len(t.snap.Rows) {
		return ""
	}
	r := &t.snap.Rows[row]
	switch {
	case col == 0:
		return strconv.FormatUint(r.Seq, 10)
	case col == 1:
		return strconv.Itoa(r.Len)
	case col == 2:
		if !r.HasLabel {
			return "–"
		}
		return strconv.Itoa(r.Label)
	}
	col -= 3
	if col < 2*t.nFeat {
		if r.Err != "" {
			return ""
		}
		i := col / 2
		if col%2 == 0 {
			return features.FormatRaw(t.snap.Features[i], r.Raw[i], r.Head)
		}
		return strconv.FormatFloat(r.Scaled[i], 'f', 3, 64)
	}
	col -= 2 * t.nFeat
	if col < len(r.Pred) {
		if r.Pred[col] < 0 {
			return "–"
		}
		return strconv.Itoa(r.Pred[col])
	}
	return r.Err
}

func (t *frameTable) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	o.(*widget.Label).SetText(t.CellText(id.Row, id.Col))
}

func (t *frameTable) update(s *pipeline.Snapshot) {
	if t.snap == nil || len(t.headers) == 0 || t.snap.FeatureSet != s.FeatureSet || len(t.snap.Learners) != len(s.Learners) {
		t.setHeaders(s)
	}
	var top uint64
	if n := len(s.Rows); n > 0 {
		top = s.Rows[n-1].Seq
	}
	if top == t.lastTop && t.snap != nil {
		t.snap = s
		return
	}
	t.snap, t.lastTop = s, top
	t.table.Refresh()
	if t.autoScroll.Checked && len(s.Rows) > 0 {
		t.table.ScrollToBottom()
	}
}
