package ingest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/etherlearn/etherlearn/pipeline/testkit"
)

// Tests in this file use real capture tools and files shipped by Debian
// packages. With ETHERLEARN_REQUIRE_TOOLS=1 a missing tool or file is a
// failure; otherwise the test is skipped, naming what to install.

// tsharkCount counts the frames tshark reads from a file (up to an error,
// as tshark stops at a damaged record too).
func tsharkCount(t *testing.T, path string) int {
	t.Helper()
	tshark := testkit.NeedTool(t, "tshark", "tshark")
	out, _ := exec.Command(tshark, "-r", path, "-T", "fields", "-e", "frame.number").Output()
	return bytes.Count(out, []byte("\n"))
}

// ourCount reads a file with NewReader: frames before the end, and the
// error that ended it (nil for a clean end).
func ourCount(t *testing.T, path string, opts Options) (int, error) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fr, err := NewReader(bytes.NewReader(b), opts)
	if err != nil {
		return 0, err
	}
	frames, err := readAll(t, fr, opts.maxFrame())
	return len(frames), err
}

// TestFixtures checks every committed fixture (made by real tcpdump,
// dumpcap and editcap, see testdata/make-fixtures.sh) against pcapgo and
// tshark.
func TestFixtures(t *testing.T) {
	for _, tc := range []struct {
		file, ref, format string // ref: the file tshark and pcapgo read instead
	}{
		{"lo-udp.pcap", "", "pcap"},
		{"lo-udp-nsec.pcap", "", "pcap"},
		{"lo-udp.pcapng", "", "pcapng"},
		{"labelled.pcapng", "", "pcapng"},
		{"lo-udp.pcap.gz", "lo-udp.pcap", "pcap"},
		{"banner.pcap", "lo-udp.pcap", "pcap"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join("testdata", tc.file)
			n, err := ourCount(t, path, Options{})
			if err != nil {
				t.Fatalf("after %d frames: %v", n, err)
			}
			ref := path
			if tc.ref != "" {
				ref = filepath.Join("testdata", tc.ref)
			}
			rb, _ := os.ReadFile(ref)
			if want := len(pcapgoFrames(t, tc.format, rb)); n != want {
				t.Errorf("%d frames, pcapgo reads %d", n, want)
			}
			if want := tsharkCount(t, ref); n != want {
				t.Errorf("%d frames, tshark reads %d", n, want)
			}
		})
	}
}

