"""Logs N metric points from Python through archml.start_run (run.log_metric, batched by
archml's JobRecorder into the workspace catalog) and prints the seconds from the first
call until the run has ended with every point stored, after checking they all are.
Usage: python3 bench/python_tracking.py HOME [POINTS]   (archml importable)"""
import os
import sqlite3
import sys
import time

import archml

home = sys.argv[1]
points = int(sys.argv[2]) if len(sys.argv) > 2 else 100000
context = archml.Context(home=home, quiet=True)
with archml.start_run(experiment="bench", run="tracking", context=context) as run:
    start = time.perf_counter()
    for i in range(points):
        # The peer's two series, one point per round each.
        key = "validation:auc" if i % 2 == 0 else "validation:aucpr"
        run.log_metric(key, 0.5 + (i % 1000) / 2000.0, step=i // 2)
seconds = time.perf_counter() - start
catalog = sqlite3.connect(os.path.join(home, "catalog.db"))
stored = catalog.execute("SELECT count(*) FROM metrics WHERE name LIKE 'validation:%'").fetchone()[0]
assert stored == points, (stored, points)
print(f"{seconds:.6f}")
