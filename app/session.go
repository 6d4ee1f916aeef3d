// Package app wires one source to one pipeline: a Session starts and stops
// them, follows the source's state for the status line, and hands the UI
// and the command line coalesced snapshots. It holds no widgets.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/etherlearn/etherlearn/classifiers"
	"github.com/etherlearn/etherlearn/pipeline"
	"github.com/etherlearn/etherlearn/pipeline/ingest"
	"github.com/etherlearn/etherlearn/sim"
)

// SourceKind names where frames come from.
type SourceKind string

const (
	SourceConnect SourceKind = "connect" // TCP client: dial a capture server
	SourceListen  SourceKind = "listen"  // TCP server: accept senders (tcpdump | nc, PCAP-over-IP)
	SourceSerial  SourceKind = "serial"  // a serial device
	SourceFile    SourceKind = "file"    // a capture file
	SourceSim     SourceKind = "sim"     // the built-in simulator, served on a loopback port
)

// DefaultPort is the PCAP-over-IP port, used when an address has none.
var DefaultPort = strconv.Itoa(ingest.DefaultListenPort)

// SourceConfig says which source to open and how.
type SourceConfig struct {
	Kind SourceKind
	Addr string // connect and listen: host:port
	Path string // serial device or capture file

	// Serial line settings (0 / "" take ingest's defaults: 115200 8N1).
	Baud     int
	DataBits int
	Parity   string
	StopBits float64
	Paced    bool // file: replay at the capture's own pace
	// IdleTimeout (listen): a sender silent this long while another one
	// waits is disconnected; 0 means ingest.DefaultIdleTimeout, < 0 never.
	IdleTimeout time.Duration

	// Simulator.
	Scenario   string
	Rate       float64 // frames per second; 0 = as fast as possible
	Seed       int64
	Multiclass bool
	Drift      bool // concept drift: attackers and attack kinds change over time
}

// Settings configure the pipeline a Session builds on Start.
type Settings struct {
	Features string
	Target   string
	Learners []string
	Params   map[string]map[string]string
	Seed     uint64
	// MaxFrames stops the source after this many frames (0 = no limit).
	MaxFrames uint64
	// Duration stops the source after this long (0 = no limit).
	Duration time.Duration
	Trace    io.Writer
	// MaxFrame bounds one frame's size (0 = ingest.DefaultMaxFrame).
	MaxFrame int
	// RecordPath, if set, records every received frame to this pcapng file
	// (labels kept as comments) so the session can be replayed.
	RecordPath string
	// Eval: label delay, freeze-after and episode gap (same meaning in
	// `run` and the window).
	Eval pipeline.EvalModes
	// MetricsPath, if set, writes the metrics history CSV to this file
	// every MetricsEvery labelled frames (pipeline.Config.Metrics).
	MetricsPath  string
	MetricsEvery int
	// TracePath, if set, writes the per-frame CSV trace to this file
	// (instead of Trace).
	TracePath string
	// Force lets RecordPath and TracePath replace existing files.
	Force bool
	// SerialLearners runs every learner on the pipeline goroutine instead
	// of on worker goroutines (pipeline.Config.Serial; same results).
	SerialLearners bool
}

// State is the source's state as shown in the status line.
type State string

const (
	StateIdle         State = "idle"
	StateConnecting   State = "connecting"
	StateListening    State = "listening" // a listener waits for a sender
	StateRunning      State = "receiving"
	StateReconnecting State = "reconnecting"
	StateStopped      State = "stopped"
	StateFinished     State = "finished"
	StateFailed       State = "failed"
)

// Status is the source's state with a sentence for the status line.
type Status struct {
	State   State
	Source  string
	Format  string
	Message string
	Err     error
	// Recording names the pcapng file frames are recorded to, if any.
	Recording string
	// Warning, when set at the end of a run, says what the scores cannot
	// show (a simulator run too short to contain every attack kind).
	Warning string
}

// Event is one entry of the session's event log: what the source did
// (connected, failed, retried) and what the run's files did.
type Event struct {
	Time    time.Time `json:"time"`
	Kind    string    `json:"kind"`
	Message string    `json:"message"`
	// Failure marks events that report something going wrong (printed by
	// `run` on stderr as they happen).
	Failure bool `json:"-"`
}

// MaxEvents bounds the event log; older events are forgotten.
const MaxEvents = 50