// TestFixtureLabels compares the labels read from comments that editcap
// wrote with the comments tshark reports.
func TestFixtureLabels(t *testing.T) {
	path := filepath.Join("testdata", "labelled.pcapng")
	f, _ := os.Open(path)
	defer f.Close()
	fr, err := NewReader(f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	frames, err := readAll(t, fr, DefaultMaxFrame)
	if err != nil {
		t.Fatal(err)
	}
	got := map[int]bool{}
	for _, fr := range frames {
		if fr.HasLabel {
			got[fr.Label] = true
		}
	}
	if len(got) != 3 || !got[0] || !got[1] || !got[2] {
		t.Errorf("labels %v, want 0, 1 and 2", got)
	}
	tshark := testkit.NeedTool(t, "tshark", "tshark")
	out, err := exec.Command(tshark, "-r", path, "-T", "fields", "-e", "frame.comment").Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != len(frames) {
		t.Fatalf("tshark: %d lines, we read %d frames", len(lines), len(frames))
	}
	for i, line := range lines {
		if line != frames[i].Comment {
			t.Errorf("frame %d: comment %q, tshark says %q", i+1, frames[i].Comment, line)
		}
	}
}

// TestDebianSamples reads sample captures shipped by Debian packages,
// including damaged ones, and compares the frame counts with tshark.
func TestDebianSamples(t *testing.T) {
	const dpkt = "/usr/share/doc/python3-dpkt/examples/data/"
	const pcapfix = "/usr/share/doc/pcapfix/examples/"
	for _, tc := range []struct {
		path, pkg string
		damaged   bool
	}{
		{dpkt + "dns_icmp.pcap", "python3-dpkt", false},
		{dpkt + "http.pcap", "python3-dpkt", false},
		{dpkt + "nb6-http.pcap", "python3-dpkt", false},
		{dpkt + "truncated_dns.pcap", "python3-dpkt", false}, // snap length, not damage
		{dpkt + "truncated_dns_2.pcap", "python3-dpkt", true},
		{pcapfix + "test.pcap", "pcapfix", false},
		{pcapfix + "test_2018.pcap", "pcapfix", false},
		{pcapfix + "test_damaged.pcap", "pcapfix", true},
		{pcapfix + "test_without_pcap_header.pcap", "pcapfix", true},
	} {
		t.Run(filepath.Base(tc.path), func(t *testing.T) {
			testkit.NeedFile(t, tc.path, tc.pkg)
			n, err := ourCount(t, tc.path, Options{})
			if (err != nil) != tc.damaged {
				t.Errorf("after %d frames: error %v, damaged file: %v", n, err, tc.damaged)
			}
			if want := tsharkCount(t, tc.path); n != want {
				t.Errorf("%d frames (%v), tshark reads %d", n, err, want)
			}
			t.Logf("%d frames, end: %v", n, err)
		})
	}
}

// TestDamagedCaptures truncates and corrupts the fixtures: every
// truncation must end with an error (unless at a record boundary) and
// never more frames than the whole file; a few are checked against tshark.
func TestDamagedCaptures(t *testing.T) {
	for _, name := range []string{"lo-udp.pcap", "lo-udp.pcapng"} {
		whole, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		full, err := ourCount(t, filepath.Join("testdata", name), Options{})
		if err != nil {
			t.Fatal(err)
		}
		// Where a cut leaves whole records or blocks, the stream ends
		// cleanly; anywhere else the reader must report the truncation.
		boundary := map[int]bool{len(whole): true}
		for off := 24; strings.HasSuffix(name, ".pcap") && off < len(whole); {
			boundary[off] = true
			off += 16 + int(binary.LittleEndian.Uint32(whole[off+8:]))
		}
		for off := 0; strings.HasSuffix(name, ".pcapng") && off < len(whole); {
			off += int(binary.LittleEndian.Uint32(whole[off+4:]))
			boundary[off] = true
		}
		for cut := 0; cut < len(whole); cut++ {
			fr, err := NewReader(bytes.NewReader(whole[:cut]), Options{})
			if err != nil {
				continue
			}
			frames, err := readAll(t, fr, DefaultMaxFrame)
			if len(frames) > full || (err == nil) != boundary[cut] {
				t.Fatalf("%s cut at %d: %d frames, end %v, at a boundary: %v", name, cut, len(frames), err, boundary[cut])
			}
		}
		// Bit flips: no panic, bounded frames (checked by readAll).
		for i := 0; i < len(whole)*8; i += 7 {
			b := bytes.Clone(whole)
			b[i/8] ^= 1 << (i % 8)
			if fr, err := NewReader(bytes.NewReader(b), Options{}); err == nil {
				readAll(t, fr, DefaultMaxFrame)
			}
		}
		// A few truncations compared with tshark.
		dir := t.TempDir()
		for _, cut := range []int{len(whole) / 3, len(whole) / 2, len(whole) - 5} {
			p := filepath.Join(dir, fmt.Sprintf("%s-%d", name, cut))
			os.WriteFile(p, whole[:cut], 0o644)
			n, err := ourCount(t, p, Options{})
			if err == nil {
				t.Errorf("%s cut at %d: no error", name, cut)
			}
			if want := tsharkCount(t, p); n != want {
				t.Errorf("%s cut at %d: %d frames, tshark reads %d", name, cut, n, want)
			}
		}
	}
}

// capture runs a capture tool on the loopback interface whose stdout is a
// TCP connection to addr (as `tool -w - | nc HOST PORT` would), sends
// count UDP datagrams that its filter matches, and returns the tool's
// stderr once it has exited.
type captureRun struct {
	cmd        *exec.Cmd
	conn       net.Conn
	stderr     testkit.LockedBuffer
	ready      chan struct{}
	stderrDone chan struct{} // closed when stderr reached EOF (the tool exited)
}

func startCapture(t *testing.T, addr, readyText string, name string, args ...string) *captureRun {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	cr := &captureRun{conn: conn, ready: make(chan struct{}), stderrDone: make(chan struct{})}
	cr.cmd = exec.Command(name, args...)
	file, err := conn.(*net.TCPConn).File() // the tool writes straight into the socket
	if err != nil {
		t.Fatal(err)
	}
	cr.cmd.Stdout = file
	pipe, err := cr.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cr.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	file.Close()
	go func() {
		defer close(cr.stderrDone)
		sc := bufio.NewScanner(pipe)
		once := false
		for sc.Scan() {
			cr.stderr.Write([]byte(sc.Text() + "\n"))
			if !once && strings.Contains(sc.Text(), readyText) {
				once = true
				close(cr.ready)
			}
		}
	}()
	t.Cleanup(func() {
		if cr.cmd.ProcessState == nil {
			cr.cmd.Process.Kill()
			cr.cmd.Wait()
		}
	})
	select {
	case <-cr.ready:
	case <-time.After(testDeadline):
		t.Fatalf("%s did not start: %s", name, cr.stderr.String())
	}
	return cr
}

// stop interrupts the tool (it then prints its counts), reads its stderr
// to the end, waits for it and closes our end of the connection. The
// order matters: Wait closes the stderr pipe, so reading must finish
// first or the last lines ("N packets captured") can be lost.
func (cr *captureRun) stop(t *testing.T) string {
	t.Helper()
	cr.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-cr.stderrDone:
	case <-time.After(testDeadline):
		cr.cmd.Process.Kill()
		<-cr.stderrDone
		t.Errorf("%s did not exit after SIGINT; killed it", cr.cmd.Path)
	}
	cr.cmd.Wait()
	cr.conn.Close()
	return cr.stderr.String()
}

