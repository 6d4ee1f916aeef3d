package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"
)

// DefaultListenPort is the port TCPListener uses when its address has none
// (the PCAP-over-IP convention).
const DefaultListenPort = 57012

// TCPClient is a Source that connects to a TCP server that sends a capture
// stream (a PCAP-over-IP server, `socat`, the simulator's --listen mode).
type TCPClient struct {
	Addr        string        // host:port
	DialTimeout time.Duration // 0 means 10 s
}

func (c *TCPClient) String() string { return "tcp " + c.Addr }

// Open dials Addr.
func (c *TCPClient) Open(ctx context.Context) (io.ReadCloser, error) {
	timeout := c.DialTimeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	d := net.Dialer{Timeout: timeout}
	conn, err := d.DialContext(ctx, "tcp", c.Addr)
	if err != nil {
		return nil, err
	}
	return conn, nil
}

// TCPListener is a Source that listens for senders (`tcpdump -U -w - | nc
// HOST 57012`, dumpcap, PCAP-over-IP senders) and reads their streams one
// after another, each to its end.
//
// Connections are served one at a time: a second sender that connects while
// a stream is being read is queued (accepted by the kernel, held in the
// listen backlog, its data buffered until the socket buffers fill) and read
// after the current stream ends. Nothing is interleaved.
//
// The listening socket is opened by Listen or by the first Open, kept
// across Opens and closed by Close (Run closes it when it returns).
type TCPListener struct {
	Addr string // host:port, host, or ":port"; the port defaults to 57012

	mu sync.Mutex
	ln net.Listener
}

func (l *TCPListener) String() string {
	if a := l.ListenAddr(); a != nil {
		return "tcp listen " + a.String()
	}
	return "tcp listen " + l.address()
}

func (l *TCPListener) address() string {
	addr := l.Addr
	if _, _, err := net.SplitHostPort(addr); err != nil {
		addr = net.JoinHostPort(addr, fmt.Sprint(DefaultListenPort))
	}
	return addr
}

// Listen opens the listening socket if it is not open yet.
func (l *TCPListener) Listen() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.listenLocked()
}

func (l *TCPListener) listenLocked() error {
	if l.ln != nil {
		return nil
	}
	ln, err := net.Listen("tcp", l.address())
	if err != nil {
		return err
	}
	l.ln = ln
	return nil
}

// ListenAddr is the bound address once listening (useful with port 0), or nil.
func (l *TCPListener) ListenAddr() net.Addr {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ln == nil {
		return nil
	}
	return l.ln.Addr()
}

// Open waits for the next sender.
func (l *TCPListener) Open(ctx context.Context) (io.ReadCloser, error) {
	l.mu.Lock()
	if err := l.listenLocked(); err != nil {
		l.mu.Unlock()
		return nil, err
	}
	ln := l.ln
	l.mu.Unlock()
	tl, _ := ln.(*net.TCPListener)
	if tl != nil {
		tl.SetDeadline(time.Time{})
		stop := context.AfterFunc(ctx, func() { tl.SetDeadline(time.Unix(1, 0)) })
		defer stop()
	}
	conn, err := ln.Accept()
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if errors.Is(err, net.ErrClosed) {
			return nil, errors.New("listener closed")
		}
		return nil, err
	}
	return conn, nil
}

// Close closes the listening socket; a later Open listens again.
func (l *TCPListener) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ln == nil {
		return nil
	}
	err := l.ln.Close()
	l.ln = nil
	return err
}
