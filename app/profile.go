package app

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
)

// profileFlags are `run --cpuprofile FILE` and `--memprofile FILE`, so that
// anyone can profile a real run (`go tool pprof etherlearn FILE`). The CPU
// profile covers the run from the source's start to its end; the heap
// profile is written when the run ends, after a garbage collection, and
// holds both what is still in use and everything allocated during the run.
type profileFlags struct {
	cpu, mem *string

	cpuFile *os.File
	stopped bool
}

func addProfileFlags(fs *flag.FlagSet) *profileFlags {
	return &profileFlags{
		cpu: fs.String("cpuprofile", "", "write a CPU profile of the run to `FILE` (go tool pprof)"),
		mem: fs.String("memprofile", "", "write a heap profile to `FILE` when the run ends (go tool pprof)"),
	}
}

// start begins the CPU profile; the memory profile file is created now, so
// that a bad path is reported before the run rather than after it.
func (p *profileFlags) start() error {
	if *p.mem != "" {
		f, err := os.Create(*p.mem)
		if err != nil {
			return fmt.Errorf("memory profile: %w", err)
		}
		f.Close()
	}
	if *p.cpu == "" {
		return nil
	}
	f, err := os.Create(*p.cpu)
	if err != nil {
		return fmt.Errorf("CPU profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return fmt.Errorf("CPU profile: %w", err)
	}
	p.cpuFile = f
	return nil
}

// stop ends the CPU profile and writes the memory profile. Calling it again
// does nothing, so it can both be deferred and checked.
func (p *profileFlags) stop() error {
	if p.stopped {
		return nil
	}
	p.stopped = true
	var first error
	if p.cpuFile != nil {
		pprof.StopCPUProfile()
		if err := p.cpuFile.Close(); err != nil {
			first = fmt.Errorf("CPU profile: %w", err)
		}
	}
	if *p.mem != "" {
		runtime.GC() // the heap profile shows the state as of the last GC
		if err := writeHeapProfile(*p.mem); err != nil && first == nil {
			first = fmt.Errorf("memory profile: %w", err)
		}
	}
	return first
}

func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
