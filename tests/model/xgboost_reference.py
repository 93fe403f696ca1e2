"""Predictions from Python's xgboost for tests/model/xgboost_reference_test.cpp.

Usage: xgboost_reference.py DIR
DIR holds cases.json: [{"model": "m.json", "data": "x.f32", "rows": n, "cols": k}], the
models in XGBoost's JSON format and the rows as raw little-endian float32 (NaN missing).
Writes DIR/predictions.json: one flat list of floats per case, using the trees up to
best_iteration when the model records it, as archml does.
"""
import json
import os
import sys

import numpy as np
import xgboost as xgb


def main(directory):
    with open(os.path.join(directory, "cases.json")) as f:
        cases = json.load(f)
    out = []
    for case in cases:
        booster = xgb.Booster(model_file=os.path.join(directory, case["model"]))
        values = np.fromfile(os.path.join(directory, case["data"]), dtype="<f4")
        rows = values.reshape(case["rows"], case["cols"])
        best = booster.attr("best_iteration")
        rounds = int(best) + 1 if best is not None else 0
        matrix = xgb.DMatrix(rows, missing=np.nan, feature_names=booster.feature_names)
        predictions = booster.predict(matrix, iteration_range=(0, rounds))
        out.append({"predictions": predictions.ravel().astype(float).tolist(),
                    "feature_names": booster.feature_names,
                    "base_score": json.loads(booster.save_config())["learner"]
                    ["learner_model_param"]["base_score"]})
    with open(os.path.join(directory, "predictions.json"), "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main(sys.argv[1])
