package sim

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/etherlearn/etherlearn/pipeline/testkit"
)

// tsharkBad selects frames Wireshark finds malformed, in error, or with a
// bad IPv4/TCP/UDP/ICMP/ICMPv6 checksum (with checksum validation on).
const tsharkBad = `_ws.malformed || _ws.expert.severity >= "Error" || ip.checksum.status == "Bad" || ` +
	`tcp.checksum.status == "Bad" || udp.checksum.status == "Bad" || icmp.checksum.status == "Bad" || ` +
	`icmpv6.checksum.status == "Bad"`

// tsharkReport runs tshark over file and returns the frame numbers (with
// their expert messages) that match tsharkBad, plus the last frame, which
// shows tshark read the whole file.
func tsharkReport(t *testing.T, tshark, file string, last int) []string {
	t.Helper()
	cmd := exec.Command(tshark, "-n", "-r", file,
		"-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
		"-Y", fmt.Sprintf("(%s) || frame.number == %d", tsharkBad, last),
		"-T", "fields", "-e", "frame.number", "-e", "_ws.expert.message")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tshark %s: %v\n%s", file, err, stderr.String())
	}
	return strings.Split(strings.TrimSpace(string(out)), "\n")
}

// TestTsharkFindsNothingMalformed renders count frames of every valid
// scenario into one pcapng file (one section each) and one pcap file of
// the default scenario, and has tshark check them: two tshark runs, since
// starting tshark costs more than reading the frames.
func TestTsharkFindsNothingMalformed(t *testing.T) {
	tshark := testkit.NeedTool(t, "tshark", "tshark")
	const count = 5000
	dir := t.TempDir()
	names := validScenarios()
	var all []byte
	for i, name := range names {
		// a seed per section: the same seed draws the same office in every
		// scenario, and sections whose clocks restart would replay its TCP
		// connections (tshark then reports retransmissions)
		all = append(all, render(t, Config{Scenario: name, Seed: 77 + int64(i), Labelling: LabelMulticlass}, "pcapng", count)...)
	}
	files := []struct {
		name, scenarios string
		data            []byte
		frames          int
	}{
		{"all.pcapng", strings.Join(names, ", "), all, count * len(names)},
		{"default.pcap", "default", render(t, Config{Seed: 78}, "pcap", count), count},
	}
	for _, f := range files {
		file := filepath.Join(dir, f.name)
		if err := os.WriteFile(file, f.data, 0o644); err != nil {
			t.Fatal(err)
		}
		lines := tsharkReport(t, tshark, file, f.frames)
		if len(lines) == 0 || !strings.HasPrefix(lines[len(lines)-1], fmt.Sprint(f.frames)) {
			t.Fatalf("%s: tshark did not read all %d frames: %q", f.name, f.frames, lines)
		}
		if last := lines[len(lines)-1]; strings.Contains(last, "Malformed") || strings.Contains(last, "Bad checksum") {
			lines = append(lines, last) // the last frame is bad too
		}
		if bad := lines[:len(lines)-1]; len(bad) > 0 {
			var n int
			fmt.Sscan(bad[0], &n)
			t.Fatalf("%s (%s): tshark flags %d of %d frames; first: frame %d (scenario %s): %q",
				f.name, f.scenarios, len(bad), f.frames, n, names[min((n-1)/count, len(names)-1)], bad[0])
		}
	}
}

// The check above can fail: a frame with a broken TCP checksum is caught.
func TestTsharkCatchesABadChecksum(t *testing.T) {
	tshark := testkit.NeedTool(t, "tshark", "tshark")
	g, err := NewGenerator(Config{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, "pcap")
	broken := 0
	for i := 1; i <= 100; i++ {
		f := g.Next()
		d := f.Data
		if broken == 0 && len(d) > 54 && d[12] == 0x08 && d[13] == 0x00 && d[23] == 6 {
			d[14+20+16] ^= 0x55 // TCP checksum (no IP options here)
			broken = i
		}
		w.WriteFrame(f)
	}
	w.Flush()
	if broken == 0 {
		t.Fatal("no TCP frame among 100")
	}
	file := filepath.Join(t.TempDir(), "bad.pcap")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	lines := tsharkReport(t, tshark, file, 100)
	if len(lines) != 2 || !strings.HasPrefix(lines[0], fmt.Sprint(broken)+"\t") {
		t.Fatalf("tshark report %q, want frame %d flagged", lines, broken)
	}
}
