package eval

import (
	"slices"
	"strings"
	"time"
)

// DefaultEpisodeGap is how many consecutive normal-labelled frames close an
// attack episode: attack tools interleave with normal traffic, so a few
// normal frames inside an episode do not end it.
const DefaultEpisodeGap = 1000

// DetectionHistory is how many finished episodes each learner keeps in
// detail; the medians are over these, the means over every episode.
const DetectionHistory = 100

// RecallFrames is the number of an episode's first attack frames over which
// early recall is measured.
const RecallFrames = 50

// EpisodeFrame places one labelled frame relative to attack episodes; the
// EpisodeSegmenter computes it once per frame for every learner.
type EpisodeFrame struct {
	ID        int64 // episode number from 1; 0 when the frame is in no episode
	Kind      string
	Start     uint64    // frame number of the episode's first frame
	StartTime time.Time // its timestamp
	// Index is the frame's place among the episode's attack frames (0 for
	// the first); -1 for a normal frame inside an open episode.
	Index int
	Seq   uint64
	Time  time.Time
	Label int
}

// EpisodeSegmenter cuts the labelled stream into attack episodes. An
// episode starts at an attack frame (label != 0) when none is open; it ends
// after Gap consecutive normal frames (label 0), or when an attack frame of
// another kind arrives: another label, or another "episode=KIND" tag in the
// frame's comment (the simulator writes "label=N scenario=NAME
// episode=KIND"). Unlabelled frames are not given to it.
type EpisodeSegmenter struct {
	Gap int // DefaultEpisodeGap when <= 0

	cur       EpisodeFrame
	open      bool
	label     int
	attacks   int
	normalRun int
}

