package sim

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/gopacket/gopacket"
)

// Labelling selects what Frame.Label means (the command line's --target
// flag; not to be confused with pipeline's target, which picks where the
// label a learner trains on comes from).
type Labelling int

const (
	// LabelBinary labels every frame 0 (normal) or 1 (part of an attack episode).
	LabelBinary Labelling = iota
	// LabelMulticlass labels every frame with its episode kind: 0 normal,
	// otherwise one of the Episode* constants.
	LabelMulticlass
)

// String names the labelling as the command line spells it.
func (t Labelling) String() string {
	switch t {
	case LabelBinary:
		return "binary"
	case LabelMulticlass:
		return "multiclass"
	}
	return fmt.Sprintf("Labelling(%d)", int(t))
}

// ParseLabelling reads "binary" or "multiclass".
func ParseLabelling(s string) (Labelling, error) {
	switch s {
	case "binary", "":
		return LabelBinary, nil
	case "multiclass":
		return LabelMulticlass, nil
	}
	return 0, fmt.Errorf("unknown target %q: want binary or multiclass", s)
}

// Episode kinds. Under LabelMulticlass the kind is the label; the numbering
// is stable (new kinds are only ever appended).
const (
	EpisodeNormal           = 0 // background traffic and benign look-alikes
	EpisodePortScan         = 1 // one host SYN-probes many ports of another
	EpisodeSYNFlood         = 2 // SYNs from spoofed sources at one server port
	EpisodeARPSpoof         = 3 // forged ARP replies claiming the gateway's IP
	EpisodeDNSAmplification = 4 // large DNS answers to a spoofed victim
	EpisodeBroadcastStorm   = 5 // a looped broadcast frame flooding the segment
)

var episodeNames = [...]string{
	EpisodeNormal:           "normal",
	EpisodePortScan:         "port_scan",
	EpisodeSYNFlood:         "syn_flood",
	EpisodeARPSpoof:         "arp_spoof",
	EpisodeDNSAmplification: "dns_amplification",
	EpisodeBroadcastStorm:   "broadcast_storm",
}

// ScenarioInfo describes one scenario for menus and --help.
type ScenarioInfo struct{ Name, Summary string }

// Config says what to generate and how to write it.
type Config struct {
	Scenario  string    // "" means "default"
	Seed      int64     // same seed, same frames, byte for byte
	Labelling Labelling // what Frame.Label means
	Rate      float64   // frames per second for Stream; 0 = as fast as possible
	Count     int       // frames per stream; 0 = unlimited
	Format    string    // "pcapng" (default), "pcap", "slip"
	Drift     bool      // concept drift on request (if the scenario doesn't already drift)
}

// Frame is one generated Ethernet frame (no FCS).
type Frame struct {
	Data    []byte    // may be reused by the next call to Next
	Time    time.Time // the scenario's own clock, not wall-clock
	Label   int       // 0/1 (binary) or the episode kind (multiclass)
	Episode string    // the episode kind name: "normal", "port_scan", ...
	// Scenario names the scenario that made the frame (for pcapng comments).
	Scenario string
}

// Scenarios lists the scenarios, "default" first.
func Scenarios() []ScenarioInfo {
	out := make([]ScenarioInfo, len(scenarios))
	for i, s := range scenarios {
		out[i] = ScenarioInfo{Name: s.name, Summary: s.summary}
	}
	return out
}

func scenarioNames() string {
	names := make([]string, len(scenarios))
	for i, s := range scenarios {
		names[i] = s.name
	}
	return strings.Join(names, ", ")
}

func findScenario(name string) (*scenario, error) {
	if name == "" {
		name = "default"
	}
	for i := range scenarios {
		if scenarios[i].name == name {
			return &scenarios[i], nil
		}
	}
	return nil, fmt.Errorf("unknown scenario %q: valid scenarios are %s", name, scenarioNames())
}

// epoch is where every scenario's clock starts: a Monday morning at the office.
var epoch = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

// Generator produces the frames of one scenario. It is not safe for
// concurrent use; make one per stream.
type Generator struct {
	cfg Config
	sc  *scenario
	rng *rand.Rand

	now   time.Duration // scenario clock since epoch
	slots []slot        // scheduled actors
	seq   uint64        // insertion counter: breaks ties between equal times

	lan lan

	// frame construction, reused for every frame
	buf   gopacket.SerializeBuffer
	opts  gopacket.SerializeOptions
	stack [6]gopacket.SerializableLayer
	pool  []byte // random bytes that payloads are cut from
	layerSet

	phase         int   // drift phase (0 without drift)
	kindDrift     bool  // attack kinds change with the phase
	lastKind      int   // the episode kind of the frame Next returned last
	kinds         []int // attack kinds episodes are drawn from now
	deck          []int // kinds still to come in this round
	mix           *mix  // background mix now
	callActive    bool
	busyActive    int
	monitorActive bool
	spoof         host  // the forged source of the current SYN flood frame
	misdirected   *host // the attacker the frame just built was sent to, if any
	// hostsOwn: the frame just built is a host's own transmission that an
	// episode takes up (a storm's original broadcast): normal traffic
	hostsOwn  bool
	relayFree []*relay
}

