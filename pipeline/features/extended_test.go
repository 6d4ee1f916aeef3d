package features

import (
	"math"
	"net"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

var (
	macA     = net.HardwareAddr{0x00, 0x1b, 0x21, 0x5e, 0x00, 0x10}
	macB     = net.HardwareAddr{0x3c, 0x52, 0x82, 0x11, 0xa0, 0x01}
	macC     = net.HardwareAddr{0x00, 0xc0, 0xca, 0x9d, 0x66, 0x66}
	macLocal = net.HardwareAddr{0x02, 0x42, 0xac, 0x11, 0x00, 0x02}
	macBcast = net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
	macMc6   = net.HardwareAddr{0x33, 0x33, 0x00, 0x00, 0x00, 0x01}
	ipA      = net.IP{192, 168, 1, 10}
	ipB      = net.IP{192, 168, 1, 21}
	ipC      = net.IP{192, 168, 1, 66}
	ip6A     = net.ParseIP("fe80::21b:21ff:fe5e:10")
	ip6All   = net.ParseIP("ff02::1")
	t0       = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
)

// frame serializes ls with lengths and checksums filled in.
func frame(t testing.TB, ls ...gopacket.SerializableLayer) []byte {
	t.Helper()
	for _, l := range ls {
		switch tl := l.(type) {
		case *layers.TCP:
			for _, n := range ls {
				if nl, ok := n.(gopacket.NetworkLayer); ok {
					tl.SetNetworkLayerForChecksum(nl)
				}
			}
		case *layers.UDP:
			for _, n := range ls {
				if nl, ok := n.(gopacket.NetworkLayer); ok {
					tl.SetNetworkLayerForChecksum(nl)
				}
			}
		case *layers.ICMPv6:
			for _, n := range ls {
				if nl, ok := n.(gopacket.NetworkLayer); ok {
					tl.SetNetworkLayerForChecksum(nl)
				}
			}
		}
	}
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		t.Fatal(err)
	}
	return append([]byte(nil), buf.Bytes()...)
}

func eth(src, dst net.HardwareAddr, et layers.EthernetType) *layers.Ethernet {
	return &layers.Ethernet{SrcMAC: src, DstMAC: dst, EthernetType: et}
}

func ipv4(src, dst net.IP, proto layers.IPProtocol) *layers.IPv4 {
	return &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: proto, SrcIP: src, DstIP: dst}
}

func tcpSeg(sport, dport uint16, flags string) *layers.TCP {
	t := &layers.TCP{SrcPort: layers.TCPPort(sport), DstPort: layers.TCPPort(dport), Seq: 1, Window: 64240}
	for _, c := range flags {
		switch c {
		case 'S':
			t.SYN = true
		case 'A':
			t.ACK = true
		case 'F':
			t.FIN = true
		case 'R':
			t.RST = true
		case 'P':
			t.PSH = true
		}
	}
	return t
}

func synFrame(t testing.TB, src, dst net.HardwareAddr, sip, dip net.IP, sport, dport uint16, flags string) []byte {
	return frame(t, eth(src, dst, layers.EthernetTypeIPv4), ipv4(sip, dip, layers.IPProtocolTCP), tcpSeg(sport, dport, flags))
}

func arpFrame(t testing.TB, op uint16, srcMAC net.HardwareAddr, srcIP, dstIP net.IP) []byte {
	dst := macBcast
	if op == layers.ARPReply {
		dst = macB
	}
	return frame(t, eth(srcMAC, dst, layers.EthernetTypeARP), &layers.ARP{
		AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4, HwAddressSize: 6, ProtAddressSize: 4,
		Operation: op, SourceHwAddress: srcMAC, SourceProtAddress: srcIP,
		DstHwAddress: make([]byte, 6), DstProtAddress: dstIP,
	})
}

// extractor runs frames through a decoder and a set, returning features by name.
type extractor struct {
	t   testing.TB
	dec *Decoder
	set Set
	out []float64
}

func newExtractor(t testing.TB, set Set) *extractor {
	return &extractor{t: t, dec: NewDecoder(), set: set, out: make([]float64, len(set.Features()))}
}

func (e *extractor) at(data []byte, ts time.Time) map[string]float64 {
	e.t.Helper()
	p, err := e.dec.Decode(data, ts)
	if err != nil {
		e.t.Fatal(err)
	}
	if p.UpperErr != nil {
		e.t.Fatalf("test frame malformed: %v", p.UpperErr)
	}
	e.set.Extract(p, e.out)
	m := map[string]float64{}
	for i, f := range e.set.Features() {
		m[f.Name] = e.out[i]
	}
	return m
}

