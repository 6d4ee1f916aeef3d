//go:build linux

package sim

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/etherlearn/etherlearn/pipeline/testkit"
)

// openPTY opens a pseudo-terminal pair and returns the master and the
// slave's path, which the sim command opens as a serial port.
func openPTY(t *testing.T) (*os.File, string) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		testkit.Unavailable(t, fmt.Sprintf("no pseudo-terminals here: %v", err))
	}
	t.Cleanup(func() { m.Close() })
	var unlock int32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		t.Fatalf("unlockpt: %v", e)
	}
	var n uint32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		t.Fatalf("ptsname: %v", e)
	}
	return m, fmt.Sprintf("/dev/pts/%d", n)
}

// The sim command writes to a serial port (here a pseudo-terminal) byte
// for byte what Stream writes: the line is raw, nothing is translated.
func TestRunCommandSerialPTY(t *testing.T) {
	for _, format := range formats {
		t.Run(format, func(t *testing.T) {
			master, slave := openPTY(t)
			want := render(t, Config{Seed: 6}, format, 300)
			got := make(chan []byte, 1)
			go func() {
				b := make([]byte, 0, len(want))
				buf := make([]byte, 4096)
				for len(b) < len(want) {
					n, err := master.Read(buf)
					b = append(b, buf[:n]...)
					if err != nil {
						break
					}
				}
				got <- b
			}()
			err := RunCommand(context.Background(), []string{"--serial", slave, "--baud", "115200", "--count", "300",
				"--rate", "0", "--seed", "6", "--format", format}, io.Discard, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			select {
			case b := <-got:
				if !bytes.Equal(b, want) {
					t.Fatalf("read %d bytes from the pseudo-terminal, want the %d Stream writes", len(b), len(want))
				}
			case <-time.After(30 * time.Second):
				t.Fatal("nothing complete arrived on the pseudo-terminal")
			}
		})
	}
}

func TestRunCommandSerialMissingPort(t *testing.T) {
	err := RunCommand(context.Background(), []string{"--serial", "/dev/does-not-exist", "--count", "1"}, io.Discard, io.Discard)
	if err == nil {
		t.Fatal("no error for a missing serial port")
	}
}
