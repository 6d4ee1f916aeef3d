package app

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/etherlearn/etherlearn/pipeline"
	"github.com/etherlearn/etherlearn/pipeline/testkit"
)

// The window's fields and `run`'s flags read the evaluation modes with one
// parser: the same text means the same modes, and bad text is a
// one-sentence error naming the field.
func TestParseEvalModes(t *testing.T) {
	for _, c := range []struct {
		delay, freeze, gap string
		want               pipeline.EvalModes
		bad                string // the field the error must name
	}{
		{want: pipeline.EvalModes{}},
		{delay: "0", freeze: "0", gap: "0", want: pipeline.EvalModes{}},
		{delay: " 500 ", want: pipeline.EvalModes{LabelDelayFrames: 500}},
		{delay: "2s", want: pipeline.EvalModes{LabelDelay: 2 * time.Second}},
		{delay: "250ms", freeze: "100000", gap: "300", want: pipeline.EvalModes{LabelDelay: 250 * time.Millisecond, FreezeAfter: 100000, EpisodeGap: 300}},
		{delay: "soon", bad: "label delay"},
		{delay: "-5", bad: "label delay"},
		{delay: "-2s", bad: "label delay"},
		{freeze: "-1", bad: "freeze after"},
		{freeze: "1e5", bad: "freeze after"},
		{gap: "x", bad: "episode gap"},
		{gap: "-3", bad: "episode gap"},
	} {
		got, err := ParseEvalModes(c.delay, c.freeze, c.gap)
		if c.bad != "" {
			if err == nil || !strings.HasPrefix(err.Error(), c.bad) || strings.Contains(err.Error(), "\n") {
				t.Errorf("%q %q %q: error %v, want one line about the %s", c.delay, c.freeze, c.gap, err, c.bad)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%q %q %q: %+v, %v; want %+v", c.delay, c.freeze, c.gap, got, err, c.want)
		}
		// `run`'s flags read the same text the same way.
		freeze, _ := strconv.ParseInt(strings.TrimSpace("0"+c.freeze), 10, 64)
		gap, _ := strconv.Atoi(strings.TrimSpace("0" + c.gap))
		fromFlags, err := parseEvalModes(strings.TrimSpace(c.delay), freeze, gap)
		if err != nil || fromFlags != got {
			t.Errorf("flags %q %d %d: %+v, %v; the window reads %+v", c.delay, freeze, gap, fromFlags, err, got)
		}
	}
	if _, err := parseEvalModes("soon", 0, 0); err == nil || !strings.HasPrefix(err.Error(), "--label-delay") {
		t.Errorf("run's error %v does not name the flag", err)
	}
}

// Modes says what a screenshot of the scores must not hide.
func TestEvalModesInWords(t *testing.T) {
	for _, c := range []struct {
		e     EvalReport
		ended bool
		want  string
	}{
		{EvalReport{}, false, ""},
		{EvalReport{LabelDelayFrames: 500}, false, "labels delayed 500 frames"},
		{EvalReport{LabelDelayMS: 2000}, false, "labels delayed 2s of frame time"},
		{EvalReport{FreezeAfter: 100000}, false, "learners learn the first 100000 labels, then are frozen"},
		{EvalReport{FreezeAfter: 100000}, true, "freeze after 100000 labels: never frozen, fewer labels were learned"},
		{EvalReport{FreezeAfter: 100000, FrozenAtFrame: 100007, LabelDelayFrames: 10}, true,
			"labels delayed 10 frames; learners frozen after 100000 labels (at frame 100007): the scores are of the frames after it"},
	} {
		if got := strings.Join(c.e.Modes(c.ended), "; "); got != c.want {
			t.Errorf("%+v: %q, want %q", c.e, got, c.want)
		}
	}
}

// The window checks its fields on every update while a run goes on:
// valid text parses without allocating.
func TestParseEvalModesAllocatesNothingOnValidText(t *testing.T) {
	for _, delay := range []string{"", "500", "2s"} {
		if n, check := testkit.AllocsPerRun(t, 100, func() { _, _ = ParseEvalModes(delay, "100000", "300") }); check && n != 0 {
			t.Errorf("label delay %q: %v allocations", delay, n)
		}
	}
}
