package app

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/etherlearn/etherlearn/classifiers"
	"github.com/etherlearn/etherlearn/pipeline"
	"github.com/etherlearn/etherlearn/pipeline/eval"
)

// evalModeNames are how errors name the three evaluation-mode settings:
// by flag in `run`, by field in the window.
type evalModeNames struct{ labelDelay, freezeAfter, episodeGap string }

var (
	evalFlagNames  = evalModeNames{"--label-delay", "--freeze-after", "--episode-gap"}
	evalFieldNames = evalModeNames{"label delay", "freeze after", "episode gap"}
)

// parseEvalModes checks the evaluation-mode flags of `run`.
func parseEvalModes(labelDelay string, freezeAfter int64, episodeGap int) (pipeline.EvalModes, error) {
	return parseEvalModesNamed(labelDelay, strconv.FormatInt(freezeAfter, 10), strconv.Itoa(episodeGap), evalFlagNames)
}

// ParseEvalModes checks the evaluation modes as a user types them in the
// window, with the same meaning as `run`'s flags: a label delay is a whole
// number of frames ("500") or a Go duration of frame time ("2s",
// "250ms"); freeze after is a number of labels; the episode gap a number
// of normal frames (DefaultEpisodeGap when 0). Empty or "0" turns a mode
// off. Errors are one sentence naming the field.
func ParseEvalModes(labelDelay, freezeAfter, episodeGap string) (pipeline.EvalModes, error) {
	return parseEvalModesNamed(labelDelay, freezeAfter, episodeGap, evalFieldNames)
}

func parseEvalModesNamed(labelDelay, freezeAfter, episodeGap string, names evalModeNames) (pipeline.EvalModes, error) {
	var m pipeline.EvalModes
	labelDelay, freezeAfter, episodeGap = strings.TrimSpace(labelDelay), strings.TrimSpace(freezeAfter), strings.TrimSpace(episodeGap)
	if labelDelay != "" {
		// A number of frames ends in a digit, a duration in its unit (the
		// window checks its fields on every update: no failed parse, which
		// allocates, on valid input).
		last := labelDelay[len(labelDelay)-1]
		n, err := 0, strconv.ErrSyntax
		if last >= '0' && last <= '9' {
			n, err = strconv.Atoi(labelDelay)
		}
		if err == nil {
			if n < 0 {
				return m, fmt.Errorf("%s %q: must not be negative", names.labelDelay, labelDelay)
			}
			m.LabelDelayFrames = n
		} else if d, err := time.ParseDuration(labelDelay); err == nil {
			if d < 0 {
				return m, fmt.Errorf("%s %q: must not be negative", names.labelDelay, labelDelay)
			}
			m.LabelDelay = d
		} else {
			return m, fmt.Errorf("%s %q: want a number of frames (500) or a duration (2s)", names.labelDelay, labelDelay)
		}
	}
	if freezeAfter != "" {
		n, err := strconv.ParseInt(freezeAfter, 10, 64)
		if err != nil {
			return m, fmt.Errorf("%s %q: want a whole number of labels (0 = never)", names.freezeAfter, freezeAfter)
		}
		if n < 0 {
			return m, fmt.Errorf("%s %d: must not be negative", names.freezeAfter, n)
		}
		m.FreezeAfter = n
	}
	if episodeGap != "" {
		n, err := strconv.Atoi(episodeGap)
		if err != nil {
			return m, fmt.Errorf("%s %q: want a whole number of normal frames (0 = the default %d)", names.episodeGap, episodeGap, eval.DefaultEpisodeGap)
		}
		if n < 0 {
			return m, fmt.Errorf("%s %d: must not be negative", names.episodeGap, n)
		}
		m.EpisodeGap = n
	}
	return m, nil
}

// paramFlags collects repeated --param NAME.KEY=VALUE flags.
type paramFlags []string

func (p *paramFlags) String() string { return strings.Join(*p, " ") }

func (p *paramFlags) Set(v string) error {
	*p = append(*p, v)
	return nil
}

// validate parses every --param and checks the learner name, then the
// keys and values with the learner's declarations (Spec.Validate, which
// names a key the learner does not have and lists the ones it has), so
// that a mistake stops the run before anything starts.
func (p paramFlags) validate() (map[string]map[string]string, error) {
	if len(p) == 0 {
		return nil, nil
	}
	out := map[string]map[string]string{}
	for _, arg := range p {
		name, rest, ok1 := strings.Cut(arg, ".")
		key, value, ok2 := strings.Cut(rest, "=")
		if !ok1 || !ok2 || name == "" || key == "" {
			return nil, fmt.Errorf("--param %q: want NAME.KEY=VALUE, e.g. sgd.alpha=0.001", arg)
		}
		if _, ok := classifiers.Lookup(name); !ok {
			var names []string
			for _, s := range classifiers.Specs() {
				names = append(names, s.Name)
			}
			return nil, fmt.Errorf("--param %q: no learner %q (learners: %s)", arg, name, strings.Join(names, ", "))
		}
		if out[name] == nil {
			out[name] = map[string]string{}
		}
		out[name][key] = value
	}
	for _, name := range slices.Sorted(maps.Keys(out)) {
		spec, _ := classifiers.Lookup(name)
		if err := spec.Validate(out[name]); err != nil {
			return nil, fmt.Errorf("--param: %w", err)
		}
	}
	return out, nil
}

// parseLearners reads `run --learners`: comma-separated learner and
// baseline names, each once; empty means every learner. A name that is not
// a learner is refused with the list of those there are. The majority and
// no-change baselines are added when not named: kappa-M and kappa-T
// compare with them, and would otherwise read 0.
func parseLearners(list string) ([]string, error) {
	if strings.TrimSpace(list) == "" {
		return nil, nil
	}
	var out []string
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if _, ok := classifiers.Lookup(name); !ok {
			var names []string
			for _, s := range classifiers.Specs() {
				names = append(names, s.Name)
			}
			return nil, fmt.Errorf("--learners %q: no learner %q (learners: %s)", list, name, strings.Join(names, ", "))
		}
		if slices.Contains(out, name) {
			return nil, fmt.Errorf("--learners %q: %s is named twice", list, name)
		}
		out = append(out, name)
	}
	for _, b := range []string{"majority", "no_change"} {
		if !slices.Contains(out, b) {
			out = append(out, b)
		}
	}
	return out, nil
}