func udpSink(t *testing.T) (*net.UDPConn, int) {
	t.Helper()
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	go func() { // drain, so the loopback path stays quiet
		b := make([]byte, 2048)
		for {
			if _, err := c.Read(b); err != nil {
				return
			}
		}
	}()
	return c, c.LocalAddr().(*net.UDPAddr).Port
}

func sendUDP(t *testing.T, port, count int) {
	t.Helper()
	c, err := net.DialUDP("udp", nil, &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	b := make([]byte, 100)
	for i := range count {
		binary.BigEndian.PutUint32(b, uint32(i))
		if _, err := c.Write(b[:8+i%90]); err != nil {
			t.Fatal(err)
		}
		if i%5 == 4 {
			// Pace the datagrams: a capture tool in immediate mode on a
			// busy machine drops bursts in the kernel otherwise.
			time.Sleep(time.Millisecond)
		}
	}
}

// listenRun runs Run on a TCPListener and counts frames whose UDP payload
// carries a sequence number, in a goroutine.
type listenRun struct {
	src    *TCPListener
	frames atomic.Int64
	seqs   sync.Map
	events chan Event
	done   chan error
	cancel context.CancelFunc
}

func startListenRun(t *testing.T) *listenRun {
	lr := &listenRun{src: &TCPListener{Addr: "127.0.0.1:0"}, events: make(chan Event, 100), done: make(chan error, 1)}
	if err := lr.src.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*testDeadline)
	lr.cancel = cancel
	t.Cleanup(cancel)
	go func() {
		lr.done <- Run(ctx, RunConfig{Source: lr.src, Reconnect: true, Events: func(e Event) {
			select {
			case lr.events <- e:
			default:
			}
		}}, func(f *Frame) {
			lr.frames.Add(1)
			if len(f.Data) >= 46 {
				lr.seqs.Store(binary.BigEndian.Uint32(f.Data[42:46]), true)
			}
		})
	}()
	return lr
}

