package ui

import (
	"encoding/csv"
	"fmt"
	"image/color"
	"os"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/etherlearn/etherlearn/pipeline"
	"github.com/etherlearn/etherlearn/pipeline/features"
)

// Table column kinds, in order: frame number, time, label, one prediction
// per learner, EtherType by name, length, then every feature (raw, and
// optionally scaled as the learners saw it), then the decode error.
const (
	colSeq = iota
	colTime
	colLabel
	fixedCols
)

var (
	rightColor = color.NRGBA{R: 0x1a, G: 0x8a, B: 0x2e, A: 255}
	wrongColor = color.NRGBA{R: 0xd0, G: 0x20, B: 0x20, A: 255}
	mutedColor = color.NRGBA{R: 0x80, G: 0x80, B: 0x80, A: 255}
)

// frameTable is the live table of the last frames. Cells are canvas.Text
// formatted from the shown snapshot only (no locks, no I/O, no text
// truncation: columns are measured to fit their header and values).
type frameTable struct {
	u       *UI
	content fyne.CanvasObject
	table   *widget.Table
	follow  *widget.Check
	freeze  *widget.Check
	scaled  *widget.Check
	info    *hoverLabel
	details *widget.Label
	snap    *pipeline.Snapshot // shown
	newest  *pipeline.Snapshot // received
	headers []string
	nFeat   int
	nLearn  int
	lastTop uint64

	selfRefresh  bool // our own refresh is updating cells
	topSeen      int  // topmost row updated by our own refresh
	selected     int  // selected row, -1 for none
	selectedSeq  uint64
	selectedText string // its details when selected
}

func newFrameTable(u *UI) *frameTable {
	t := &frameTable{u: u, selected: -1, topSeen: -1}
	t.table = widget.NewTableWithHeaders(t.size,
		func() fyne.CanvasObject {
			tx := canvas.NewText("", theme.Color(theme.ColorNameForeground))
			tx.TextSize = theme.TextSize()
			return tx
		},
		t.updateCell)
	t.table.ShowHeaderColumn = false
	t.table.CreateHeader = func() fyne.CanvasObject {
		tx := canvas.NewText("header", theme.Color(theme.ColorNameForeground))
		tx.TextStyle.Bold = true
		tx.TextSize = theme.TextSize()
		return tx
	}
	t.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		tx := o.(*canvas.Text)
		text := ""
		if id.Col >= 0 && id.Col < len(t.headers) {
			text = t.headers[id.Col]
		}
		if tx.Text != text {
			tx.Text = text
			tx.Refresh()
		}
	}
	t.table.OnSelected = func(id widget.TableCellID) {
		t.selected = id.Row
		if t.snap != nil && id.Row >= 0 && id.Row < len(t.snap.Rows) {
			t.selectedSeq = t.snap.Rows[id.Row].Seq
		}
		t.selectedText = t.DetailsText(id.Row)
		t.details.SetText(t.selectedText)
		// Hold the rows so the selected frame stays where it was picked;
		// Follow newest resumes.
		if t.follow.Checked {
			t.follow.SetChecked(false)
		}
	}
	t.follow = widget.NewCheck("Follow newest", func(on bool) {
		if on {
			t.update(t.newest)
		}
	})
	t.follow.SetChecked(true)
	t.freeze = widget.NewCheck("Freeze", func(on bool) {
		if !on {
			t.update(t.newest)
		}
	})
	t.scaled = widget.NewCheck("Scaled columns", func(bool) {
		if t.snap != nil {
			t.setHeaders(t.snap)
			t.table.Refresh()
		}
	})
	export := widget.NewButton("CSV…", t.exportCSV)
	t.info = newHoverLabel("")
	t.details = widget.NewLabel("Select a frame to see all its fields.")
	t.details.TextStyle.Monospace = true
	t.details.Wrapping = fyne.TextWrapWord
	top := container.NewBorder(nil, nil, container.NewHBox(t.follow, t.freeze, t.scaled, export), nil, t.info)
	split := container.NewVSplit(t.table, container.NewVScroll(t.details))
	split.Offset = 0.72
	t.content = container.NewBorder(top, nil, nil, nil, split)
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

// measure is the width a column needs for text s.
func measure(s string, bold bool) float32 {
	return fyne.MeasureText(s, theme.TextSize(), fyne.TextStyle{Bold: bold}).Width + 2*theme.Padding() + 4
}

func (t *frameTable) setHeaders(s *pipeline.Snapshot) {
	h := []string{"#", "time", "label"}
	widths := []float32{measure("0000000", false), measure("15:04:05.000", false), measure("label", true)}
	for _, l := range s.Learners {
		n := ShortName(l.Display)
		h = append(h, n)
		widths = append(widths, max(measure(n, true), measure("00", false)))
	}
	h = append(h, "EtherType", "length")
	widths = append(widths, measure("EtherType", true)+10, measure("length", true))
	for _, f := range s.Features {
		h = append(h, f.Name)
		widths = append(widths, max(measure(f.Name, true), featureWidth(f)))
		if t.scaled.Checked {
			h = append(h, f.Name+" ·s")
			widths = append(widths, max(measure(f.Name+" ·s", true), measure("-0.000", false)))
		}
	}
	h = append(h, "error")
	widths = append(widths, measure("a decode error message that is long", false))
	t.headers = h
	t.nFeat = len(s.Features)
	t.nLearn = len(s.Learners)
	for i, w := range widths {
		t.table.SetColumnWidth(i, w)
	}
}

