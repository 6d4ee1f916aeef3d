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
	{Config{Scenario: "default", Seed: 1}, "pcapng", "11ada0d204c30d9ada017160cfc0025883f0346b90b225b5bee55b460726bf3e"},
	{Config{Scenario: "default", Seed: 1}, "pcap", "28ef80ebe7576974b1b52ffd90344ed12b26aa9aa0892498e64bc1fafab717c5"},
	{Config{Scenario: "default", Seed: 1}, "slip", "cc0ef3af5869c0f6971d4118c47263e77df520474a7f8aa5138ca0bf4dacf53b"},
	{Config{Scenario: "drift", Seed: 1, Labelling: LabelMulticlass}, "pcapng", "83f93327b1e630e9f8471a687a446059a26bf8fa85b9433fcdbf66a60eb5ad90"},
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
