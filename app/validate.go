package app

import (
	"errors"
	"fmt"
	"math"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/etherlearn/etherlearn/classifiers"
	"github.com/etherlearn/etherlearn/pipeline"
	"github.com/etherlearn/etherlearn/pipeline/features"
	"github.com/etherlearn/etherlearn/pipeline/ingest"
	"github.com/etherlearn/etherlearn/sim"
)

// Limits checked by Validate.
const (
	MinMaxFrame = 64
	MaxMaxFrame = 1 << 24
	MaxBaud     = 16_000_000
)

// Validate checks everything about the source and the settings that can be
// checked before anything is opened or created: `run` and the window's
// connection panel call it first, so that a mistake fails at once with one
// sentence and no file is touched. Session.Start calls it too.
func Validate(src SourceConfig, st Settings) error {
	if err := src.Validate(); err != nil {
		return err
	}
	if err := checkOutputs(src, st); err != nil {
		return err
	}
	return st.Validate()
}

// Validate checks the source configuration: addresses (host:port, built
// with net.JoinHostPort so IPv6 works, port range), serial line mode,
// simulator scenario and rate, and that input paths exist and are
// readable.
func (c SourceConfig) Validate() error {
	switch c.Kind {
	case SourceConnect:
		_, err := ConnectAddress(c.Addr)
		return err
	case SourceListen:
		_, err := ListenAddress(c.Addr)
		return err
	case SourceSerial:
		if c.Path == "" {
			return errors.New("choose a serial device")
		}
		if c.Baud < 0 || c.Baud > MaxBaud {
			return fmt.Errorf("baud rate %d is outside 1..%d", c.Baud, MaxBaud)
		}
		s := ingest.Serial{Path: c.Path, Baud: c.Baud, DataBits: c.DataBits, Parity: c.Parity, StopBits: c.StopBits}
		if err := s.Validate(); err != nil {
			return err
		}
		if _, err := os.Stat(c.Path); err != nil {
			return fmt.Errorf("serial device %s: %w", c.Path, plainPathError(err))
		}
		return nil
	case SourceFile:
		if c.Path == "" {
			return errors.New("choose a capture file")
		}
		fi, err := os.Stat(c.Path)
		if err != nil {
			return fmt.Errorf("capture file %s: %w", c.Path, plainPathError(err))
		}
		if fi.IsDir() {
			return fmt.Errorf("capture file %s is a directory", c.Path)
		}
		f, err := os.Open(c.Path)
		if err != nil {
			return fmt.Errorf("capture file %s: %w", c.Path, plainPathError(err))
		}
		f.Close()
		return nil
	case SourceSim:
		if c.Rate < 0 || math.IsNaN(c.Rate) || math.IsInf(c.Rate, 0) {
			return fmt.Errorf("simulator rate %v must be a number of frames per second >= 0 (0 = as fast as possible)", c.Rate)
		}
		if _, err := sim.NewGenerator(c.simConfig()); err != nil {
			return err
		}
		return nil
	case "":
		return errors.New("choose a source")
	}
	return fmt.Errorf("unknown source kind %q", c.Kind)
}

// plainPathError drops the operation and path from an *os.PathError (the
// caller names the path already): "no such file or directory".
func plainPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Validate checks the pipeline settings: frame size bound, feature set,
// target, learners, duration, and that output files can be created.
func (st Settings) Validate() error {
	if st.MaxFrame != 0 && (st.MaxFrame < MinMaxFrame || st.MaxFrame > MaxMaxFrame) {
		return fmt.Errorf("maximum frame size %d is outside %d..%d bytes", st.MaxFrame, MinMaxFrame, MaxMaxFrame)
	}
	if st.Features != "" {
		if _, err := features.NewSet(st.Features); err != nil {
			return err
		}
	}
	if _, err := pipeline.NewTarget(st.Target, 0); err != nil {
		return err
	}
	for _, name := range st.Learners {
		if _, ok := classifiers.Lookup(name); !ok {
			return fmt.Errorf("unknown learner %q", name)
		}
	}
	if st.Duration < 0 {
		return fmt.Errorf("duration %s is negative", st.Duration)
	}
	for _, o := range st.outputs() {
		if err := checkOutputPath(o.what, o.path, st.Force); err != nil {
			return err
		}
	}
	outs := st.outputs()
	for i := range outs {
		for _, o := range outs[i+1:] {
			if filepath.Clean(outs[i].path) == filepath.Clean(o.path) {
				return fmt.Errorf("the %s and the %s would both be written to %s", outs[i].what, o.what, o.path)
			}
		}
	}
	return nil
}

type output struct{ what, path string }