func newTestExtended(t testing.TB, cfg ExtendedConfig) *Extended {
	t.Helper()
	x, err := NewExtended("test", cfg)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func TestExtendedPerFrame(t *testing.T) {
	payload := gopacket.Payload(make([]byte, 100))
	for _, tc := range []struct {
		name string
		data func(t testing.TB) []byte
		want map[string]float64
	}{
		{
			name: "tcp syn",
			data: func(t testing.TB) []byte { return synFrame(t, macC, macA, ipC, ipA, 40000, 22, "S") },
			want: map[string]float64{
				"dst_broadcast": 0, "dst_multicast": 0, "src_local_admin": 0, "vlan_tagged": 0,
				"eth_ipv4": 1, "eth_ipv6": 0, "eth_arp": 0, "eth_other": 0, "payload_len": 46, // padded to the 60-byte minimum
				"proto_tcp": 1, "proto_udp": 0, "proto_icmp": 0, "proto_other": 0, "ttl": 64,
				"ip_payload_len":   20,
				"src_port_service": 0, "src_port_low": 0, "src_port_registered": 1, "src_port_ephemeral": 0,
				"dst_port_service": 1, "dst_port_low": 0, "dst_port_registered": 0, "dst_port_ephemeral": 0,
				"tcp_syn": 1, "tcp_ack": 0, "tcp_fin": 0, "tcp_rst": 0, "tcp_psh": 0, "tcp_urg": 0,
				"icmp_echo_request": 0, "icmp_echo_reply": 0, "icmp_unreachable": 0, "icmp_nd": 0, "icmp_other": 0,
				"arp_request": 0, "arp_reply": 0, "arp_claims": 0,
			},
		},
		{
			name: "tcp syn/ack in vlan 20",
			data: func(t testing.TB) []byte {
				return frame(t, eth(macA, macC, layers.EthernetTypeDot1Q),
					&layers.Dot1Q{VLANIdentifier: 20, Type: layers.EthernetTypeIPv4},
					ipv4(ipA, ipC, layers.IPProtocolTCP), tcpSeg(22, 40000, "SA"))
			},
			want: map[string]float64{
				"vlan_tagged": 1, "eth_ipv4": 1, "eth_other": 0, "payload_len": 46, "ip_payload_len": 20,
				"src_port_service": 1, "dst_port_registered": 1, "tcp_syn": 1, "tcp_ack": 1, "tcp_psh": 0,
			},
		},
		{
			name: "tcp fin/psh/ack with data",
			data: func(t testing.TB) []byte {
				return frame(t, eth(macB, macA, layers.EthernetTypeIPv4), ipv4(ipB, ipA, layers.IPProtocolTCP), tcpSeg(50000, 445, "FPA"), payload)
			},
			want: map[string]float64{"ip_payload_len": 120, "payload_len": 140, "tcp_fin": 1, "tcp_psh": 1, "tcp_ack": 1, "tcp_syn": 0,
				"src_port_ephemeral": 1, "src_port_registered": 0, "dst_port_service": 1},
		},
		{
			name: "tcp rst/ack",
			data: func(t testing.TB) []byte { return synFrame(t, macA, macC, ipA, ipC, 23, 40000, "RA") },
			want: map[string]float64{"tcp_rst": 1, "tcp_ack": 1, "tcp_syn": 0, "src_port_service": 1, "dst_port_registered": 1},
		},
		{
			name: "udp over ipv6 to all-nodes multicast",
			data: func(t testing.TB) []byte {
				return frame(t, eth(macA, macMc6, layers.EthernetTypeIPv6),
					&layers.IPv6{Version: 6, HopLimit: 255, NextHeader: layers.IPProtocolUDP, SrcIP: ip6A, DstIP: ip6All},
					&layers.UDP{SrcPort: 5353, DstPort: 5353}, payload)
			},
			want: map[string]float64{
				"dst_multicast": 1, "dst_broadcast": 0, "eth_ipv6": 1, "eth_ipv4": 0, "proto_udp": 1, "proto_tcp": 0,
				"ttl": 255, "ip_payload_len": 108, "src_port_service": 1, "dst_port_service": 1, "tcp_syn": 0, "icmp_other": 0,
			},
		},
		{
			name: "icmp echo request",
			data: func(t testing.TB) []byte {
				return frame(t, eth(macB, macA, layers.EthernetTypeIPv4), ipv4(ipB, ipA, layers.IPProtocolICMPv4),
					&layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(layers.ICMPv4TypeEchoRequest, 0), Id: 1, Seq: 1}, payload)
			},
			want: map[string]float64{"proto_icmp": 1, "icmp_echo_request": 1, "icmp_echo_reply": 0, "src_port_service": 0,
				"src_port_low": 0, "src_port_registered": 0, "src_port_ephemeral": 0, "dst_port_service": 0, "ip_payload_len": 108},
		},
		{
			name: "icmpv6 echo reply",
			data: func(t testing.TB) []byte {
				return frame(t, eth(macA, macB, layers.EthernetTypeIPv6),
					&layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolICMPv6, SrcIP: ip6A, DstIP: net.ParseIP("fe80::1")},
					&layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(layers.ICMPv6TypeEchoReply, 0)}, payload)
			},
			want: map[string]float64{"eth_ipv6": 1, "proto_icmp": 1, "icmp_echo_reply": 1, "icmp_echo_request": 0, "ttl": 64},
		},
		{
			name: "arp request from a locally administered mac",
			data: func(t testing.TB) []byte { return arpFrame(t, layers.ARPRequest, macLocal, ipB, ipA) },
			want: map[string]float64{
				"dst_broadcast": 1, "dst_multicast": 0, "src_local_admin": 1, "eth_arp": 1, "eth_ipv4": 0,
				"proto_tcp": 0, "proto_udp": 0, "proto_icmp": 0, "proto_other": 0, "ttl": 0, "ip_payload_len": 0,
				"arp_request": 1, "arp_reply": 0, "arp_claims": 1, "src_port_service": 0, "tcp_syn": 0, "icmp_other": 0,
			},
		},
		{
			name: "arp reply",
			data: func(t testing.TB) []byte { return arpFrame(t, layers.ARPReply, macA, ipA, ipB) },
			want: map[string]float64{"dst_broadcast": 0, "arp_request": 0, "arp_reply": 1, "arp_claims": 1},
		},
		{
			name: "arp probe claims nothing",
			data: func(t testing.TB) []byte { return arpFrame(t, layers.ARPRequest, macB, net.IPv4zero.To4(), ipA) },
			want: map[string]float64{"arp_request": 1, "arp_claims": 0},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, name := range []string{ExtendedName, ExtendedFirstSightName, ExtendedHashedMACName} {
				set, err := NewSet(name)
				if err != nil {
					t.Fatal(err)
				}
				got := newExtractor(t, set).at(tc.data(t), t0)
				for k, want := range tc.want {
					v, ok := got[k]
					if !ok && k == "src_local_admin" && name == ExtendedName {
						continue // an address bit: only in the sets with addresses
					}
					if !ok {
						t.Fatalf("%s: no feature %q", name, k)
					}
					if v != want {
						t.Errorf("%s: %s = %v, want %v", name, k, v, want)
					}
				}
			}
		})
	}
}

