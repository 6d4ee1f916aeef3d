package ui

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Chart views offered above every chart.
var chartViews = []string{"Last 1 min", "Last 5 min", "Last 10 min", "Whole run"}

var chartViewSpans = map[string]float64{"Last 1 min": 60, "Last 5 min": 300, "Last 10 min": 600}

// chartPanel is a chart image with its controls: the view (scrolling last
// N minutes with clock time, or the whole run against labelled frames), a
// compact legend whose entries hide and show their series, and a PNG
// export. The image is drawn by the bridge; the panel only says what to
// draw (options) and swaps the image in.
type chartPanel struct {
	u       *UI
	target  string // "overview" or a learner's name
	content fyne.CanvasObject
	image   *canvas.Image
	view    *widget.Select
	legend  *fyne.Container
	checks  []*widget.Check
	hidden  uint64
	drawn   image.Image // the image shown
}

func newChartPanel(u *UI, target string) *chartPanel {
	cp := &chartPanel{u: u, target: target}
	cp.image = canvas.NewImageFromImage(placeholder(1, 1))
	cp.image.FillMode = canvas.ImageFillStretch
	cp.image.ScaleMode = canvas.ImageScalePixels
	cp.image.SetMinSize(fyne.NewSize(200, 120))
	cp.view = widget.NewSelect(chartViews, func(string) { cp.changed() })
	cp.view.SetSelected("Last 5 min")
	cp.legend = container.NewHBox()
	exp := widget.NewButton("PNG…", cp.exportPNG)
	top := container.NewBorder(nil, nil, cp.view, exp, container.NewHScroll(cp.legend))
	cp.content = container.NewBorder(top, nil, nil, nil, cp.image)
	return cp
}

// setLegend (re)builds the legend entries: one check with a colour swatch
// per series.
func (cp *chartPanel) setLegend(names []string, colors []color.RGBA, dashed []bool) {
	cp.legend.RemoveAll()
	cp.checks = cp.checks[:0]
	for i, n := range names {
		bit := uint64(1) << uint(i)
		chk := widget.NewCheck(n, func(on bool) {
			if on {
				cp.hidden &^= bit
			} else {
				cp.hidden |= bit
			}
			cp.changed()
		})
		chk.SetChecked(cp.hidden&bit == 0)
		sw := canvas.NewRectangle(colors[i])
		h := float32(4)
		if dashed[i] {
			h = 2
		}
		sw.SetMinSize(fyne.NewSize(14, h))
		cp.checks = append(cp.checks, chk)
		cp.legend.Add(container.NewHBox(container.NewCenter(sw), chk))
	}
	cp.legend.Refresh()
}

// options says what the bridge should draw for this panel. UI goroutine.
func (cp *chartPanel) options() chartOptions {
	sz := cp.image.Size()
	scale := float32(1)
	if c := fyne.CurrentApp().Driver().CanvasForObject(cp.image); c != nil {
		scale = c.Scale()
	}
	bg := theme.Color(theme.ColorNameBackground)
	r, g, b, _ := bg.RGBA()
	return chartOptions{Target: cp.target, Dark: r+g+b < 3*0x8000, Whole: cp.view.Selected == "Whole run",
		Span: chartViewSpans[cp.view.Selected], Hidden: cp.hidden,
		W: int(sz.Width * scale), H: int(sz.Height * scale)}
}

// changed tells the bridge the options changed (redraw now).
func (cp *chartPanel) changed() {
	if cp.u != nil && cp.u.bridge != nil {
		cp.u.bridge.setOptions(cp.u.chartOptions())
	}
}

// show swaps a new image in. UI goroutine.
func (cp *chartPanel) show(img image.Image) {
	cp.drawn = img
	if img == nil {
		img = placeholder(1, 1)
	}
	cp.image.Image = img
	cp.image.Refresh()
}

// exportPNG saves the chart as shown.
func (cp *chartPanel) exportPNG() {
	img := cp.drawn
	if img == nil {
		dialog.ShowInformation("Nothing to save", "The chart has no data yet.", cp.u.win)
		return
	}
	// Keep a copy: the bridge reuses its images.
	b := img.Bounds()
	cpy := image.NewRGBA(b)
	draw.Draw(cpy, b, img, b.Min, draw.Src)
	saveFile(cp.u.win, "etherlearn-chart.png", ".png", func(path string) error { return writePNG(path, cpy) })
}

// writePNG saves an image as a PNG file.
func writePNG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Close()
}

// saveFile asks for a file name with a save dialog and calls write with
// its path; errors are shown in a dialog.
func saveFile(w fyne.Window, name, ext string, write func(path string) error) {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil {
			dialog.ShowError(err, w)
			return
		}
		if wc == nil {
			return // cancelled
		}
		path := wc.URI().Path()
		wc.Close()
		if err := write(path); err != nil {
			dialog.ShowError(err, w)
			return
		}
		dialog.ShowInformation("Saved", "Saved "+path, w)
	}, w)
	d.SetFileName(name)
	d.SetFilter(storage.NewExtensionFileFilter([]string{ext}))
	d.Show()
}

// placeholder is a transparent image for a chart with nothing to show.
func placeholder(w, h int) image.Image {
	return image.NewRGBA(image.Rect(0, 0, max(w, 1), max(h, 1)))
}
