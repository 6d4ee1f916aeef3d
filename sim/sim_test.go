package sim

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// validScenarios are the scenarios whose every frame must be valid
// Ethernet (all but "random").
func validScenarios() []string {
	var names []string
	for _, s := range Scenarios() {
		if s.Name != "random" {
			names = append(names, s.Name)
		}
	}
	return names
}

// render writes count frames of cfg in format to a buffer.
func render(t testing.TB, cfg Config, format string, count int) []byte {
	t.Helper()
	cfg.Format, cfg.Count = format, count
	var b bytes.Buffer
	n, err := Stream(context.Background(), &b, cfg)
	if err != nil {
		t.Fatalf("Stream(%+v): %v", cfg, err)
	}
	if n != count {
		t.Fatalf("Stream(%+v) wrote %d frames, want %d", cfg, n, count)
	}
	return b.Bytes()
}

func TestScenariosListDefaultFirstAndRandom(t *testing.T) {
	list := Scenarios()
	if len(list) == 0 || list[0].Name != "default" {
		t.Fatalf("Scenarios()[0] = %+v, want default first", list)
	}
	seen := map[string]bool{}
	for _, s := range list {
		if s.Summary == "" || strings.Contains(s.Summary, "\n") {
			t.Errorf("scenario %q: summary %q is not one line", s.Name, s.Summary)
		}
		if seen[s.Name] {
			t.Errorf("scenario %q listed twice", s.Name)
		}
		seen[s.Name] = true
	}
	if !seen["random"] {
		t.Error("no random scenario")
	}
}

func TestUnknownScenarioListsValidOnes(t *testing.T) {
	_, err := NewGenerator(Config{Scenario: "nope"})
	if err == nil {
		t.Fatal("NewGenerator accepted an unknown scenario")
	}
	for _, s := range Scenarios() {
		if !strings.Contains(err.Error(), s.Name) {
			t.Errorf("error %q does not name scenario %q", err, s.Name)
		}
	}
	if g, err := NewGenerator(Config{}); err != nil || g.Config().Scenario != "default" {
		t.Errorf(`Scenario "" = %v, %v; want default`, g.Config().Scenario, err)
	}
}

// The same seed gives byte-identical output in every scenario and format;
// pcapng runs long enough to include attack episodes.
func TestDeterministicOutput(t *testing.T) {
	for _, sc := range Scenarios() {
		for _, format := range formats {
			t.Run(sc.Name+"/"+format, func(t *testing.T) {
				count := 1000
				if format == "pcapng" && sc.Name != "random" {
					count = 5000
				}
				cfg := Config{Scenario: sc.Name, Seed: 42, Labelling: LabelMulticlass}
				a := render(t, cfg, format, count)
				b := render(t, cfg, format, count)
				if !bytes.Equal(a, b) {
					t.Fatal("same seed gave different output")
				}
				cfg.Seed = 43
				if c := render(t, cfg, format, 200); bytes.Equal(a[:len(c)], c) {
					t.Fatal("different seeds gave the same output")
				}
			})
		}
	}
}