func TestPortClass(t *testing.T) {
	for _, tc := range []struct {
		port uint16
		want string
	}{{22, "service"}, {443, "service"}, {3389, "service"}, {5353, "service"}, {1, "low"}, {1023, "low"},
		{1024, "registered"}, {40000, "registered"}, {49151, "registered"}, {49152, "ephemeral"}, {65535, "ephemeral"}} {
		if got := portClassNames[portClass(tc.port)]; got != tc.want {
			t.Errorf("port %d: class %s, want %s", tc.port, got, tc.want)
		}
	}
	// The bitmap gives every port the class of the list's definition.
	for p := range 1 << 16 {
		port := uint16(p)
		want := 3
		switch {
		case slices.Contains(servicePorts[:], port):
			want = 0
		case port < 1024:
			want = 1
		case port < 49152:
			want = 2
		}
		if got := portClass(port); got != want {
			t.Fatalf("port %d: class %d, want %d", port, got, want)
		}
	}
}

// TestExtendedScales: indicators pass through the scaler as 0/1, counts
// and times are log-scaled, and the default set has no MAC columns.
func TestExtendedScales(t *testing.T) {
	set, err := NewSet(ExtendedName)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range set.Features() {
		if f.Notation == NotationDstMAC || f.Notation == NotationSrcMAC {
			t.Errorf("default extended set has MAC column %s", f.Name)
		}
		if (f.Notation == NotationFlag) != (f.Scale == ScaleNone) || f.Categorical() != (f.Notation == NotationFlag) {
			t.Errorf("%s: kind %d scale %d; indicators and only they pass through", f.Name, f.Notation, f.Scale)
		}
		if f.Notation == NotationSeconds && (f.Scale != ScaleLog || f.LogUnit != 1e-6) {
			t.Errorf("%s: times are log-scaled in microseconds", f.Name)
		}
	}
	var sc StandardScaler
	fs := []Feature{{Name: "f", Notation: NotationFlag, Scale: ScaleNone}, {Name: "n", Notation: NotationNumber, Scale: ScaleLog},
		{Name: "t", Notation: NotationSeconds, Scale: ScaleLog, LogUnit: 1e-6}, {Name: "s", Notation: NotationNumber}}
	sc.Configure(fs)
	out := make([]float64, 4)
	sc.LearnTransform([]float64{1, 0, 0, 0}, out)
	sc.LearnTransform([]float64{0, math.E - 1, 1e-6, 2}, out)
	if out[0] != 0 {
		t.Errorf("indicator scaled to %v, want it unchanged (0)", out[0])
	}
	// log1p: column 1 saw 0 and 1, column 2 (in µs) 0 and 1, column 3 0 and 2
	if !near(sc.mean[1], 0.5) || !near(sc.mean[2], math.Log(2)/2) || !near(sc.mean[3], 1) {
		t.Errorf("means after log1p: %v %v %v, want 0.5 %v 1", sc.mean[1], sc.mean[2], math.Log(2)/2, sc.mean[3])
	}
	if !near(out[1], 1) || !near(out[3], 1) {
		t.Errorf("second sample scaled %v, want z = 1 for columns 1 and 3", out)
	}
}

