#!/usr/bin/python3
"""Reference values for the prequential scores in pipeline/eval (score.go).

Rerun from the repository root with Debian's scikit-learn
(apt-get install python3-sklearn; the file was produced with 1.2.1):

    /usr/bin/python3 pipeline/eval/testdata/gen_scores.py

It writes pipeline/eval/testdata/scores_reference.json: fixed sequences of
(true label, prediction) pairs drawn here from a fixed seed -- a bursty
binary stream with rare attacks, and a multiclass stream with a label that
is only ever predicted and a label that never occurs -- plus predictions of
two baselines (running majority and no-change) for kappa-M and kappa-T. For
every checkpoint n it records the scores of the first n pairs
("cumulative") and of the last WINDOW pairs before n ("window"), as
scikit-learn computes them:

  accuracy           accuracy_score
  balanced_accuracy  balanced_accuracy_score
  precision/recall/f1  precision_recall_fscore_support(average="binary",
                     pos_label=1) when every label seen so far (in the whole
                     prefix) is 0 or 1, else average="macro"; zero_division=0
  kappa              cohen_kappa_score (nan, i.e. chance agreement 1, -> 0)
  kappa_m, kappa_t   (acc - acc_baseline) / (1 - acc_baseline) with the
                     majority / no-change baseline's accuracy over the same
                     pairs (Bifet et al. 2015; 0 when the baseline is perfect)
  confusion          confusion_matrix(labels=0..largest label in the prefix)
"""
import json
import math
import os
import warnings

import numpy as np
import sklearn
from sklearn.metrics import (accuracy_score, balanced_accuracy_score,
                             cohen_kappa_score, confusion_matrix,
                             precision_recall_fscore_support)

N = 300
WINDOW = 37
CHECKPOINTS = [1, 2, 3, 5, 8, 20, 37, 38, 64, 100, 150, 222, 300]


def bursty_binary(rng):
    y, p = [], []
    attack = False
    for _ in range(N):
        if rng.rand() < (0.15 if attack else 0.04):
            attack = not attack
        t = 1 if attack else 0
        # a model that is right most of the time, worse at the start of bursts
        wrong = rng.rand() < (0.25 if t else 0.05)
        y.append(t)
        p.append(1 - t if wrong else t)
    return y, p


def multiclass(rng):
    # labels 0, 1, 3 occur; 4 is only ever predicted; 2 never appears
    y = list(rng.choice([0, 0, 0, 1, 3], size=N))
    p = []
    for t in y:
        r = rng.rand()
        if r < 0.7:
            p.append(int(t))
        elif r < 0.8:
            p.append(4)
        else:
            p.append(int(rng.choice([0, 1, 3])))
    return [int(v) for v in y], p


def baselines(y):
    counts, major, nochange = {}, [], []
    last = 0
    for t in y:
        # majority: most frequent label so far, ties to the smallest, 0 at first
        best = 0
        if counts:
            best = min(counts, key=lambda k: (-counts[k], k))
        major.append(best)
        nochange.append(last)
        counts[t] = counts.get(t, 0) + 1
        last = t
    return major, nochange


def kappa_against(acc, base):
    return 0.0 if base >= 1 else (acc - base) / (1 - base)


def scores(yt, yp, ym, yn, k, binary):
    acc = accuracy_score(yt, yp)
    if binary:
        p, r, f, _ = precision_recall_fscore_support(
            yt, yp, average="binary", pos_label=1, zero_division=0)
    else:
        p, r, f, _ = precision_recall_fscore_support(
            yt, yp, average="macro", zero_division=0)
    kappa = cohen_kappa_score(yt, yp)
    if math.isnan(kappa):
        kappa = 0.0
    return {
        "n": len(yt),
        "accuracy": acc,
        "balanced_accuracy": balanced_accuracy_score(yt, yp),
        "precision": float(p),
        "recall": float(r),
        "f1": float(f),
        "kappa": float(kappa),
        "kappa_m": kappa_against(acc, accuracy_score(yt, ym)),
        "kappa_t": kappa_against(acc, accuracy_score(yt, yn)),
        "averaging": "binary" if binary else "macro",
        "confusion": confusion_matrix(yt, yp, labels=list(range(k))).tolist(),
    }


def main():
    warnings.simplefilter("ignore")
    rng = np.random.RandomState(20261127)
    cases = []
    for name, (y, p) in [("bursty_binary", bursty_binary(rng)),
                         ("multiclass", multiclass(rng))]:
        ym, yn = baselines(y)
        checks = []
        for n in CHECKPOINTS:
            k = max(y[:n] + p[:n]) + 1
            binary = k <= 2
            lo = max(0, n - WINDOW)
            checks.append({
                "n": n,
                "cumulative": scores(y[:n], p[:n], ym[:n], yn[:n], k, binary),
                "window": scores(y[lo:n], p[lo:n], ym[lo:n], yn[lo:n], k, binary),
            })
        cases.append({"name": name, "y_true": y, "y_pred": p, "y_majority": ym,
                      "y_no_change": yn, "checkpoints": checks})
    out = {"sklearn": sklearn.__version__, "window": WINDOW, "cases": cases}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scores_reference.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
