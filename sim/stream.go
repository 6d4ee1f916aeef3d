package sim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"
)

// tick is the pacing granularity at high rates: Stream never sleeps for
// less than this when more than one frame is due per tick, and writes
// every frame that is due in one batch.
const tick = time.Millisecond

// Stream writes cfg.Count frames of cfg.Scenario to w in cfg.Format (0 =
// until ctx is done), paced at cfg.Rate frames per second (0 = as fast as
// possible). It flushes after every batch, so a live reader sees each frame
// promptly even at low rates.
//
// Pacing follows a schedule computed from the start time (frame i is due at
// start + i/Rate); frames that fall behind are caught up in the next batch
// rather than dropped. It returns the number of frames written. When Count
// is 0 the end of ctx is the normal end and the error is nil; when Count
// frames were asked for, an early end returns ctx's error.
func Stream(ctx context.Context, w io.Writer, cfg Config) (n int, err error) {
	g, err := NewGenerator(cfg)
	if err != nil {
		return 0, err
	}
	fw, err := NewWriter(w, cfg.Format)
	if err != nil {
		return 0, err
	}
	return streamFrames(ctx, g, fw, cfg)
}

func streamFrames(ctx context.Context, g *Generator, fw FrameWriter, cfg Config) (n int, err error) {
	if cfg.Rate < 0 {
		return 0, fmt.Errorf("rate %v frames/s is negative", cfg.Rate)
	}
	// Headers go out at once so that a reader can recognise the format
	// before the first frame.
	if err := fw.Flush(); err != nil {
		return 0, err
	}
	stop := func() (int, error) {
		if cfg.Count == 0 {
			return n, fw.Flush()
		}
		fw.Flush()
		return n, ctx.Err()
	}
	more := func() bool { return cfg.Count == 0 || n < cfg.Count }

	if cfg.Rate == 0 {
		for more() {
			// check ctx every 256 frames: cheap, and prompt enough
			if n%256 == 0 && ctx.Err() != nil {
				return stop()
			}
			if err := fw.WriteFrame(g.Next()); err != nil {
				return n, err
			}
			n++
		}
		return n, fw.Flush()
	}

	period := time.Duration(float64(time.Second) / cfg.Rate)
	if period <= 0 { // beyond a billion frames per second: no pacing to do
		cfg.Rate = 0
		return streamFrames(ctx, g, fw, cfg)
	}
	start := time.Now()
	timer := time.NewTimer(0)
	defer timer.Stop()
	<-timer.C
	for more() {
		// due is how many frames the schedule wants out by now: frame i is
		// due at start + i*period, so frame 0 goes at once.
		elapsed := time.Since(start)
		due := int(float64(elapsed)/float64(period)) + 1
		if cfg.Count > 0 && due > cfg.Count {
			due = cfg.Count
		}
		for n < due {
			if n%256 == 0 && ctx.Err() != nil {
				return stop()
			}
			if err := fw.WriteFrame(g.Next()); err != nil {
				return n, err
			}
			n++
		}
		if err := fw.Flush(); err != nil {
			return n, err
		}
		if !more() {
			break
		}
		wait := time.Duration(float64(n)*float64(period)) - time.Since(start)
		if wait < tick && period < tick {
			wait = tick
		}
		if wait > 0 {
			timer.Reset(wait)
			select {
			case <-ctx.Done():
				return stop()
			case <-timer.C:
			}
		} else if ctx.Err() != nil {
			return stop()
		}
	}
	return n, fw.Flush()
}

// Serve gives every TCP client that connects to ln its own Stream of cfg
// (a fresh generator with the same seed, so every client sees the same
// frames). It closes ln and every connection when ctx is done, waits for
// the client goroutines to end and returns nil; it returns an accept error
// that is not caused by ctx ending.
func Serve(ctx context.Context, ln net.Listener, cfg Config) error {
	return serve(ctx, ln, cfg, nil)
}

func serve(ctx context.Context, ln net.Listener, cfg Config, log func(format string, args ...any)) error {
	if _, err := NewGenerator(cfg); err != nil {
		return err
	}
	if _, err := NewWriter(io.Discard, cfg.Format); err != nil {
		return err
	}
	if log == nil {
		log = func(string, ...any) {}
	}
	stopAccept := context.AfterFunc(ctx, func() { ln.Close() })
	defer stopAccept()
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		conn, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return fmt.Errorf("accepting clients on %s: %w", ln.Addr(), err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer conn.Close()
			stopConn := context.AfterFunc(ctx, func() { conn.Close() })
			defer stopConn()
			peer := conn.RemoteAddr()
			log("client %s connected", peer)
			n, err := Stream(ctx, conn, cfg)
			switch {
			case ctx.Err() != nil:
				log("client %s: stopped after %d frames", peer, n)
			case err != nil:
				log("client %s gone after %d frames: %v", peer, n, err)
			default:
				log("client %s: sent %d frames", peer, n)
			}
		}()
	}
}
