package classifiers

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestHoeffdingBound checks the bound against a hand-computed value:
// R = 1 (two classes, log2 2), delta = 0.01, n = 50:
// sqrt(ln(100) / 100) = sqrt(0.0460517) = 0.2145966.
func TestHoeffdingBound(t *testing.T) {
	if got := hoeffdingBound(1, 0.01, 50); math.Abs(got-0.2145966) > 1e-6 {
		t.Errorf("hoeffdingBound(1, 0.01, 50) = %v, want 0.2145966", got)
	}
	// R = log2(3), n = 200: sqrt(2.5121 * 4.60517 / 400) = 0.170063
	if got := hoeffdingBound(math.Log2(3), 0.01, 200); math.Abs(got-0.170063) > 1e-5 {
		t.Errorf("hoeffdingBound(log2 3, 0.01, 200) = %v, want 0.170063", got)
	}
}

// TestHoeffdingTreeSplits: one tree on a one-feature threshold concept
// must split on that feature near the threshold, and respect MaxNodes.
func TestHoeffdingTreeSplits(t *testing.T) {
	cfg := newDefault[*ARF]("random_forest")
	cfg.maxFeaturesRule, cfg.maxFeaturesCount = "", 1
	rng := rand.New(rand.NewPCG(5, 5))
	tr := newHoeffdingTree(cfg, 1, 1)
	scratch := make([]float64, 2)
	for range 2000 {
		x := []float64{rng.Float64()}
		y := 0
		if x[0] > 0.3 {
			y = 1
		}
		tr.learn(x, y, 1, scratch)
	}
	root := tr.nodes[0]
	if root.leaf != nil {
		t.Fatal("no split after 2000 samples of a threshold concept")
	}
	if root.feature != 0 || math.Abs(root.threshold-0.3) > 0.1 {
		t.Errorf("root splits feature %d at %v, want feature 0 near 0.3", root.feature, root.threshold)
	}
	for _, c := range []struct {
		x    float64
		want int
	}{{0.05, 0}, {0.15, 0}, {0.6, 1}, {0.95, 1}} {
		if got := tr.predict([]float64{c.x}, scratch); got != c.want {
			t.Errorf("predict(%v) = %d, want %d", c.x, got, c.want)
		}
	}

	cfg.maxNodes = 3
	small := newHoeffdingTree(cfg, 1, 1)
	for range 5000 {
		x := []float64{rng.Float64()}
		small.learn(x, int(x[0]*4), 1, make([]float64, 4))
	}
	if len(small.nodes) > 3 {
		t.Errorf("tree has %d nodes, limit 3", len(small.nodes))
	}
}

// driftStream: 4 uniform features; before the drift y = [x0 + x1 > 1],
// after it the concept is reversed (an abrupt drift of every label).
func driftStream(n, driftAt int, seed uint64) ([][]float64, []int) {
	rng := rand.New(rand.NewPCG(seed, 11))
	xs, ys := make([][]float64, n), make([]int, n)
	for i := range xs {
		x := []float64{rng.Float64(), rng.Float64(), rng.Float64(), rng.Float64()}
		y := 0
		if x[0]+x[1] > 1 {
			y = 1
		}
		if i >= driftAt {
			y = 1 - y
		}
		xs[i], ys[i] = x, y
	}
	return xs, ys
}

// TestARFRecoversFromDrift runs the forest test-then-train over a stream
// with an abrupt concept reversal and measures how many samples after the
// drift its accuracy over the last 100 samples (all after the drift) is
// back at 0.85; before the drift it must be above that.
func TestARFRecoversFromDrift(t *testing.T) {
	const n, driftAt, window, level = 12000, 6000, 100, 0.85
	xs, ys := driftStream(n, driftAt, 1)
	f := newDefault[*ARF]("random_forest")
	hits := make([]bool, n)
	winHits := 0
	preAcc, recovered, preDrifts := 0.0, -1, 0
	for i, x := range xs {
		hits[i] = f.PredictOne(x) == ys[i]
		f.LearnOne(x, ys[i])
		if hits[i] {
			winHits++
		}
		if i >= window && hits[i-window] {
			winHits--
		}
		acc := float64(winHits) / window
		if i == driftAt-1 {
			preAcc = acc
			preDrifts = f.replaced()
		}
		if i >= driftAt+window && recovered < 0 && acc >= level {
			recovered = i - driftAt + 1
		}
	}
	t.Logf("window accuracy before drift %.3f; back at %.2f %d samples after the drift; %d trees replaced; tree sizes %v",
		preAcc, level, recovered, f.replaced(), f.treeSizes())
	if preAcc < level {
		t.Fatalf("accuracy before the drift %.3f, want >= %.2f", preAcc, level)
	}
	if recovered < 0 || recovered > 3000 {
		t.Errorf("not recovered within 3000 samples of the drift (recovered=%d)", recovered)
	}
	t.Logf("trees replaced before the drift: %d", preDrifts)
	if f.replaced() == preDrifts {
		t.Error("no tree was replaced after the drift")
	}
}

