package ingest

import (
	"context"
	"fmt"
	"io"
	"strings"

	"go.bug.st/serial"
	"go.bug.st/serial/enumerator"
)

// DefaultBaud is the baud rate Serial uses when Baud is 0.
const DefaultBaud = 115200

// Serial is a Source that reads a serial port (a microcontroller sending
// SLIP or u16 frames, a serial sniffer sending pcap). Unplugging the device
// ends the stream; Run with Reconnect reopens the port with backoff until
// it is back.
type Serial struct {
	Path     string  // /dev/ttyUSB0, /dev/ttyACM0, COM3
	Baud     int     // 0 means DefaultBaud
	DataBits int     // 5..8; 0 means 8
	Parity   string  // "none" (or ""), "odd", "even", "mark", "space"
	StopBits float64 // 1 (or 0), 1.5 or 2
}

func (s *Serial) String() string {
	return fmt.Sprintf("serial %s at %d baud", s.Path, s.baud())
}

func (s *Serial) baud() int {
	if s.Baud <= 0 {
		return DefaultBaud
	}
	return s.Baud
}

// Validate checks the line settings (data bits, parity, stop bits)
// without opening the port.
func (s *Serial) Validate() error {
	_, err := s.mode()
	return err
}

func (s *Serial) mode() (*serial.Mode, error) {
	m := &serial.Mode{BaudRate: s.baud(), DataBits: s.DataBits}
	if m.DataBits == 0 {
		m.DataBits = 8
	}
	if m.DataBits < 5 || m.DataBits > 8 {
		return nil, fmt.Errorf("unsupported data bits %d (want 5, 6, 7 or 8)", s.DataBits)
	}
	switch strings.ToLower(s.Parity) {
	case "", "none", "n":
		m.Parity = serial.NoParity
	case "odd", "o":
		m.Parity = serial.OddParity
	case "even", "e":
		m.Parity = serial.EvenParity
	case "mark", "m":
		m.Parity = serial.MarkParity
	case "space", "s":
		m.Parity = serial.SpaceParity
	default:
		return nil, fmt.Errorf("unknown parity %q (want none, odd, even, mark or space)", s.Parity)
	}
	switch s.StopBits {
	case 0, 1:
		m.StopBits = serial.OneStopBit
	case 1.5:
		m.StopBits = serial.OnePointFiveStopBits
	case 2:
		m.StopBits = serial.TwoStopBits
	default:
		return nil, fmt.Errorf("unsupported stop bits %v (want 1, 1.5 or 2)", s.StopBits)
	}
	return m, nil
}

// Open opens and configures the port. It does not block waiting for a
// device: if the port is missing it fails, and Run retries.
func (s *Serial) Open(ctx context.Context) (io.ReadCloser, error) {
	m, err := s.mode()
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p, err := serial.Open(s.Path, m)
	if err != nil {
		return nil, fmt.Errorf("opening serial port %s: %w", s.Path, err)
	}
	return p, nil
}

// SerialPortInfo describes a serial port found on this machine.
type SerialPortInfo struct {
	Path         string
	IsUSB        bool
	VID, PID     string // USB vendor and product IDs (hex), when known
	SerialNumber string
	Product      string // USB product description, when known
	Manufacturer string
}

// Description is a one-line description for a port picker.
func (p SerialPortInfo) Description() string {
	if !p.IsUSB {
		return p.Path
	}
	d := p.Path + " (USB " + p.VID + ":" + p.PID
	if p.Product != "" {
		d += " " + p.Product
	}
	if p.Manufacturer != "" {
		d += ", " + p.Manufacturer
	}
	return d + ")"
}

// ListSerialPorts lists the serial ports of this machine with USB details
// where the operating system provides them (no active USB probing).
func ListSerialPorts() ([]SerialPortInfo, error) {
	ports, err := enumerator.GetDetailedPortsList()
	if err != nil {
		return nil, fmt.Errorf("listing serial ports: %w", err)
	}
	out := make([]SerialPortInfo, 0, len(ports))
	for _, p := range ports {
		out = append(out, SerialPortInfo{
			Path: p.Name, IsUSB: p.IsUSB, VID: p.VID, PID: p.PID,
			SerialNumber: p.SerialNumber, Product: p.Product, Manufacturer: p.Manufacturer,
		})
	}
	return out, nil
}