// Session owns one source and one pipeline at a time.
type Session struct {
	mu        sync.Mutex
	settings  Settings
	pipe      *pipeline.Pipeline
	status    Status
	cancel    context.CancelFunc
	done      chan struct{}
	runErr    error
	progress  func() float64
	pause     func(bool)
	events    []Event
	eventHook func(Event)
	// errPending is set while Status.Err holds a failure that no frame
	// has followed yet; the first frame clears it.
	errPending atomic.Bool
	// abort ends the running pipeline without draining its queue (Shutdown).
	abort context.CancelFunc
	// work runs StartInBackground, StopInBackground and
	// SetParamsInBackground one after another, off the caller's goroutine.
	work workQueue
}

// NewSession returns an idle session with the given settings.
func NewSession(settings Settings) *Session {
	return &Session{settings: settings, status: Status{State: StateIdle, Message: "Not connected."}}
}

// Settings returns the current settings.
func (s *Session) Settings() Settings {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.settings
}

// SetSettings changes the settings used by the next Start.
func (s *Session) SetSettings(st Settings) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settings = st
}

// Start opens the source and runs the pipeline in the background. It fails
// at once for a bad configuration (unknown feature set, unknown scenario,
// an address that cannot be listened on); failures of the source later on
// (connection refused, device unplugged) show in Status and are retried.
func (s *Session) Start(cfg SourceConfig) error {
	// A bad setting leaves a running source alone.
	if err := Validate(cfg, s.Settings()); err != nil {
		return err
	}
	s.Stop()
	s.mu.Lock()
	settings := s.settings
	s.progress, s.pause = nil, nil
	s.mu.Unlock()

	live := cfg.Kind == SourceConnect || cfg.Kind == SourceListen || cfg.Kind == SourceSerial
	pcfg := pipeline.Config{
		Features: settings.Features, Target: settings.Target, Seed: settings.Seed,
		Learners: settings.Learners, Params: settings.Params, DropWhenBusy: live, Trace: settings.Trace,
		EvalModes: settings.Eval, MetricsEvery: settings.MetricsEvery, Serial: settings.SerialLearners,
	}
	// Nothing is created before every setting has validated and the
	// source could be set up; outputs go to temporary names until the end.
	var recFile, traceFile, metricsFile *outputFile
	abortOutputs := func() {
		for _, o := range []*outputFile{recFile, traceFile, metricsFile} {
			if o != nil {
				o.abort()
			}
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	src, reconnect, cleanup, err := s.openSource(ctx, cfg)
	if err != nil {
		cancel()
		return err
	}
	fail := func(err error) error {
		abortOutputs()
		cleanup()
		cancel()
		return err
	}
	var rec *ingest.Recorder
	if settings.RecordPath != "" {
		if recFile, err = createOutput("recording", settings.RecordPath, settings.Force); err != nil {
			return fail(err)
		}
		if rec, err = ingest.NewRecorder(recFile); err != nil {
			return fail(fmt.Errorf("recording file %s: %w", settings.RecordPath, err))
		}
	}
	if settings.TracePath != "" {
		if traceFile, err = createOutput("trace", settings.TracePath, settings.Force); err != nil {
			return fail(err)
		}
		pcfg.Trace = traceFile
	}
	if settings.MetricsPath != "" {
		if metricsFile, err = createOutput("metrics", settings.MetricsPath, settings.Force); err != nil {
			return fail(err)
		}
		pcfg.Metrics = metricsFile
	}
	pipe, err := pipeline.New(pcfg)
	if err != nil {
		return fail(err)
	}
	for _, o := range []*outputFile{recFile, traceFile, metricsFile} {
		if o != nil {
			o.onFail = s.outputFailed(o)
		}
	}
	pipeCtx, abort := context.WithCancel(context.Background())
	s.mu.Lock()
	s.pipe = pipe
	s.cancel = cancel
	s.abort = abort
	s.done = make(chan struct{})
	s.runErr = nil
	s.events = nil
	s.errPending.Store(false)
	s.status = Status{State: StateConnecting, Source: src.String(), Message: "Connecting to " + src.String() + "…",
		Recording: settings.RecordPath}
	done := s.done
	s.mu.Unlock()

	var srcCtx context.Context
	var srcCancel context.CancelFunc
	if settings.Duration > 0 {
		srcCtx, srcCancel = context.WithTimeout(ctx, settings.Duration)
	} else {
		srcCtx, srcCancel = context.WithCancel(ctx)
	}
	pipeDone := make(chan error, 1)
	go func() { pipeDone <- pipe.Run(pipeCtx) }()
	go func() {
		defer close(done)
		defer cleanup()
		var n uint64
		limit := settings.MaxFrames
		var recErr error
		err := ingest.Run(srcCtx, ingest.RunConfig{
			Source: src, Reconnect: reconnect, Events: s.onEvent(pipe),
			Options:     ingest.Options{MaxFrame: settings.MaxFrame},
			OnDiscarded: pipe.NoteDiscarded,
		}, func(f *ingest.Frame) {
			if limit > 0 && n >= limit {
				srcCancel()
				return
			}
			n++
			if s.errPending.Load() {
				s.clearError()
			}
			if rec != nil && recErr == nil {
				// A write failure stops the recording here and now;
				// recFile has already said so (outputFailed).
				recErr = rec.WriteFrame(f)
			}
			_ = pipe.Submit(srcCtx, f)
			if limit > 0 && n >= limit {
				srcCancel()
			}
		})
		srcCancel()
		pipe.Close()
		// The pipeline's error is a trace or metrics write that failed
		// (each output also remembers its own first failure).
		pipeErr := <-pipeDone
		abort()
		var traceErr, metricsErr error
		if rec != nil {
			if cerr := rec.Flush(); recErr == nil {
				recErr = cerr
			}
		}
		// Outputs get their names only when they were written whole.
		for _, o := range []struct {
			f   *outputFile
			err *error
		}{{recFile, &recErr}, {traceFile, &traceErr}, {metricsFile, &metricsErr}} {
			if o.f == nil {
				continue
			}
			if *o.err != nil || o.f.failed() != nil {
				o.f.abort()
				if *o.err == nil {
					*o.err = o.f.failed()
				}
				continue
			}
			if cerr := o.f.commit(); cerr != nil {
				*o.err = cerr
			}
		}
		// The source's error first; then what the run failed to write.
		switch {
		case err != nil:
		case recErr != nil:
			err = fmt.Errorf("recording to %s: %w", settings.RecordPath, recErr)
		case traceErr != nil:
			err = fmt.Errorf("trace to %s: %w", settings.TracePath, traceErr)
		case metricsErr != nil:
			err = fmt.Errorf("metrics to %s: %w", settings.MetricsPath, metricsErr)
		case pipeErr != nil:
			err = pipeErr
		}
		warning := simCoverageWarning(cfg, n)
		s.mu.Lock()
		defer s.mu.Unlock()
		s.runErr = err
		s.status.Warning = warning
		defer func() {
			if warning != "" {
				s.status.Message += " Warning: " + warning
			}
		}()
		switch {
		case err != nil && !errors.Is(err, context.Canceled):
			s.status.State, s.status.Err = StateFailed, err
			s.status.Message = "Stopped: " + err.Error()
		case ctx.Err() != nil:
			s.status.State, s.status.Message = StateStopped, "Disconnected."
		default:
			s.status.State, s.status.Message = StateFinished, "Finished: "+src.String()+"."
		}
	}()
	return nil
}

// simCoverageWarning says which attack kinds a simulator run of frames
// frames never showed: its scores say nothing about detecting them.
func simCoverageWarning(src SourceConfig, frames uint64) string {
	if src.Kind != SourceSim || frames == 0 {
		return ""
	}
	missing, err := sim.KindsMissing(sim.Config{Scenario: src.Scenario, Seed: src.Seed, Drift: src.Drift}, int(min(frames, 1<<31)))
	if err != nil || len(missing) == 0 {
		return ""
	}
	return fmt.Sprintf("the run ended after %d frames, before every attack kind appeared (no %s); run longer to score them all.",
		frames, strings.Join(missing, ", "))
}

func (s *Session) onEvent(pipe *pipeline.Pipeline) func(ingest.Event) {
	return func(ev ingest.Event) {
		s.mu.Lock()
		logged, hook := s.logSourceEvent(ev)
		s.mu.Unlock()
		if logged != nil && hook != nil {
			hook(*logged)
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		switch ev.Kind {
		case ingest.InterfaceDrops:
			pipe.NoteInterfaceDrops(ev.Drops)
			return
		case ingest.StreamError:
			pipe.NoteStreamError()
		case ingest.Connecting:
			s.status.State = StateConnecting
		case ingest.Listening:
			s.status.State = StateListening
		case ingest.Connected:
			s.status.State = StateRunning
		case ingest.Reconnecting, ingest.Disconnected:
			s.status.State = StateReconnecting
		case ingest.Finished:
			s.status.State = StateFinished
		}
		if ev.Format != "" {
			s.status.Format = ev.Format
		}
		// The last failure's reason stays until a frame arrives again,
		// whatever comes in between (retries, the listener waiting).
		if ev.Err != nil {
			s.status.Err = ev.Err
			s.errPending.Store(true)
		}
		if ev.Message != "" {
			s.status.Message = ev.Message
			if s.status.Err != nil && s.errPending.Load() && !strings.Contains(ev.Message, s.status.Err.Error()) {
				s.status.Message += " Last error: " + s.status.Err.Error()
			}
		}
	}
}

// logSourceEvent adds a source event to the event log (not the routine
// "opening" ones, which the status line shows) and returns it with the
// hook to call, outside the lock. Called with s.mu held.
func (s *Session) logSourceEvent(ev ingest.Event) (*Event, func(Event)) {
	if ev.Kind == ingest.Connecting || ev.Kind == ingest.Listening || ev.Message == "" {
		return nil, nil
	}
	// A port probe (a connection that sent nothing) is logged, not a failure.
	failure := ev.Kind == ingest.StreamError || ev.Kind == ingest.Reconnecting ||
		ev.Kind == ingest.InterfaceDrops || ev.Kind == ingest.Disconnected && ev.Err != nil && !errors.Is(ev.Err, ingest.ErrEmptyStream)
	if ev.Kind == ingest.Disconnected && ev.Err != nil && len(s.events) > 0 {
		// "Disconnected: reason" repeats the stream error just logged.
		if last := s.events[len(s.events)-1]; last.Kind == ingest.StreamError.String() {
			failure = false
		}
	}
	e := s.addEventLocked(ev.Kind.String(), ev.Message, failure)
	return &e, s.eventHook
}

func (s *Session) addEventLocked(kind, msg string, failure bool) Event {
	e := Event{Time: time.Now(), Kind: kind, Message: msg, Failure: failure}
	if len(s.events) >= MaxEvents {
		copy(s.events, s.events[1:])
		s.events = s.events[:MaxEvents-1]
	}
	s.events = append(s.events, e)
	return e
}

// addEvent logs an event of the session itself and calls the hook.
func (s *Session) addEvent(kind, msg string, failure bool) {
	s.mu.Lock()
	e := s.addEventLocked(kind, msg, failure)
	hook := s.eventHook
	s.mu.Unlock()
	if hook != nil {
		hook(e)
	}
}

// clearError forgets the last failure once a frame arrived after it.
func (s *Session) clearError() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.errPending.Store(false)
	s.status.Err = nil
}

// outputFailed reports a recording or trace write failure at once: in the
// event log, on the status line and (through the hook) on run's stderr.
// Writing stops at the first failure; the run goes on learning.
func (s *Session) outputFailed(o *outputFile) func(error) {
	return func(err error) {
		msg := fmt.Sprintf("Writing the %s %s failed: %v. The %s stopped and its partial file was removed; learning goes on.", o.what, o.path, err, o.what)
		s.mu.Lock()
		s.status.Err = fmt.Errorf("%s %s: %w", o.what, o.path, err)
		s.status.Message = msg
		if o.what == "recording" {
			s.status.Recording = ""
		}
		s.mu.Unlock()
		s.addEvent(o.what+" failed", msg, true)
	}
}

// Events returns the newest events (at most MaxEvents), oldest first.
func (s *Session) Events() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Event{}, s.events...)
}

