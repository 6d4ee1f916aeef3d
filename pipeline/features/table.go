package features

// lruTable is a fixed-capacity map from K to V that, when full, evicts the
// least recently used entry to make room for a new key. Entries live in
// slices allocated once by newLRUTable; an open-addressing index (linear
// probing, backward-shift deletion) maps keys to entries, so nothing
// allocates after construction however many keys go through it, and
// memory stays at capacity.
//
// "Used" means touched (found or inserted by touch); lookup reads an entry
// without making it more recent. The eviction order depends only on the
// sequence of calls, never on hash values, so results are deterministic.
type lruTable[K comparable, V any] struct {
	hash       func(K) uint64
	keys       []K
	vals       []V
	hashes     []uint64
	prev, next []int32 // recency list: head is the most recently used
	slots      []int32 // entry index + 1; 0 marks an empty slot
	mask       uint64
	head, tail int32
	n          int
	evictions  uint64
}

func newLRUTable[K comparable, V any](capacity int, hash func(K) uint64) *lruTable[K, V] {
	if capacity < 1 {
		capacity = 1
	}
	size := 1
	for size < 2*capacity { // load factor at most 1/2: short probe sequences
		size <<= 1
	}
	return &lruTable[K, V]{
		hash: hash, keys: make([]K, capacity), vals: make([]V, capacity),
		hashes: make([]uint64, capacity), prev: make([]int32, capacity), next: make([]int32, capacity),
		slots: make([]int32, size), mask: uint64(size - 1), head: -1, tail: -1,
	}
}

// Len is the number of entries; Cap the most there can be.
func (t *lruTable[K, V]) Len() int { return t.n }
func (t *lruTable[K, V]) Cap() int { return len(t.keys) }

// Evictions counts entries dropped to make room since the last reset.
func (t *lruTable[K, V]) Evictions() uint64 { return t.evictions }

// find returns the slot holding k, or the empty slot where k would go, and
// k's entry index (-1 when absent).
func (t *lruTable[K, V]) find(k K, h uint64) (uint64, int32) {
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		s := t.slots[i]
		if s == 0 {
			return i, -1
		}
		if e := s - 1; t.hashes[e] == h && t.keys[e] == k {
			return i, e
		}
	}
}

// lookup returns k's entry or nil; it does not change recency.
func (t *lruTable[K, V]) lookup(k K) *V {
	if _, e := t.find(k, t.hash(k)); e >= 0 {
		return &t.vals[e]
	}
	return nil
}

// touch returns k's entry and makes it the most recently used. An absent
// key gets a zeroed entry (fresh is true), taking the least recently used
// entry's place when the table is full.
func (t *lruTable[K, V]) touch(k K) (v *V, fresh bool) {
	h := t.hash(k)
	slot, e := t.find(k, h)
	if e >= 0 {
		if e != t.head {
			t.unlink(e)
			t.pushFront(e)
		}
		return &t.vals[e], false
	}
	if t.n < len(t.keys) {
		e = int32(t.n)
		t.n++
	} else {
		e = t.tail
		t.unlink(e)
		t.removeSlot(t.hashes[e], e)
		t.evictions++
		slot, _ = t.find(k, h) // the removal may have shifted k's probe sequence
	}
	var zero V
	t.keys[e], t.hashes[e], t.vals[e] = k, h, zero
	t.slots[slot] = e + 1
	t.pushFront(e)
	return &t.vals[e], true
}

// removeSlot deletes entry e (hash h) from the index by backward shifting,
// which keeps every other key reachable without tombstones.
func (t *lruTable[K, V]) removeSlot(h uint64, e int32) {
	i := h & t.mask
	for t.slots[i] != e+1 {
		i = (i + 1) & t.mask
	}
	for j := (i + 1) & t.mask; t.slots[j] != 0; j = (j + 1) & t.mask {
		home := t.hashes[t.slots[j]-1] & t.mask
		// The key at j may move back to i unless its home lies cyclically
		// in (i, j]: then i is before its home and a lookup would miss it.
		var stays bool
		if i <= j {
			stays = i < home && home <= j
		} else {
			stays = i < home || home <= j
		}
		if !stays {
			t.slots[i] = t.slots[j]
			i = j
		}
	}
	t.slots[i] = 0
}

func (t *lruTable[K, V]) unlink(e int32) {
	p, n := t.prev[e], t.next[e]
	if p >= 0 {
		t.next[p] = n
	} else {
		t.head = n
	}
	if n >= 0 {
		t.prev[n] = p
	} else {
		t.tail = p
	}
}

func (t *lruTable[K, V]) pushFront(e int32) {
	t.prev[e], t.next[e] = -1, t.head
	if t.head >= 0 {
		t.prev[t.head] = e
	}
	t.head = e
	if t.tail < 0 {
		t.tail = e
	}
}

// reset empties the table, keeping its storage.
func (t *lruTable[K, V]) reset() {
	clear(t.keys)
	clear(t.vals)
	clear(t.slots)
	t.head, t.tail, t.n, t.evictions = -1, -1, 0, 0
}

// mix64 is the splitmix64 finalizer: a cheap, well-spread 64-bit hash of x.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}