// waitFrames waits until n frames arrived, or until none arrived for 3 s
// (the capture tool dropped some), or the test deadline.
func (lr *listenRun) waitFrames(n int64) {
	deadline := time.Now().Add(testDeadline)
	last, lastChange := lr.frames.Load(), time.Now()
	for lr.frames.Load() < n && time.Now().Before(deadline) && time.Since(lastChange) < 3*time.Second {
		time.Sleep(20 * time.Millisecond)
		if c := lr.frames.Load(); c != last {
			last, lastChange = c, time.Now()
		}
	}
}

// waitEvent waits for an event of kind k.
func (lr *listenRun) waitEvent(t *testing.T, k EventKind) Event {
	t.Helper()
	timeout := time.After(testDeadline)
	for {
		select {
		case e := <-lr.events:
			if e.Kind == k {
				return e
			}
		case <-timeout:
			t.Fatalf("no %v event", k)
		}
	}
}

func parseCount(t *testing.T, re, text string) int {
	t.Helper()
	m := regexp.MustCompile(re).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no match for %q in:\n%s", re, text)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

const udpCount = 500

// TestTcpdumpIntoListener: tcpdump streams loopback traffic into a
// TCPListener; every packet tcpdump reports captured must arrive.
func TestTcpdumpIntoListener(t *testing.T) {
	testkit.NeedRoot(t, "capturing with tcpdump")
	tcpdump := testkit.NeedTool(t, "tcpdump", "tcpdump")
	_, port := udpSink(t)
	lr := startListenRun(t)
	cr := startCapture(t, lr.src.ListenAddr().String(), "listening on", tcpdump,
		"-i", "lo", "--immediate-mode", "-U", "-w", "-", fmt.Sprintf("udp port %d", port))
	if e := lr.waitEvent(t, Connected); e.Format != "pcap" {
		t.Fatalf("format %q, want pcap", e.Format)
	}
	sendUDP(t, port, udpCount)
	lr.waitFrames(udpCount)
	stderr := cr.stop(t)
	lr.waitEvent(t, Disconnected)
	captured := parseCount(t, `(\d+) packets? captured`, stderr)
	got := lr.frames.Load()
	seqs := 0
	lr.seqs.Range(func(any, any) bool { seqs++; return true })
	t.Logf("sent %d, tcpdump captured %d, received %d frames (%d distinct sequence numbers)", udpCount, captured, got, seqs)
	if int(got) != captured || seqs != captured {
		t.Errorf("received %d frames (%d distinct), tcpdump captured %d\n%s", got, seqs, captured, stderr)
	}
	if captured != udpCount {
		t.Logf("tcpdump captured %d of %d datagrams sent:\n%s", captured, udpCount, stderr)
	}
	lr.cancel()
	if err := <-lr.done; err != nil {
		t.Fatal(err)
	}
}

// TestDumpcapIntoListener: dumpcap's pcapng (and with -P its pcap) into a
// TCPListener; compared with the count dumpcap reports.
func TestDumpcapIntoListener(t *testing.T) {
	testkit.NeedRoot(t, "capturing with dumpcap")
	dumpcap := testkit.NeedTool(t, "dumpcap", "tshark (or wireshark-common)")
	for _, format := range []string{"pcapng", "pcap"} {
		t.Run(format, func(t *testing.T) {
			_, port := udpSink(t)
			lr := startListenRun(t)
			args := []string{"-i", "lo", "-w", "-", "-f", fmt.Sprintf("udp port %d", port)}
			if format == "pcap" {
				args = append(args, "-P")
			}
			cr := startCapture(t, lr.src.ListenAddr().String(), "Capturing on", dumpcap, args...)
			if e := lr.waitEvent(t, Connected); e.Format != format {
				t.Fatalf("format %q, want %s", e.Format, format)
			}
			sendUDP(t, port, udpCount)
			lr.waitFrames(udpCount)
			stderr := cr.stop(t)
			lr.waitEvent(t, Disconnected)
			captured := parseCount(t, `Packets captured: (\d+)`, stderr)
			got := lr.frames.Load()
			t.Logf("sent %d, dumpcap captured %d, received %d", udpCount, captured, got)
			if int(got) != captured {
				t.Errorf("received %d frames, dumpcap captured %d\n%s", got, captured, stderr)
			}
			lr.cancel()
			if err := <-lr.done; err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestSocatServesCapture: socat plays a PCAP-over-IP server that sends a
// capture file to whoever connects; TCPClient connects (retrying until
// socat listens) and must read what tshark reads from the same file.
func TestSocatServesCapture(t *testing.T) {
	socat := testkit.NeedTool(t, "socat", "socat")
	ln := localListener(t)
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close() // socat takes the port over
	for _, name := range []string{"lo-udp.pcapng", "lo-udp-nsec.pcap"} {
		path := filepath.Join("testdata", name)
		cmd := exec.Command(socat, fmt.Sprintf("TCP-LISTEN:%d,bind=127.0.0.1,reuseaddr", port), "OPEN:"+path+",rdonly")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), testDeadline)
		n := 0
		err := Run(ctx, RunConfig{
			Source:    &TCPClient{Addr: fmt.Sprintf("127.0.0.1:%d", port)},
			Reconnect: true, MinBackoff: 20 * time.Millisecond,
			Events: func(e Event) {
				if e.Kind == Disconnected {
					cancel()
				}
			},
		}, func(*Frame) { n++ })
		timedOut := ctx.Err() == context.DeadlineExceeded
		cancel()
		cmd.Process.Kill()
		cmd.Wait()
		if err != nil || timedOut {
			t.Fatalf("%s: Run: %v (timed out: %v)", name, err, timedOut)
		}
		if want := tsharkCount(t, path); n != want {
			t.Errorf("%s: %d frames over TCP, tshark reads %d from the file", name, n, want)
		}
	}
}

// TestPcapngTestSuite reads the pcapng test suite files that ship with
// the gopacket module (a dependency of these tests): multiple sections,
// both byte orders, options, custom and non-packet blocks, interfaces of
// other link types. With SkipNonEthernet we must read exactly the frames
// tshark shows as Ethernet (encapsulation 1), and stop where tshark stops.
func TestPcapngTestSuite(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/gopacket/gopacket").Output()
	if err != nil {
		testkit.Unavailable(t, fmt.Sprintf("cannot locate the gopacket module with go list: %v", err))
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "pcapgo", "tests")
	// A selection, to keep the test quick (each tshark run costs about
	// half a second): plain, options, several interfaces of mixed link
	// types, several sections, custom blocks, a large file, an
	// unsupported version; big-endian twins of the mixed ones.
	var files []string
	for _, n := range []string{"le/test001", "le/test005", "le/test006", "le/test010", "le/test016",
		"le/test017", "le/test018", "le/test102", "le/test202", "le/test301", "le/test901",
		"be/test006", "be/test202"} {
		files = append(files, filepath.Join(dir, n+".pcapng"))
	}
	for _, f := range files {
		if _, err := os.Stat(f); err != nil {
			t.Fatalf("test suite file missing from the gopacket module: %v", err)
		}
	}
	tshark := testkit.NeedTool(t, "tshark", "tshark")
	for _, f := range files {
		name := filepath.Base(filepath.Dir(f)) + "/" + filepath.Base(f)
		n, err := ourCount(t, f, Options{SkipNonEthernet: true})
		out, _ := exec.Command(tshark, "-r", f, "-Y", "frame.encap_type == 1", "-T", "fields", "-e", "frame.number").Output()
		if want := bytes.Count(out, []byte("\n")); n != want {
			t.Errorf("%s: %d Ethernet frames (end: %v), tshark shows %d", name, n, err, want)
		}
		if err != nil && !strings.Contains(err.Error(), "unsupported pcapng version") {
			t.Errorf("%s: %v", name, err)
		}
	}
}
