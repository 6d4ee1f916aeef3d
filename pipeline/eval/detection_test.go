package eval

import (
	"testing"
	"time"
)

func TestEpisodeTag(t *testing.T) {
	for comment, want := range map[string]string{
		"label=1 scenario=default episode=port_scan": "port_scan",
		"episode=arp_spoof label=1":                  "arp_spoof",
		"label=1":                                    "",
		"label=1 myepisode=x":                        "",
	} {
		if got := EpisodeTag(comment); got != want {
			t.Errorf("EpisodeTag(%q) = %q, want %q", comment, got, want)
		}
	}
}

// A hand-checked stream: episodes cut by the gap, by a new label and by a
// new tag; delays in frames and timestamp milliseconds; early recall.
func TestDetectionDelayAndEpisodes(t *testing.T) {
	seg := EpisodeSegmenter{Gap: 3}
	var d Detection
	t0 := time.Unix(0, 0)
	seq := uint64(0)
	feed := func(label int, tag string, pred int) {
		seq++
		d.Add(seg.Next(seq, t0.Add(time.Duration(seq)*time.Millisecond), label, tag), pred)
	}
	feed(0, "", 0)
	// episode 1 starts at frame 2: missed twice, a normal frame inside,
	// then caught at frame 5 -> delay 3 frames, 3 ms.
	feed(1, "scan", 0)
	feed(1, "scan", 0)
	feed(0, "", 0)
	feed(1, "scan", 1)
	feed(1, "scan", 1)
	// three normal frames close it
	feed(0, "", 1)
	feed(0, "", 0)
	feed(0, "", 0)
	// episode 2 (frame 10), never caught; episode 3 starts on a new tag
	// at frame 12 and is caught at once.
	feed(1, "flood", 0)
	feed(1, "flood", 0)
	feed(1, "arp", 1)
	// episode 4: another label (multiclass) at frame 13, open at the end.
	feed(2, "arp", 0)

	s := d.Summary()
	if s.Episodes != 4 || s.Detected != 2 || s.Missed != 1 {
		t.Fatalf("episodes %d detected %d missed %d, want 4 2 1: %+v", s.Episodes, s.Detected, s.Missed, s.Recent)
	}
	if len(s.Recent) != 4 || !s.Recent[3].Open {
		t.Fatalf("recent %+v", s.Recent)
	}
	e1 := s.Recent[0]
	if e1.StartFrame != 2 || e1.DelayFrames != 3 || e1.DelayMS != 3 || e1.AttackFrames != 4 || e1.RecallFirst != 0.5 || e1.Kind != "scan" {
		t.Errorf("episode 1 %+v", e1)
	}
	if e2 := s.Recent[1]; e2.Detected || e2.DelayFrames != -1 || e2.StartFrame != 10 {
		t.Errorf("episode 2 %+v", e2)
	}
	if e3 := s.Recent[2]; e3.DelayFrames != 0 || e3.Kind != "arp" || e3.RecallFirst != 1 {
		t.Errorf("episode 3 %+v", e3)
	}
	if s.MeanDelayFrames != 1.5 || s.MedianDelayFrames != 1.5 || s.MeanDelayMS != 1.5 {
		t.Errorf("mean/median delay %v/%v frames, %v ms", s.MeanDelayFrames, s.MedianDelayFrames, s.MeanDelayMS)
	}
	// mean early recall over finished episodes: (0.5 + 0 + 1) / 3
	if s.MeanRecallFirst != 0.5 {
		t.Errorf("mean recall first %v", s.MeanRecallFirst)
	}
}

// The detail list is bounded; the counts are not.
func TestDetectionHistoryBounded(t *testing.T) {
	seg := EpisodeSegmenter{Gap: 1}
	var d Detection
	seq := uint64(0)
	for i := 0; i < 3*DetectionHistory; i++ {
		seq++
		d.Add(seg.Next(seq, time.Time{}, 1, ""), 1)
		seq++
		d.Add(seg.Next(seq, time.Time{}, 0, ""), 0)
	}
	s := d.Summary()
	if len(s.Recent) != DetectionHistory || s.Episodes != 3*DetectionHistory || s.Detected != 3*DetectionHistory {
		t.Errorf("recent %d episodes %d detected %d", len(s.Recent), s.Episodes, s.Detected)
	}
	if s.Recent[len(s.Recent)-1].ID != 3*DetectionHistory {
		t.Errorf("newest kept episode %d", s.Recent[len(s.Recent)-1].ID)
	}
}
