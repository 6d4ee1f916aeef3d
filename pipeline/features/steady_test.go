package features

import (
	"encoding/binary"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"

	"github.com/etherlearn/etherlearn/pipeline/testkit"
	"github.com/etherlearn/etherlearn/sim"
)

// simFrames returns n frames of a simulator scenario (copied: the
// generator reuses its buffer).
func simFrames(t testing.TB, scenario string, n int) (data [][]byte, ts []time.Time) {
	t.Helper()
	g, err := sim.NewGenerator(sim.Config{Scenario: scenario, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		f := g.Next()
		data = append(data, append([]byte(nil), f.Data...))
		ts = append(ts, f.Time)
	}
	return data, ts
}

func TestSetsDeterministic(t *testing.T) {
	data, ts := simFrames(t, "default", 3000)
	run := func(set Set) []float64 {
		dec := NewDecoder()
		out := make([]float64, len(set.Features()))
		var all []float64
		for i := range data {
			p, err := dec.Decode(data[i], ts[i])
			if err != nil {
				t.Fatal(err)
			}
			set.Extract(p, out)
			all = append(all, out...)
		}
		return all
	}
	for _, name := range SetNames() {
		a, _ := NewSet(name)
		b, _ := NewSet(name)
		first, second := run(a), run(b)
		a.Reset()
		afterReset := run(a)
		for i := range first {
			if math.Float64bits(first[i]) != math.Float64bits(second[i]) || math.Float64bits(first[i]) != math.Float64bits(afterReset[i]) {
				nf := len(a.Features())
				t.Fatalf("%s: frame %d feature %s differs: %v, %v, after Reset %v",
					name, i/nf, a.Features()[i%nf].Name, first[i], second[i], afterReset[i])
			}
			if math.IsNaN(first[i]) || math.IsInf(first[i], 0) {
				t.Fatalf("%s: frame %d feature %d is %v", name, i/len(a.Features()), i%len(a.Features()), first[i])
			}
		}
	}
}

// TestSetsSteadyStateAllocs: once the hosts of the traffic are known,
// decoding and extracting a frame allocates nothing, for every set.
func TestSetsSteadyStateAllocs(t *testing.T) {
	data, ts := simFrames(t, "default", 3000)
	for _, name := range SetNames() {
		set, _ := NewSet(name)
		dec := NewDecoder()
		out := make([]float64, len(set.Features()))
		pass := 0
		run := func() {
			// each pass replays the frames later in time, as more traffic
			// from the same hosts
			shift := time.Duration(pass) * time.Hour
			pass++
			for i := range data {
				p, err := dec.Decode(data[i], ts[i].Add(shift))
				if err != nil {
					t.Fatal(err)
				}
				set.Extract(p, out)
			}
		}
		run() // learn the hosts
		if a, check := testkit.AllocsPerRun(t, 3, run); check && a != 0 {
			t.Errorf("%s: %v allocations per %d frames, want 0", name, a, len(data))
		}
	}
}

// TestExtendedTablesBounded feeds 1e6 frames from distinct source MACs and
// IPs (a quarter of them ARP claims of distinct addresses), so every frame
// is new: the tables stay at capacity and nothing allocates.
func TestExtendedTablesBounded(t *testing.T) {
	cfg := ExtendedConfig{Sources: 1000, Conversations: 2000, ARPAddresses: 500, IPSources: 700, Repeats: 300, Flows: 400}
	x := newTestExtended(t, cfg)
	udp := frame(t, eth(macB, macA, layers.EthernetTypeIPv4), ipv4(ipB, ipA, layers.IPProtocolUDP), &layers.UDP{SrcPort: 5000, DstPort: 53})
	arp := arpFrame(t, layers.ARPReply, macB, ipB, ipA)
	// Decode each frame once: the decoded layers point into the frame's
	// bytes, so rewriting the addresses in place changes what Extract reads.
	pUDP, err := NewDecoder().Decode(udp, t0)
	if err != nil {
		t.Fatal(err)
	}
	pARP, err := NewDecoder().Decode(arp, t0)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float64, len(x.Features()))
	var i uint32
	total := uint32(1_000_000)
	if testing.Short() {
		total = 100_000 // still 100 times the capacity
	}
	feed := func() {
		// AllocsPerRun calls this twice: total frames in all
		for end := i + total/2; i < end; i++ {
			p := pUDP
			if i%4 == 0 {
				p = pARP
				binary.BigEndian.PutUint32(arp[28:32], i+1) // ARP sender IP
				binary.BigEndian.PutUint32(arp[8:12], i)    // source MAC, last 4 bytes
				copy(arp[22:28], arp[6:12])                 // ARP sender MAC
			} else {
				binary.BigEndian.PutUint32(udp[26:30], i+1) // IPv4 source
				binary.BigEndian.PutUint32(udp[8:12], i)    // source MAC, last 4 bytes
			}
			p.Time = t0.Add(time.Duration(i) * time.Microsecond)
			x.Extract(p, out)
		}
	}
	if a, check := testkit.AllocsPerRun(t, 1, feed); check && a != 0 {
		t.Errorf("%v allocations for %d frames of new hosts, want 0", a, total/2)
	}
	if i != total {
		t.Fatalf("fed %d frames", i)
	}
	want := TableSizes{cfg.Sources, cfg.Conversations, cfg.ARPAddresses, cfg.IPSources, cfg.Repeats, cfg.Flows}
	if got := x.TableSizes(); got != want {
		t.Errorf("table sizes %+v; want the capacities %+v", got, want)
	}
	if ev := x.src.Evictions(); ev != uint64(total)-uint64(cfg.Sources) {
		t.Errorf("source evictions %d, want %d", ev, int(total)-cfg.Sources)
	}
	x.Reset()
	if got := x.TableSizes(); got != (TableSizes{}) {
		t.Errorf("after Reset: %+v entries", got)
	}
}

