package app

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/etherlearn/etherlearn/pipeline/ingest"
	"github.com/etherlearn/etherlearn/pipeline/pcapng"
	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// The real-capture check: small labelled sets assembled from public
// captures, and ARP-poisoning attacks recorded with real tools
// (testdata/realcaptures/make_arp_poison.sh); testdata/realcaptures/README.md
// has each file's origin, licence and labelling rule. They run through
// `run --file` like any capture.

// realCaptureSet is one labelled file: normal frames from the Debian
// package samples around one attack capture, or (whole) one capture that
// already holds normal traffic around its attack, labelled by a rule.
type realCaptureSet struct {
	file   string
	attack string // source capture of the attack frames (the recording, if whole)
	first  int    // attack frames taken from its start; 0 = all
	whole  bool   // the source is used alone, every frame with its own timing
	rule   string // the labelling rule, as the README states it
	label  func(f *capLayers) bool
}

// capLayers is what a labelling rule sees of one frame: each layer is nil
// if the frame does not have it.
type capLayers struct {
	eth *layers.Ethernet
	arp *layers.ARP
	ip  *layers.IPv4
	tcp *layers.TCP
}

// The LAN of make_arp_poison.sh: the attacker's true addresses.
var (
	arpAttackerMAC = net.HardwareAddr{0x52, 0x54, 0x00, 0x1a, 0x00, 0x66}
	arpAttackerIP  = net.IPv4(192, 168, 50, 66)
)

var realCaptureSets = []realCaptureSet{
	{file: "portscan_masscan.pcapng", attack: "masscan_tcp_0_1000_20190821.pcap", first: 150,
		rule: "IPv4 from or to the scanner 172.31.15.102",
		label: func(f *capLayers) bool {
			return f.ip != nil && (f.ip.SrcIP.Equal(net.IPv4(172, 31, 15, 102)) || f.ip.DstIP.Equal(net.IPv4(172, 31, 15, 102)))
		}},
	{file: "portscan_nmap.pcapng", attack: "nmap_80_w_service_detection.pcap", first: 154,
		rule: "IPv4 from or to the scanner 10.87.1.10",
		label: func(f *capLayers) bool {
			return f.ip != nil && (f.ip.SrcIP.Equal(net.IPv4(10, 87, 1, 10)) || f.ip.DstIP.Equal(net.IPv4(10, 87, 1, 10)))
		}},
	{file: "synflood_spoofed.pcapng", attack: "pkt.TCP.synflood.spoofed.pcap", first: 150,
		rule: "TCP SYN without ACK to the flooded address 10.10.10.10",
		label: func(f *capLayers) bool {
			return f.ip != nil && f.tcp != nil && f.tcp.SYN && !f.tcp.ACK && f.ip.DstIP.Equal(net.IPv4(10, 10, 10, 10))
		}},
	{file: "arp_poison_arpspoof.pcapng", attack: "arp_poison_arpspoof.pcap", whole: true,
		rule: arpPoisonRuleText, label: arpPoisonRule},
	{file: "arp_poison_ettercap.pcapng", attack: "arp_poison_ettercap.pcap", whole: true,
		rule: arpPoisonRuleText, label: arpPoisonRule},
}

const arpPoisonRuleText = "from the attacker's MAC 52:54:00:1a:00:66: ARP whose sender IP is not its own 192.168.50.66, " +
	"IPv4 whose source IP is not its own (relayed or forged); to its MAC: IPv4 whose destination IP is not its own (diverted)"

// arpPoisonRule labels the frames of an ARP-poisoning man in the middle:
// the forged ARP replies (and the re-ARPs restoring the true addresses when
// the tool stops) sent from the attacker's MAC for an address not its own,
// and the victims' traffic the poisoning diverts through the attacker, both
// into it (Ethernet destination the attacker, IP destination someone else)
// and out of it (Ethernet source the attacker, IP source someone else; this
// also catches IP packets the tool forges in another host's name, as
// ettercap's ICMP echo requests that prime the victims' caches).
// The attacker's own traffic, under its own IP, is normal.
func arpPoisonRule(f *capLayers) bool {
	if f.eth == nil {
		return false
	}
	fromAttacker := bytes.Equal(f.eth.SrcMAC, arpAttackerMAC)
	toAttacker := bytes.Equal(f.eth.DstMAC, arpAttackerMAC)
	switch {
	case f.arp != nil:
		return fromAttacker && !net.IP(f.arp.SourceProtAddress).Equal(arpAttackerIP)
	case f.ip != nil:
		return (fromAttacker && !f.ip.SrcIP.Equal(arpAttackerIP)) || (toAttacker && !f.ip.DstIP.Equal(arpAttackerIP))
	}
	return false
}