func TestExtendedMACEncodings(t *testing.T) {
	data := synFrame(t, macC, macA, ipC, ipA, 40000, 22, "S")
	data2 := synFrame(t, macB, macA, ipB, ipA, 40001, 22, "S")

	hashed := newExtractor(t, newTestExtended(t, ExtendedConfig{MAC: MACHashed}))
	got := hashed.at(data, t0)
	if got["dst_mac"] != float64(MACBucket(macA, DefaultMACBuckets)) || got["src_mac"] != float64(MACBucket(macC, DefaultMACBuckets)) {
		t.Errorf("hashed codes %v, %v; want the MACBucket values", got["dst_mac"], got["src_mac"])
	}
	if b := got["src_mac"]; b < 0 || b >= DefaultMACBuckets {
		t.Errorf("bucket %v out of range", b)
	}
	// the code depends on the address only, not on what came before
	fresh := newExtractor(t, newTestExtended(t, ExtendedConfig{MAC: MACHashed}))
	fresh.at(data2, t0)
	if again := fresh.at(data, t0.Add(time.Millisecond)); again["src_mac"] != got["src_mac"] {
		t.Errorf("hashed code changed with history: %v then %v", got["src_mac"], again["src_mac"])
	}

	first := newExtractor(t, newTestExtended(t, ExtendedConfig{MAC: MACFirstSight}))
	a, b := first.at(data, t0), first.at(data2, t0.Add(time.Millisecond))
	if a["dst_mac"] != 0 || a["src_mac"] != 0 || b["dst_mac"] != 0 || b["src_mac"] != 1 {
		t.Errorf("first-sight codes: %v %v then %v %v; want 0 0 then 0 1", a["dst_mac"], a["src_mac"], b["dst_mac"], b["src_mac"])
	}

	none := newTestExtended(t, ExtendedConfig{MAC: MACNone})
	for _, f := range none.Features() {
		if f.Notation == NotationDstMAC || f.Notation == NotationSrcMAC || f.Name == "src_local_admin" {
			t.Errorf("MACNone has address column %s", f.Name)
		}
	}
	if len(none.Features()) != len(newTestExtended(t, ExtendedConfig{}).Features())-3 {
		t.Error("MACNone should drop exactly the two MAC columns and the locally administered bit")
	}
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

// TestDampedStatistics checks the per-source and per-conversation
// statistics against values worked out by hand from the definitions.
func TestDampedStatistics(t *testing.T) {
	e := newExtractor(t, newTestExtended(t, ExtendedConfig{}))
	small := synFrame(t, macB, macA, ipB, ipA, 50000, 80, "S")                                                                                                    // 60 bytes (padded)
	big := frame(t, eth(macB, macA, layers.EthernetTypeIPv4), ipv4(ipB, ipA, layers.IPProtocolTCP), tcpSeg(50000, 80, "PA"), gopacket.Payload(make([]byte, 946))) // 1000 bytes
	if len(small) != 60 || len(big) != 1000 {
		t.Fatalf("frame sizes %d, %d", len(small), len(big))
	}
	first := e.at(small, t0)
	for _, p := range []string{"src", "conv"} {
		for _, l := range []string{"5", "1", "0.1"} {
			want, _ := parseFloat(l)
			if got := first[p+"_rate_l"+l]; !near(got, want) { // λ × weight 1
				t.Errorf("first frame %s_rate_l%s = %v, want %v", p, l, got, want)
			}
		}
		if first[p+"_size_mean_l1"] != 60 || first[p+"_size_std_l1"] != 0 || first[p+"_iat_mean_l1"] != 0 {
			t.Errorf("first frame %s size/iat stats: %v %v %v", p, first[p+"_size_mean_l1"], first[p+"_size_std_l1"], first[p+"_iat_mean_l1"])
		}
	}
	if first["iat"] != 0 {
		t.Errorf("first frame iat = %v, want 0", first["iat"])
	}

	// 1 s later: every weight is w = 1·e^(-λ·1) + 1.
	second := e.at(big, t0.Add(time.Second))
	e1 := math.Exp(-1)
	w := e1 + 1
	mean := (60*e1 + 1000) / w
	std := math.Sqrt((60*60*e1+1000*1000)/w - mean*mean)
	for _, p := range []string{"src", "conv"} {
		for _, l := range []float64{5, 1, 0.1} {
			name := p + "_rate" + lambdaName(l)
			if want := l * (math.Exp(-l) + 1); !near(second[name], want) {
				t.Errorf("%s = %v, want %v", name, second[name], want)
			}
		}
		checks := map[string]float64{
			p + "_size_mean_l1": mean, p + "_size_std_l1": std,
			p + "_iat_mean_l1": 1, p + "_iat_std_l1": 0, // one inter-arrival so far
		}
		for name, want := range checks {
			if !near(second[name], want) {
				t.Errorf("%s = %v, want %v", name, second[name], want)
			}
		}
	}
	if second["iat"] != 1 {
		t.Errorf("iat = %v, want 1", second["iat"])
	}

	// A frame of another source in between moves neither the source's nor
	// the conversation's statistics, only the frame inter-arrival.
	other := e.at(synFrame(t, macC, macA, ipC, ipA, 40000, 22, "S"), t0.Add(2*time.Second))
	if other["src_rate_l1"] != 1 || other["iat"] != 1 {
		t.Errorf("other source: src_rate_l1 %v iat %v, want 1 1", other["src_rate_l1"], other["iat"])
	}

	// 2 s after the second frame: inter-arrivals 1 s then 2 s, the first
	// decayed by e^-2 (λ=1).
	third := e.at(small, t0.Add(3*time.Second))
	e2 := math.Exp(-2)
	wi := e2 + 1
	imean := (1*e2 + 2) / wi
	istd := math.Sqrt((1*e2+4)/wi - imean*imean)
	for _, p := range []string{"src", "conv"} {
		if got := third[p+"_iat_mean_l1"]; !near(got, imean) {
			t.Errorf("%s_iat_mean_l1 = %v, want %v", p, got, imean)
		}
		if got := third[p+"_iat_std_l1"]; !near(got, istd) {
			t.Errorf("%s_iat_std_l1 = %v, want %v", p, got, istd)
		}
		if got, want := third[p+"_rate_l1"], (1*e1+1)*e2+1; !near(got, want) {
			t.Errorf("%s_rate_l1 = %v, want %v", p, got, want)
		}
	}
}

func parseFloat(s string) (float64, error) { return strconv.ParseFloat(s, 64) }

// TestConversationKey checks that conversations are directional IP pairs.
func TestConversationKey(t *testing.T) {
	e := newExtractor(t, newTestExtended(t, ExtendedConfig{}))
	e.at(synFrame(t, macB, macA, ipB, ipA, 50000, 80, "S"), t0)
	back := e.at(synFrame(t, macA, macB, ipA, ipB, 80, 50000, "SA"), t0)
	if back["conv_rate_l1"] != 1 {
		t.Errorf("reverse direction shares the conversation: conv_rate_l1 = %v", back["conv_rate_l1"])
	}
	// same IP pair from another MAC (e.g. routed): same conversation, other source
	routed := e.at(synFrame(t, macC, macA, ipB, ipA, 50001, 80, "S"), t0)
	if routed["conv_rate_l1"] != 2 || routed["src_rate_l1"] != 1 {
		t.Errorf("conv_rate_l1 %v src_rate_l1 %v, want 2 1", routed["conv_rate_l1"], routed["src_rate_l1"])
	}
}

func TestDistinctPortsAndHosts(t *testing.T) {
	e := newExtractor(t, newTestExtended(t, ExtendedConfig{DistinctWindow: time.Second}))
	var got map[string]float64
	// a scan: 200 ports of one host within 200 ms
	for i := 0; i < 200; i++ {
		got = e.at(synFrame(t, macC, macA, ipC, ipA, 40000, uint16(1+i), "S"), t0.Add(time.Duration(i)*time.Millisecond))
	}
	if p := got["src_dst_ports"]; p < 150 || p > 260 {
		t.Errorf("src_dst_ports after 200 distinct ports = %v, want about 200", p)
	}
	if h := got["src_dst_hosts"]; h < 0.99 || h > 1.01 {
		t.Errorf("src_dst_hosts = %v, want 1", h)
	}
	// a client talking to one service many times
	for i := 0; i < 200; i++ {
		got = e.at(synFrame(t, macB, macA, ipB, ipA, uint16(50000+i), 443, "S"), t0.Add(time.Duration(i)*time.Millisecond))
	}
	if p := got["src_dst_ports"]; p < 0.99 || p > 1.01 {
		t.Errorf("src_dst_ports of one service = %v, want 1", p)
	}
	// two windows later the scan is forgotten
	got = e.at(synFrame(t, macC, macA, ipC, ipB, 40000, 7, "S"), t0.Add(2500*time.Millisecond))
	if p, h := got["src_dst_ports"], got["src_dst_hosts"]; p > 1.01 || h > 1.01 {
		t.Errorf("after 2 windows: ports %v hosts %v, want 1 1", p, h)
	}
}

func TestDistinctBitsEstimate(t *testing.T) {
	var d distinctBits
	const w = int64(time.Second)
	for n := 1; n <= distinctM; n++ {
		d.add(0, w, uint64(n-1)) // hash n-1 sets bit n-1: no collisions
		want := -distinctM * math.Log(float64(distinctM-n)/distinctM)
		if n == distinctM {
			want = distinctM * math.Log(distinctM) // saturated
		}
		if got := d.estimate(0, w); !near(got, want) {
			t.Fatalf("%d values: estimate %v, want %v", n, got, want)
		}
	}
	// one window later the previous generation still counts ...
	d.add(w, w, 0)
	if got := d.estimate(w, w); got < 1000 {
		t.Errorf("previous generation dropped too early: %v", got)
	}
	// ... two windows later it does not: the generation started at w
	// (one value) is the previous one now
	if got, want := d.estimate(2*w, w), -distinctM*math.Log(float64(distinctM-1)/distinctM); !near(got, want) {
		t.Errorf("estimate two windows on = %v, want %v (one value)", got, want)
	}
	if got := d.estimate(5*w, w); got != 0 {
		t.Errorf("estimate after a long silence = %v, want 0", got)
	}
}

func TestHalfOpen(t *testing.T) {
	e := newExtractor(t, newTestExtended(t, ExtendedConfig{}))
	ms := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Millisecond) }
	// a client whose SYN is answered
	if got := e.at(synFrame(t, macB, macA, ipB, ipA, 50000, 80, "S"), ms(0))["src_half_open"]; got != 1 {
		t.Errorf("unanswered SYN: half-open %v, want 1", got)
	}
	e.at(synFrame(t, macA, macB, ipA, ipB, 80, 50000, "SA"), ms(1))
	if got := e.at(synFrame(t, macB, macA, ipB, ipA, 50000, 80, "A"), ms(2))["src_half_open"]; got != 0 {
		t.Errorf("answered SYN: half-open %v, want 0", got)
	}
	// a scanner: 100 SYNs, 5 answered
	var got float64
	for i := 0; i < 100; i++ {
		got = e.at(synFrame(t, macC, macA, ipC, ipA, 40000, uint16(1+i), "S"), ms(10+2*i))["src_half_open"]
		if i%20 == 0 {
			e.at(synFrame(t, macA, macC, ipA, ipC, uint16(1+i), 40000, "SA"), ms(11+2*i))
		}
	}
	if got < 0.9 || got > 0.97 {
		t.Errorf("scanner half-open %v, want about 0.95", got)
	}
	// Unsolicited SYN/ACKs (backscatter) answer no SYN: they must not
	// count in advance for SYNs the client has yet to send. Its one
	// answered SYN, decayed over 0.4 s, and one new unanswered SYN:
	// share 1/(1+e^-0.04).
	for i := 0; i < 10; i++ {
		e.at(synFrame(t, macA, macB, ipA, ipB, 80, uint16(60000+i), "SA"), ms(300+i))
	}
	got = e.at(synFrame(t, macB, macA, ipB, ipA, 50001, 80, "S"), ms(400))["src_half_open"]
	if want := 1 / (1 + math.Exp(-0.1*0.4)); !near(got, want) {
		t.Errorf("half-open after backscatter %v, want %v", got, want)
	}
}

