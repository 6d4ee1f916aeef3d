package sim

import (
	"time"
)

// scenario is one named traffic mix.
type scenario struct {
	name, summary string
	random        bool  // the prototype's random bytes, nothing else
	attacks       []int // episode kinds drawn at random, one episode at a time
	setup         func(g *Generator)
}

var scenarios = []scenario{
	{
		name:    "default",
		summary: "small office LAN (ARP, DNS, TCP sessions, ping) with port-scan episodes",
		attacks: []int{KindPortScan},
		setup:   officeSetup,
	},
	{
		name:    "port_scan",
		summary: "office background with an intruder SYN-probing many ports of one host (label 1)",
		attacks: []int{KindPortScan},
		setup:   officeSetup,
	},
	{
		name:    "random",
		summary: "the old prototype: random bytes 20..1500 long with coin-flip labels; NOT valid Ethernet, nothing to learn",
		random:  true,
	},
}

// officeSetup starts the background traffic and the first episode.
func officeSetup(g *Generator) {
	g.schedule(0, KindNormal, &background{})
	g.scheduleEpisode(g.between(time.Second, 3*time.Second))
}

// scheduleEpisode starts the scenario's next attack episode after wait.
func (g *Generator) scheduleEpisode(wait time.Duration) {
	if len(g.sc.attacks) == 0 {
		return
	}
	g.schedule(wait, KindNormal, episodeStarter{})
}

// episodeDone is called by an attack episode when its last frame is out.
func (g *Generator) episodeDone() {
	g.episodeActive = false
	g.scheduleEpisode(g.between(2*time.Second, 6*time.Second))
}

type episodeStarter struct{}

func (episodeStarter) act(g *Generator) (bool, time.Duration, bool) {
	kind := g.sc.attacks[g.rng.IntN(len(g.sc.attacks))]
	g.startEpisode(kind)
	return false, 0, true
}

func (g *Generator) startEpisode(kind int) {
	g.episodeActive = true
	g.episodes++
	switch kind {
	case KindPortScan:
		g.schedule(0, kind, g.newPortScan())
	default:
		panic("sim: no episode for kind " + kindNames[kind])
	}
}
