package features

import (
	"math"
	"math/bits"
)

// damped is an incremental statistic over an exponentially damped window,
// as Kitsune's AfterImage keeps them (Mirsky et al., "Kitsune: An Ensemble
// of Autoencoders for Online Network Intrusion Detection", NDSS 2018): the
// weight w, linear sum ls and squared sum ss of the values seen, each
// multiplied by the decay factor exp(-λ·Δt) before a value is added, Δt
// being the capture time since the previous update. Old values fade
// instead of dropping out of a fixed window, and an update is O(1).
//
// Kitsune decays by 2^(-λΔt); we use e^(-λΔt), so 1/λ is the time constant
// in seconds.
type damped struct{ w, ls, ss float64 }

// add decays by f = exp(-λ·Δt) and adds x with weight 1.
func (d *damped) add(f, x float64) {
	d.w = d.w*f + 1
	d.ls = d.ls*f + x
	d.ss = d.ss*f + x*x
}

func (d *damped) mean() float64 {
	if d.w <= 0 {
		return 0
	}
	return d.ls / d.w
}

// std is the damped population standard deviation.
func (d *damped) std() float64 {
	if d.w <= 0 {
		return 0
	}
	m := d.ls / d.w
	v := d.ss/d.w - m*m
	if v <= 0 { // rounding can make a constant stream's variance -1e-17
		return 0
	}
	return math.Sqrt(v)
}

// decay is exp(-λ·dt) for dt in nanoseconds; a negative dt (frames out of
// capture order) counts as 0.
func decay(lambda float64, dtNS int64) float64 {
	if dtNS <= 0 {
		return 1
	}
	return math.Exp(-lambda * float64(dtNS) * 1e-9)
}

// distinctBits estimates how many distinct values (ports, hosts) one source
// has sent to recently, in bounded memory: each value is hashed to one of
// 256 bits (linear counting, Whang et al. 1990: n ≈ -m·ln(zero bits/m)).
// Two generations of the bitmap turn it into a sliding window: values go to
// the current one, which becomes the previous one after a window's time,
// and the estimate counts the union, so it covers the last one to two
// windows. 64 bytes per source; the estimate saturates at m·ln m ≈ 1420.
type distinctBits struct {
	start     int64 // capture time (ns) the current generation started
	cur, prev [4]uint64
}

const distinctM = 256

// add records the value with hash h at time now (ns).
func (d *distinctBits) add(now, window int64, h uint64) {
	d.roll(now, window)
	b := h & (distinctM - 1)
	d.cur[b>>6] |= 1 << (b & 63)
}

func (d *distinctBits) roll(now, window int64) {
	age := now - d.start
	if age < window && age >= 0 {
		return
	}
	if age >= 0 && age < 2*window {
		d.prev = d.cur
	} else {
		d.prev = [4]uint64{}
	}
	d.cur = [4]uint64{}
	d.start = now
}

// estimate returns the approximate number of distinct values in the
// window ending at now.
func (d *distinctBits) estimate(now, window int64) float64 {
	d.roll(now, window)
	set := 0
	for i := range d.cur {
		set += bits.OnesCount64(d.cur[i] | d.prev[i])
	}
	return distinctEstimates[distinctM-set]
}

// distinctEstimates[z] is the linear-counting estimate for z zero bits
// (z = 0 counts as 1: the bitmap is saturated), a table so that the two
// estimates per frame take no logarithm.
var distinctEstimates = func() (t [distinctM + 1]float64) {
	for zero := range t {
		t[zero] = -distinctM * math.Log(float64(max(zero, 1))/distinctM)
	}
	return t
}()

// arpClaimSlots is how many different MACs per IP the ARP claims table
// remembers; more recent claimants replace the least recent one.
const arpClaimSlots = 4

// arpClaims remembers which MACs have recently claimed one IPv4 address in
// ARP (as sender of a request or reply, gratuitous ARP included). Two MACs
// claiming one address within the claim window is what ARP spoofing looks
// like (and, rarely, a failover or a re-addressed host).
type arpClaims struct {
	mac   [arpClaimSlots]uint64
	seen  [arpClaimSlots]int64
	first [arpClaimSlots]int64 // when each claimant's current run of claims began
	n     int
}

// claim records mac claiming the address at now and returns how many
// distinct MACs (this one included) claimed it within window ns, and
// whether another of them has been claiming it for longer than mac (mac is
// the newcomer: the one a spoofer would be, since the real owner has
// usually answered for its address before).
func (a *arpClaims) claim(mac uint64, now, window int64) (count int, newer bool) {
	slot := -1
	for i := 0; i < a.n; i++ {
		if a.mac[i] == mac {
			slot = i
			break
		}
	}
	if slot >= 0 {
		if d := now - a.seen[slot]; d >= window || d <= -window {
			a.first[slot] = now // back after a pause: a new run of claims
		}
	} else {
		if a.n < arpClaimSlots {
			slot = a.n
			a.n++
		} else {
			slot = 0
			for i := 1; i < a.n; i++ {
				if a.seen[i] < a.seen[slot] {
					slot = i
				}
			}
		}
		a.mac[slot] = mac
		a.first[slot] = now
	}
	a.seen[slot] = now
	for i := 0; i < a.n; i++ {
		if d := now - a.seen[i]; d < window && d > -window {
			count++
			if i != slot && a.first[i] < a.first[slot] {
				newer = true
			}
		}
	}
	return count, newer
}