// realNormalSources are the Debian python3-dpkt example captures (BSD-3-clause).
var realNormalSources = []string{"http.pcap", "dns_icmp.pcap", "nb6-http.pcap"}

type capFrame struct {
	ts   time.Time
	data []byte
}

func readPcap(t *testing.T, path string, limit int) []capFrame {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := pcapgo.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var out []capFrame
	for limit <= 0 || len(out) < limit {
		data, ci, err := r.ReadPacketData()
		if err != nil {
			break
		}
		out = append(out, capFrame{ci.Timestamp, append([]byte(nil), data...)})
	}
	return out
}

// ruleDecoder decodes frames into the layers a labelling rule looks at.
type ruleDecoder struct {
	eth     layers.Ethernet
	dot1q   layers.Dot1Q
	arp     layers.ARP
	ip      layers.IPv4
	tcp     layers.TCP
	parser  *gopacket.DecodingLayerParser
	decoded []gopacket.LayerType
}

func newRuleDecoder() *ruleDecoder {
	d := &ruleDecoder{}
	d.parser = gopacket.NewDecodingLayerParser(layers.LayerTypeEthernet, &d.eth, &d.dot1q, &d.arp, &d.ip, &d.tcp)
	d.parser.IgnoreUnsupported = true
	return d
}

// label applies set's rule to one frame: 1 for attack, 0 for normal.
func (d *ruleDecoder) label(set realCaptureSet, data []byte) int {
	_ = d.parser.DecodeLayers(data, &d.decoded) // a rule sees the layers that decoded
	var f capLayers
	for _, l := range d.decoded {
		switch l {
		case layers.LayerTypeEthernet:
			f.eth = &d.eth
		case layers.LayerTypeARP:
			f.arp = &d.arp
		case layers.LayerTypeIPv4:
			f.ip = &d.ip
		case layers.LayerTypeTCP:
			f.tcp = &d.tcp
		}
	}
	if set.label(&f) {
		return 1
	}
	return 0
}