// NewGenerator makes a generator for cfg.Scenario. Unknown scenario names
// are an error that lists the valid ones.
func NewGenerator(cfg Config) (*Generator, error) {
	sc, err := findScenario(cfg.Scenario)
	if err != nil {
		return nil, err
	}
	if cfg.Labelling != LabelBinary && cfg.Labelling != LabelMulticlass {
		return nil, fmt.Errorf("unknown labelling %d", int(cfg.Labelling))
	}
	cfg.Scenario = sc.name
	g := &Generator{
		cfg:  cfg,
		sc:   sc,
		rng:  rand.New(rand.NewPCG(uint64(cfg.Seed), 0x6574686572)),
		buf:  gopacket.NewSerializeBufferExpectedSize(64, 1600),
		opts: gopacket.SerializeOptions{ComputeChecksums: true, FixLengths: true},
		pool: make([]byte, 1<<16),
	}
	for i := range g.pool {
		g.pool[i] = byte(g.rng.Uint32())
	}
	g.initLayers()
	g.lan = newLAN(g)
	if !sc.random {
		officeSetup(g)
	}
	return g, nil
}

// Config returns the configuration the generator was made with, with the
// scenario name resolved.
func (g *Generator) Config() Config { return g.cfg }

// Next returns the next frame. Its Data is valid until the next call.
func (g *Generator) Next() Frame {
	if g.sc.random {
		return g.nextRandom()
	}
	for {
		i := g.earliest()
		s := &g.slots[i]
		g.now = s.at
		a, kind := s.a, s.kind
		g.misdirected, g.hostsOwn = nil, false
		emitted, wait, done := a.act(g)
		// act may have scheduled new slots and so moved g.slots: look again.
		s = &g.slots[i]
		if done {
			last := len(g.slots) - 1
			g.slots[i] = g.slots[last]
			g.slots[last] = slot{}
			g.slots = g.slots[:last]
		} else {
			s.at = g.now + roundUS(wait)
		}
		if emitted {
			if g.misdirected != nil {
				// sent to an ARP spoofer: part of its episode, and forwarded
				kind = EpisodeARPSpoof
				g.queueRelay(g.misdirected)
			}
			if g.hostsOwn {
				kind = EpisodeNormal
			}
			return g.frame(kind)
		}
	}
}

func (g *Generator) frame(kind int) Frame {
	g.lastKind = kind
	label := kind
	if g.cfg.Labelling == LabelBinary && kind != EpisodeNormal {
		label = 1
	}
	return Frame{Data: g.buf.Bytes(), Time: epoch.Add(g.now), Label: label, Episode: episodeNames[kind], Scenario: g.cfg.Scenario}
}

// nextRandom is the original prototype's traffic: random bytes, 20 to 1500
// long, with a coin-flip label. Nothing in it can be learnt.
func (g *Generator) nextRandom() Frame {
	n := 20 + g.rng.IntN(1481)
	g.buf.Clear()
	data, _ := g.buf.AppendBytes(n)
	for i := 0; i < n; i += 8 {
		v := g.rng.Uint64()
		for j := i; j < min(i+8, n); j++ {
			data[j] = byte(v)
			v >>= 8
		}
	}
	g.now += roundUS(time.Duration(g.rng.ExpFloat64() * float64(time.Millisecond)))
	label := g.rng.IntN(2)
	return Frame{Data: data, Time: epoch.Add(g.now), Label: label, Episode: "random", Scenario: g.cfg.Scenario}
}

func roundUS(d time.Duration) time.Duration {
	d = d.Round(time.Microsecond)
	if d < time.Microsecond {
		d = time.Microsecond
	}
	return d
}

// actor is one conversation, attack episode or scheduler. act runs at the
// actor's scheduled time; it builds at most one frame (emitted) and says how
// long until it wants to run again, or that it is done.
type actor interface {
	act(g *Generator) (emitted bool, wait time.Duration, done bool)
}

type slot struct {
	at   time.Duration
	seq  uint64
	kind int
	a    actor
}

// schedule runs a after wait; frames it emits carry kind.
func (g *Generator) schedule(wait time.Duration, kind int, a actor) {
	g.seq++
	g.slots = append(g.slots, slot{at: g.now + roundUS(wait), seq: g.seq, kind: kind, a: a})
}

func (g *Generator) earliest() int {
	best := 0
	for i := 1; i < len(g.slots); i++ {
		s, b := &g.slots[i], &g.slots[best]
		if s.at < b.at || (s.at == b.at && s.seq < b.seq) {
			best = i
		}
	}
	return best
}

// exp returns an exponentially distributed duration with the given mean.
func (g *Generator) exp(mean time.Duration) time.Duration {
	return time.Duration(g.rng.ExpFloat64() * float64(mean))
}

// between returns a uniform duration in [lo, hi).
func (g *Generator) between(lo, hi time.Duration) time.Duration {
	return lo + time.Duration(g.rng.Int64N(int64(hi-lo)))
}

// intn returns a uniform int in [lo, hi].
func (g *Generator) intn(lo, hi int) int { return lo + g.rng.IntN(hi-lo+1) }
