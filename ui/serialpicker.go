package ui

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/etherlearn/etherlearn/pipeline/ingest"
)

// SerialPollInterval is how often the port list is refreshed while the
// Serial source is shown, so a device plugged in or out appears or goes
// without a Refresh button.
const SerialPollInterval = time.Second

// maxRecentSerial bounds the remembered device paths.
const maxRecentSerial = 8

// serialPicker is one control for the serial device: a drop-down of the
// ports the system lists (with their USB descriptions) and the paths the
// user has used before that still exist (pseudo-terminals are never listed
// by the system), and an entry to type any other path.
type serialPicker struct {
	entry *widget.SelectEntry
	hint  *widget.Label

	// list enumerates the system's ports (ingest.ListSerialPorts; tests
	// replace it).
	list func() ([]ingest.SerialPortInfo, error)

	// UI goroutine only.
	last    string // the port of the last run, preselected when present
	options []string

	// every is the polling interval (SerialPollInterval; tests shorten it).
	every time.Duration

	mu      sync.Mutex
	recent  []string      // newest first
	polling chan struct{} // closed to stop the poller; nil when not polling
	poller  sync.WaitGroup
	scans   int // completed polls, for tests
}

func (p *serialPicker) recentPaths() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.recent)
}

func (p *serialPicker) setRecent(paths []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.recent = slices.Clone(paths)
	if len(p.recent) > maxRecentSerial {
		p.recent = p.recent[:maxRecentSerial]
	}
}

func newSerialPicker() *serialPicker {
	p := &serialPicker{list: ingest.ListSerialPorts, every: SerialPollInterval}
	p.entry = widget.NewSelectEntry(nil)
	p.entry.SetPlaceHolder("/dev/ttyUSB0, or type any device path")
	p.hint = widget.NewLabel("")
	p.hint.Wrapping = fyne.TextWrapWord
	p.hint.SizeName = theme.SizeNameCaptionText
	return p
}

// Path is the device path in the control: an option's first word (the
// rest is its description) or what the user typed.
func (p *serialPicker) Path() string {
	return serialPathOf(p.entry.Text)
}

func serialPathOf(text string) string {
	text = strings.TrimSpace(text)
	if path, _, ok := strings.Cut(text, " ("); ok {
		return path
	}
	return text
}

// SetPath puts a path in the control, with its description if the port is
// listed.
func (p *serialPicker) SetPath(path string) {
	for _, o := range p.options {
		if serialPathOf(o) == path {
			p.entry.SetText(o)
			return
		}
	}
	p.entry.SetText(path)
}

// remember records a path the user ran with: it stays in the list while
// it exists, and is preselected next time.
func (p *serialPicker) remember(path string) {
	if path == "" {
		return
	}
	p.last = path
	recent := slices.DeleteFunc(p.recentPaths(), func(s string) bool { return s == path })
	p.setRecent(append([]string{path}, recent...))
}

// serialScan is what one look at the system found.
type serialScan struct {
	ports []ingest.SerialPortInfo
	err   error
}

// scan enumerates the ports. It reads the file system, so it runs on the
// poller's goroutine (or the test's).
func (p *serialPicker) scan() serialScan {
	ports, err := p.list()
	return serialScan{ports: ports, err: err}
}

// apply shows a scan, adding the remembered paths that still exist.
// UI goroutine only.
func (p *serialPicker) apply(sc serialScan, recentExists func(string) bool) {
	var opts []string
	listed := map[string]bool{}
	for _, port := range sc.ports {
		opts = append(opts, port.Description())
		listed[port.Path] = true
	}
	system := len(opts)
	for _, r := range p.recentPaths() {
		if !listed[r] && recentExists(r) {
			opts = append(opts, r+" (used before)")
			listed[r] = true
		}
	}
	if !slices.Equal(opts, p.options) {
		p.options = opts
		p.entry.SetOptions(opts)
	}
	// Preselect the last port once it is present, unless the user has
	// typed something else meanwhile.
	cur := p.Path()
	if p.last != "" && listed[p.last] && (cur == "" || cur == p.last) {
		p.SetPath(p.last)
	}
	switch {
	case sc.err != nil:
		p.setHint(sc.err.Error() + " Type a device path.")
	case len(opts) == 0:
		p.setHint("No serial ports found (plug one in, or type a device path such as a pseudo-terminal).")
	case system == 0:
		p.setHint("No serial ports found by the system; the paths you used before are listed.")
	default:
		p.setHint(fmt.Sprintf("%d port(s) found. Pick one or type a device path.", system))
	}
}

func (p *serialPicker) setHint(s string) {
	if p.hint.Text != s {
		p.hint.SetText(s)
	}
}

func pathExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// setPolling starts or stops refreshing the list every SerialPollInterval
// (the first refresh at once). Stopping waits for the poller to end (it
// never waits on the UI goroutine: fyne.Do only queues). Called on the UI
// goroutine.
func (p *serialPicker) setPolling(on bool) {
	p.mu.Lock()
	if on == (p.polling != nil) {
		p.mu.Unlock()
		return
	}
	if !on {
		close(p.polling)
		p.polling = nil
		p.mu.Unlock()
		p.poller.Wait()
		return
	}
	stop := make(chan struct{})
	p.polling = stop
	p.poller.Add(1)
	p.mu.Unlock()
	go func() {
		defer p.poller.Done()
		tick := time.NewTicker(p.every)
		defer tick.Stop()
		for {
			sc := p.scan()
			// Which remembered paths exist is checked here too: Stat
			// is I/O, kept off the UI goroutine.
			p.mu.Lock()
			active := p.polling == stop
			p.mu.Unlock()
			if !active {
				return
			}
			exists := map[string]bool{}
			for _, r := range p.recentPaths() {
				exists[r] = pathExists(r)
			}
			fyne.Do(func() { p.apply(sc, func(s string) bool { return exists[s] }) })
			p.mu.Lock()
			p.scans++
			p.mu.Unlock()
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
}
