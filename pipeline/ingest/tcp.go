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

// DefaultIdleTimeout is how long TCPListener lets a sender stay silent
// while another sender is waiting before it disconnects the silent one.
const DefaultIdleTimeout = 30 * time.Second

// acceptQueueLen is how many accepted senders wait in the listener's own
// queue; more wait in the kernel's listen backlog.
const acceptQueueLen = 16

// TCPListener is a Source that listens for senders (`tcpdump -U -w - | nc
// HOST 57012`, dumpcap, PCAP-over-IP senders) and reads their streams one
// after another, each to its end.
//
// Connections are served one at a time, in the order they connected: a
// background loop accepts senders as they arrive and queues them; Open
// hands out the oldest. Nothing is interleaved. A sender that sends nothing
// for IdleTimeout while another one is waiting is disconnected, so a
// stalled sender cannot hold the only slot; a sender alone may stay silent
// (tcpdump on a quiet link).
//
// The listening socket is opened by Listen or by the first Open, kept
// across Opens and closed by Close (Run closes it when it returns).
type TCPListener struct {
	Addr string // host:port, host, or ":port"; the port defaults to 57012
	// IdleTimeout: see above; 0 means DefaultIdleTimeout, < 0 never.
	IdleTimeout time.Duration

	mu       sync.Mutex
	ln       net.Listener
	queue    chan accepted
	loopDone chan struct{}
}

type accepted struct {
	conn net.Conn
	err  error
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

func (l *TCPListener) idleTimeout() time.Duration {
	if l.IdleTimeout == 0 {
		return DefaultIdleTimeout
	}
	return l.IdleTimeout
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
	l.queue = make(chan accepted, acceptQueueLen)
	l.loopDone = make(chan struct{})
	go acceptLoop(ln, l.queue, l.loopDone)
	return nil
}

// acceptLoop accepts senders in arrival order until the socket is closed.
func acceptLoop(ln net.Listener, queue chan<- accepted, done chan<- struct{}) {
	defer close(done)
	defer close(queue)
	for {
		conn, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			// Out of file descriptors and the like: report it, and
			// give the system a moment before accepting again.
			queue <- accepted{err: err}
			time.Sleep(100 * time.Millisecond)
			continue
		}
		queue <- accepted{conn: conn}
	}
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

// Waiting is the number of senders accepted and waiting to be served.
func (l *TCPListener) Waiting() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.queue)
}

// Open waits for the next sender, oldest first.
func (l *TCPListener) Open(ctx context.Context) (io.ReadCloser, error) {
	l.mu.Lock()
	if err := l.listenLocked(); err != nil {
		l.mu.Unlock()
		return nil, err
	}
	queue := l.queue
	l.mu.Unlock()
	select {
	case a, ok := <-queue:
		if !ok {
			return nil, errors.New("listener closed")
		}
		if a.err != nil {
			return nil, a.err
		}
		return &listenedConn{Conn: a.conn, l: l, idle: l.idleTimeout()}, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// listenedConn is a sender's connection; a Read that has waited idle for
// data while another sender is waiting fails, which ends the stream.
type listenedConn struct {
	net.Conn
	l    *TCPListener
	idle time.Duration
	// onIdle and onResume, set by Run, are called from Read when the
	// sender has been silent for idle with nobody waiting (it keeps its
	// slot, but the status should not say data is flowing), and when its
	// data comes again.
	onIdle, onResume func()
	silent           bool
}

func (c *listenedConn) Read(p []byte) (int, error) {
	if c.idle < 0 {
		return c.Conn.Read(p)
	}
	for {
		c.Conn.SetReadDeadline(time.Now().Add(c.idle))
		n, err := c.Conn.Read(p)
		var ne net.Error
		if n > 0 || err == nil || !errors.As(err, &ne) || !ne.Timeout() {
			if n > 0 && c.silent {
				c.silent = false
				if c.onResume != nil {
					c.onResume()
				}
			}
			return n, err
		}
		if w := c.l.Waiting(); w > 0 {
			return 0, fmt.Errorf("%s sent nothing for %s while %d other sender(s) waited: disconnected it (idle timeout)", c.RemoteAddr(), c.idle, w)
		}
		if !c.silent {
			c.silent = true
			if c.onIdle != nil {
				c.onIdle()
			}
		}
	}
}

// Close closes the listening socket and every sender still queued; a later
// Open listens again.
func (l *TCPListener) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ln == nil {
		return nil
	}
	err := l.ln.Close()
	for a := range l.queue {
		if a.conn != nil {
			a.conn.Close()
		}
	}
	<-l.loopDone
	l.ln, l.queue = nil, nil
	return err
}
