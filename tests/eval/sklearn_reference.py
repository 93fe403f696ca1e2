"""Reference values from scikit-learn for tests/eval/sklearn_reference_test.cpp.

Usage: sklearn_reference.py INPUT.json OUTPUT.json
Input: {"binary": [{"scores", "labels", "cutoffs"}], "multiclass": [{"probabilities"
(rows of k), "labels", "classes"}], "regression": [{"predictions", "targets"}]}.
Output mirrors the input with sklearn's numbers per case.
"""
import json
import sys

import numpy as np
from sklearn import metrics


def binary_case(case):
    scores = np.asarray(case["scores"], dtype=np.float64)
    labels = np.asarray(case["labels"], dtype=np.int64)
    fpr, tpr, roc_thresholds = metrics.roc_curve(labels, scores)
    precision, recall, pr_thresholds = metrics.precision_recall_curve(labels, scores)
    out = {
        "roc_auc": metrics.roc_auc_score(labels, scores),
        "average_precision": metrics.average_precision_score(labels, scores),
        "log_loss": metrics.log_loss(labels, scores),
        "brier": metrics.brier_score_loss(labels, scores),
        # sklearn's first threshold is max + 1 (ours is +infinity): compare from the second.
        "roc_fpr": fpr.tolist(),
        "roc_tpr": tpr.tolist(),
        "roc_thresholds": roc_thresholds[1:].tolist(),
        # sklearn orders by descending recall; reversed here to match ours.
        "pr_precision": precision[::-1].tolist(),
        "pr_recall": recall[::-1].tolist(),
        "pr_thresholds": pr_thresholds[::-1].tolist(),
        "at_cutoff": [],
    }
    for cutoff in case["cutoffs"]:
        predicted = (scores >= cutoff).astype(np.int64)
        p, r, f, s = metrics.precision_recall_fscore_support(
            labels, predicted, labels=[0, 1], zero_division=0)
        averages = {}
        for average in ("macro", "weighted"):
            ap, ar, af, _ = metrics.precision_recall_fscore_support(
                labels, predicted, labels=[0, 1], average=average, zero_division=0)
            averages[average] = [ap, ar, af]
        out["at_cutoff"].append({
            "confusion": metrics.confusion_matrix(labels, predicted, labels=[0, 1]).ravel().tolist(),
            "accuracy": metrics.accuracy_score(labels, predicted),
            "precision": p.tolist(), "recall": r.tolist(), "f1": f.tolist(),
            "support": s.tolist(),
            "macro": averages["macro"], "weighted": averages["weighted"],
        })
    return out


def multiclass_case(case):
    probabilities = np.asarray(case["probabilities"], dtype=np.float64)
    labels = np.asarray(case["labels"], dtype=np.int64)
    classes = list(range(case["classes"]))
    predicted = probabilities.argmax(axis=1)
    p, r, f, s = metrics.precision_recall_fscore_support(
        labels, predicted, labels=classes, zero_division=0)
    return {
        "log_loss": metrics.log_loss(labels, probabilities, labels=classes),
        "accuracy": metrics.accuracy_score(labels, predicted),
        "macro_f1": metrics.f1_score(labels, predicted, labels=classes, average="macro",
                                     zero_division=0),
        "weighted_f1": metrics.f1_score(labels, predicted, labels=classes, average="weighted",
                                        zero_division=0),
        "confusion": metrics.confusion_matrix(labels, predicted, labels=classes).tolist(),
        "precision": p.tolist(), "recall": r.tolist(), "f1": f.tolist(), "support": s.tolist(),
    }


def regression_case(case):
    predictions = np.asarray(case["predictions"], dtype=np.float64)
    targets = np.asarray(case["targets"], dtype=np.float64)
    return {
        "rmse": float(np.sqrt(metrics.mean_squared_error(targets, predictions))),
        "mae": metrics.mean_absolute_error(targets, predictions),
        "r2": metrics.r2_score(targets, predictions),
        "mape": metrics.mean_absolute_percentage_error(targets, predictions),
    }


def main():
    with open(sys.argv[1]) as f:
        cases = json.load(f)
    out = {
        "binary": [binary_case(c) for c in cases["binary"]],
        "multiclass": [multiclass_case(c) for c in cases["multiclass"]],
        "regression": [regression_case(c) for c in cases["regression"]],
    }
    with open(sys.argv[2], "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
