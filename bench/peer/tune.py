"""The peer of `archml tune` on PaySim: Optuna's TPE sampler tunes python3-xgboost over the
same search space, budget and static hyperparameters as bench/tune.yaml, on the same
features (paysim_pipeline.py), maximising the last round's validation aucpr.

Usage: tune.py DATA.csv TRIALS THREADS [RESULT.json]   (sampler seed: $TUNE_SEED, default 7)
The matrices are built once, before the first trial, as archml builds them. Prints one
line per trial and, last, one JSON line: every trial's value and the seconds since the
script started at which it finished, the best value and the total wall time.
"""
import json
import os
import sys
import time

import optuna
import xgboost as xgb
import pandas as pd

from paysim_pipeline import FEATURES, TARGET, archml_split, features

start = time.perf_counter()
path, trials, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
ROUNDS = 100
SEED = int(os.environ.get("TUNE_SEED", "7"))  # bench/tune.sh passes its SEED

frame = pd.read_csv(path)
# archml's split, so that both sides measure PR AUC on the same validation rows. Pure
# Python: its seconds are left out of this side's times below.
split_start = time.perf_counter()
train_rows, validation_rows, _ = archml_split(frame[TARGET].to_numpy())
split_seconds = time.perf_counter() - split_start
train, validation = frame.iloc[train_rows], frame.iloc[validation_rows]
parts = features({"train": train, "validation": validation})
X_train, y_train = parts["train"]
X_valid, y_valid = parts["validation"]
dtrain = xgb.QuantileDMatrix(X_train, label=y_train, max_bin=256, nthread=threads,
                             feature_names=FEATURES)
# A plain DMatrix, as archml builds it: XGBoost 1.7 predicts on a quantised one (every
# round, for the metric) several times more slowly.
dvalid = xgb.DMatrix(X_valid, label=y_valid, nthread=threads, feature_names=FEATURES)
prepared = time.perf_counter() - start - split_seconds

# bench/tune.yaml's static hyperparameters; base_score is the training prior, as archml
# resolves it.
STATIC = {"objective": "binary:logistic", "tree_method": "hist", "max_bin": 256,
          "max_delta_step": 1, "eval_metric": "aucpr", "seed": 0, "nthread": threads,
          "base_score": float(y_train.mean())}
finished = []


def objective(trial):
    params = dict(STATIC,
                  eta=trial.suggest_float("eta", 0.01, 0.5, log=True),
                  max_depth=trial.suggest_int("max_depth", 3, 10),
                  min_child_weight=trial.suggest_float("min_child_weight", 0.5, 20, log=True),
                  subsample=trial.suggest_float("subsample", 0.5, 1.0),
                  colsample_bytree=trial.suggest_float("colsample_bytree", 0.5, 1.0),
                  gamma=trial.suggest_float("gamma", 0.0, 5.0),
                  reg_lambda=trial.suggest_float("lambda", 0.01, 10, log=True),
                  alpha=trial.suggest_float("alpha", 0.0, 2.0))
    params["lambda"] = params.pop("reg_lambda")
    history = {}
    xgb.train(params, dtrain, num_boost_round=ROUNDS, evals=[(dvalid, "validation")],
              evals_result=history, verbose_eval=False)
    value = float(history["validation"]["aucpr"][-1])
    finished.append({"trial": trial.number + 1, "value": value,
                     "end_seconds": time.perf_counter() - start - split_seconds})
    print(f"trial {trial.number + 1}: validation:aucpr {value:.6f} "
          f"at {finished[-1]['end_seconds']:.1f} s", flush=True)
    return value


optuna.logging.set_verbosity(optuna.logging.WARNING)
study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=SEED))
study.optimize(objective, n_trials=trials, n_jobs=1)
result = {"trials": finished, "best": study.best_value, "best_params": study.best_params,
          "prepare_seconds": prepared, "split_seconds": split_seconds,
          "rows": {"train": len(train_rows), "validation": len(validation_rows)},
          "wall_seconds": time.perf_counter() - start - split_seconds}
line = json.dumps(result)
if len(sys.argv) > 4:
    with open(sys.argv[4], "w") as out:
        out.write(line + "\n")
print(line)