// SetEventHook sets a function called with every event as it is logged,
// from the goroutine that caused it (never with the session locked).
func (s *Session) SetEventHook(hook func(Event)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.eventHook = hook
}

// openSource builds the ingest source for cfg; for the simulator it first
// starts a simulator server on a loopback port, so frames go through the
// same TCP ingest path a real capture server would use.
func (s *Session) openSource(ctx context.Context, cfg SourceConfig) (src ingest.Source, reconnect bool, cleanup func(), err error) {
	cleanup = func() {}
	switch cfg.Kind {
	case SourceConnect:
		addr, err := ConnectAddress(cfg.Addr)
		if err != nil {
			return nil, false, nil, err
		}
		return &ingest.TCPClient{Addr: addr, DialTimeout: 5 * time.Second}, true, cleanup, nil
	case SourceListen:
		addr, err := ListenAddress(cfg.Addr)
		if err != nil {
			return nil, false, nil, err
		}
		l := &ingest.TCPListener{Addr: addr, IdleTimeout: cfg.IdleTimeout}
		if err := l.Listen(); err != nil {
			return nil, false, nil, fmt.Errorf("listening on %s: %w", addr, err)
		}
		return l, true, func() { l.Close() }, nil
	case SourceSerial:
		if cfg.Path == "" {
			return nil, false, nil, errors.New("choose a serial device")
		}
		return &ingest.Serial{Path: cfg.Path, Baud: cfg.Baud, DataBits: cfg.DataBits,
			Parity: cfg.Parity, StopBits: cfg.StopBits}, true, cleanup, nil
	case SourceFile:
		if cfg.Path == "" {
			return nil, false, nil, errors.New("choose a capture file")
		}
		if _, err := os.Stat(cfg.Path); err != nil {
			return nil, false, nil, fmt.Errorf("capture file: %w", err)
		}
		f := &ingest.File{Path: cfg.Path, Paced: cfg.Paced}
		s.mu.Lock()
		s.progress, s.pause = f.Progress, f.SetPaused
		s.mu.Unlock()
		return f, false, cleanup, nil
	case SourceSim:
		simCfg := cfg.simConfig()
		if _, err := sim.NewGenerator(simCfg); err != nil {
			return nil, false, nil, err
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, false, nil, fmt.Errorf("starting the simulator: %w", err)
		}
		simCtx, simCancel := context.WithCancel(ctx)
		served := make(chan struct{})
		go func() {
			defer close(served)
			_ = sim.Serve(simCtx, ln, simCfg)
		}()
		cleanup = func() {
			simCancel()
			ln.Close()
			<-served
		}
		return &ingest.TCPClient{Addr: ln.Addr().String(), DialTimeout: 5 * time.Second}, false, cleanup, nil
	}
	return nil, false, nil, fmt.Errorf("unknown source kind %q", cfg.Kind)
}

