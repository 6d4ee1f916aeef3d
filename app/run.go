package app

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/etherlearn/etherlearn/pipeline"
	"github.com/etherlearn/etherlearn/pipeline/eval"
	"github.com/etherlearn/etherlearn/pipeline/features"
	"github.com/etherlearn/etherlearn/pipeline/ingest"
	"github.com/etherlearn/etherlearn/sim"
)

// Report is what `etherlearn run --report json` prints when it ends. Fields
// may be added, never renamed: scripts rely on them.
type Report struct {
	Frames          uint64  `json:"frames"`
	Labelled        uint64  `json:"labelled"`
	DecodeErrors    uint64  `json:"decode_errors"`
	Dropped         uint64  `json:"dropped"`
	Decoded         uint64  `json:"decoded"`
	Malformed       uint64  `json:"malformed"`
	Unlabelled      uint64  `json:"unlabelled"`
	StreamErrors    uint64  `json:"stream_errors"`
	InterfaceDrops  uint64  `json:"interface_drops"`
	Seconds         float64 `json:"seconds"`
	FramesPerSecond float64 `json:"frames_per_second"`
	// LearnedPerSecond is the rate the learners kept up with; below
	// frames_per_second when a live source sent faster (see dropped).
	LearnedPerSecond float64            `json:"learned_per_second"`
	Features         string             `json:"features"`
	Target           string             `json:"target"`
	Source           string             `json:"source"`
	Format           string             `json:"format,omitempty"`
	Error            string             `json:"error,omitempty"`
	Warning          string             `json:"warning,omitempty"`
	Classifiers      []ClassifierReport `json:"classifiers"`
	Evaluation       EvalReport         `json:"evaluation"`
	// Ingest robustness (issue 10): frames readers discarded as damaged
	// or not Ethernet-like, and the session's last events (bounded).
	Discarded uint64  `json:"discarded"`
	Events    []Event `json:"events"`
	// Sampling: which labels the learners learned (live sources learn one
	// in N when the pipeline falls behind, pipeline/sampling.go).
	Sampling SamplingReport `json:"sampling"`
	// Memory: peak RSS and the heap at the end (memory.go).
	Memory MemoryReport `json:"memory"`
}

// SamplingReport is the report's "sampling" object.
type SamplingReport struct {
	LearnOneIn    uint64 `json:"learn_one_in"`     // N at the end (1: every label)
	MaxLearnOneIn uint64 `json:"max_learn_one_in"` // the largest N during the run
	SampledOut    uint64 `json:"sampled_out"`      // labelled frames scored but not learned
	// Only when even predicting every frame was too much: one labelled
	// frame in M predicted and scored; unscored counts the others.
	PredictOneIn    uint64 `json:"predict_one_in"`
	MaxPredictOneIn uint64 `json:"max_predict_one_in"`
	Unscored        uint64 `json:"unscored"`
	Policy          string `json:"policy"`
}

// ClassifierReport is one learner's or baseline's final score.
type ClassifierReport struct {
	Name           string  `json:"name"`
	Baseline       bool    `json:"baseline,omitempty"`
	Accuracy       float64 `json:"accuracy"`
	WindowAccuracy float64 `json:"window_accuracy"`
	Kappa          float64 `json:"kappa"`
	KappaM         float64 `json:"kappa_m"`
	KappaT         float64 `json:"kappa_t"`
	Learned        int64   `json:"learned"`

	// Scores for rare events and evaluation modes: see scores.go.
	ScoresReport
}

