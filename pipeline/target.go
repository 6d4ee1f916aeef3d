package pipeline

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/etherlearn/etherlearn/pipeline/features"
	"github.com/etherlearn/etherlearn/pipeline/ingest"
)

// A Target decides the class a frame is learned as. In-band labels come
// from the stream (pcapng comments "label=N"); rule targets compute a label
// from the frame itself for sources that carry none.
type Target interface {
	Name() string
	// Label returns the frame's class, or ok=false when the frame has no
	// label (it is then shown but learned and scored by no one).
	Label(f *ingest.Frame, p *features.Packet) (label int, ok bool)
}

// LargeFrameBytes is the threshold of the "large" rule target.
const LargeFrameBytes = 1000

// TargetNames lists the accepted --target values.
var TargetNames = []string{"in-band", "random", "broadcast", "ipv4", "arp", "tcp-syn", "large"}

// TargetHelp explains each target in a line.
var TargetHelp = map[string]string{
	"in-band":   "the label in each pcapng packet comment (label=N); unlabelled frames are not learned",
	"random":    "a coin flip per frame, as the original prototype did: nothing to learn, accuracy ~50%",
	"broadcast": "1 when the destination MAC is broadcast or multicast",
	"ipv4":      "1 when the frame carries IPv4",
	"arp":       "1 when the frame is ARP",
	"tcp-syn":   "1 when the frame is a TCP SYN without ACK (a connection attempt)",
	"large":     fmt.Sprintf("1 when the frame is longer than %d bytes", LargeFrameBytes),
}

// NewTarget builds a target by name; seed drives the "random" target.
func NewTarget(name string, seed uint64) (Target, error) {
	switch name {
	case "", "in-band":
		return inBand{}, nil
	case "random":
		return &randomTarget{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}, nil
	case "broadcast", "ipv4", "arp", "tcp-syn", "large":
		return ruleTarget(name), nil
	}
	return nil, fmt.Errorf("unknown target %q (choose one of %s)", name, strings.Join(TargetNames, ", "))
}

type inBand struct{}

func (inBand) Name() string { return "in-band" }
func (inBand) Label(f *ingest.Frame, _ *features.Packet) (int, bool) {
	return f.Label, f.HasLabel
}

type randomTarget struct{ r *rand.Rand }

func (*randomTarget) Name() string { return "random" }
func (t *randomTarget) Label(*ingest.Frame, *features.Packet) (int, bool) {
	return int(t.r.Uint64() & 1), true
}

type ruleTarget string

func (r ruleTarget) Name() string { return string(r) }

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (r ruleTarget) Label(f *ingest.Frame, p *features.Packet) (int, bool) {
	switch r {
	case "broadcast":
		return b2i(p.Data[0]&1 == 1), true
	case "ipv4":
		return b2i(p.HasIPv4), true
	case "arp":
		return b2i(p.HasARP), true
	case "tcp-syn":
		return b2i(p.HasTCP && p.TCP.SYN && !p.TCP.ACK), true
	case "large":
		return b2i(len(p.Data) > LargeFrameBytes), true
	}
	return 0, false
}
