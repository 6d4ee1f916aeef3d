#!/usr/bin/python3
"""The per-frame scikit-learn loop EtherLearn is compared with (issue 14).

Usage:
    scripts/sklearn_loop.py TRACE.csv [--frames N] [--learners a,b] [--json]

TRACE.csv is what `etherlearn run --file CAPTURE --trace TRACE.csv` writes:
one row per decoded frame with the scaled feature vector the learners saw
(the columns between "frame" and "label"), the label (empty when the frame
had none) and each EtherLearn learner's prediction ("pred_NAME"). So the
loop sees the same frames, the same features and the same labels as
EtherLearn's learners did.

For each learner, it runs what a Python prototype of EtherLearn would run:
for every frame in order, predict it (once the model has been fitted), then,
when it is labelled, partial_fit on it; one frame per call, as frames arrive
on a link. The learners and their scikit-learn counterparts, with
EtherLearn's defaults:

    sgd                 SGDClassifier(loss="hinge", alpha=1e-4, shuffle=False)
                        (EtherLearn's sgd is this model, update for update)
    svm                 SGDClassifier(loss="hinge", alpha=1e-4, shuffle=False):
                        scikit-learn has no online Pegasos; this is the same
                        linear soft-margin SVM trained online with the
                        "optimal" 1/(alpha*t) step, the nearest counterpart
    passive_aggressive  PassiveAggressiveClassifier(C=1.0) (PA-I)
    perceptron          Perceptron()
    naive_bayes         GaussianNB()

random_forest has no online counterpart in scikit-learn (RandomForestClassifier
has no partial_fit; refitting it per frame is not a loop anyone would run),
so it is left out: compare this loop with `etherlearn run --learners
sgd,svm,passive_aggressive,perceptron,naive_bayes`, which is the same learner
set (scripts/bench.sh prints both that ratio and the one with all learners).

Only the loop is timed, with time.process_time() (CPU-seconds of this
process, user + system): reading the CSV, importing scikit-learn and building
the models are not counted, which flatters scikit-learn slightly. numpy's
BLAS is limited to one thread so that the CPU-seconds are the loop's own.

It prints, per learner and in total, frames, CPU-seconds and frames per
CPU-second, and each learner's test-then-train accuracy next to EtherLearn's
and how often the two predicted the same class (a check that both saw the
same data; sgd, passive_aggressive and perceptron follow scikit-learn's
updates, so they agree on nearly every frame). --json prints the same as one
JSON object ("frames", "cpu_seconds", "frames_per_cpu_second", "learners",
and "same_model_agreement": the lowest agreement of sgd, passive_aggressive
and perceptron).

Needs python3-sklearn (Debian's 1.2.1 is what EtherLearn's learners follow;
scripts/deps.sh bench installs it).
"""

import argparse
import csv
import json
import os
import sys
import time
import warnings

# One BLAS thread: set before numpy is imported.
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import numpy as np  # noqa: E402

try:
    import sklearn  # noqa: E402
    from sklearn.linear_model import (  # noqa: E402
        PassiveAggressiveClassifier,
        Perceptron,
        SGDClassifier,
    )
    from sklearn.naive_bayes import GaussianNB  # noqa: E402
except ImportError:
    sys.exit("sklearn_loop.py: scikit-learn is missing: install python3-sklearn (scripts/deps.sh bench)")

LEARNERS = {
    "sgd": lambda: SGDClassifier(loss="hinge", alpha=1e-4, shuffle=False),
    "svm": lambda: SGDClassifier(loss="hinge", alpha=1e-4, shuffle=False),
    "passive_aggressive": lambda: PassiveAggressiveClassifier(C=1.0, shuffle=False),
    "perceptron": lambda: Perceptron(shuffle=False),
    "naive_bayes": lambda: GaussianNB(),
}

# EtherLearn's learners that are scikit-learn's model update for update.
SAME_MODEL = ("sgd", "passive_aggressive", "perceptron")


def read_trace(path, limit):
    """Features, labels (-1: unlabelled) and EtherLearn's predictions."""
    with open(path, newline="") as f:
        rows = csv.reader(f)
        header = next(rows, None)
        if not header or header[0] != "frame" or "label" not in header:
            sys.exit(f"sklearn_loop.py: {path} is not an etherlearn --trace CSV (no frame/label header)")
        label_col = header.index("label")
        pred_cols = {h[len("pred_"):]: i for i, h in enumerate(header) if h.startswith("pred_")}
        xs, ys, preds = [], [], []
        for row in rows:
            if limit and len(xs) >= limit:
                break
            xs.append([float(v) for v in row[1:label_col]])
            ys.append(int(row[label_col]) if row[label_col] != "" else -1)
            preds.append(row)
    x = np.asarray(xs, dtype=np.float64).reshape(len(xs), label_col - 1)
    y = np.asarray(ys, dtype=np.int64)
    theirs = {}
    for name, col in pred_cols.items():
        theirs[name] = np.asarray([int(r[col]) if r[col] != "" else -1 for r in preds], dtype=np.int64)
    return x, y, theirs


