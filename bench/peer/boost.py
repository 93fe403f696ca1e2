"""The peer of archml's boosting stage for bench/boost.sh: `xgboost.train` (hist, 2
threads, no evaluation sets) on the workshop's features of the same rows archml trains
on (archml's stratified split, bench/peer/paysim_pipeline.py), with the workshop's
hyperparameters, base_score = the training prior and max_delta_step as archml resolves
them.

Usage: boost.py DATA.csv RESULT.json
RESULT.json: boosting wall and CPU seconds (time.perf_counter and resource.getrusage
around xgboost.train only), the matrix build time and the test rows' average precision
(scikit-learn's; the PR AUC parity of the issue is checked between archml's two engines,
which score the same way).
"""
import json
import resource
import sys
import time

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.metrics import average_precision_score

from paysim_pipeline import FEATURES, TARGET, archml_split, features

ROUNDS = 100
PARAMS = {"objective": "binary:logistic", "tree_method": "hist", "max_depth": 5,
          "subsample": 0.8, "eta": 0.2, "gamma": 4, "min_child_weight": 6, "nthread": 2,
          "max_bin": 256, "seed": 0}


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


frame = pd.read_csv(sys.argv[1])
train, _, test = archml_split(frame[TARGET].to_numpy())
parts = features({"train": frame.iloc[train], "test": frame.iloc[test]})
del frame
x_train, y_train = parts["train"]
x_test, y_test = parts["test"]

start = time.perf_counter()
dtrain = xgb.QuantileDMatrix(x_train, label=y_train, max_bin=256, nthread=2,
                             feature_names=FEATURES)
matrix_seconds = time.perf_counter() - start
prior = float(y_train.mean())
params = dict(PARAMS, base_score=prior, max_delta_step=1 if min(prior, 1 - prior) < 0.01 else 0)
start, cpu = time.perf_counter(), cpu_seconds()
booster = xgb.train(params, dtrain, num_boost_round=ROUNDS)
wall, cpu = time.perf_counter() - start, cpu_seconds() - cpu

scores = booster.predict(xgb.DMatrix(x_test, feature_names=FEATURES, nthread=2))
result = {"boosting_wall": wall, "boosting_cpu": cpu, "matrix": matrix_seconds,
          "test_ap": float(average_precision_score(y_test, scores)),
          "test_rows": int(len(y_test))}
with open(sys.argv[2], "w") as out:
    json.dump(result, out)
print(json.dumps(result))