// NewReport builds a report from a final snapshot and the wall time.
func NewReport(s *pipeline.Snapshot, seconds float64, st Status) Report {
	c := s.Counters
	r := Report{
		Frames: c.Received, Labelled: c.Labelled, DecodeErrors: c.DecodeErrors, Dropped: c.Dropped,
		Decoded: c.Decoded, Malformed: c.Malformed, Unlabelled: c.Unlabelled,
		StreamErrors: c.StreamErrors, InterfaceDrops: c.InterfaceDrops,
		Seconds: seconds, Features: s.FeatureSet, Target: s.Target, Source: st.Source, Format: st.Format,
		Classifiers: []ClassifierReport{}, Evaluation: NewEvalReport(s),
		Sampling: SamplingReport{LearnOneIn: s.LearnOneIn, MaxLearnOneIn: s.MaxLearnOneIn,
			SampledOut: c.SampledOut, PredictOneIn: s.PredictOneIn, MaxPredictOneIn: s.MaxPredictOneIn,
			Unscored: c.Unscored, Policy: pipeline.SamplingPolicy},
	}
	if seconds > 0 {
		r.FramesPerSecond = float64(c.Received) / seconds
		r.LearnedPerSecond = float64(c.Learned) / seconds
	}
	if st.Err != nil {
		r.Error = st.Err.Error()
	}
	r.Warning = st.Warning
	for _, l := range s.Learners {
		r.Classifiers = append(r.Classifiers, ClassifierReport{
			Name: l.Name, Baseline: l.Baseline, Accuracy: l.Accuracy, WindowAccuracy: l.WindowAccuracy,
			Kappa: l.Kappa, KappaM: l.KappaM, KappaT: l.KappaT, Learned: l.Learned,
			ScoresReport: newScoresReport(l),
		})
	}
	return r
}

// UsageError is a command-line mistake: main prints it and exits 2.
type UsageError struct{ Err error }

func (e UsageError) Error() string { return e.Err.Error() }
func (e UsageError) Unwrap() error { return e.Err }