def loop(make, x, y, classes):
    """Predict then partial_fit, one frame per call; returns the CPU-seconds
    and the predictions (-1 where the model was not fitted yet)."""
    model = make()
    fitted = False
    pred = np.full(len(y), -1, dtype=np.int64)
    start = time.process_time()
    for i in range(len(y)):
        xi = x[i : i + 1]
        if fitted:
            pred[i] = model.predict(xi)[0]
        if y[i] >= 0:
            model.partial_fit(xi, y[i : i + 1], classes=classes)
            fitted = True
    return time.process_time() - start, pred


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("trace", help="etherlearn run --trace CSV")
    ap.add_argument("--frames", type=int, default=0, help="use the first N frames (0: all)")
    ap.add_argument("--learners", default=",".join(LEARNERS), help="comma-separated, of: " + ", ".join(LEARNERS))
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()
    names = [n.strip() for n in args.learners.split(",") if n.strip()]
    for n in names:
        if n not in LEARNERS:
            sys.exit(f"sklearn_loop.py: no learner {n!r} (learners: {', '.join(LEARNERS)})")
    try:
        x, y, theirs = read_trace(args.trace, args.frames)
    except OSError as e:
        sys.exit(f"sklearn_loop.py: {e}")
    labelled = y >= 0
    if not labelled.any():
        sys.exit(f"sklearn_loop.py: {args.trace} has no labelled frame")
    classes = np.unique(y[labelled])
    if len(classes) < 2:
        sys.exit(f"sklearn_loop.py: the frames of {args.trace} have one class only ({classes[0]}); "
                 "scikit-learn's linear models need two: use more frames")
    # One-sample GaussianNB fits have zero variance until a class has two
    # distinct samples (scikit-learn's epsilon comes from the batch): the
    # divide-by-zero warnings are expected and would only slow the loop.
    warnings.simplefilter("ignore")

    out = {"frames": int(len(y)), "labelled": int(labelled.sum()), "features": int(x.shape[1]),
           "sklearn_version": sklearn.__version__, "learners": []}
    total = 0.0
    for n in names:
        cpu, pred = loop(LEARNERS[n], x, y, classes)
        total += cpu
        scored = labelled & (pred >= 0)
        row = {"name": n, "cpu_seconds": round(cpu, 3),
               "frames_per_cpu_second": round(len(y) / cpu) if cpu > 0 else None,
               "accuracy": round(float((pred[scored] == y[scored]).mean()), 4) if scored.any() else None}
        if n in theirs:
            both = scored & (theirs[n] >= 0)
            row["etherlearn_accuracy"] = round(float((theirs[n][both] == y[both]).mean()), 4) if both.any() else None
            row["agreement"] = round(float((theirs[n][both] == pred[both]).mean()), 4) if both.any() else None
        out["learners"].append(row)
    same = [r["agreement"] for r in out["learners"] if r["name"] in SAME_MODEL and r.get("agreement") is not None]
    out["same_model_agreement"] = min(same) if same else None
    out["cpu_seconds"] = round(total, 3)
    out["frames_per_cpu_second"] = round(len(y) / total, 1) if total > 0 else None

    if args.json:
        print(json.dumps(out, indent=2))
        return
    print(f"scikit-learn {out['sklearn_version']} per-frame loop: {out['frames']} frames "
          f"({out['labelled']} labelled, {out['features']} features)")
    print(f"{'learner':<20}{'CPU s':>9}{'frames/CPU-s':>14}{'accuracy':>10}{'etherlearn':>12}{'agree':>8}")
    for r in out["learners"]:
        def fmt(v):
            return "-" if v is None else f"{v:.4f}"
        print(f"{r['name']:<20}{r['cpu_seconds']:>9.3f}{r['frames_per_cpu_second'] or 0:>14,}"
              f"{fmt(r['accuracy']):>10}{fmt(r.get('etherlearn_accuracy')):>12}{fmt(r.get('agreement')):>8}")
    print(f"{'all ' + str(len(names)):<20}{out['cpu_seconds']:>9.3f}{out['frames_per_cpu_second'] or 0:>14,.0f}")


if __name__ == "__main__":
    main()