func TestPcapngRoundTripsThroughGopacket(t *testing.T) {
	cfg := Config{Scenario: "default", Seed: 7, Labelling: LabelBinary}
	g, err := NewGenerator(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var want []Frame
	var buf bytes.Buffer
	w, err := NewWriter(&buf, "pcapng")
	if err != nil {
		t.Fatal(err)
	}
	for range 5000 {
		f := g.Next()
		f.Data = append([]byte(nil), f.Data...)
		want = append(want, f)
		if err := w.WriteFrame(f); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	r, err := pcapgo.NewNgReader(&buf, pcapgo.DefaultNgReaderOptions)
	if err != nil {
		t.Fatal(err)
	}
	if r.LinkType() != layers.LinkTypeEthernet {
		t.Fatalf("link type %v, want Ethernet", r.LinkType())
	}
	attacks := 0
	for i, f := range want {
		data, ci, opts, err := r.ReadPacketDataWithOptions()
		if err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		if !bytes.Equal(data, f.Data) {
			t.Fatalf("frame %d: data differs", i)
		}
		if ci.CaptureLength != len(f.Data) || ci.Length != len(f.Data) {
			t.Fatalf("frame %d: lengths %d/%d, want %d", i, ci.CaptureLength, ci.Length, len(f.Data))
		}
		if !ci.Timestamp.Equal(f.Time) {
			t.Fatalf("frame %d: time %v, want %v", i, ci.Timestamp, f.Time)
		}
		wantComment := fmt.Sprintf("label=%d scenario=default episode=%s", f.Label, f.Episode)
		if len(opts.Comments) != 1 || opts.Comments[0] != wantComment {
			t.Fatalf("frame %d: comments %q, want [%q]", i, opts.Comments, wantComment)
		}
		attacks += f.Label
	}
	if _, _, err := r.ReadPacketData(); err != io.EOF {
		t.Fatalf("after the last frame: %v, want EOF", err)
	}
	if attacks == 0 || attacks == len(want) {
		t.Fatalf("%d of %d frames labelled attack: want a mix", attacks, len(want))
	}
}

// sum16 is the Internet checksum's one's-complement sum of b.
func sum16(sum uint32, b []byte) uint32 {
	for len(b) >= 2 {
		sum += uint32(binary.BigEndian.Uint16(b))
		b = b[2:]
	}
	if len(b) == 1 {
		sum += uint32(b[0]) << 8
	}
	return sum
}

func fold(sum uint32) uint16 {
	for sum > 0xffff {
		sum = sum&0xffff + sum>>16
	}
	return uint16(sum)
}

// pseudo is the transport pseudo-header sum for the packet's network layer.
func pseudo(net gopacket.NetworkLayer, proto uint8, length int) uint32 {
	var s uint32
	switch ip := net.(type) {
	case *layers.IPv4:
		s = sum16(sum16(0, ip.SrcIP.To4()), ip.DstIP.To4())
	case *layers.IPv6:
		s = sum16(sum16(0, ip.SrcIP), ip.DstIP)
	}
	return s + uint32(proto) + uint32(length)
}

// checkFrame decodes data with gopacket and verifies every checksum by
// recomputing it, independently of the code that wrote it.
func checkFrame(data []byte) error {
	p := gopacket.NewPacket(data, layers.LayerTypeEthernet, gopacket.Default)
	if el := p.ErrorLayer(); el != nil {
		return fmt.Errorf("decode error: %v", el.Error())
	}
	if len(data) < 60 {
		return fmt.Errorf("%d bytes: shorter than the Ethernet minimum 60", len(data))
	}
	nl := p.NetworkLayer()
	if ip, ok := nl.(*layers.IPv4); ok {
		if fold(sum16(0, ip.Contents)) != 0xffff {
			return fmt.Errorf("bad IPv4 header checksum %#04x", ip.Checksum)
		}
		if int(ip.Length) != len(ip.Contents)+len(ip.Payload) {
			return fmt.Errorf("IPv4 length %d, have %d bytes", ip.Length, len(ip.Contents)+len(ip.Payload))
		}
	}
	for _, l := range p.Layers() {
		var what string
		var s uint32
		switch l := l.(type) {
		case *layers.TCP:
			what = "TCP"
			seg := len(l.Contents) + len(l.Payload)
			s = sum16(sum16(pseudo(nl, 6, seg), l.Contents), l.Payload)
		case *layers.UDP:
			what = "UDP"
			if int(l.Length) != len(l.Contents)+len(l.Payload) {
				return fmt.Errorf("UDP length %d, have %d bytes", l.Length, len(l.Contents)+len(l.Payload))
			}
			s = sum16(sum16(pseudo(nl, 17, int(l.Length)), l.Contents), l.Payload)
		case *layers.ICMPv4:
			what = "ICMPv4"
			s = sum16(sum16(0, l.Contents), l.Payload)
		case *layers.ICMPv6:
			what = "ICMPv6"
			s = sum16(sum16(pseudo(nl, 58, len(l.Contents)+len(l.Payload)), l.Contents), l.Payload)
		default:
			continue
		}
		if fold(s) != 0xffff {
			return fmt.Errorf("bad %s checksum", what)
		}
	}
	return nil
}

// Every frame decodes with gopacket, has correct checksums and lengths,
// and comes no earlier than the one before, in whole microseconds.
func TestEveryFrameDecodesWithGoodChecksums(t *testing.T) {
	for _, name := range validScenarios() {
		t.Run(name, func(t *testing.T) {
			g, err := NewGenerator(Config{Scenario: name, Seed: 11})
			if err != nil {
				t.Fatal(err)
			}
			var last time.Time
			for i := range 12000 {
				f := g.Next()
				if f.Time.Before(last) || f.Time.Nanosecond()%1000 != 0 {
					t.Fatalf("frame %d: time %v after %v", i, f.Time, last)
				}
				last = f.Time
				if err := checkFrame(f.Data); err != nil {
					t.Fatalf("frame %d (%s): %v\n%s", i, f.Episode, err,
						gopacket.NewPacket(f.Data, layers.LayerTypeEthernet, gopacket.Default).Dump())
				}
			}
		})
	}
}

func TestCheckFrameCatchesCorruption(t *testing.T) {
	g, err := NewGenerator(Config{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for range 200 {
		f := g.Next()
		p := gopacket.NewPacket(f.Data, layers.LayerTypeEthernet, gopacket.Default)
		tcp, ok := p.Layer(layers.LayerTypeTCP).(*layers.TCP)
		if !ok {
			continue
		}
		bad := append([]byte(nil), f.Data...)
		off := len(f.Data) - len(p.Layer(layers.LayerTypeEthernet).LayerPayload()) // IP header start
		off += len(p.NetworkLayer().LayerContents()) + 16                          // TCP checksum
		bad[off] ^= 0x40
		if checkFrame(bad) == nil {
			t.Fatalf("a corrupted TCP checksum (port %d) passed", tcp.DstPort)
		}
		return
	}
	t.Fatal("no TCP frame in 200")
}

func TestServeTwoConcurrentClients(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cfg := Config{Seed: 5, Count: 500, Format: "pcapng"}
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, ln, cfg) }()

	want := render(t, cfg, "pcapng", 500)
	var wg sync.WaitGroup
	got := make([][]byte, 2)
	errs := make([]error, 2)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				errs[i] = err
				return
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(30 * time.Second))
			got[i], errs[i] = io.ReadAll(c)
		}()
	}
	wg.Wait()
	for i := range got {
		if errs[i] != nil {
			t.Fatalf("client %d: %v", i, errs[i])
		}
		if !bytes.Equal(got[i], want) {
			t.Fatalf("client %d got %d bytes, not the %d-byte stream of seed 5", i, len(got[i]), len(want))
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Serve: %v", err)
	}
}