func TestARFDeterministic(t *testing.T) {
	xs, ys := driftStream(1500, 800, 2)
	a, b := newDefault[*ARF]("random_forest"), newDefault[*ARF]("random_forest")
	for i := range xs {
		if pa, pb := a.PredictOne(xs[i]), b.PredictOne(xs[i]); pa != pb {
			t.Fatalf("sample %d: forests with the same seed disagree", i)
		}
		a.LearnOne(xs[i], ys[i])
		b.LearnOne(xs[i], ys[i])
	}
}

// TestARFLabels: labels are mapped to dense classes, so large labels work
// and cost nothing extra; beyond MaxClasses new labels are ignored.
func TestARFLabels(t *testing.T) {
	f := newDefault[*ARF]("random_forest")
	xs, ys := learnableStream(2000, 4, 6)
	for i := range ys {
		ys[i] = []int{1000000, 7, 42}[ys[i]]
	}
	if acc := prequential(f, xs, ys, 1000); acc < 0.8 {
		t.Errorf("accuracy %.3f with labels 7, 42, 1000000", acc)
	}
	if len(f.labels) != 3 || len(f.votes) != 3 {
		t.Errorf("labels %v votes %d", f.labels, len(f.votes))
	}
	for y := range MaxClasses + 10 {
		f.LearnOne(xs[y], 100+y)
	}
	if len(f.labels) != MaxClasses {
		t.Errorf("%d classes, limit %d", len(f.labels), MaxClasses)
	}
}

// TestARFLeafPrediction: both leaf predictors learn; "mc" leaves never
// consult naive Bayes.
func TestARFLeafPrediction(t *testing.T) {
	xs, ys := learnableStream(3000, 4, 8)
	for _, lp := range []string{"nba", "mc"} {
		s, _ := Lookup("random_forest")
		c, err := s.New(map[string]string{"leaf_prediction": lp})
		if err != nil {
			t.Fatal(err)
		}
		acc := prequential(c, xs, ys, 1000)
		t.Logf("leaf_prediction=%s: accuracy %.3f", lp, acc)
		if acc < 0.75 {
			t.Errorf("leaf_prediction=%s: accuracy %.3f", lp, acc)
		}
		for _, m := range c.(*ARF).members {
			for _, n := range m.tree.nodes {
				if n.leaf != nil && (lp == "mc") != (n.leaf.mcOnly && n.leaf.nbCorrect == 0) {
					t.Fatalf("leaf_prediction=%s: leaf mcOnly=%v nbCorrect=%v", lp, n.leaf.mcOnly, n.leaf.nbCorrect)
				}
			}
		}
	}
}

// treeSizes returns each tree's node count.
func (a *ARF) treeSizes() []int {
	var s []int
	for _, m := range a.members {
		s = append(s, len(m.tree.nodes))
	}
	return s
}

// predict is the tree's own class for x (-1 if it knows nothing); the
// forest calls verdict and predictVerdict itself.
func (t *hoeffdingTree) predict(x []float64, scratch []float64) int {
	v := t.verdict(x)
	return t.predictVerdict(&v, x, scratch)
}

// burstStream is normal traffic (class 0) with recurring bursts of two
// rare classes, as attack episodes come: phases alternate between bursts
// of class 1 and bursts of class 2, each burst from a new "attacker" (its
// own centre, drawn per burst), with normal samples interleaved. Class 0
// is N(0, 1) in every feature; a burst of class k sits at about 3 in
// feature k-1 and is normal noise elsewhere. The concept (which x is which
// class) never changes; only which class is bursting does.
func burstStream(n int, seed uint64) ([][]float64, []int) {
	const d, phase, burst, gap = 6, 3000, 250, 350
	rng := rand.New(rand.NewPCG(seed, 0xb0b))
	xs, ys := make([][]float64, n), make([]int, n)
	var centre float64
	for i := range xs {
		x := make([]float64, d)
		for j := range x {
			x[j] = rng.NormFloat64()
		}
		y := 0
		pos := i % phase % (burst + gap)
		if pos == 0 {
			centre = 2.5 + rng.Float64() // a new attacker
		}
		if pos < burst && rng.Float64() < 0.8 {
			y = 1 + i/phase%2
			x[y-1] = centre + 0.3*rng.NormFloat64()
		}
		xs[i], ys[i] = x, y
	}
	return xs, ys
}

