#!/usr/bin/python3
"""Reference outputs for the linear learners and Gaussian Naive Bayes.

Rerun from the repository root with Debian's scikit-learn
(apt-get install python3-sklearn; the file was produced with 1.2.1):

    /usr/bin/python3 classifiers/testdata/gen_reference.py

It writes classifiers/testdata/reference.json: two small fixed streams
(binary and 3-class, 4 features, generated here from a fixed seed) and,
for every learner configuration, what scikit-learn computes on every
prefix of the stream.

Online semantics: the state of a Go learner after n samples is compared with
a *fresh* scikit-learn estimator after partial_fit(X[:n], y[:n],
classes=...) with shuffle=False, i.e. one pass over the first n samples in
order. That is exactly sklearn's own one-sample-at-a-time loop (_plain_sgd),
including the cumulative L1 penalty u/q that it keeps within a pass.
"pred"[n] is that model's prediction for sample n (test-then-train); pred[0]
is 0 by convention (nothing learned yet).

Gaussian NB is compared where scikit-learn is defined: partial_fit on the
whole prefix as one batch (n >= 2, not all samples equal), so its
var_smoothing epsilon comes from the variance of the prefix.
"""
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn.linear_model import (PassiveAggressiveClassifier, Perceptron,
                                  SGDClassifier)
from sklearn.naive_bayes import GaussianNB

N = 300
CHECKPOINTS = [1, 2, 3, 5, 10, 20, 50, 100, 200, 300]


def streams():
    rng = np.random.RandomState(20261127)
    # binary: noisy linear rule on features with different scales/offsets
    Xb = rng.normal(size=(N, 4)) * [1.0, 2.0, 0.5, 3.0] + [0.5, -1.0, 0.0, 2.0]
    yb = ((Xb @ [1.0, -0.5, 2.0, 0.25] + 0.3 * rng.normal(size=N)) > 0.2).astype(int)
    # 3 classes: overlapping Gaussian blobs
    centers = np.array([[0, 0, 0, 0], [2, 1, -1, 0.5], [-1, 2, 1, -1.5]], float)
    ym = rng.randint(0, 3, size=N)
    Xm = centers[ym] + rng.normal(size=(N, 4)) * [1.0, 1.0, 1.5, 0.7]
    return {
        "binary": (Xb, yb, [0, 1]),
        "multi": (Xm, ym, [0, 1, 2]),
    }


def linear_configs():
    for loss in ["hinge", "log_loss", "modified_huber"]:
        for penalty in ["l2", "l1", "elasticnet"]:
            for average in [False, True]:
                params = {"loss": loss, "penalty": penalty, "average": str(average).lower()}
                yield "sgd", params, lambda loss=loss, penalty=penalty, average=average: SGDClassifier(
                    loss=loss, penalty=penalty, alpha=1e-4, l1_ratio=0.15,
                    learning_rate="optimal", average=average, shuffle=False)
    for lr in ["constant", "invscaling"]:
        params = {"loss": "log_loss", "penalty": "elasticnet", "learning_rate": lr, "eta0": "0.01"}
        yield "sgd", params, lambda lr=lr: SGDClassifier(
            loss="log_loss", penalty="elasticnet", alpha=1e-4, l1_ratio=0.15,
            learning_rate=lr, eta0=0.01, power_t=0.5, shuffle=False)
    for loss in ["hinge", "squared_hinge"]:
        yield "passive_aggressive", {"loss": loss, "C": "1.0"}, lambda loss=loss: PassiveAggressiveClassifier(
            C=1.0, loss=loss, shuffle=False)
    yield "perceptron", {}, lambda: Perceptron(shuffle=False)


def run_linear(make, X, y, classes):
    pred = [0]
    checkpoints = []
    for n in range(1, len(y) + 1):
        est = make()
        est.partial_fit(X[:n], y[:n], classes=classes)
        if n < len(y):
            pred.append(int(est.predict(X[n:n + 1])[0]))
        if n in CHECKPOINTS:
            checkpoints.append({"n": n, "coef": est.coef_.tolist(),
                                "intercept": est.intercept_.tolist()})
    return pred, checkpoints


def run_nb(X, y, classes):
    pred = [0, 0]
    checkpoints = []
    for n in range(2, len(y) + 1):
        est = GaussianNB()
        est.partial_fit(X[:n], y[:n], classes=classes)
        if n < len(y):
            pred.append(int(est.predict(X[n:n + 1])[0]))
        if n in CHECKPOINTS:
            checkpoints.append({"n": n, "theta": est.theta_.tolist(), "var": est.var_.tolist(),
                                "class_count": est.class_count_.tolist(),
                                "epsilon": float(est.epsilon_)})
    return pred, checkpoints


def main():
    warnings.simplefilter("ignore")
    out = {"generator": "scikit-learn %s, numpy %s (classifiers/testdata/gen_reference.py)"
                        % (sklearn.__version__, np.__version__),
           "streams": {}, "cases": []}
    for name, (X, y, classes) in streams().items():
        out["streams"][name] = {"X": X.tolist(), "y": y.tolist(), "classes": classes}
        for learner, params, make in linear_configs():
            pred, cps = run_linear(make, X, y, classes)
            out["cases"].append({"stream": name, "learner": learner, "params": params,
                                 "pred": pred, "checkpoints": cps})
        pred, cps = run_nb(X, y, classes)
        out["cases"].append({"stream": name, "learner": "naive_bayes", "params": {},
                             "pred": pred, "checkpoints": cps})
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