// TestExtendedConfigDefaults: zero fields take the defaults, set ones stay.
func TestExtendedConfigDefaults(t *testing.T) {
	x := newTestExtended(t, ExtendedConfig{MAC: MACNone})
	if got, want := x.Config(), DefaultExtendedConfig(); !reflect.DeepEqual(got, want) {
		t.Errorf("zero config became\n%+v, want the defaults\n%+v", got, want)
	}
	set := ExtendedConfig{MAC: MACNone, Flows: 7, AnswerWindow: time.Minute, StatLambda: 3, Lambdas: []float64{2}}
	got := newTestExtended(t, set).Config()
	if got.Flows != 7 || got.AnswerWindow != time.Minute || got.StatLambda != 3 || !reflect.DeepEqual(got.Lambdas, []float64{2}) {
		t.Errorf("set fields changed: %+v", got)
	}
	if got.Repeats != DefaultExtendedConfig().Repeats {
		t.Errorf("unset Repeats = %d", got.Repeats)
	}
}

func TestExtendedConfigErrors(t *testing.T) {
	for _, cfg := range []ExtendedConfig{
		{Lambdas: []float64{1, 2, 3, 4, 5}},
		{Lambdas: []float64{1, -1}},
		{StatLambda: math.NaN()},
		{MAC: MACEncoding(7)},
	} {
		if _, err := NewExtended("x", cfg); err == nil {
			t.Errorf("NewExtended(%+v) succeeded", cfg)
		}
	}
	x := newTestExtended(t, ExtendedConfig{Lambdas: []float64{2}, StatLambda: 0.5})
	var names []string
	for _, f := range x.Features() {
		names = append(names, f.Name)
	}
	for _, want := range []string{"src_rate_l2", "conv_rate_l2", "src_size_mean_l0.5", "conv_iat_std_l0.5"} {
		found := false
		for _, n := range names {
			found = found || n == want
		}
		if !found {
			t.Errorf("no feature %s in %v", want, names)
		}
	}
}

func TestSetNamesListExtended(t *testing.T) {
	names := SetNames()
	for _, want := range []string{"basic", ExtendedName, ExtendedFirstSightName, ExtendedHashedMACName} {
		s, err := NewSet(want)
		if err != nil {
			t.Fatalf("%s not registered (%v)", want, names)
		}
		if s.Name() != want {
			t.Errorf("NewSet(%q).Name() = %q", want, s.Name())
		}
		if n := len(s.Features()); want != "basic" && (n < 50 || n > 64) {
			t.Errorf("%s has %d features", want, n)
		}
	}
}

func BenchmarkDecodeExtract(b *testing.B) {
	data, ts := simFrames(b, "default", 4096)
	for _, name := range []string{"basic", ExtendedName, ExtendedFirstSightName} {
		b.Run(name, func(b *testing.B) {
			set, _ := NewSet(name)
			dec := NewDecoder()
			out := make([]float64, len(set.Features()))
			for i := range data { // learn the hosts
				p, _ := dec.Decode(data[i], ts[i])
				set.Extract(p, out)
			}
			b.ReportAllocs()
			i, shift := 0, time.Hour
			for b.Loop() {
				p, err := dec.Decode(data[i], ts[i].Add(shift))
				if err != nil {
					b.Fatal(err)
				}
				set.Extract(p, out)
				if i++; i == len(data) {
					i, shift = 0, shift+time.Hour
				}
			}
		})
	}
}

func BenchmarkDecode(b *testing.B) {
	data, ts := simFrames(b, "default", 4096)
	dec := NewDecoder()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := dec.Decode(data[i], ts[i]); err != nil {
			b.Fatal(err)
		}
		i = (i + 1) % len(data)
	}
}