func (st Settings) outputs() []output {
	var out []output
	if st.RecordPath != "" {
		out = append(out, output{"recording", st.RecordPath})
	}
	if st.TracePath != "" {
		out = append(out, output{"trace", st.TracePath})
	}
	if st.MetricsPath != "" {
		out = append(out, output{"metrics", st.MetricsPath})
	}
	return out
}

// ExistsError says an output file exists and Settings.Force is not set:
// the window asks before replacing it; `run` needs --force.
type ExistsError struct {
	What, Path string
}

func (e *ExistsError) Error() string {
	return fmt.Sprintf("%s file %s already exists: choose another name, or replace it (--force)", e.What, e.Path)
}

func checkOutputPath(what, path string, force bool) error {
	dir := filepath.Dir(path)
	di, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("%s file %s: folder %s: %w", what, path, dir, plainPathError(err))
	}
	if !di.IsDir() {
		return fmt.Errorf("%s file %s: %s is not a folder", what, path, dir)
	}
	fi, err := os.Stat(path)
	switch {
	case err == nil && fi.IsDir():
		return fmt.Errorf("%s file %s is a folder", what, path)
	case err == nil && !fi.Mode().IsRegular():
		return fmt.Errorf("%s file %s is not a regular file", what, path)
	case err == nil && !force:
		return &ExistsError{What: what, Path: path}
	case err != nil && !errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("%s file %s: %w", what, path, plainPathError(err))
	}
	return nil
}

// checkOutputs refuses an output that is the source's input file (the same
// file, whatever the path says: os.SameFile), even with Force.
func checkOutputs(src SourceConfig, st Settings) error {
	if src.Kind != SourceFile && src.Kind != SourceSerial {
		return nil
	}
	in, err := os.Stat(src.Path)
	if err != nil {
		return nil // Validate of the source reported it
	}
	for _, o := range st.outputs() {
		if fi, err := os.Stat(o.path); err == nil && os.SameFile(in, fi) {
			return fmt.Errorf("%s file %s is the input %s: choose another name", o.what, o.path, src.Path)
		}
	}
	return nil
}

// ConnectAddress turns what a user typed for a capture server into
// host:port: "host" and "[v6]" or "v6" get the PCAP-over-IP port 57012;
// the port must be a number from 1 to 65535.
func ConnectAddress(addr string) (string, error) {
	addr = strings.TrimSpace(addr)
	if addr == "" {
		return "", errors.New("enter a host and port")
	}
	if isPortNumber(addr) {
		return "", fmt.Errorf("%q is a port without a host: write HOST:%s (for example 127.0.0.1:%s)", addr, addr, addr)
	}
	host, port, err := splitAddr(addr)
	if err != nil {
		return "", err
	}
	if host == "" || strings.ContainsAny(host, " \t/[]") {
		return "", fmt.Errorf("address %q has no valid host", addr)
	}
	if err := checkPort(addr, port, 1); err != nil {
		return "", err
	}
	return net.JoinHostPort(host, port), nil
}

// ListenAddress turns what a user typed for the listener into host:port.
// A bare port number ("57099") means that port on every interface, as
// ":57099" does; a bare host gets the port 57012; port 0 picks a free
// port.
func ListenAddress(addr string) (string, error) {
	addr = strings.TrimSpace(addr)
	if addr == "" {
		return "", errors.New("enter an address to listen on (host:port, or a port)")
	}
	if isPortNumber(addr) {
		addr = ":" + addr
	}
	host, port, err := splitAddr(addr)
	if err != nil {
		return "", err
	}
	if err := checkPort(addr, port, 0); err != nil {
		return "", err
	}
	return net.JoinHostPort(host, port), nil
}

func isPortNumber(s string) bool {
	_, err := strconv.ParseUint(s, 10, 32)
	return err == nil
}

// splitAddr splits host:port; an address without a port ("host", "::1",
// "[::1]") gets DefaultPort.
func splitAddr(addr string) (host, port string, err error) {
	if h, p, err := net.SplitHostPort(addr); err == nil {
		return h, p, nil
	}
	host = addr
	if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		host = host[1 : len(host)-1]
	}
	if strings.ContainsAny(host, "[]/ ") || strings.Count(host, ":") == 1 {
		return "", "", fmt.Errorf("address %q is not host:port", addr)
	}
	return host, DefaultPort, nil
}

func checkPort(addr, port string, lowest int) error {
	n, err := strconv.Atoi(port)
	if err != nil || n < lowest || n > 65535 {
		return fmt.Errorf("address %q: port %q is not a number from %d to 65535", addr, port, lowest)
	}
	return nil
}
