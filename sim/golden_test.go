package sim

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
)

// goldenStreams pins the simulator's bytes for a seed: the SHA-256 of the
// first 2000 frames of each stream. Any change to what the simulator
// generates or how it writes it changes a sum; when the change is meant,
// regenerate every sum with (from the repository root)
//
//	for f in pcapng pcap slip; do go run . sim --out - --count 2000 --seed 1 --format $f | sha256sum; done
//	go run . sim --out - --count 2000 --seed 1 --scenario drift --target multiclass --format pcapng | sha256sum
//
// or read them from this test's failure messages, and say in the commit
// why the bytes changed.
var goldenStreams = []struct {
	cfg    Config
	format string
	sha256 string
}{
	{Config{Scenario: "default", Seed: 1}, "pcapng", "0c119b5d1684be54afde245264c80f24324eb51ae15b50a90c9b29b21e4d85ae"},
	{Config{Scenario: "default", Seed: 1}, "pcap", "893614db8ddf9cd767d5b8a3d5ede4d16c97b0032d06c5578e0eabb175e84477"},
	{Config{Scenario: "default", Seed: 1}, "slip", "d2f7aab738be1c77ff4350a31e65449a75549a7b2e46500fd03e3137186a326c"},
	{Config{Scenario: "drift", Seed: 1, Labelling: LabelMulticlass}, "pcapng", "1aacfe627be26c0a48de89a0d0eb4c2c6e2d59cb51d1169ec5a403c5621015a5"},
}

func TestGoldenStreamBytes(t *testing.T) {
	for _, g := range goldenStreams {
		sum := sha256.Sum256(render(t, g.cfg, g.format, 2000))
		if got := hex.EncodeToString(sum[:]); got != g.sha256 {
			t.Errorf("scenario %s, %s, seed %d, %v: sha256 %s, pinned %s (if the change is meant, update goldenStreams)",
				g.cfg.Scenario, g.format, g.cfg.Seed, g.cfg.Labelling, got, g.sha256)
		}
	}
}
