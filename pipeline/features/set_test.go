package features

import "testing"

func TestFormatRaw(t *testing.T) {
	frame := []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x1b, 0x21, 0x5e, 0x00, 0x10, 0x08, 0x06}
	for _, tc := range []struct {
		notation Notation
		v        float64
		want     string
	}{
		{NotationNumber, 42, "42"},
		{NotationNumber, 0.125, "0.125"},
		{NotationDstMAC, 3, "ff:ff:ff:ff:ff:ff #3"},
		{NotationSrcMAC, 17, "00:1b:21:5e:00:10 #17"},
		{NotationHex16, 0x86dd, "0x86dd"},
		{NotationFlag, 1, "1"},
		{NotationFlag, 0, "0"},
		{NotationPort, 443, "443"},
		{NotationPort, 0, "-"},
		{NotationTCPFlags, 2, "S"},
		{NotationTCPFlags, 18, "SA"},
		{NotationTCPFlags, 1 + 8 + 16, "AFP"},
		{NotationTCPFlags, 4 + 16, "AR"},
		{NotationTCPFlags, 0, "-"},
		{NotationProto, 6, "tcp"},
		{NotationProto, 17, "udp"},
		{NotationProto, 1, "icmp"},
		{NotationProto, 58, "icmpv6"},
		{NotationProto, 47, "47"},
		{NotationProto, -1, "-"},
		{NotationSeconds, 0, "0"},
		{NotationSeconds, 250e-6, "250µs"},
		{NotationSeconds, 0.0015, "1.50ms"},
		{NotationSeconds, 2, "2.000s"},
		{NotationCode, 8, "8"},
		{NotationCode, 0, "0"},
		{NotationCode, -1, "-"},
	} {
		if got := FormatRaw(Feature{Notation: tc.notation}, tc.v, frame); got != tc.want {
			t.Errorf("FormatRaw(notation %d, %v) = %q, want %q", tc.notation, tc.v, got, tc.want)
		}
	}
}

// Every feature of every set has a name, a help text and a notation FormatRaw knows.
func TestFeaturesDescribed(t *testing.T) {
	for _, name := range SetNames() {
		s, _ := NewSet(name)
		seen := map[string]bool{}
		for _, f := range s.Features() {
			if f.Name == "" || f.Help == "" || f.Notation < NotationNumber || f.Notation > NotationCode {
				t.Errorf("%s: feature %+v", name, f)
			}
			if seen[f.Name] {
				t.Errorf("%s: feature %s twice", name, f.Name)
			}
			seen[f.Name] = true
		}
	}
}
