package eval

import (
	"testing"
	"time"

	"github.com/etherlearn/etherlearn/pipeline/testkit"
)

// Ten hours at 1,000 labelled frames a second stay within the bounds, and
// a one-frame dip in the middle survives the downsampling.
func TestTimelineIsBoundedAndKeepsDips(t *testing.T) {
	start := time.Unix(1000, 0)
	tl := NewTimeline(2, start)
	samples := make([]Sample, 2)
	const n = 10 * 3600 * 100 // 100 frames/s for ten hours
	dipAt := int64(n / 2)
	for i := int64(1); i <= n; i++ {
		acc := 0.9
		if i == dipAt {
			acc = 0.1
		}
		samples[0] = Sample{Hit: true, WindowAccuracy: acc, Accuracy: 0.9}
		samples[1] = Sample{Hit: true, WindowAccuracy: 0.5, Accuracy: 0.5}
		tl.Add(start.Add(time.Duration(i)*10*time.Millisecond), i, false, samples)
	}
	whole := tl.Whole(0, nil)
	if len(whole) > DefaultWholeBuckets || len(whole) < DefaultWholeBuckets/2 {
		t.Fatalf("%d whole-run buckets, want between %d and %d", len(whole), DefaultWholeBuckets/2, DefaultWholeBuckets)
	}
	var sawDip bool
	var count int64
	for i, b := range whole {
		count += int64(b.Count)
		if b.Min == 0.1 {
			sawDip = true
		}
		if i > 0 && b.T <= whole[i-1].T {
			t.Fatalf("bucket %d not after the one before", i)
		}
	}
	if !sawDip {
		t.Error("the dip was lost in the whole-run view")
	}
	if count != n {
		t.Errorf("buckets hold %d samples, want %d", count, n)
	}
	if last := whole[len(whole)-1]; last.N != n || last.Cum != 0.9 {
		t.Errorf("last bucket %+v", last)
	}
	recent := tl.Recent(0, 0, nil)
	if want := int(DefaultRecentSpan / DefaultRecentResolution); len(recent) != want {
		t.Errorf("%d recent buckets, want %d", len(recent), want)
	}
	now, _ := tl.Last()
	if got := tl.Recent(0, now-60, nil); len(got) < 119 || len(got) > 121 {
		t.Errorf("%d buckets in the last minute, want 120", len(got))
	}
}

// Attack frames less than a second apart make one episode; the episode
// list stays bounded by joining close episodes.
func TestTimelineEpisodes(t *testing.T) {
	start := time.Unix(0, 0)
	tl := NewTimeline(1, start)
	s := []Sample{{Hit: true, WindowAccuracy: 1, Accuracy: 1}}
	at := func(sec float64) time.Time { return start.Add(time.Duration(sec * float64(time.Second))) }
	tl.Add(at(1), 1, true, s)
	tl.Add(at(1.5), 2, true, s)
	tl.Add(at(2), 3, false, s)
	tl.Add(at(5), 4, true, s)
	eps := tl.Episodes(0, nil)
	if len(eps) != 2 || eps[0].T0 != 1 || eps[0].T1 != 1.5 || eps[0].N1 != 2 || eps[1].N0 != 4 {
		t.Fatalf("episodes %+v", eps)
	}
	for i := 0; i < 5000; i++ {
		tl.Add(at(10+float64(i)*3), int64(5+i), true, s)
	}
	eps = tl.Episodes(0, nil)
	if len(eps) > maxEpisodes || len(eps) == 0 || eps[0].T0 != 1 {
		t.Fatalf("%d episodes after 5,000 separate attacks", len(eps))
	}
	if eps[len(eps)-1].N1 != 5004 {
		t.Errorf("last episode %+v", eps[len(eps)-1])
	}
}

// A learner whose errors jump from none to all is flagged by ADWIN; a
// restart is marked, resets the count, and the markers stay bounded.
func TestTimelineMarkers(t *testing.T) {
	start := time.Unix(0, 0)
	tl := NewTimeline(1, start)
	s := make([]Sample, 1)
	n := int64(0)
	feed := func(k int, hit bool) {
		for i := 0; i < k; i++ {
			n++
			s[0] = Sample{Hit: hit}
			tl.Add(start.Add(time.Duration(n)*time.Millisecond), n, false, s)
		}
	}
	feed(2000, true)
	if tl.DriftCount(0) != 0 {
		t.Fatalf("drift on a steady stream")
	}
	feed(2000, false)
	if tl.DriftCount(0) == 0 {
		t.Fatal("no drift when every prediction turned wrong")
	}
	tl.Restart(0, start.Add(time.Duration(n)*time.Millisecond), n)
	if tl.DriftCount(0) != 0 {
		t.Error("restart kept the drift count")
	}
	ms := tl.Markers(0, nil)
	if last := ms[len(ms)-1]; last.Kind != MarkRestart || last.N != n {
		t.Errorf("last marker %+v", last)
	}
	for i := 0; i < 3000; i++ {
		feed(200, i%2 == 0)
	}
	if got := len(tl.Markers(0, nil)); got > maxMarkers {
		t.Errorf("%d markers kept", got)
	}
	var restarts int
	for _, m := range tl.Markers(0, nil) {
		if m.Kind == MarkRestart {
			restarts++
		}
	}
	if restarts != 1 {
		t.Errorf("%d restart markers, want 1", restarts)
	}
}

// Reading into reused slices allocates nothing.
func TestTimelineReadsAllocateNothing(t *testing.T) {
	tl := NewTimeline(1, time.Unix(0, 0))
	s := []Sample{{Hit: true, WindowAccuracy: 1, Accuracy: 1}}
	for i := 0; i < 5000; i++ {
		tl.Add(time.Unix(0, int64(i)*int64(time.Millisecond)), int64(i), i%100 == 0, s)
	}
	b := make([]Bucket, 0, 2000)
	e := make([]Span, 0, 600)
	m := make([]Marker, 0, 2000)
	if n, check := testkit.AllocsPerRun(t, 100, func() {
		b = tl.Whole(0, b[:0])
		b = tl.Recent(0, 0, b[:0])
		e = tl.Episodes(0, e[:0])
		m = tl.Markers(0, m[:0])
		tl.Add(time.Unix(10, 0), 5001, false, s)
	}); check && n > 0 {
		t.Errorf("%v allocations", n)
	}
}