func TestARPClaims(t *testing.T) {
	e := newExtractor(t, newTestExtended(t, ExtendedConfig{ClaimWindow: 10 * time.Second}))
	gwIP := net.IP{192, 168, 1, 1}
	steps := []struct {
		at   time.Duration
		mac  net.HardwareAddr
		ip   net.IP
		want float64
	}{
		{0, macA, gwIP, 1},                // the gateway answers
		{time.Second, macA, gwIP, 1},      // again: same claimant
		{2 * time.Second, macC, gwIP, 2},  // an intruder claims the gateway's IP
		{3 * time.Second, macA, gwIP, 2},  // both recent
		{3 * time.Second, macC, ipC, 1},   // the intruder's own address: one claimant
		{13 * time.Second, macA, gwIP, 1}, // the intruder's claim is 11 s old
		{14 * time.Second, macLocal, ipB, 1},
	}
	for i, s := range steps {
		got := e.at(arpFrame(t, layers.ARPReply, s.mac, s.ip, ipB), t0.Add(s.at))["arp_claims"]
		if got != s.want {
			t.Errorf("step %d: arp_claims = %v, want %v", i, got, s.want)
		}
	}
	// more claimants than slots: the count stays at the slots
	var a arpClaims
	for i := 0; i < 10; i++ {
		if n, _ := a.claim(uint64(i), int64(i), int64(time.Hour)); n != min(i+1, arpClaimSlots) {
			t.Fatalf("claimant %d: count %d", i, n)
		}
	}
}

