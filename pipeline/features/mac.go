package features

// DefaultMACTableSize bounds the MAC encoders' "seen" tables.
const DefaultMACTableSize = 65536

// MACEncoder gives each MAC address a code in order of first sight
// (0, 1, 2, ...), as the prototype's LabelEncoder over its "seen" list did,
// but online: a code never changes once given, and nothing is re-fitted.
//
// Memory is bounded: once Capacity addresses have codes, every further new
// address maps to the overflow code Capacity, and Overflowed counts them.
type MACEncoder struct {
	Capacity   int
	codes      map[[6]byte]int
	Overflowed uint64
}

// NewMACEncoder returns an encoder holding at most capacity addresses
// (DefaultMACTableSize when capacity <= 0).
func NewMACEncoder(capacity int) *MACEncoder {
	if capacity <= 0 {
		capacity = DefaultMACTableSize
	}
	return &MACEncoder{Capacity: capacity, codes: make(map[[6]byte]int)}
}

// Encode returns mac's code, assigning the next one on first sight.
func (e *MACEncoder) Encode(mac []byte) int {
	var k [6]byte
	copy(k[:], mac)
	if c, ok := e.codes[k]; ok {
		return c
	}
	if len(e.codes) >= e.Capacity {
		e.Overflowed++
		return e.Capacity
	}
	c := len(e.codes)
	e.codes[k] = c
	return c
}

// Len is the number of addresses with a code.
func (e *MACEncoder) Len() int { return len(e.codes) }

// Reset forgets every code.
func (e *MACEncoder) Reset() {
	clear(e.codes)
	e.Overflowed = 0
}

// MACEncoding says how a feature set turns MAC addresses into numbers.
type MACEncoding int

const (
	// MACHashed codes an address as a hash bucket in [0, MACBuckets): the
	// same address gets the same code in every run and on every machine,
	// whatever order hosts appear in, with no table to fill. Distinct
	// addresses can share a bucket.
	MACHashed MACEncoding = iota
	// MACFirstSight codes addresses in order of first sight (MACEncoder),
	// as the prototype did: codes depend on the order hosts appear in.
	MACFirstSight
	// MACNone leaves the address columns out: the learners see only the
	// destination's group bits (broadcast, multicast) and what hosts do,
	// never who they are. The source's locally-administered bit is left
	// out too: it marks kinds of hosts (VMs, phones with private Wi-Fi
	// addresses), and a frozen forest that had seen a scanner without it
	// missed the next scanner, which had it.
	MACNone
)

// DefaultMACBuckets is the number of hash buckets of MACHashed.
const DefaultMACBuckets = 256

// String names the encoding as the feature set names spell it.
func (m MACEncoding) String() string {
	switch m {
	case MACHashed:
		return "hashed"
	case MACFirstSight:
		return "firstsight"
	case MACNone:
		return "nomac"
	}
	return "MACEncoding(?)"
}

// macKey packs a 6-byte address into a uint64.
func macKey(mac []byte) uint64 {
	_ = mac[5]
	return uint64(mac[0])<<40 | uint64(mac[1])<<32 | uint64(mac[2])<<24 |
		uint64(mac[3])<<16 | uint64(mac[4])<<8 | uint64(mac[5])
}

// MACBucket returns mac's MACHashed code among buckets buckets.
func MACBucket(mac []byte, buckets int) int {
	return int(mix64(macKey(mac)) % uint64(buckets))
}
