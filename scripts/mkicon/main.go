// Command mkicon draws EtherLearn's icon at every size a desktop asks for
// (16 to 512 px) into assets/icons/, and the 512 px one as assets/icon.png.
// Each size is drawn from the shapes, not scaled from a big bitmap, so the
// 16 px icon keeps bold strokes: a blue tile with a white learning curve
// through three frames (dots), the newest one orange.
//
// Run from the repository root: go run ./scripts/mkicon
package main

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
)

// Sizes are the hicolor sizes the package installs.
var Sizes = []int{16, 22, 24, 32, 48, 64, 128, 256, 512}

var (
	tile   = color.NRGBA{0x15, 0x57, 0xb0, 0xff}
	axis   = color.NRGBA{0x8c, 0xb8, 0xee, 0xff}
	curve  = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	newest = color.NRGBA{0xff, 0x98, 0x00, 0xff}
)

type pt struct{ x, y float64 }

// The learning curve's frames, in units of the tile (0..1, y down).
var frames = []pt{{0.24, 0.74}, {0.46, 0.47}, {0.75, 0.30}}

func main() {
	if err := run("assets"); err != nil {
		fmt.Fprintln(os.Stderr, "mkicon:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	if err := os.MkdirAll(filepath.Join(dir, "icons"), 0o755); err != nil {
		return err
	}
	for _, n := range Sizes {
		img := Draw(n)
		if err := save(filepath.Join(dir, "icons", fmt.Sprintf("%dx%d.png", n, n)), img); err != nil {
			return err
		}
		if n == 512 {
			if err := save(filepath.Join(dir, "icon.png"), img); err != nil {
				return err
			}
		}
	}
	return nil
}

func save(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}

// Draw renders the icon at n×n pixels with 8×8 samples per pixel.
func Draw(n int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, n, n))
	px := 1 / float64(n) // one pixel in tile units
	// Strokes never get thinner than about two pixels, so small icons
	// stay bold; big ones follow the tile's proportions.
	stroke := math.Max(0.085, 2.1*px)
	dot := math.Max(0.085, 2.0*px)
	margin := 0.0
	if n >= 32 {
		margin = 0.04 // big icons float a little inside their square
	}
	const ss = 8
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			var r, g, b, a float64
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					p := pt{(float64(x) + (float64(sx)+0.5)/ss) * px, (float64(y) + (float64(sy)+0.5)/ss) * px}
					c, ok := shade(p, n, stroke, dot, margin)
					if !ok {
						continue
					}
					r += float64(c.R)
					g += float64(c.G)
					b += float64(c.B)
					a++
				}
			}
			if a == 0 {
				continue
			}
			img.SetNRGBA(x, y, color.NRGBA{uint8(r / a), uint8(g / a), uint8(b / a), uint8(255 * a / (ss * ss))})
		}
	}
	return img
}

// shade is the colour at p, or false outside the tile.
func shade(p pt, n int, stroke, dot, margin float64) (color.NRGBA, bool) {
	if !inRoundedSquare(p, margin, 0.2) {
		return color.NRGBA{}, false
	}
	last := frames[len(frames)-1]
	if dist(p, last) <= dot*1.35 {
		return newest, true
	}
	for _, f := range frames[:len(frames)-1] {
		if dist(p, f) <= dot {
			return curve, true
		}
	}
	for i := 0; i+1 < len(frames); i++ {
		if segDist(p, frames[i], frames[i+1]) <= stroke/2 {
			return curve, true
		}
	}
	// Axes only where there are pixels enough to draw them apart.
	if n >= 48 {
		w := math.Max(0.03, 1.5/float64(n))
		if (math.Abs(p.x-0.16) <= w/2 && p.y >= 0.18 && p.y <= 0.84) ||
			(math.Abs(p.y-0.84) <= w/2 && p.x >= 0.16 && p.x <= 0.86) {
			return axis, true
		}
	}
	return tile, true
}

func inRoundedSquare(p pt, margin, radius float64) bool {
	lo, hi := margin, 1-margin
	if p.x < lo || p.x > hi || p.y < lo || p.y > hi {
		return false
	}
	r := radius * (hi - lo)
	cx := math.Min(math.Max(p.x, lo+r), hi-r)
	cy := math.Min(math.Max(p.y, lo+r), hi-r)
	return dist(p, pt{cx, cy}) <= r
}

func dist(a, b pt) float64 { return math.Hypot(a.x-b.x, a.y-b.y) }

func segDist(p, a, b pt) float64 {
	dx, dy := b.x-a.x, b.y-a.y
	t := ((p.x-a.x)*dx + (p.y-a.y)*dy) / (dx*dx + dy*dy)
	t = math.Max(0, math.Min(1, t))
	return dist(p, pt{a.x + t*dx, a.y + t*dy})
}