// featureStep is one frame of a scripted sequence and the value one
// feature must have for it.
type featureStep struct {
	name string
	data []byte
	at   time.Time
	want float64
}

// checkSteps feeds the steps to e in order and checks feature on each
// frame, within tol.
func checkSteps(t *testing.T, e *extractor, feature string, tol float64, steps []featureStep) {
	t.Helper()
	for i, s := range steps {
		if got := e.at(s.data, s.at)[feature]; !(math.Abs(got-s.want) <= tol) {
			t.Errorf("step %d (%s): %s = %v, want %v", i, s.name, feature, got, s.want)
		}
	}
}

func TestSrcIPMACs(t *testing.T) {
	e := newExtractor(t, newTestExtended(t, ExtendedConfig{IPMACWindow: 2 * time.Second}))
	remote := net.IP{203, 0, 113, 10}
	ms := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Millisecond) }
	steps := []featureStep{
		{"a client", synFrame(t, macB, macA, ipB, remote, 50000, 443, "S"), ms(0), 1},
		{"relayed by a man in the middle", synFrame(t, macC, macA, ipB, remote, 50000, 443, "S"), ms(1), 2},
		{"the client, misdirected", synFrame(t, macB, macC, ipB, remote, 50000, 443, "A"), ms(5), 2},
		{"the internet, through the router", synFrame(t, macA, macB, remote, ipB, 443, 50000, "SA"), ms(6), 1},
		{"... always with the router's MAC", synFrame(t, macA, macB, remote, ipB, 443, 50000, "A"), ms(7), 1},
		{"the relay is 3 s old", synFrame(t, macB, macA, ipB, remote, 50000, 443, "A"), ms(3000), 1},
		{"not IPv4", arpFrame(t, layers.ARPRequest, macB, ipB, ipA), ms(3001), 0},
	}
	checkSteps(t, e, "src_ip_macs", 0, steps)
}