// TestBuildRealCaptureSets rebuilds testdata/realcaptures/*.pcapng from the
// source captures in $ETHERLEARN_CAPTURE_SOURCES (see the README there for
// where each comes from). For a mixed set the attack frames keep their own
// timing and start a quarter into the file; the normal frames are spread
// evenly over twice the attack's span, so the file opens and ends with
// normal traffic. A whole set is its source capture, frame for frame.
// Every frame is labelled by the set's rule alone.
func TestBuildRealCaptureSets(t *testing.T) {
	src := os.Getenv("ETHERLEARN_CAPTURE_SOURCES")
	if src == "" {
		t.Skip("set ETHERLEARN_CAPTURE_SOURCES to the directory of source captures to rebuild the labelled sets")
	}
	var normal []capFrame
	for _, set := range realCaptureSets {
		if _, err := os.Stat(filepath.Join(src, set.attack)); err != nil {
			t.Logf("%s: not rebuilt: %v", set.file, err)
			continue
		}
		attack := readPcap(t, filepath.Join(src, set.attack), set.first)
		var frames []capFrame
		if set.whole {
			frames = attack
		} else {
			if normal == nil {
				for _, n := range realNormalSources {
					normal = append(normal, readPcap(t, filepath.Join(src, n), 0)...)
				}
			}
			start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
			span := attack[len(attack)-1].ts.Sub(attack[0].ts)
			total := 2 * span
			for i, f := range normal {
				frames = append(frames, capFrame{start.Add(time.Duration(i) * total / time.Duration(len(normal))), f.data})
			}
			for _, f := range attack {
				frames = append(frames, capFrame{start.Add(total/4 + f.ts.Sub(attack[0].ts)), f.data})
			}
			sort.SliceStable(frames, func(i, j int) bool { return frames[i].ts.Before(frames[j].ts) })
		}
		var buf bytes.Buffer
		w := pcapng.NewWriter(&buf, "etherlearn real-capture check", pcapng.Interface{})
		dec := newRuleDecoder()
		ones := 0
		for _, f := range frames {
			label := dec.label(set, f.data)
			ones += label
			if err := w.WritePacket(f.ts, f.data, len(f.data), []byte(fmt.Sprintf("label=%d", label))); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join("testdata", "realcaptures", set.file)
		if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d frames, %d labelled 1 (%s)", out, len(frames), ones, set.rule)
	}
}

// TestRealCaptureLabelsFollowRules reads every committed labelled file and
// checks that each frame's label is what the set's documented rule gives
// for that frame, so the README's rules and the files cannot drift apart.
func TestRealCaptureLabelsFollowRules(t *testing.T) {
	for _, set := range realCaptureSets {
		t.Run(set.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", "realcaptures", set.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			r, err := ingest.NewReader(f, ingest.Options{})
			if err != nil {
				t.Fatal(err)
			}
			dec := newRuleDecoder()
			frames, ones := 0, 0
			for {
				fr, err := r.ReadFrame()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				frames++
				want := dec.label(set, fr.Data)
				ones += want
				if !fr.HasLabel || fr.Label != want {
					t.Fatalf("frame %d: label %d (present %v), the rule %q gives %d", frames, fr.Label, fr.HasLabel, set.rule, want)
				}
			}
			if ones == 0 || ones == frames {
				t.Fatalf("%d of %d frames are attacks: the rule must find both classes", ones, frames)
			}
			t.Logf("%d frames, %d attack (%.1f%%)", frames, ones, 100*float64(ones)/float64(frames))
		})
	}
}

// TestRealCaptureSets runs every labelled real-capture file through
// `run --file`: every frame is labelled and decoded, every learner and
// baseline reports finite accuracy, kappa and kappa-T, naive Bayes is at
// least as accurate as the majority baseline, and the best learner beats
// the no-change baseline (kappa-T > 0), which follows runs of one class.
func TestRealCaptureSets(t *testing.T) {
	for _, set := range realCaptureSets {
		t.Run(set.file, func(t *testing.T) {
			r := runJSON(t, "--file", filepath.Join("testdata", "realcaptures", set.file))
			if r.Frames == 0 || r.Labelled != r.Frames || r.DecodeErrors != 0 {
				t.Fatalf("frames %d labelled %d decode errors %d", r.Frames, r.Labelled, r.DecodeErrors)
			}
			if maj := classifier(t, r, "majority"); maj.Accuracy > 0.95 {
				t.Fatalf("majority baseline %.3f: the set is (almost) one class", maj.Accuracy)
			}
			if len(r.Classifiers) != 8 {
				t.Fatalf("%d learners and baselines reported, want 8", len(r.Classifiers))
			}
			for _, c := range r.Classifiers {
				for name, v := range map[string]float64{"accuracy": c.Accuracy, "kappa": c.Kappa, "kappa_t": c.KappaT} {
					if math.IsNaN(v) || math.IsInf(v, 0) || (name == "accuracy" && (v < 0 || v > 1)) {
						t.Errorf("%s %s = %v", c.Name, name, v)
					}
				}
				t.Logf("%-20s accuracy %.4f kappa %.3f kappa-T %.3f", c.Name, c.Accuracy, c.Kappa, c.KappaT)
			}
			if nb, maj := classifier(t, r, "naive_bayes"), classifier(t, r, "majority"); nb.Accuracy < maj.Accuracy {
				t.Errorf("naive Bayes %.4f below the majority baseline %.4f", nb.Accuracy, maj.Accuracy)
			}
			best := ClassifierReport{KappaT: math.Inf(-1)}
			for _, c := range r.Classifiers {
				if !c.Baseline && c.KappaT > best.KappaT {
					best = c
				}
			}
			if best.KappaT <= 0 {
				t.Errorf("no learner beats the no-change baseline: best kappa-T %.3f (%s)", best.KappaT, best.Name)
			}
		})
	}
}