func TestServeStopsUnlimitedClientsOnCancel(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, ln, Config{Rate: 200}) }()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	r, err := pcapgo.NewNgReader(c, pcapgo.DefaultNgReaderOptions)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, _, err := r.ReadPacketData(); err != nil {
			t.Fatal(err)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	// the connection ends once Serve is done
	if _, err := io.Copy(io.Discard, c); err != nil {
		t.Fatalf("draining after cancel: %v", err)
	}
}

// A live reader sees frames at a low rate without waiting for a buffer to
// fill: each frame is flushed. (The deadline only turns a hang into a
// failure; it asserts nothing about speed.)
func TestStreamFlushesEachFrameAtLowRate(t *testing.T) {
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := Stream(ctx, pw, Config{Rate: 5})
		pw.CloseWithError(err)
		done <- err
	}()
	got := make(chan error, 1)
	go func() {
		r, err := pcapgo.NewNgReader(pr, pcapgo.DefaultNgReaderOptions)
		if err == nil {
			_, _, err = r.ReadPacketData()
		}
		got <- err
	}()
	select {
	case err := <-got:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no frame from a 5 frames/s stream: output not flushed")
	}
	cancel()
	go io.Copy(io.Discard, pr)
	if err := <-done; err != nil {
		t.Fatalf("Stream with Count 0 ended by ctx: %v, want nil", err)
	}
}

func TestStreamCountCancelledReturnsError(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	n, err := Stream(ctx, io.Discard, Config{Count: 1000, Rate: 100})
	if err == nil || n == 1000 {
		t.Fatalf("cancelled Stream of 1000 frames: n=%d err=%v, want an early error", n, err)
	}
}

func kindOf(t *testing.T, episode string) int {
	for k, name := range episodeNames {
		if name == episode {
			return k
		}
	}
	t.Fatalf("unknown episode %q", episode)
	return -1
}

func TestLabelsPerLabelling(t *testing.T) {
	for _, target := range []Labelling{LabelBinary, LabelMulticlass} {
		g, err := NewGenerator(Config{Scenario: "default", Seed: 9, Labelling: target})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[int]bool{}
		for range 30000 {
			f := g.Next()
			want := kindOf(t, f.Episode)
			if target == LabelBinary && want > 0 {
				want = 1
			}
			if f.Label != want {
				t.Fatalf("%v: episode %s labelled %d, want %d", target, f.Episode, f.Label, want)
			}
			seen[f.Label] = true
		}
		if !seen[0] || len(seen) < 2 {
			t.Errorf("%v: labels seen %v, want normal and attacks", target, seen)
		}
	}
}