// RunCommand is `etherlearn run`: one source through the pipeline without a
// window, ending with a report.
func RunCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("etherlearn run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	connect := fs.String("connect", "", "read from a capture server at `HOST:PORT` (TCP client)")
	listen := fs.String("listen", "", "accept capture senders on `ADDR` (e.g. 127.0.0.1:57012; a bare port such as 57012 means all interfaces)")
	serialPath := fs.String("serial", "", "read from the serial device at `PATH`")
	baud := fs.Int("baud", 115200, "serial baud rate")
	file := fs.String("file", "", "read the capture file at `PATH` (pcap, pcapng, gzip)")
	paced := fs.Bool("paced", false, "with --file: replay at the capture's own pace")
	simName := fs.String("sim", "", "run the built-in simulator `SCENARIO` (default is the standard mix)")
	simRate := fs.Float64("rate", 0, "with --sim: frames per second (0 = as fast as possible)")
	seed := fs.Int64("seed", 1, "seed for the simulator and the random target")
	target := fs.String("target", "in-band", "what to learn: "+strings.Join(pipeline.TargetNames, ", "))
	feats := fs.String("features", pipeline.DefaultFeatures, "feature set: "+strings.Join(features.SetNames(), ", "))
	count := fs.Uint64("count", 0, "stop after `N` frames (0 = no limit)")
	duration := fs.Duration("duration", 0, "stop after this long, e.g. 30s (0 = no limit)")
	report := fs.String("report", "text", "report format at the end: text or json")
	tracePath := fs.String("trace", "", "write one CSV row per frame to `FILE.csv` (refused if it exists, unless --force)")
	multiclass := fs.Bool("multiclass", false, "with --sim: label frames by attack kind instead of attack/normal")
	drift := fs.Bool("drift", false, "with --sim: concept drift (attackers and attack kinds change over time)")
	dataBits := fs.Int("data-bits", 8, "with --serial: data bits (5-8)")
	parity := fs.String("parity", "none", "with --serial: parity none, odd, even, mark or space")
	stopBits := fs.Float64("stop-bits", 1, "with --serial: stop bits 1, 1.5 or 2")
	maxFrame := fs.Int("max-frame", 65535, "largest frame accepted, in bytes; a record claiming more ends the stream with an error")
	record := fs.String("record", "", "also record every received frame to `FILE.pcapng` (labels kept as comments)")
	// Evaluation modes and hyper-parameters (flags.go).
	labelDelay := fs.String("label-delay", "", "learn each label only after `DELAY`: N frames (500) or a duration of frame time (2s); frames are still scored on arrival")
	freezeAfter := fs.Int64("freeze-after", 0, "learn the first `N` labels, then freeze the learners and score them on the rest")
	episodeGap := fs.Int("episode-gap", 0, fmt.Sprintf("`N` consecutive normal frames end an attack episode (detection scores; default %d)", eval.DefaultEpisodeGap))
	learners := fs.String("learners", "", "run only these learners and baselines, `NAMES` comma-separated in this order (default: all; e.g. sgd,svm); the majority and no_change baselines are added when not named, for kappa-M and kappa-T")
	var params paramFlags
	fs.Var(&params, "param", "set a learner's hyper-parameter, `NAME.KEY=VALUE` (repeatable; e.g. sgd.alpha=0.001)")
	metricsPath := fs.String("metrics", "", "write the metrics history as CSV to `FILE.csv` (one row per learner every --metrics-every labelled frames; an existing file only with --force)")
	metricsEvery := fs.Int("metrics-every", pipeline.DefaultMetricsEvery, "metrics history interval in labelled `FRAMES`")
	// Files and listener (issue 10).
	force := fs.Bool("force", false, "let --record, --trace and --metrics replace existing files")
	idleTimeout := fs.Duration("idle-timeout", ingest.DefaultIdleTimeout, "with --listen: disconnect a sender silent this long while another waits (0 = never)")
	profiles := addProfileFlags(fs) // --cpuprofile, --memprofile (profile.go)
	parallel := fs.Bool("parallel", true, "run the learners on worker goroutines, one per processor (GOMAXPROCS), with the same results as one goroutine; --parallel=false runs them all on the pipeline goroutine")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: etherlearn run [--connect HOST:PORT | --listen ADDR | --serial PATH [--baud N] | --file PATH | --sim SCENARIO] [flags]")
		fmt.Fprintln(stderr, "\nTargets:")
		for _, t := range pipeline.TargetNames {
			fmt.Fprintf(stderr, "  %-10s %s\n", t, pipeline.TargetHelp[t])
		}
		fmt.Fprintln(stderr, "\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return UsageError{err}
	}
	if fs.NArg() > 0 {
		return UsageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	var src SourceConfig
	chosen := 0
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["connect"] {
		chosen++
		src = SourceConfig{Kind: SourceConnect, Addr: *connect}
	}
	if set["listen"] {
		chosen++
		src = SourceConfig{Kind: SourceListen, Addr: *listen, IdleTimeout: *idleTimeout}
		if *idleTimeout < 0 {
			return UsageError{fmt.Errorf("--idle-timeout %s is negative (0 = never)", *idleTimeout)}
		}
		if *idleTimeout == 0 {
			src.IdleTimeout = -1 // never
		}
	}
	if set["serial"] {
		chosen++
		src = SourceConfig{Kind: SourceSerial, Path: *serialPath}
		src.Baud, src.DataBits, src.Parity, src.StopBits = *baud, *dataBits, *parity, *stopBits
	}
	if set["file"] {
		chosen++
		src = SourceConfig{Kind: SourceFile, Path: *file, Paced: *paced}
	}
	if set["sim"] {
		chosen++
		src = SourceConfig{Kind: SourceSim, Scenario: *simName, Rate: *simRate, Seed: *seed, Multiclass: *multiclass, Drift: *drift}
		if src.Scenario == "" {
			src.Scenario = "default"
		}
	}
	if chosen != 1 {
		return UsageError{errors.New("choose exactly one source: --connect, --listen, --serial, --file or --sim")}
	}
	if *report != "text" && *report != "json" {
		return UsageError{fmt.Errorf("--report must be text or json, not %q", *report)}
	}
	if _, err := pipeline.NewTarget(*target, 0); err != nil {
		return UsageError{err}
	}
	if *maxFrame < 64 || *maxFrame > 1<<24 {
		return UsageError{fmt.Errorf("--max-frame must be between 64 and %d bytes", 1<<24)}
	}
	evalModes, err := parseEvalModes(*labelDelay, *freezeAfter, *episodeGap)
	if err != nil {
		return UsageError{err}
	}
	learnerNames, err := parseLearners(*learners)
	if err != nil {
		return UsageError{err}
	}
	learnerParams, err := params.validate()
	if err != nil {
		return UsageError{err}
	}
	if *metricsEvery <= 0 {
		return UsageError{fmt.Errorf("--metrics-every must be positive, not %d", *metricsEvery)}
	}
	settings := Settings{Features: *feats, Target: *target, Seed: uint64(*seed), MaxFrames: *count,
		Duration: *duration, MaxFrame: *maxFrame, RecordPath: *record, TracePath: *tracePath, Force: *force,
		MetricsPath: *metricsPath, MetricsEvery: *metricsEvery, SerialLearners: !*parallel}
	settings.Eval, settings.Params, settings.Learners = evalModes, learnerParams, learnerNames
	// Every setting is checked before anything is opened or created.
	if err := Validate(src, settings); err != nil {
		return UsageError{err}
	}
	if err := profiles.start(); err != nil {
		return err
	}
	defer profiles.stop() // on early returns; checked below on the normal path
	sess := NewSession(settings)
	// Failures and retries go to stderr as they happen, one line each.
	var stderrMu sync.Mutex
	sess.SetEventHook(func(e Event) {
		if e.Failure {
			stderrMu.Lock()
			fmt.Fprintf(stderr, "etherlearn run: %s\n", e.Message)
			stderrMu.Unlock()
		}
	})
	start := time.Now()
	if err := sess.Start(src); err != nil {
		return err
	}
	stopOnCancel := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			sess.Stop()
		case <-stopOnCancel:
		}
	}()
	runErr := sess.Wait()
	close(stopOnCancel)
	if err := profiles.stop(); err != nil && runErr == nil {
		runErr = err
	}
	seconds := time.Since(start).Seconds()
	snap := sess.Snapshot()
	if snap.Elapsed > 0 {
		seconds = snap.Elapsed.Seconds()
	}
	st := sess.Status()
	rep := NewReport(snap, seconds, st)
	rep.Discarded, rep.Events = snap.Counters.Discarded, sess.Events()
	rep.Memory = newMemoryReport()
	runtime.KeepAlive(sess) // the heap measured includes the finished session
	if runErr == nil && snap.Counters.Received == 0 && (src.Kind == SourceConnect || src.Kind == SourceListen || src.Kind == SourceSerial) {
		// A live source that never delivered a frame is a failure.
		runErr = fmt.Errorf("no frame received from %s", st.Source)
		if st.Err != nil {
			runErr = fmt.Errorf("no frame received from %s; last error: %w", st.Source, st.Err)
		}
		if rep.Error == "" {
			rep.Error = runErr.Error()
		}
	}
	if rep.Warning != "" {
		fmt.Fprintln(stderr, "etherlearn run: warning:", rep.Warning)
	}
	if *report == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		writeTextReport(stdout, rep)
	}
	return runErr
}

