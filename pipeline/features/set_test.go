package features

import "testing"

func TestFormatRaw(t *testing.T) {
	frame := []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x1b, 0x21, 0x5e, 0x00, 0x10, 0x08, 0x06}
	for _, tc := range []struct {
		kind Kind
		v    float64
		want string
	}{
		{KindNumber, 42, "42"},
		{KindNumber, 0.125, "0.125"},
		{KindDstMAC, 3, "ff:ff:ff:ff:ff:ff #3"},
		{KindSrcMAC, 17, "00:1b:21:5e:00:10 #17"},
		{KindHex16, 0x86dd, "0x86dd"},
		{KindFlag, 1, "1"},
		{KindFlag, 0, "0"},
		{KindPort, 443, "443"},
		{KindPort, 0, "-"},
		{KindTCPFlags, 2, "S"},
		{KindTCPFlags, 18, "SA"},
		{KindTCPFlags, 1 + 8 + 16, "AFP"},
		{KindTCPFlags, 4 + 16, "AR"},
		{KindTCPFlags, 0, "-"},
		{KindProto, 6, "tcp"},
		{KindProto, 17, "udp"},
		{KindProto, 1, "icmp"},
		{KindProto, 58, "icmpv6"},
		{KindProto, 47, "47"},
		{KindProto, -1, "-"},
		{KindSeconds, 0, "0"},
		{KindSeconds, 250e-6, "250µs"},
		{KindSeconds, 0.0015, "1.50ms"},
		{KindSeconds, 2, "2.000s"},
		{KindCode, 8, "8"},
		{KindCode, 0, "0"},
		{KindCode, -1, "-"},
	} {
		if got := FormatRaw(Feature{Kind: tc.kind}, tc.v, frame); got != tc.want {
			t.Errorf("FormatRaw(kind %d, %v) = %q, want %q", tc.kind, tc.v, got, tc.want)
		}
	}
}

// Every feature of every set has a name, a help text and a kind FormatRaw knows.
func TestFeaturesDescribed(t *testing.T) {
	for _, name := range SetNames() {
		s, _ := NewSet(name)
		seen := map[string]bool{}
		for _, f := range s.Features() {
			if f.Name == "" || f.Help == "" || f.Kind < KindNumber || f.Kind > KindCode {
				t.Errorf("%s: feature %+v", name, f)
			}
			if seen[f.Name] {
				t.Errorf("%s: feature %s twice", name, f.Name)
			}
			seen[f.Name] = true
		}
	}
}