// Each single-attack scenario has normal frames and its own kind only, and
// the default mix has every kind.
func TestScenarioEpisodeKinds(t *testing.T) {
	cases := map[string][]int{
		"port_scan":         {EpisodePortScan},
		"syn_flood":         {EpisodeSYNFlood},
		"arp_spoof":         {EpisodeARPSpoof},
		"dns_amplification": {EpisodeDNSAmplification},
		"broadcast_storm":   {EpisodeBroadcastStorm},
		"default":           allAttacks,
	}
	for name, kinds := range cases {
		t.Run(name, func(t *testing.T) {
			g, err := NewGenerator(Config{Scenario: name, Seed: 2, Labelling: LabelMulticlass})
			if err != nil {
				t.Fatal(err)
			}
			frames := 30000
			if len(kinds) > 1 {
				frames = 100000 // every kind comes once per round of episodes
			}
			count := map[int]int{}
			for range frames {
				count[g.Next().Label]++
			}
			allowed := map[int]bool{EpisodeNormal: true}
			for _, k := range kinds {
				allowed[k] = true
				if count[k] == 0 {
					t.Errorf("no %s frame in %d", episodeNames[k], frames)
				}
			}
			for k, n := range count {
				if !allowed[k] {
					t.Errorf("%d frames of %s, which %s should not have", n, episodeNames[k], name)
				}
			}
			if share := float64(count[0]) / float64(frames); share < 0.3 || share > 0.97 {
				t.Errorf("normal share %.2f: want most frames normal, and attacks present", share)
			}
		})
	}
}

// In the drift scenario every phase has a new attacker, which also sends
// normal frames, and phase 1 has only ARP spoofing and DNS amplification.
func TestDriftChangesAttackersAndKinds(t *testing.T) {
	g, err := NewGenerator(Config{Scenario: "drift", Seed: 8, Labelling: LabelMulticlass})
	if err != nil {
		t.Fatal(err)
	}
	attackers := map[int]string{}
	attacks, normal := map[int]int{}, map[int]int{}
	phase1Kinds := map[int]int{}
	for {
		f := g.Next()
		el := f.Time.Sub(epoch)
		if el >= 3*DriftPeriod {
			break
		}
		p := int(el / DriftPeriod)
		if _, ok := attackers[p]; !ok && g.phase == p {
			attackers[p] = g.lan.attacker.mac.String()
		}
		src := net.HardwareAddr(f.Data[6:12]).String()
		if src == attackers[p] {
			if f.Label != 0 {
				attacks[p]++
			} else {
				normal[p]++
			}
		}
		if p == 1 && el > DriftPeriod+2500*time.Millisecond { // let phase 0's last episode end
			phase1Kinds[f.Label]++
		}
	}
	if len(attackers) != 3 || attackers[0] == attackers[1] || attackers[1] == attackers[2] || attackers[0] == attackers[2] {
		t.Errorf("attackers per phase %v, want three different ones", attackers)
	}
	for p := range 3 {
		if attacks[p] == 0 {
			t.Errorf("phase %d: no attack frame from the attacker %s", p, attackers[p])
		}
	}
	if normal[0]+normal[1]+normal[2] == 0 {
		t.Errorf("the attackers sent no normal frame: %v", normal)
	}
	for k := range phase1Kinds {
		if k != EpisodeNormal && k != EpisodeARPSpoof && k != EpisodeDNSAmplification {
			t.Errorf("phase 1 has %s frames", episodeNames[k])
		}
	}
}

// TestDefaultShowsEveryKindAndADrift: the first 30,000 frames of the
// default scenario hold every attack kind and cross a phase change, for
// any seed (a short run shows what the scenario is about).
func TestDefaultShowsEveryKindAndADrift(t *testing.T) {
	for seed := int64(1); seed <= 6; seed++ {
		g, err := NewGenerator(Config{Seed: seed, Labelling: LabelMulticlass})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[int]int{}
		var last time.Duration
		for range 30000 {
			f := g.Next()
			seen[f.Label]++
			last = f.Time.Sub(epoch)
		}
		for _, k := range allAttacks {
			if seen[k] == 0 {
				t.Errorf("seed %d: no %s frame in the first 30000 (kinds %v)", seed, episodeNames[k], seen)
			}
		}
		if last < DriftPeriod {
			t.Errorf("seed %d: 30000 frames end at %v, before the first phase change at %v", seed, last, DriftPeriod)
		}
	}
}