// simConfig is the simulator configuration of a SourceSim.
func (c SourceConfig) simConfig() sim.Config {
	simCfg := sim.Config{Scenario: c.Scenario, Seed: c.Seed, Rate: c.Rate, Format: "pcapng", Drift: c.Drift}
	if c.Multiclass {
		simCfg.Labelling = sim.LabelMulticlass
	}
	return simCfg
}

// Stop closes the source, lets the pipeline finish what it has queued and
// waits for both. It is a no-op when nothing runs.
func (s *Session) Stop() {
	s.mu.Lock()
	cancel, done := s.cancel, s.done
	s.mu.Unlock()
	if cancel == nil {
		return
	}
	cancel()
	<-done
}

// Wait blocks until the running source finishes (end of file, frame or
// time limit, Stop) and returns why it ended, nil for a normal end.
func (s *Session) Wait() error {
	s.mu.Lock()
	done := s.done
	s.mu.Unlock()
	if done == nil {
		return nil
	}
	<-done
	s.mu.Lock()
	defer s.mu.Unlock()
	if errors.Is(s.runErr, context.Canceled) {
		return nil
	}
	return s.runErr
}

// Running reports whether a source is open.
func (s *Session) Running() bool {
	s.mu.Lock()
	done := s.done
	s.mu.Unlock()
	if done == nil {
		return false
	}
	select {
	case <-done:
		return false
	default:
		return true
	}
}