// TestARFFrozenKeepsRecurringBursts: bursts of a rare class raise every
// tree's error while the trees learn the new attacker, which ADWIN reads
// as a drift. Under ARF's own rule ("always") that replaces the trees by
// young ones that know only the latest bursts, so a forest frozen after
// training forgets the class that burst in the previous phase. Under
// "better" a tree is replaced only by a background tree significantly
// better on a class-balanced paired test, and the frozen forest keeps
// recall on both rare classes.
func TestARFFrozenKeepsRecurringBursts(t *testing.T) {
	train, trainY := burstStream(30000, 1)
	test, testY := burstStream(12000, 2)
	recall := func(replacement string) (r [3]float64, drifts int) {
		f := newWith[*ARF](t, "random_forest", map[string]string{"replacement": replacement})
		for i, x := range train {
			f.PredictOne(x)
			f.LearnOne(x, trainY[i])
		}
		var hit, n [3]float64
		for i, x := range test { // frozen: predict only
			n[testY[i]]++
			if f.PredictOne(x) == testY[i] {
				hit[testY[i]]++
			}
		}
		for c := range r {
			r[c] = hit[c] / n[c]
		}
		return r, f.replaced()
	}
	always, alwaysDrifts := recall("always")
	better, betterDrifts := recall("better")
	t.Logf("frozen recall per class: always %.3f (%d trees replaced), better %.3f (%d trees replaced)", always, alwaysDrifts, better, betterDrifts)
	for c := 1; c <= 2; c++ {
		if better[c] < 0.9 {
			t.Errorf("better: frozen recall of class %d is %.3f, want >= 0.9", c, better[c])
		}
	}
	if better[0] < 0.95 {
		t.Errorf("better: frozen recall of the normal class is %.3f, want >= 0.95", better[0])
	}
	// the stream must show the problem the rule solves
	if min(always[1], always[2]) >= 0.9 {
		t.Errorf("always: frozen recall %.3f on both rare classes: the stream does not make ARF's rule forget", always)
	}
}

// learn adds x with label y and weight w, and attempts a split when the
// leaf has seen GracePeriod weight since its last attempt.
func (t *hoeffdingTree) learn(x []float64, y int, w float64, scratch []float64) {
	v := t.verdict(x)
	t.learnVerdict(&v, x, t.cfg.onesOf(x, nil), y, w, scratch)
}

// TestARFAbstainsOnUnseenFlags: a member whose leaf never learned from a
// frame with one of x's flag values votes with abstainWeight of its weight
// (unseen_flags=abstain), so the members that did learn from such frames
// decide; when no member did, the vote is the one every member would
// cast under unseen_flags=vote. Issue 11's case: six of ten trees sent a
// man in the middle's relayed bulk traffic to leaves of normal bulk
// traffic, which had never seen ip_mac_relay set, and outvoted the four
// that had split on it.
func TestARFAbstainsOnUnseenFlags(t *testing.T) {
	// columns: a flag attacks set, a flag no training frame sets, a rate
	forest := func(mode string) *ARF {
		f := newWith[*ARF](t, "random_forest", map[string]string{"unseen_flags": mode, "n_models": "2", "max_features": "3"})
		f.SetFeatureKinds([]FeatureKind{FeatureBinary, FeatureBinary, FeatureNumeric})
		f.LearnOne([]float64{0, 0, 0.5}, 0) // labels 0 and 1 get class indices 0 and 1
		f.LearnOne([]float64{1, 0, 0.1}, 1)
		scratch := make([]float64, 2)
		// member 0: a tree of fast normal traffic, right 99% of the time
		m0 := &f.members[0]
		m0.tree = newHoeffdingTree(f, 3, 1)
		for i := range 40 {
			m0.tree.learn([]float64{0, 0, 0.6 + 0.01*float64(i)}, 0, 1, scratch)
		}
		m0.seen, m0.hits = 100, 99
		// member 1: slow traffic, attacks among it; right half the time
		m1 := &f.members[1]
		m1.tree = newHoeffdingTree(f, 3, 2)
		for i := range 30 { // 38 frames: under grace_period, so no split
			m1.tree.learn([]float64{0, 0, 0.01 * float64(i)}, 0, 1, scratch)
			if i%4 == 0 {
				m1.tree.learn([]float64{1, 0, 0.01 * float64(i)}, 1, 1, scratch)
			}
		}
		m1.seen, m1.hits = 100, 50
		return f
	}
	abstain, vote := forest("abstain"), forest("vote")
	for i := range abstain.members {
		if n := len(abstain.members[i].tree.nodes); n != 1 {
			t.Fatalf("member %d's tree has %d nodes, want its root leaf only", i, n)
		}
	}
	fastAttack := []float64{1, 0, 0.9}
	if got := vote.PredictOne(fastAttack); got != 0 {
		t.Fatalf("vote: %d, want 0 (the more accurate member's normal leaf outvotes the other): the test does not show the problem", got)
	}
	if got := abstain.PredictOne(fastAttack); got != 1 {
		t.Errorf("abstain: %d, want 1 (the member that learned attack frames decides)", got)
	}
	// a flag no member ever saw set: every member abstains, and the vote
	// is as without abstaining
	for _, x := range [][]float64{{0, 1, 0.9}, {1, 1, 0.9}, {0, 0, 0.9}} {
		if a, v := abstain.PredictOne(x), vote.PredictOne(x); a != v && x[1] == 1 {
			t.Errorf("x=%v: abstain %d, vote %d; want the same when every member abstains", x, a, v)
		}
	}
	if a, v := abstain.PredictOne([]float64{0, 0, 0.9}), vote.PredictOne([]float64{0, 0, 0.9}); a != 0 || v != 0 {
		t.Errorf("normal fast frame: abstain %d, vote %d; want 0", a, v)
	}
}

