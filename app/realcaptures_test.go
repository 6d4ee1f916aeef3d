package app

import (
	"bytes"
	"fmt"
	"math"
	"net"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/etherlearn/etherlearn/pipeline/pcapng"
	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// The real-capture check: small labelled sets assembled from public
// captures (testdata/realcaptures/README.md has each file's origin,
// licence and labelling rule), run through `run --file` like any capture.

// realCaptureSet is one labelled file: normal frames from the Debian
// package samples around one attack capture, labelled by a rule.
type realCaptureSet struct {
	file   string
	attack string // source capture of the attack frames
	first  int    // attack frames taken from its start
	rule   string // the labelling rule, as the README states it
	label  func(ip *layers.IPv4, tcp *layers.TCP) bool
}

var realCaptureSets = []realCaptureSet{
	{file: "portscan_masscan.pcapng", attack: "masscan_tcp_0_1000_20190821.pcap", first: 150,
		rule: "IPv4 from or to the scanner 172.31.15.102",
		label: func(ip *layers.IPv4, _ *layers.TCP) bool {
			return ip != nil && (ip.SrcIP.Equal(net.IPv4(172, 31, 15, 102)) || ip.DstIP.Equal(net.IPv4(172, 31, 15, 102)))
		}},
	{file: "portscan_nmap.pcapng", attack: "nmap_80_w_service_detection.pcap", first: 154,
		rule: "IPv4 from or to the scanner 10.87.1.10",
		label: func(ip *layers.IPv4, _ *layers.TCP) bool {
			return ip != nil && (ip.SrcIP.Equal(net.IPv4(10, 87, 1, 10)) || ip.DstIP.Equal(net.IPv4(10, 87, 1, 10)))
		}},
	{file: "synflood_spoofed.pcapng", attack: "pkt.TCP.synflood.spoofed.pcap", first: 150,
		rule: "TCP SYN without ACK to the flooded address 10.10.10.10",
		label: func(ip *layers.IPv4, tcp *layers.TCP) bool {
			return ip != nil && tcp != nil && tcp.SYN && !tcp.ACK && ip.DstIP.Equal(net.IPv4(10, 10, 10, 10))
		}},
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

// TestBuildRealCaptureSets rebuilds testdata/realcaptures/*.pcapng from the
// source captures in $ETHERLEARN_CAPTURE_SOURCES (see the README there for
// where each comes from). The attack frames keep their own timing and
// start a quarter into the file; the normal frames are spread evenly over
// twice the attack's span, so the file opens and ends with normal traffic.
// Every frame is labelled by the set's rule alone.
func TestBuildRealCaptureSets(t *testing.T) {
	src := os.Getenv("ETHERLEARN_CAPTURE_SOURCES")
	if src == "" {
		t.Skip("set ETHERLEARN_CAPTURE_SOURCES to the directory of source captures to rebuild the labelled sets")
	}
	var normal []capFrame
	for _, n := range realNormalSources {
		normal = append(normal, readPcap(t, filepath.Join(src, n), 0)...)
	}
	for _, set := range realCaptureSets {
		attack := readPcap(t, filepath.Join(src, set.attack), set.first)
		start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
		span := attack[len(attack)-1].ts.Sub(attack[0].ts)
		total := 2 * span
		var frames []capFrame
		for i, f := range normal {
			frames = append(frames, capFrame{start.Add(time.Duration(i) * total / time.Duration(len(normal))), f.data})
		}
		for _, f := range attack {
			frames = append(frames, capFrame{start.Add(total/4 + f.ts.Sub(attack[0].ts)), f.data})
		}
		sort.SliceStable(frames, func(i, j int) bool { return frames[i].ts.Before(frames[j].ts) })
		var buf bytes.Buffer
		w := pcapng.NewWriter(&buf, "etherlearn real-capture check", pcapng.Interface{})
		var eth layers.Ethernet
		var dot1q layers.Dot1Q
		var ip layers.IPv4
		var tcp layers.TCP
		parser := gopacket.NewDecodingLayerParser(layers.LayerTypeEthernet, &eth, &dot1q, &ip, &tcp)
		parser.IgnoreUnsupported = true
		ones := 0
		for _, f := range frames {
			var decoded []gopacket.LayerType
			_ = parser.DecodeLayers(f.data, &decoded)
			var ipp *layers.IPv4
			var tcpp *layers.TCP
			for _, l := range decoded {
				switch l {
				case layers.LayerTypeIPv4:
					ipp = &ip
				case layers.LayerTypeTCP:
					tcpp = &tcp
				}
			}
			label := 0
			if set.label(ipp, tcpp) {
				label, ones = 1, ones+1
			}
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

// TestRealCaptureSets runs every labelled real-capture file through
// `run --file`: every frame is labelled and decoded, every learner and
// baseline reports finite accuracy, kappa and kappa-T, and naive Bayes is
// at least as accurate as the majority baseline.
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
		})
	}
}
