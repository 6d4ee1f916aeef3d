package sim

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"strings"
	"text/tabwriter"

	"go.bug.st/serial"
)

// Defaults of the sim subcommand.
const (
	DefaultListenRate = 1000  // frames/s per TCP client unless --rate
	DefaultSerialRate = 50    // frames/s on a serial line unless --rate
	DefaultOutCount   = 10000 // frames written by --out unless --count
	DefaultBaud       = 115200
)

type cmdOptions struct {
	listen, serialPath, out    string
	baud, count                int
	scenario, format, target   string
	rate                       float64
	seed                       int64
	drift                      bool
	countSet, rateSet, baudSet bool
}

func newFlagSet(o *cmdOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("etherlearn sim", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.listen, "listen", "", "serve every TCP client that connects to `ADDR` (e.g. :57012) until interrupted")
	fs.StringVar(&o.serialPath, "serial", "", "write to the serial port `PATH` (a pseudo-terminal works too) until interrupted or --count frames")
	fs.IntVar(&o.baud, "baud", DefaultBaud, "serial line speed in `N` bits/s")
	fs.StringVar(&o.out, "out", "", "write --count frames to `FILE` (\"-\" = standard output)")
	fs.IntVar(&o.count, "count", 0, fmt.Sprintf("write `N` frames, then stop (default %d with --out; unlimited with --listen and --serial)", DefaultOutCount))
	fs.StringVar(&o.scenario, "scenario", "default", "the traffic scenario `NAME`, one of those below")
	fs.Float64Var(&o.rate, "rate", 0, fmt.Sprintf("pace at `FPS` frames per second, 0 = as fast as possible (default %d with --listen, %d with --serial, 0 with --out)", DefaultListenRate, DefaultSerialRate))
	fs.StringVar(&o.format, "format", "pcapng", "write `pcapng|pcap|slip`; only pcapng carries labels (in packet comments)")
	fs.Int64Var(&o.seed, "seed", 1, "random seed `N`: the same seed gives byte-identical output")
	fs.StringVar(&o.target, "target", "binary", "labels `binary|multiclass`: binary 0 normal/1 attack, multiclass 0 normal/k = episode kind (below)")
	fs.BoolVar(&o.drift, "drift", false, "add concept drift: every 4 s of scenario time a new attacker and another background, and the attack kinds change in three phases (built into the drift scenario)")
	return fs
}

func usage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprint(w, `Usage: etherlearn sim (--listen ADDR | --serial PATH [--baud N] | --out FILE [--count N])
                      [--scenario NAME] [--rate FPS] [--format pcapng|pcap|slip] [--seed N]
                      [--target binary|multiclass] [--drift]

Generates labelled Ethernet traffic. Frame timestamps follow the scenario's own
clock (so output is deterministic for a seed); --rate paces by wall clock.
Every frame is valid Ethernet (lengths, checksums, MAC/IP pairs), checked with
tshark, except in the "random" scenario: its frames are random bytes, which
Wireshark shows as malformed or unknown protocols, with coin-flip labels.
pcapng carries each frame's label in a packet comment "label=N scenario=NAME
episode=KIND"; pcap and SLIP carry no labels.

Flags:
`)
	fs.VisitAll(func(f *flag.Flag) {
		name, help := flag.UnquoteUsage(f)
		def := ""
		if f.DefValue != "" && f.DefValue != "0" && f.DefValue != "false" {
			def = fmt.Sprintf(" (default %s)", f.DefValue)
		}
		fmt.Fprintf(w, "  --%s %s\n        %s%s\n", f.Name, name, help, def)
	})
	fmt.Fprint(w, "\nScenarios:\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, s := range Scenarios() {
		fmt.Fprintf(tw, "  %s\t%s\n", s.Name, s.Summary)
	}
	tw.Flush()
	fmt.Fprint(w, "\nMulticlass labels:")
	for i, k := range episodeNames {
		fmt.Fprintf(w, " %d=%s", i, k)
	}
	fmt.Fprint(w, "\n")
}

