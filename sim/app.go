package sim

import (
	"strconv"
)

// Which part of a session a segment carries, for appPayload.
const (
	appRequest       = iota // the client's request
	appResponseStart        // the first segment of the server's response
	appResponse             // a later segment of the response
)

var httpPaths = []string{"/", "/index.html", "/api/status", "/img/logo.png", "/assets/app.js", "/docs/handbook.pdf"}

// appPayload returns the payload of one segment of a session on port, as
// the protocol on that port expects it, so that Wireshark's dissectors
// find nothing malformed: HTTP text, TLS application-data records, NetBIOS
// session frames, raw bytes elsewhere. n is the wanted length (an HTTP
// request chooses its own); total is the whole response length.
func (g *Generator) appPayload(dst *host, port uint16, part, n, total int) []byte {
	b := g.text[:0]
	switch port {
	case 80:
		switch part {
		case appRequest:
			b = append(b, "GET "...)
			b = append(b, httpPaths[g.rng.IntN(len(httpPaths))]...)
			b = append(b, "?v="...)
			b = strconv.AppendInt(b, int64(g.rng.IntN(100000)), 10)
			b = append(b, " HTTP/1.1\r\nHost: "...)
			b = append(b, dst.name...)
			b = append(b, "\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64)\r\nAccept: */*\r\nConnection: keep-alive\r\n\r\n"...)
			return b
		case appResponseStart:
			const head = "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: application/octet-stream\r\nContent-Length: "
			// The header's length depends on the number of digits of the
			// body's length. Where no count of digits fits (total 1094:
			// 3 digits leave a body of 1000, 4 leave 999), one space of
			// optional whitespace after the number makes up the difference.
			body, pad := 0, 0
			for digits := 1; digits <= 7; digits++ {
				body = total - len(head) - 4 - digits
				if w := len(strconv.Itoa(body)); w == digits {
					break
				} else if w == digits-1 {
					pad = 1
					break
				}
			}
			b = append(b, head...)
			b = strconv.AppendInt(b, int64(body), 10)
			if pad == 1 {
				b = append(b, ' ')
			}
			b = append(b, "\r\n\r\n"...)
		}
		return append(b, g.payload(n-len(b))...)
	case 443, 993:
		// one TLS 1.2-framed application-data record per segment
		b = append(b, 0x17, 0x03, 0x03, byte((n-5)>>8), byte(n-5))
		return append(b, g.payload(n-5)...)
	case 445:
		// NetBIOS session message: type 0, 24-bit length, then the SMB
		// session's (encrypted, so opaque) bytes.
		b = append(b, 0, byte((n-4)>>16), byte((n-4)>>8), byte(n-4))
		b = append(b, g.payload(n-4)...)
		if b[4] == 0xfe || b[4] == 0xff || b[4] == 0xfd {
			b[4] = 0x42
		}
		return b
	}
	return g.payload(n)
}

// buildTCPApp builds a segment whose payload appPayload writes and returns
// the payload length.
func (g *Generator) buildTCPApp(src, dst *host, sport, dport uint16, seq, ack uint32, flags int, svc uint16, part, n, total int) int {
	server := dst
	if part != appRequest {
		server = src
	}
	p := g.appPayload(server, svc, part, n, total)
	g.buildTCPPayload(src, dst, sport, dport, seq, ack, flags, p)
	return len(p)
}
