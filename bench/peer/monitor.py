"""The peer of `archml monitor run`: the same data-quality check in Python as a data
scientist would write it. pandas reads the JSON-lines capture (pd.read_json, lines=True),
the request bodies (CSV rows of the training columns without the target) are parsed by
pd.read_csv, and for every feature of the baseline's statistics.json it computes the live
statistics and the drift distance with numpy/scipy: scipy.stats.ks_2samp's statistic
against the baseline's sketch for numbers (the L-infinity distance of the CDFs), the
largest difference of the category shares for strings. Violations use the same threshold
(comparison_threshold, raised to the KS critical value at alpha 0.001 for small samples).

Usage:
  monitor.py write CSV FIRST COUNT CAPTURE_DIR   capture file of COUNT requests, rows
                                                 FIRST.. of CSV, in the endpoint's format
  monitor.py check CAPTURE_DIR BASELINE_DIR      prints {"distances": ..., "violations": ...}
"""
import glob
import io
import json
import math
import os
import sys

import numpy as np
import pandas as pd
from scipy import stats


def write(csv_path, first, count, capture_dir):
    folder = os.path.join(capture_dir, "archml", "AllTraffic", "2026", "12", "08", "05")
    os.makedirs(folder, exist_ok=True)
    with open(csv_path) as source, open(os.path.join(folder, "capture.jsonl"), "w") as out:
        header = source.readline().rstrip("\n").split(",")
        target = header.index("isFraud")
        for _ in range(first):
            source.readline()
        for i in range(count):
            fields = source.readline().rstrip("\n").split(",")
            body = ",".join(v for c, v in enumerate(fields) if c != target) + "\n"
            out.write(json.dumps({
                "captureData": {
                    "endpointInput": {"observedContentType": "text/csv", "mode": "INPUT",
                                      "data": body, "encoding": "CSV"},
                    "endpointOutput": {"observedContentType": "text/csv", "mode": "OUTPUT",
                                       "data": "0.01\n", "encoding": "CSV"}},
                "eventMetadata": {"eventId": f"bench-{i}",
                                  "inferenceTime": "2026-12-08T05:00:00.000Z"},
                "eventVersion": "0"}) + "\n")


def check(capture_dir, baseline_dir):
    statistics = json.load(open(os.path.join(baseline_dir, "statistics.json")))
    constraints = json.load(open(os.path.join(baseline_dir, "constraints.json")))
    layout = json.load(open(os.path.join(baseline_dir, "baseline.json")))
    drift = constraints["monitoring_config"]["distribution_constraints"]
    frames = [pd.read_json(path, lines=True)
              for path in sorted(glob.glob(os.path.join(capture_dir, "**", "*.jsonl"),
                                           recursive=True))]
    capture = pd.concat(frames, ignore_index=True)
    bodies = capture["captureData"].map(lambda d: d["endpointInput"]["data"])
    rows = pd.read_csv(io.StringIO("".join(bodies)), header=None,
                       names=layout["training_columns"], dtype={"type": str})
    c = math.sqrt(-0.5 * math.log(0.001 / 2))
    distances, violations = {}, []
    for feature in statistics["features"]:
        name = feature["name"]
        live = rows[name]
        if "numerical_statistics" in feature:
            base = feature["numerical_statistics"]
            values = pd.to_numeric(live, errors="coerce").dropna().to_numpy()
            sketch = np.concatenate([np.asarray(level) for level in
                                     base["distribution"]["kll"]["sketch"]["data"]])
            distance = stats.ks_2samp(sketch, values).statistic
            configured = drift["comparison_threshold"]
            m = base["common"]["num_present"]
            _ = (values.mean(), values.std(), values.min(), values.max())  # live statistics
        else:
            base = feature["string_statistics"]
            m = base["common"]["num_present"]
            base_shares = {b["value"]: b["count"] / m
                           for b in base["distribution"]["categorical"]["buckets"]}
            live_shares = live.dropna().value_counts(normalize=True).to_dict()
            keys = set(base_shares) | set(live_shares)
            distance = max(abs(base_shares.get(k, 0) - live_shares.get(k, 0)) for k in keys)
            configured = drift["categorical_comparison_threshold"]
            values = live.dropna()
        n = len(values)
        threshold = max(configured, c * math.sqrt(1 / n + 1 / m))
        distances[name] = float(distance)
        if distance > threshold:
            violations.append({"feature_name": name, "constraint_check_type": "baseline_drift_check"})
    print(json.dumps({"records": len(capture), "rows": len(rows), "distances": distances,
                      "violations": violations}))


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
    else:
        check(sys.argv[2], sys.argv[3])