func featureWidth(f features.Feature) float32 {
	switch f.Notation {
	case features.NotationDstMAC, features.NotationSrcMAC:
		return measure("00:00:00:00:00:00 #0000", false)
	case features.NotationSeconds:
		return measure("2.000s", false)
	}
	return measure("000000", false)
}

// ShortName is a learner's name short enough for a table column: without
// its parenthesis, and long names as initials ("Adaptive Random Forest"
// is "ARF").
func ShortName(display string) string {
	if i := strings.Index(display, " ("); i > 0 {
		display = display[:i]
	}
	if len(display) <= 12 {
		return display
	}
	var b strings.Builder
	for _, w := range strings.FieldsFunc(display, func(r rune) bool { return r == ' ' || r == '-' }) {
		b.WriteString(strings.ToUpper(w[:1]))
	}
	return b.String()
}

// etherTypeNames names the EtherTypes seen on ordinary networks.
var etherTypeNames = map[uint16]string{
	0x0800: "IPv4", 0x0806: "ARP", 0x86dd: "IPv6", 0x8100: "VLAN", 0x88a8: "QinQ",
	0x88cc: "LLDP", 0x888e: "EAPOL", 0x8847: "MPLS", 0x8848: "MPLS", 0x8863: "PPPoE-D",
	0x8864: "PPPoE", 0x88f7: "PTP", 0x8035: "RARP", 0x9000: "Loopback", 0x88e5: "MACsec",
}

// EtherTypeName names a frame's EtherType (after any VLAN tags), or gives
// it in hex; frames shorter than a header give "".
func EtherTypeName(head []byte) string {
	if len(head) < 14 {
		return ""
	}
	et := uint16(head[12])<<8 | uint16(head[13])
	for off := 16; (et == 0x8100 || et == 0x88a8) && len(head) >= off+2; off += 4 {
		et = uint16(head[off])<<8 | uint16(head[off+1])
	}
	if et < 0x0600 {
		return "802.3"
	}
	if n, ok := etherTypeNames[et]; ok {
		return n
	}
	return fmt.Sprintf("0x%04x", et)
}

// CellText is what a cell shows, and whether it is a right (1) or wrong
// (-1) prediction (0 otherwise); exported for tests.
func (t *frameTable) CellText(row, col int) (string, int) {
	if t.snap == nil || row < 0 || row >= len(t.snap.Rows) {
		return "", 0
	}
	r := &t.snap.Rows[row]
	switch col {
	case colSeq:
		return strconv.FormatUint(r.Seq, 10), 0
	case colTime:
		if r.Time.IsZero() {
			return "–", 0
		}
		return r.Time.Format("15:04:05.000"), 0
	case colLabel:
		if !r.HasLabel {
			return "–", 0
		}
		return strconv.Itoa(r.Label), 0
	}
	col -= fixedCols
	if col < t.nLearn {
		if col >= len(r.Pred) || r.Pred[col] < 0 {
			return "–", 0
		}
		if r.Pred[col] == r.Label {
			return strconv.Itoa(r.Pred[col]), 1
		}
		return strconv.Itoa(r.Pred[col]), -1
	}
	col -= t.nLearn
	switch col {
	case 0:
		return EtherTypeName(r.Head), 0
	case 1:
		return strconv.Itoa(r.Len), 0
	}
	col -= 2
	per := 1
	if t.scaled.Checked {
		per = 2
	}
	if col < per*t.nFeat {
		if r.Err != "" {
			return "", 0
		}
		i := col / per
		if col%per == 0 {
			return features.FormatRaw(t.snap.Features[i], r.Raw[i], r.Head), 0
		}
		return strconv.FormatFloat(r.Scaled[i], 'f', 3, 64), 0
	}
	return r.Err, 0
}

func (t *frameTable) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	tx := o.(*canvas.Text)
	if t.selfRefresh {
		if t.topSeen < 0 || id.Row < t.topSeen {
			t.topSeen = id.Row
		}
	} else if t.follow.Checked && t.topSeen >= 0 && id.Row < t.topSeen-1 {
		// A row above what our own refresh showed: the user scrolled up.
		// Stop following so the rows stay put.
		t.follow.SetChecked(false)
	}
	text, mark := t.CellText(id.Row, id.Col)
	col := theme.Color(theme.ColorNameForeground)
	switch {
	case mark > 0:
		col = rightColor
	case mark < 0:
		col = wrongColor
	case text == "–":
		col = mutedColor
	}
	bold := mark != 0
	if tx.Text != text || tx.Color != col || tx.TextStyle.Bold != bold {
		tx.Text, tx.Color, tx.TextStyle.Bold = text, col, bold
		tx.Refresh()
	}
}

