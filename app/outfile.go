package app

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// pendingFile is an output file written under a temporary name in the
// same directory and renamed into place only when complete, so that a
// reader never sees half a file and a failed run leaves nothing behind.
type pendingFile struct {
	*os.File
	path string
}

// createPending starts an output file for path. It refuses to replace an
// existing file unless replace is set.
func createPending(path string, replace bool) (*pendingFile, error) {
	if !replace {
		if _, err := os.Lstat(path); err == nil {
			return nil, fmt.Errorf("%s already exists; choose another name or remove it", path)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return &pendingFile{File: f, path: path}, nil
}

// commit closes the file and renames it into place; abort removes it.
func (p *pendingFile) commit() error {
	if err := p.Close(); err != nil {
		os.Remove(p.Name())
		return err
	}
	if err := os.Rename(p.Name(), p.path); err != nil {
		os.Remove(p.Name())
		return err
	}
	return nil
}

func (p *pendingFile) abort() {
	p.Close()
	os.Remove(p.Name())
}
