"""Logs N metric points the way MLflow's SQLAlchemy tracking store does with SQLite:
one transaction per point (log_metric inserts the point, updates the latest value, and
commits). Same SQLite pragmas as archml (WAL, synchronous=NORMAL), so the difference is
the batching, not the durability setting. Prints the seconds it took.
Usage: /usr/bin/python3 bench/peer/catalog.py DB_FILE [POINTS]"""
import sqlite3
import sys
import time

path = sys.argv[1]
points = int(sys.argv[2]) if len(sys.argv) > 2 else 100000
db = sqlite3.connect(path, isolation_level=None)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=NORMAL")
db.execute("CREATE TABLE metrics (run_uuid TEXT, key TEXT, value REAL, timestamp INTEGER,"
           " step INTEGER, is_nan INTEGER, PRIMARY KEY (run_uuid, key, timestamp, step, value))")
db.execute("CREATE TABLE latest_metrics (run_uuid TEXT, key TEXT, value REAL, timestamp INTEGER,"
           " step INTEGER, is_nan INTEGER, PRIMARY KEY (run_uuid, key))")
start = time.perf_counter()
for i in range(points):
    key = "validation:auc" if i % 2 == 0 else "validation:aucpr"
    step, value, now = i // 2, 0.5 + (i % 1000) / 2000.0, int(time.time() * 1000)
    db.execute("BEGIN")
    db.execute("INSERT INTO metrics VALUES (?, ?, ?, ?, ?, 0)", ("run", key, value, now, step))
    db.execute("INSERT INTO latest_metrics VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT (run_uuid, key)"
               " DO UPDATE SET value = excluded.value, timestamp = excluded.timestamp,"
               " step = excluded.step WHERE excluded.step >= latest_metrics.step",
               ("run", key, value, now, step))
    db.execute("COMMIT")
seconds = time.perf_counter() - start
stored = db.execute("SELECT count(*) FROM metrics").fetchone()[0]
assert stored == points, (stored, points)
print(f"{seconds:.6f}")