// EpisodeTag returns the KIND of an "episode=KIND" field in a packet
// comment, or "" (without allocating).
func EpisodeTag(comment string) string {
	const key = "episode="
	i := strings.Index(comment, key)
	if i < 0 || (i > 0 && comment[i-1] != ' ') {
		return ""
	}
	rest := comment[i+len(key):]
	if j := strings.IndexAny(rest, " \t\r\n"); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// Next places one labelled frame; tag is its episode tag ("" if none).
func (s *EpisodeSegmenter) Next(seq uint64, ts time.Time, label int, tag string) EpisodeFrame {
	gap := s.Gap
	if gap <= 0 {
		gap = DefaultEpisodeGap
	}
	if label == 0 {
		if !s.open {
			return EpisodeFrame{Seq: seq, Time: ts}
		}
		s.normalRun++
		if s.normalRun >= gap {
			s.open = false
			return EpisodeFrame{Seq: seq, Time: ts}
		}
		f := s.cur
		f.Index, f.Seq, f.Time, f.Label = -1, seq, ts, 0
		return f
	}
	if s.open && (label != s.label || (tag != "" && s.cur.Kind != "" && tag != s.cur.Kind)) {
		s.open = false
	}
	if !s.open {
		s.open = true
		s.label = label
		s.attacks = 0
		s.cur = EpisodeFrame{ID: s.cur.ID + 1, Kind: tag, Start: seq, StartTime: ts}
	}
	s.normalRun = 0
	f := s.cur
	f.Index, f.Seq, f.Time, f.Label = s.attacks, seq, ts, label
	s.attacks++
	return f
}

// EpisodeResult is how one learner did on one attack episode.
type EpisodeResult struct {
	ID         int64  `json:"id"`
	Kind       string `json:"kind,omitempty"`
	Label      int    `json:"label"`
	StartFrame uint64 `json:"start_frame"`
	// AttackFrames counts the episode's attack-labelled frames so far.
	AttackFrames int64 `json:"attack_frames"`
	Detected     bool  `json:"detected"`
	// DelayFrames is the number of frames (of the whole stream) from the
	// episode's first frame to the learner's first correct alarm (0 when
	// the first frame was caught); DelayMS the same in frame timestamps.
	// Both -1 while undetected.
	DelayFrames int64   `json:"delay_frames"`
	DelayMS     float64 `json:"delay_ms"`
	// RecallFirst is the recall over the episode's first RecallFrames
	// attack frames (fewer while the episode is young).
	RecallFirst float64 `json:"recall_first_50"`
	Open        bool    `json:"open,omitempty"`

	first, firstHits int
}

// DetectionSummary is one learner's detection record.
type DetectionSummary struct {
	Episodes int64 `json:"episodes"` // started, the open one included
	Detected int64 `json:"detected"`
	// Missed counts finished episodes without a single correct alarm.
	Missed            int64   `json:"missed"`
	MeanDelayFrames   float64 `json:"mean_delay_frames"`
	MedianDelayFrames float64 `json:"median_delay_frames"`
	MeanDelayMS       float64 `json:"mean_delay_ms"`
	MedianDelayMS     float64 `json:"median_delay_ms"`
	// MeanRecallFirst averages RecallFirst over finished episodes.
	MeanRecallFirst float64 `json:"mean_recall_first_50"`
	// Recent lists the last DetectionHistory finished episodes and the
	// open one, oldest first.
	Recent []EpisodeResult `json:"recent"`
}

// Detection follows one learner's alarms through the episodes.
type Detection struct {
	cur     EpisodeResult
	curOpen bool

	episodes, detected, missed, finished int64
	sumDelayFrames, sumDelayMS           float64
	sumRecall                            float64

	recent []EpisodeResult // ring of finished episodes
	next   int
}

// Add scores a learner's prediction of one labelled frame.
func (d *Detection) Add(f EpisodeFrame, pred int) {
	if d.curOpen && f.ID != d.cur.ID {
		d.finish()
	}
	if f.ID == 0 {
		return
	}
	if !d.curOpen {
		d.curOpen = true
		d.episodes++
		d.cur = EpisodeResult{ID: f.ID, Kind: f.Kind, StartFrame: f.Start, DelayFrames: -1, DelayMS: -1}
	}
	if f.Index < 0 {
		return
	}
	if d.cur.AttackFrames == 0 {
		d.cur.Label = f.Label
	}
	d.cur.AttackFrames++
	hit := pred == f.Label
	if f.Index < RecallFrames {
		d.cur.first++
		if hit {
			d.cur.firstHits++
		}
		d.cur.RecallFirst = float64(d.cur.firstHits) / float64(d.cur.first)
	}
	if hit && !d.cur.Detected {
		d.cur.Detected = true
		d.cur.DelayFrames = int64(f.Seq - f.Start)
		d.cur.DelayMS = float64(f.Time.Sub(f.StartTime)) / float64(time.Millisecond)
		d.detected++
		d.sumDelayFrames += float64(d.cur.DelayFrames)
		d.sumDelayMS += d.cur.DelayMS
	}
}

func (d *Detection) finish() {
	d.curOpen = false
	d.finished++
	if !d.cur.Detected {
		d.missed++
	}
	d.sumRecall += d.cur.RecallFirst
	if len(d.recent) < DetectionHistory {
		d.recent = append(d.recent, d.cur)
		return
	}
	d.recent[d.next] = d.cur
	d.next = (d.next + 1) % DetectionHistory
}

// Summary returns the record so far (allocates; for snapshots).
func (d *Detection) Summary() DetectionSummary {
	s := DetectionSummary{Episodes: d.episodes, Detected: d.detected, Missed: d.missed,
		Recent: make([]EpisodeResult, 0, len(d.recent)+1)}
	s.Recent = append(s.Recent, d.recent[d.next:]...)
	s.Recent = append(s.Recent, d.recent[:d.next]...)
	if d.curOpen {
		c := d.cur
		c.Open = true
		s.Recent = append(s.Recent, c)
	}
	if d.detected > 0 {
		s.MeanDelayFrames = d.sumDelayFrames / float64(d.detected)
		s.MeanDelayMS = d.sumDelayMS / float64(d.detected)
		var frames, ms []float64
		for _, e := range s.Recent {
			if e.Detected {
				frames = append(frames, float64(e.DelayFrames))
				ms = append(ms, e.DelayMS)
			}
		}
		s.MedianDelayFrames, s.MedianDelayMS = median(frames), median(ms)
	}
	if d.finished > 0 {
		s.MeanRecallFirst = d.sumRecall / float64(d.finished)
	}
	return s
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	slices.Sort(v)
	m := len(v) / 2
	if len(v)%2 == 1 {
		return v[m]
	}
	return (v[m-1] + v[m]) / 2
}

// Counts returns the episode counts and the mean delay in frames without
// allocating (for the metrics history).
func (d *Detection) Counts() (episodes, detected, missed int64, meanDelayFrames float64) {
	if d.detected > 0 {
		meanDelayFrames = d.sumDelayFrames / float64(d.detected)
	}
	return d.episodes, d.detected, d.missed, meanDelayFrames
}