// RunCommand runs `etherlearn sim` with args (without the "sim"). Help
// goes to stdout; progress to stderr. Bad flags return a one-sentence
// error for main to print (and exit 2).
func RunCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o cmdOptions
	fs := newFlagSet(&o)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(stdout, fs)
			return nil
		}
		return fmt.Errorf("sim: %v (see etherlearn sim --help)", err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("sim: unexpected argument %q (see etherlearn sim --help)", fs.Arg(0))
	}
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "count":
			o.countSet = true
		case "rate":
			o.rateSet = true
		case "baud":
			o.baudSet = true
		}
	})
	cfg, err := o.config()
	if err != nil {
		return fmt.Errorf("sim: %v", err)
	}
	logf := func(format string, args ...any) {
		fmt.Fprintf(stderr, "etherlearn sim: "+format+"\n", args...)
	}

	switch {
	case o.listen != "":
		if !o.rateSet {
			cfg.Rate = DefaultListenRate
		}
		ln, err := net.Listen("tcp", o.listen)
		if err != nil {
			return fmt.Errorf("sim: cannot listen on %s: %v", o.listen, err)
		}
		logf("serving scenario %s on %s (%s, %s)", cfg.Scenario, ln.Addr(), cfg.Format, rateText(cfg.Rate))
		return serve(ctx, ln, cfg, logf)

	case o.serialPath != "":
		if !o.rateSet {
			cfg.Rate = DefaultSerialRate
		}
		port, err := serial.Open(o.serialPath, &serial.Mode{BaudRate: o.baud, DataBits: 8, Parity: serial.NoParity, StopBits: serial.OneStopBit})
		if err != nil {
			return fmt.Errorf("sim: cannot open serial port %s: %v", o.serialPath, err)
		}
		defer port.Close()
		stop := context.AfterFunc(ctx, func() { port.Close() })
		defer stop()
		logf("writing scenario %s to %s at %d baud (%s, %s)", cfg.Scenario, o.serialPath, o.baud, cfg.Format, rateText(cfg.Rate))
		n, err := Stream(ctx, port, cfg)
		if ctx.Err() != nil {
			logf("stopped after %d frames", n)
			return nil
		}
		if err != nil {
			return fmt.Errorf("sim: writing to %s after %d frames: %v", o.serialPath, n, err)
		}
		logf("wrote %d frames", n)
		return nil

	default:
		if !o.countSet {
			cfg.Count = DefaultOutCount
		}
		if o.out == "-" {
			n, err := Stream(ctx, stdout, cfg)
			if err != nil {
				return fmt.Errorf("sim: writing to standard output after %d frames: %v", n, err)
			}
			return nil
		}
		f, err := os.Create(o.out)
		if err != nil {
			return fmt.Errorf("sim: cannot create %s: %v", o.out, err)
		}
		n, err := Stream(ctx, f, cfg)
		if cerr := f.Close(); err == nil && cerr != nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("sim: writing %s after %d frames: %v", o.out, n, err)
		}
		logf("wrote %d frames of scenario %s to %s (%s)", n, cfg.Scenario, o.out, cfg.Format)
		return nil
	}
}

func rateText(r float64) string {
	if r == 0 {
		return "as fast as possible"
	}
	return fmt.Sprintf("%g frames/s", r)
}

// config checks the options and turns them into a Config.
func (o *cmdOptions) config() (Config, error) {
	outputs := 0
	for _, s := range []string{o.listen, o.serialPath, o.out} {
		if s != "" {
			outputs++
		}
	}
	if outputs != 1 {
		return Config{}, errors.New("choose exactly one of --listen ADDR, --serial PATH or --out FILE (see etherlearn sim --help)")
	}
	if _, err := findScenario(o.scenario); err != nil {
		return Config{}, err
	}
	format := strings.ToLower(o.format)
	if !slices.Contains(formats, format) {
		return Config{}, fmt.Errorf("unknown format %q: want %s", o.format, strings.Join(formats, ", "))
	}
	target, err := ParseLabelling(o.target)
	if err != nil {
		return Config{}, err
	}
	if o.rate < 0 {
		return Config{}, fmt.Errorf("--rate %g is negative: give frames per second, or 0 for as fast as possible", o.rate)
	}
	if o.count < 0 {
		return Config{}, fmt.Errorf("--count %d is negative", o.count)
	}
	if o.baud <= 0 {
		return Config{}, fmt.Errorf("--baud %d is not a line speed", o.baud)
	}
	if o.baudSet && o.serialPath == "" {
		return Config{}, errors.New("--baud only applies with --serial")
	}
	return Config{
		Scenario: o.scenario, Seed: o.seed, Labelling: target, Rate: o.rate,
		Count: o.count, Format: format, Drift: o.drift,
	}, nil
}