// TestLeafUnseenFlag: a leaf notes which values of the flag columns it
// learned from, in its feature subset or not; a numeric column or a
// one-hot category is never "unseen", nor is anything for a leaf that has
// learned nothing.
func TestLeafUnseenFlag(t *testing.T) {
	a := newWith[*ARF](t, "random_forest", map[string]string{"max_features": "3"})
	a.SetFeatureKinds([]FeatureKind{FeatureBinary, FeatureNumeric, FeatureOneHot(0)})
	a.init(3)
	tree := newHoeffdingTree(a, 3, 1)
	l := tree.nodes[0].leaf
	if l.unseenFlag(a.onesOf([]float64{1, 5, 1}, nil), a.flagMask) {
		t.Error("a leaf that learned nothing calls a frame unseen")
	}
	scratch := make([]float64, 4)
	tree.learn([]float64{0, 1, 1}, 0, 1, scratch)
	for _, tc := range []struct {
		x      []float64
		unseen bool
	}{
		{[]float64{0, 1, 1}, false},
		{[]float64{0, 1e6, 1}, false}, // numeric: no "unseen" value
		{[]float64{1, 1, 1}, true},    // the flag set: never learned
		{[]float64{0, 1, 0}, false},   // a one-hot category: not a flag
	} {
		if got := l.unseenFlag(a.onesOf(tc.x, nil), a.flagMask); got != tc.unseen {
			t.Errorf("after one frame (0, 1, 1): unseen(%v) = %v, want %v", tc.x, got, tc.unseen)
		}
	}
	tree.learn([]float64{1, 2, 0}, 1, 1, scratch)
	if l.unseenFlag(a.onesOf([]float64{1, 9, 0}, nil), a.flagMask) || l.unseenFlag(a.onesOf([]float64{0, 9, 1}, nil), a.flagMask) {
		t.Error("after learning both values of the flag, a frame is still unseen")
	}

	// a leaf whose subset lacks the flag: it cannot split on it, but it
	// has learned nothing from frames with it set either
	b := newWith[*ARF](t, "random_forest", map[string]string{"max_features": "1"})
	b.SetFeatureKinds([]FeatureKind{FeatureBinary, FeatureNumeric, FeatureOneHot(0)})
	b.init(3)
	for seed := uint64(1); ; seed++ {
		tree := newHoeffdingTree(b, 3, seed)
		l := tree.nodes[0].leaf
		if slices.Contains(l.features, 0) {
			continue
		}
		tree.learn([]float64{0, 1, 1}, 0, 1, scratch)
		if !l.unseenFlag(b.onesOf([]float64{1, 1, 1}, nil), b.flagMask) {
			t.Errorf("a leaf with subset %v that only saw the flag clear does not call a frame with it set unseen", l.features)
		}
		if l.unseenFlag(b.onesOf([]float64{0, 7, 1}, nil), b.flagMask) {
			t.Errorf("a leaf with subset %v calls a frame like the one it learned unseen", l.features)
		}
		break
	}
}