// TestIPMACRelay: ip_mac_relay needs both signs of a man in the middle on
// one frame, an address sent from two MACs and a contested MAC; each alone
// (a renumbered host, an ARP contest won by a re-addressed host) is not it.
func TestIPMACRelay(t *testing.T) {
	e := newExtractor(t, newTestExtended(t, ExtendedConfig{ClaimWindow: 10 * time.Second, IPMACWindow: 2 * time.Second}))
	gwIP, remote := net.IP{192, 168, 1, 1}, net.IP{203, 0, 113, 10}
	ms := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Millisecond) }
	steps := []featureStep{
		{"the gateway claims its address", arpFrame(t, layers.ARPReply, macA, gwIP, ipB), ms(0), 0},
		{"a client", synFrame(t, macB, macA, ipB, remote, 50000, 443, "S"), ms(10), 0},
		{"another MAC sends from the client's address, nothing contested", synFrame(t, macLocal, macA, ipB, remote, 50001, 443, "S"), ms(20), 0},
		{"an intruder claims the gateway's address", arpFrame(t, layers.ARPReply, macC, gwIP, ipB), ms(3000), 0},
		{"the intruder's own traffic", synFrame(t, macC, macA, ipC, remote, 50002, 443, "S"), ms(3010), 0},
		{"the client, misdirected to the intruder, its address seen from one MAC", synFrame(t, macB, macC, ipB, remote, 50000, 443, "S"), ms(3020), 0},
		{"relayed by the intruder", synFrame(t, macC, macA, ipB, remote, 50000, 443, "S"), ms(3030), 1},
		{"the client, misdirected", synFrame(t, macB, macC, ipB, remote, 50000, 443, "A"), ms(3040), 1},
		{"the client to a local host, not through the intruder", synFrame(t, macB, macLocal, ipB, ipC, 50003, 22, "S"), ms(3050), 0},
		{"ARP from the intruder: not IPv4", arpFrame(t, layers.ARPReply, macC, gwIP, ipB), ms(3060), 0},
	}
	checkSteps(t, e, "ip_mac_relay", 0, steps)
}

// TestFrameRepeats: frame_repeats counts earlier copies of the very same
// frame, decayed at repeatLambda; a frame differing in one byte of its
// headers, or only in its length, is another frame.
func TestFrameRepeats(t *testing.T) {
	e := newExtractor(t, newTestExtended(t, ExtendedConfig{}))
	remote := net.IP{203, 0, 113, 10}
	syn := synFrame(t, macB, macA, ipB, remote, 50000, 443, "S")
	otherPort := synFrame(t, macB, macA, ipB, remote, 50001, 443, "S")
	longer := append(append([]byte(nil), syn...), 0)
	ms := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Millisecond) }
	d := math.Exp(-repeatLambda * 0.001) // one millisecond's decay
	steps := []featureStep{
		{"a new frame", syn, ms(0), 0},
		{"its copy 1 ms later", syn, ms(1), d},
		{"another copy 1 ms later", syn, ms(2), (d + 1) * d},
		{"another source port", otherPort, ms(3), 0},
		{"the same bytes and one more", longer, ms(4), 0},
		{"a copy 20 s later: long forgotten", syn, ms(20002), ((d+1)*d + 1) * math.Exp(-repeatLambda*20)},
	}
	checkSteps(t, e, "frame_repeats", 1e-12, steps)
}

