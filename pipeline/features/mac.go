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
