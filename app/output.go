package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// outputFile is a recording or trace being written: to a temporary name in
// the destination's folder, renamed to the destination only when the run
// ends well, so that a failed run never leaves a half-written file under
// the name asked for, and an existing file is replaced only with force
// (without it, the final step is a hard link, which fails rather than
// replace a file that appeared meanwhile).
type outputFile struct {
	what, path string
	force      bool
	f          *os.File

	mu     sync.Mutex
	err    error // the first write error
	onFail func(error)
}

func createOutput(what, path string, force bool) (*outputFile, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.part")
	if err != nil {
		return nil, fmt.Errorf("%s file %s: %w", what, path, err)
	}
	// CreateTemp makes the file private; a recording is an ordinary file.
	_ = f.Chmod(0o644)
	return &outputFile{what: what, path: path, force: force, f: f}, nil
}

// Write writes to the temporary file. The first failure removes the
// partial file and is reported at once through onFail; later writes fail
// without writing.
func (o *outputFile) Write(b []byte) (int, error) {
	o.mu.Lock()
	if o.err != nil {
		err := o.err
		o.mu.Unlock()
		return 0, err
	}
	n, err := o.f.Write(b)
	var report func(error)
	if err != nil {
		// Stop here: free the space the partial file holds (the disk may
		// be full) rather than at the end of the run.
		o.err = err
		o.f.Close()
		os.Remove(o.f.Name())
		report = o.onFail
	}
	o.mu.Unlock()
	if report != nil {
		report(err)
	}
	return n, err
}

// failed returns the first write error.
func (o *outputFile) failed() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.err
}

// abort closes and removes the temporary file.
func (o *outputFile) abort() {
	o.f.Close()
	os.Remove(o.f.Name())
}

// commit closes the temporary file and gives it its name.
func (o *outputFile) commit() error {
	tmp := o.f.Name()
	if err := o.f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("%s file %s: %w", o.what, o.path, err)
	}
	if o.force {
		if err := os.Rename(tmp, o.path); err != nil {
			os.Remove(tmp)
			return fmt.Errorf("%s file %s: %w", o.what, o.path, err)
		}
		return nil
	}
	if err := os.Link(tmp, o.path); err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("%s file %s appeared during the run and was not replaced; the %s is in %s", o.what, o.path, o.what, tmp)
		}
		// A file system without hard links: rename, having checked above
		// at start that nothing was there.
		if _, serr := os.Stat(o.path); serr == nil {
			return fmt.Errorf("%s file %s appeared during the run and was not replaced; the %s is in %s", o.what, o.path, o.what, tmp)
		}
		if err := os.Rename(tmp, o.path); err != nil {
			os.Remove(tmp)
			return fmt.Errorf("%s file %s: %w", o.what, o.path, err)
		}
		return nil
	}
	os.Remove(tmp)
	return nil
}
