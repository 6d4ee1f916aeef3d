#!/usr/bin/python3
"""Expected values for TestADWINKnownSequence (classifiers/adwin_test.go).

An independent transcription of ADWIN from Bifet & Gavalda, "Learning from
time-changing data with adaptive windowing" (SDM 2007), Figure 1 and
Theorem 3.1, with the minimum sub-window correction of MOA/River
(m = 1/(n0-minW+1) + 1/(n1-minW+1)): the window is a plain list of every
sample (no exponential histogram), every split W = W0 W1 with both parts at
least MIN_WINDOW long is checked after every sample once the window is
longer than GRACE, and while some split has |mean(W0) - mean(W1)| >
eps_cut the oldest sample is dropped. It uses only the standard library.

Rerun from the repository root and compare with the constants in the test:

    python3 classifiers/testdata/gen_adwin.py
"""
import math
from fractions import Fraction

DELTA = 0.002
MIN_WINDOW = 5
GRACE = 10  # no check while the window holds this many samples or fewer


def eps_cut(n0, n1, n, v, delta=DELTA, min_w=MIN_WINDOW):
    """Theorem 3.1's bound, variance form (eq. in section 4), with MOA's m."""
    m = 1.0 / (n0 - min_w + 1) + 1.0 / (n1 - min_w + 1)
    dd = math.log(2 * math.log(n) / delta)
    return math.sqrt(2 * m * v * dd) + 2.0 / 3.0 * m * dd


def variance(w):
    mean = sum(w) / len(w)
    return sum((x - mean) ** 2 for x in w) / len(w)


def cutting_split(w):
    """The first split (n0, n1) whose means differ by more than eps_cut."""
    n = len(w)
    v = variance(w)
    for n0 in range(1, n):
        n1 = n - n0
        if n0 < MIN_WINDOW or n1 < MIN_WINDOW:
            continue
        m0 = sum(w[:n0]) / n0
        m1 = sum(w[n0:]) / n1
        if abs(m0 - m1) > eps_cut(n0, n1, n, v):
            return n0, n1, v
    return None


def main():
    stream = [0.0] * 100 + [1.0] * 40
    w = []
    for i, x in enumerate(stream):
        w.append(x)
        if len(w) <= GRACE:
            continue
        first = cutting_split(w)
        if first is None:
            continue
        n0, n1, v = first
        n = len(w)
        while cutting_split(w) is not None:
            w.pop(0)
        ones = int(sum(w))
        print(f"first cut at sample {i} (0-based), window {n}: split n0={n0} n1={n1}, "
              f"v={v:.4f} ({Fraction(int(sum(stream[i + 1 - n:i + 1])), n) * (1 - Fraction(int(sum(stream[i + 1 - n:i + 1])), n))} exactly)")
        print(f"eps_cut(n0={n0}, n1={n1}, n={n}, v) = {eps_cut(n0, n1, n, v):.4f}")
        print(f"after the cut: width {len(w)}, mean {ones}/{len(w)} = {ones / len(w):.6f}, "
              f"{n - len(w)} samples dropped")
        return
    print("no cut")


if __name__ == "__main__":
    main()