func writeTextReport(w io.Writer, r Report) {
	fmt.Fprintf(w, "source %s (%s), features %s, target %s\n", r.Source, r.Format, r.Features, r.Target)
	fmt.Fprintf(w, "frames %d in %.2fs (%.0f/s, learned %.0f/s): decoded %d, decode errors %d, dropped %d; labelled %d, unlabelled %d, malformed %d, stream errors %d\n",
		r.Frames, r.Seconds, r.FramesPerSecond, r.LearnedPerSecond, r.Decoded, r.DecodeErrors, r.Dropped, r.Labelled, r.Unlabelled, r.Malformed, r.StreamErrors)
	if sm := r.Sampling; sm.SampledOut > 0 || sm.MaxLearnOneIn > 1 {
		fmt.Fprintf(w, "sampling: the learners fell behind the live source and learned 1 label in up to %d (now 1 in %d); %d labelled frames were scored but not learned\n",
			sm.MaxLearnOneIn, sm.LearnOneIn, sm.SampledOut)
		if sm.Unscored > 0 {
			fmt.Fprintf(w, "sampling: predicting every frame was too much as well: 1 labelled frame in up to %d was predicted and scored; %d were neither\n",
				sm.MaxPredictOneIn, sm.Unscored)
		}
	}
	if r.Discarded > 0 {
		fmt.Fprintf(w, "discarded %d frames the reader dropped as damaged or not Ethernet-like (never learned)\n", r.Discarded)
	}
	if r.Error != "" {
		fmt.Fprintf(w, "error: %s\n", r.Error)
	}
	if r.Warning != "" {
		fmt.Fprintf(w, "warning: %s\n", r.Warning)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "classifier\taccuracy\twindow\tkappa\tkappa-M\tkappa-T\tlearned")
	for _, c := range r.Classifiers {
		name := c.Name
		if c.Baseline {
			name += " (baseline)"
		}
		fmt.Fprintf(tw, "%s\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%d\n", name, c.Accuracy, c.WindowAccuracy, c.Kappa, c.KappaM, c.KappaT, c.Learned)
	}
	tw.Flush()
	writeScoresText(w, r)
}

// SimCommand is `etherlearn sim`, implemented by the simulator package.
func SimCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return sim.RunCommand(ctx, args, stdout, stderr)
}