// TestFrameRepeated: frame_repeated is 1 when frame_repeats is at least
// 0.5: one earlier copy counts for up to ln 2 / repeatLambda, about 0.69 s.
func TestFrameRepeated(t *testing.T) {
	e := newExtractor(t, newTestExtended(t, ExtendedConfig{}))
	remote := net.IP{203, 0, 113, 10}
	syn := synFrame(t, macB, macA, ipB, remote, 50000, 443, "S")
	other := synFrame(t, macB, macA, ipB, remote, 50001, 443, "S")
	ms := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Millisecond) }
	steps := []featureStep{
		{"a new frame", syn, ms(0), 0},
		{"its copy 600 ms later (0.55)", syn, ms(600), 1},
		{"another new frame", other, ms(700), 0},
		{"its copy 700 ms later (0.497)", other, ms(1400), 0},
		{"and another 1 ms later (1.497)", other, ms(1401), 1},
	}
	checkSteps(t, e, "frame_repeated", 0, steps)
}

// TestUDPUnsolicited: an answer from a server's port counts as
// unsolicited unless the flow the other way (same addresses and ports,
// swapped) sent within AnswerWindow; questions, service-to-service
// datagrams and TCP never count.
func TestUDPUnsolicited(t *testing.T) {
	e := newExtractor(t, newTestExtended(t, ExtendedConfig{AnswerWindow: 30 * time.Second}))
	resolver := net.IP{203, 0, 113, 53}
	udp := func(src, dst net.IP, sport, dport uint16) []byte {
		return frame(t, eth(macB, macA, layers.EthernetTypeIPv4), ipv4(src, dst, layers.IPProtocolUDP),
			&layers.UDP{SrcPort: layers.UDPPort(sport), DstPort: layers.UDPPort(dport)}, gopacket.Payload([]byte("dns")))
	}
	udp6 := func(src, dst net.IP, sport, dport uint16) []byte {
		return frame(t, eth(macB, macA, layers.EthernetTypeIPv6),
			&layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolUDP, SrcIP: src, DstIP: dst},
			&layers.UDP{SrcPort: layers.UDPPort(sport), DstPort: layers.UDPPort(dport)}, gopacket.Payload([]byte("dns")))
	}
	ip6R := net.ParseIP("2001:db8::53")
	ms := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Millisecond) }
	steps := []featureStep{
		{"an answer nobody asked for", udp(resolver, ipA, 53, 50000), ms(0), 1},
		{"the client's question", udp(ipA, resolver, 50000, 53), ms(10), 0},
		{"its answer", udp(resolver, ipA, 53, 50000), ms(12), 0},
		{"another answer within the window", udp(resolver, ipA, 53, 50000), ms(30009), 0},
		{"an answer the window after the question", udp(resolver, ipA, 53, 50000), ms(30010), 1},
		{"an answer to another client port", udp(resolver, ipA, 53, 50001), ms(30011), 1},
		{"an answer to another client", udp(resolver, ipB, 53, 50000), ms(30012), 1},
		{"from a registered port (not a server's)", udp(resolver, ipA, 5000, 50000), ms(30013), 0},
		{"to a service port (NTP between servers)", udp(resolver, ipA, 123, 123), ms(30014), 0},
		{"TCP from port 53", frame(t, eth(macB, macA, layers.EthernetTypeIPv4), ipv4(resolver, ipA, layers.IPProtocolTCP), tcpSeg(53, 50002, "A")), ms(30015), 0},
		{"IPv6: an answer nobody asked for", udp6(ip6R, ip6A, 53, 50003), ms(30016), 1},
		{"IPv6: the question", udp6(ip6A, ip6R, 50003, 53), ms(30017), 0},
		{"IPv6: its answer", udp6(ip6R, ip6A, 53, 50003), ms(30018), 0},
	}
	checkSteps(t, e, "udp_unsolicited", 0, steps)
}

// TestFrameDigest: the digest covers the length and every byte of the
// first repeatPrefix, whatever the frame's size (the lanes and the tail),
// and nothing after them.
func TestFrameDigest(t *testing.T) {
	for _, size := range []int{14, 31, 32, 33, 60, 127, 128, 129, 1514} {
		frame := make([]byte, size)
		for i := range frame {
			frame[i] = byte(i*7 + 3)
		}
		base := frameDigest(frame)
		for i := range frame {
			frame[i] ^= 0x10
			got := frameDigest(frame)
			frame[i] ^= 0x10
			if (got == base) != (i >= repeatPrefix) {
				t.Fatalf("size %d: changing byte %d gives digest %x, base %x", size, i, got, base)
			}
		}
		if frameDigest(frame[:size-1]) == base {
			t.Errorf("size %d: one byte shorter, the same digest", size)
		}
	}
}