// TestLANDrawnFromSeed: addresses and vendors change with the seed and
// repeat for the same seed.
func TestLANDrawnFromSeed(t *testing.T) {
	lanOf := func(seed int64) []string {
		g, err := NewGenerator(Config{Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, h := range append([]*host{g.lan.gw}, append(g.lan.servers, g.lan.clients...)...) {
			out = append(out, h.mac.String()+" "+h.ip.String())
		}
		return out
	}
	a, b, a2 := lanOf(1), lanOf(2), lanOf(1)
	if strings.Join(a, ",") != strings.Join(a2, ",") {
		t.Error("the same seed drew two different LANs")
	}
	common := map[string]bool{}
	for _, x := range a {
		common[x] = true
	}
	for _, x := range b {
		if common[x] {
			t.Errorf("seeds 1 and 2 share the station %s", x)
		}
	}
}

// TestNoSingleMarker: no address or bit marks the attacks. Attackers send
// normal frames too; locally administered source MACs send normal frames
// too; broadcast storms are not one frame repeated.
func TestNoSingleMarker(t *testing.T) {
	g, err := NewGenerator(Config{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	type counts struct{ attack, normal int }
	bySrc := map[string]*counts{}
	var localAttack, localNormal int
	seenFrame := map[string]int{}
	dup, dupAttack := 0, 0
	const n = 60000
	for range n {
		f := g.Next()
		src := net.HardwareAddr(f.Data[6:12]).String()
		c := bySrc[src]
		if c == nil {
			c = &counts{}
			bySrc[src] = c
		}
		if f.Label != 0 {
			c.attack++
		} else {
			c.normal++
		}
		if f.Data[6]&2 != 0 {
			if f.Label != 0 {
				localAttack++
			} else {
				localNormal++
			}
		}
		if seenFrame[string(f.Data)] > 0 {
			dup++
			if f.Label != 0 {
				dupAttack++
			}
		}
		seenFrame[string(f.Data)]++
	}
	for h := range g.lan.wasAttacker {
		c := bySrc[h.mac.String()]
		if c != nil && c.attack > 0 && c.normal == 0 {
			t.Errorf("attacker %s (%s) sent only attack frames (%d)", h.name, h.mac, c.attack)
		}
	}
	if localNormal == 0 {
		t.Errorf("locally administered MACs sent %d attack and no normal frames: the bit marks attacks", localAttack)
	}
	// a switching loop copies frames, so a storm repeats frames; but
	// many different ones, none of them a large part of the traffic.
	// Normal frames repeat too, but rarely: a host's mDNS or SSDP query
	// is the same bytes each time it asks (in a storm, its own sending is
	// normal; the loop's copies are the storm).
	if dupAttack == 0 || float64(dup-dupAttack)/n > 0.015 {
		t.Errorf("%d frames repeat an earlier one byte for byte, %d of them attack frames", dup, dupAttack)
	}
	for d, c := range seenFrame {
		if c > n/200 {
			t.Errorf("one frame is %d of %d: % x", c, n, d[:min(len(d), 42)])
		}
	}
}

// The HTTP response header states the body length that follows it, for
// every response size, including those where the digit count has no exact
// fit.
func TestHTTPContentLength(t *testing.T) {
	g, err := NewGenerator(Config{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	srv := g.lan.servers[1]
	var totals []int // around the digit-count boundaries of responses (300..60000 bytes)
	for total := 300; total <= 1500; total++ {
		totals = append(totals, total)
	}
	for total := 9900; total <= 10200; total++ {
		totals = append(totals, total)
	}
	totals = append(totals, 59999, 60000, 100089, 100090, 100091)
	for _, total := range totals {
		n := min(total, 1460)
		p := g.appPayload(srv, 80, appResponseStart, n, total)
		if len(p) != n {
			t.Fatalf("total %d: segment of %d bytes, want %d", total, len(p), n)
		}
		head, _, ok := bytes.Cut(p, []byte("\r\n\r\n"))
		if !ok {
			t.Fatalf("total %d: no end of header", total)
		}
		_, cl, _ := bytes.Cut(head, []byte("Content-Length: "))
		var body int
		if _, err := fmt.Sscanf(strings.TrimSpace(string(cl)), "%d", &body); err != nil {
			t.Fatalf("total %d: Content-Length %q: %v", total, cl, err)
		}
		if want := total - len(head) - 4; body != want {
			t.Fatalf("total %d: Content-Length %d, body is %d", total, body, want)
		}
	}
}

// Config.Drift gives a single-attack scenario the phase clock: port scans
// come from a new attacker in the next phase. Without it the attacker
// stays the same.
func TestDriftOptionMovesTheAttacker(t *testing.T) {
	for _, drift := range []bool{false, true} {
		g, err := NewGenerator(Config{Scenario: "port_scan", Seed: 4, Drift: drift})
		if err != nil {
			t.Fatal(err)
		}
		attackers := [2]map[string]bool{{}, {}}
		for {
			f := g.Next()
			el := f.Time.Sub(epoch)
			if el >= 2*DriftPeriod {
				break
			}
			ip := f.Data[14:]
			// the probes (SYN without ACK) of scans started in this phase
			if f.Label == 1 && ip[9] == 6 && ip[20+13]&0x02 != 0 && ip[20+13]&0x10 == 0 && el%DriftPeriod > 2*time.Second {
				attackers[el/DriftPeriod][net.HardwareAddr(f.Data[6:12]).String()] = true
			}
		}
		if len(attackers[0]) != 1 || len(attackers[1]) != 1 {
			t.Fatalf("drift %v: probes from %v then %v, want one attacker per phase", drift, attackers[0], attackers[1])
		}
		same := fmt.Sprint(attackers[0]) == fmt.Sprint(attackers[1])
		if same == drift {
			t.Errorf("drift %v: probes from %v then %v", drift, attackers[0], attackers[1])
		}
	}
}

// KindsMissing names the kinds a short run has not shown yet, and none
// once every kind has appeared.
func TestKindsMissing(t *testing.T) {
	cfg := Config{Seed: 5}
	missing, err := KindsMissing(cfg, 200)
	if err != nil {
		t.Fatal(err)
	}
	if len(missing) != len(allAttacks) {
		t.Errorf("after 200 frames missing %v, want every kind", missing)
	}
	g, _ := NewGenerator(Config{Seed: 5, Labelling: LabelMulticlass})
	first := map[int]int{}
	for i := range 30000 {
		if l := g.Next().Label; l != 0 {
			if _, ok := first[l]; !ok {
				first[l] = i
			}
		}
	}
	lastKind, lastAt := 0, -1
	for k, i := range first {
		if i > lastAt {
			lastKind, lastAt = k, i
		}
	}
	if missing, _ := KindsMissing(cfg, lastAt); len(missing) != 1 || missing[0] != episodeNames[lastKind] {
		t.Errorf("after %d frames missing %v, want [%s]", lastAt, missing, episodeNames[lastKind])
	}
	if missing, _ := KindsMissing(cfg, lastAt+1); len(missing) != 0 {
		t.Errorf("after %d frames missing %v, want none", lastAt+1, missing)
	}
	if missing, _ := KindsMissing(Config{Scenario: "random"}, 10); len(missing) != 0 {
		t.Errorf("random scenario: missing %v", missing)
	}
}

// TestStormFramesAreCopies: in a switching loop, a broadcast's first
// appearance is its host's own transmission, normal traffic; only the
// loop's copies of it are labelled broadcast_storm. No per-frame detector
// can tell a host's broadcast that is about to loop from any other, so
// labelling it storm would put frames nothing can detect in the recall
// of storms.
func TestStormFramesAreCopies(t *testing.T) {
	g, err := NewGenerator(Config{Scenario: "broadcast_storm", Seed: 4, Labelling: LabelMulticlass})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	originals := map[string]bool{} // normal broadcasts not yet copied
	storm, copied := 0, 0
	for range 40000 {
		f := g.Next()
		d := string(f.Data)
		if f.Label == EpisodeBroadcastStorm {
			storm++
			if !seen[d] {
				t.Fatalf("a storm frame with no earlier copy: % x", f.Data[:min(len(f.Data), 42)])
			}
			if originals[d] {
				delete(originals, d)
				copied++
			}
		} else if !seen[d] && f.Data[0]&1 != 0 {
			originals[d] = true
		}
		seen[d] = true
	}
	if storm < 1000 || copied < 10 {
		t.Errorf("%d storm frames, copies of %d normal broadcasts: the scenario shows no storm", storm, copied)
	}
}