// Snapshot returns the newest pipeline snapshot, or nil before any Start.
func (s *Session) Snapshot() *pipeline.Snapshot {
	s.mu.Lock()
	p := s.pipe
	s.mu.Unlock()
	if p == nil {
		return nil
	}
	return p.Snapshot()
}

// Status returns the source's state.
func (s *Session) Status() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.status
}

// SetParams changes one learner's hyper-parameters: the running learner is
// rebuilt (and only it restarts from scratch); the values are kept for the
// next Start.
func (s *Session) SetParams(name string, values map[string]string) error {
	spec, ok := classifiers.Lookup(name)
	if !ok {
		return fmt.Errorf("unknown learner %q", name)
	}
	if err := spec.Validate(values); err != nil { // missing values take the defaults
		return err
	}
	s.mu.Lock()
	p := s.pipe
	s.mu.Unlock()
	if p != nil && s.Running() {
		if err := p.SetParams(name, values); err != nil && !errors.Is(err, pipeline.ErrEnded) {
			return err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.settings.Params == nil {
		s.settings.Params = map[string]map[string]string{}
	}
	cp := make(map[string]string, len(values))
	for k, v := range values {
		cp[k] = v
	}
	s.settings.Params[name] = cp
	return nil
}

// FileProgress reports a capture file's replay progress (0..1) and whether
// the source is a file.
func (s *Session) FileProgress() (float64, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.progress == nil {
		return 0, false
	}
	return s.progress(), true
}

// PauseFile pauses or resumes a capture file replay.
func (s *Session) PauseFile(paused bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pause != nil {
		s.pause(paused)
	}
}
