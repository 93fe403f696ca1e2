#!/usr/bin/python3
"""Optuna's TPE sampler on the test functions of bench/functions.py, the peer of
bench/optimiser.sh: same functions, same ranges, same evaluation budget.

Usage: optuna_functions.py FUNCTION SEED EVALUATIONS   -> prints "best: VALUE"
"""
import os
import sys

import optuna

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import functions  # noqa: E402  (bench/functions.py)

RANGES = {"branin": [(-5.0, 10.0), (0.0, 15.0)], "hartmann6": [(0.0, 1.0)] * 6,
          "rosenbrock5": [(-2.0, 2.0)] * 5}


def main():
    name, seed, evaluations = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    function, _ = functions.FUNCTIONS[name]
    ranges = RANGES[name]

    def objective(trial):
        x = [trial.suggest_float(f"x{i + 1}", low, high) for i, (low, high) in enumerate(ranges)]
        return function(x)

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(direction="minimize", sampler=optuna.samplers.TPESampler(seed=seed))
    study.optimize(objective, n_trials=evaluations)
    print(f"best: {study.best_value:.10g}")


if __name__ == "__main__":
    main()
