"""Peer for bench/monitoring.sh: XGBoost training in Python, optionally pushing each round's
validation metrics to a Pushgateway from the training callback, synchronously, as a
training script with prometheus_client's push_to_gateway does.

usage: push_rounds.py DATA.csv ROUNDS OUT.json [PUSHGATEWAY_URL]
"""
import json
import sys
import time
import urllib.request

import numpy as np
import pandas as pd
import xgboost as xgb

data, rounds, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
gateway = sys.argv[4] if len(sys.argv) > 4 else None

frame = pd.read_csv(data)
target = frame.pop("isFraud").to_numpy()
features = frame.select_dtypes("number").drop(columns=["isFlaggedFraud"], errors="ignore")
X = features.to_numpy(dtype=np.float32)
split = int(len(X) * 0.8)
dtrain = xgb.QuantileDMatrix(X[:split], label=target[:split], max_bin=256, nthread=2)
dvalid = xgb.QuantileDMatrix(X[split:], label=target[split:], ref=dtrain, nthread=2)


class PushEachRound(xgb.callback.TrainingCallback):
    def __init__(self, url):
        self.url = url + "/metrics/job/peer_training/instance/1"
        self.pushes = 0
        self.seconds = 0.0

    def after_iteration(self, model, epoch, evals_log):
        start = time.perf_counter()
        lines = []
        for data_name, metrics in evals_log.items():
            for name, values in metrics.items():
                lines.append(f'peer_metric{{metric="{data_name}:{name}"}} {values[-1]}')
        lines.append(f"peer_round {epoch}")
        request = urllib.request.Request(self.url, data=("\n".join(lines) + "\n").encode(),
                                         method="PUT")
        urllib.request.urlopen(request, timeout=2).read()
        self.pushes += 1
        self.seconds += time.perf_counter() - start
        return False


callbacks = [PushEachRound(gateway)] if gateway else []
params = dict(max_depth=5, eta=0.2, subsample=0.8, objective="binary:logistic",
              eval_metric=["auc", "aucpr"], nthread=2, tree_method="hist")
start = time.perf_counter()
xgb.train(params, dtrain, num_boost_round=rounds, evals=[(dvalid, "validation")],
          callbacks=callbacks, verbose_eval=False)
boosting = time.perf_counter() - start
json.dump({"boosting": boosting, "pushes": callbacks[0].pushes if callbacks else 0,
           "push_seconds": callbacks[0].seconds if callbacks else 0.0}, open(out, "w"))