// update shows a new snapshot unless the display is frozen or the user is
// looking at older rows; learning goes on either way.
func (t *frameTable) update(s *pipeline.Snapshot) {
	if s == nil {
		return
	}
	t.newest = s
	held := t.freeze.Checked || !t.follow.Checked
	if held && t.snap != nil && t.snap.Timeline == s.Timeline {
		var shown, newest uint64
		if n := len(t.snap.Rows); n > 0 {
			shown = t.snap.Rows[n-1].Seq
		}
		if n := len(s.Rows); n > 0 {
			newest = s.Rows[n-1].Seq
		}
		why := "Frozen"
		if !t.freeze.Checked {
			why = "Scrolled back"
		}
		t.setInfo(fmt.Sprintf("%s: showing frames up to #%d; %d newer not shown (learning goes on).", why, shown, newest-shown))
		return
	}
	if t.snap == nil || len(t.headers) == 0 || t.snap.FeatureSet != s.FeatureSet || t.nLearn != len(s.Learners) || t.nFeat != len(s.Features) {
		t.setHeaders(s)
	}
	var top uint64
	if n := len(s.Rows); n > 0 {
		top = s.Rows[n-1].Seq
	}
	if top == t.lastTop && t.snap != nil && t.snap.Timeline == s.Timeline {
		t.snap = s
		return
	}
	t.snap, t.lastTop = s, top
	t.setInfo(fmt.Sprintf("The last %d frames, newest at the bottom; predictions green when right, red when wrong. Select a row for all its fields.", len(s.Rows)))
	t.selfRefresh = true
	t.topSeen = -1
	if t.follow.Checked && len(s.Rows) > 0 {
		t.table.ScrollToBottom()
	}
	t.table.Refresh()
	t.selfRefresh = false
	if t.selected >= 0 {
		// Keep the selected frame's details; it may have scrolled away.
		t.details.SetText(t.detailsBySeq(t.selectedSeq))
	}
}

func (t *frameTable) setInfo(s string) { t.info.set(s) }

func (t *frameTable) detailsBySeq(seq uint64) string {
	for i := range t.snap.Rows {
		if t.snap.Rows[i].Seq == seq {
			return t.DetailsText(i)
		}
	}
	return t.selectedText + fmt.Sprintf("\n(frame %d has left the table, which keeps the last %d frames)", seq, len(t.snap.Rows))
}

// DetailsText lists every field of one row: the frame, the label, each
// learner's prediction and every feature raw and scaled.
func (t *frameTable) DetailsText(row int) string {
	if t.snap == nil || row < 0 || row >= len(t.snap.Rows) {
		return "Select a frame to see all its fields."
	}
	r := &t.snap.Rows[row]
	var b strings.Builder
	fmt.Fprintf(&b, "frame %d  %s  %d bytes  %s\n", r.Seq, r.Time.Format("2006-01-02 15:04:05.000000"), r.Len, EtherTypeName(r.Head))
	if r.HasLabel {
		fmt.Fprintf(&b, "label %d\n", r.Label)
	} else {
		b.WriteString("no label (not learned)\n")
	}
	for i, l := range t.snap.Learners {
		if i < len(r.Pred) && r.Pred[i] >= 0 {
			verdict := "right"
			if r.Pred[i] != r.Label {
				verdict = "WRONG"
			}
			fmt.Fprintf(&b, "  %-22s predicted %d  %s\n", l.Display, r.Pred[i], verdict)
		}
	}
	if r.Err != "" {
		fmt.Fprintf(&b, "decode error: %s\n", r.Err)
		return b.String()
	}
	for i, f := range t.snap.Features {
		fmt.Fprintf(&b, "  %-24s %-26s scaled %8.3f\n", f.Name, features.FormatRaw(f, r.Raw[i], r.Head), r.Scaled[i])
	}
	return b.String()
}

// exportCSV writes the rows shown, with every column, to a CSV file.
func (t *frameTable) exportCSV() {
	if t.snap == nil || len(t.snap.Rows) == 0 {
		return
	}
	snap := t.snap
	tt := &frameTable{snap: snap, nFeat: len(snap.Features), nLearn: len(snap.Learners), scaled: widget.NewCheck("", nil)}
	tt.scaled.Checked = true
	saveFile(t.u.win, "etherlearn-frames.csv", ".csv", func(path string) error {
		return writeTableCSV(path, tt)
	})
}

// writeTableCSV writes every row and column (raw and scaled) of t.snap.
func writeTableCSV(path string, t *frameTable) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	head := []string{"frame", "time", "label"}
	for _, l := range t.snap.Learners {
		head = append(head, "pred_"+l.Name)
	}
	head = append(head, "ethertype", "length")
	for _, ft := range t.snap.Features {
		head = append(head, ft.Name, ft.Name+"_scaled")
	}
	head = append(head, "error")
	_ = w.Write(head)
	rec := make([]string, len(head))
	for r := range t.snap.Rows {
		for c := range head {
			rec[c], _ = t.CellText(r, c)
			if rec[c] == "–" {
				rec[c] = ""
			}
		}
		_ = w.Write(rec)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Close()
}
