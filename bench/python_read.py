"""Reads FILE with archml.read_csv and with pandas.read_csv, each in a fresh process
(no warm allocator or cache of the other side's), RUNS times alternately, checks that
both frames hold the same values, and prints each side's best wall time and the ratio.
Usage: python3 bench/python_read.py FILE [RUNS]   (archml importable)"""
import subprocess
import sys

READERS = {
    "archml": "import archml; read = lambda path: archml.read_csv(path)",
    "pandas": "import pandas; read = lambda path: pandas.read_csv(path)",
}
TIMED = """
import sys, time
{setup}
start = time.perf_counter()
frame = read(sys.argv[1])
print(f"{{time.perf_counter() - start:.6f}} {{len(frame)}} {{len(frame.columns)}}")
"""


def timed(reader, path):
    out = subprocess.run([sys.executable, "-c", TIMED.format(setup=READERS[reader]), path],
                         check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), int(out[1]), int(out[2])


def same_values(path):
    import numpy as np
    import pandas
    import archml
    ours, theirs = archml.read_csv(path), pandas.read_csv(path)
    assert list(ours.columns) == list(theirs.columns)
    for name in theirs.columns:
        if theirs[name].dtype == object:
            assert (ours[name].astype(object) == theirs[name]).all(), name
        else:
            np.testing.assert_array_equal(ours[name].to_numpy(), theirs[name].to_numpy(), name)


path = sys.argv[1]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
best = {}
for run in range(runs):
    for reader in READERS:
        seconds, rows, columns = timed(reader, path)
        print(f"run {run + 1}: {reader:7s} {seconds:8.3f} s  ({rows:,} rows x {columns} columns)")
        best[reader] = min(best.get(reader, seconds), seconds)
same_values(path)
ratio = best["pandas"] / best["archml"]
print(f"best: archml.read_csv {best['archml']:.3f} s, pandas.read_csv {best['pandas']:.3f} s; "
      f"archml is {ratio:.1f}x faster; {'PASS' if ratio >= 8 else 'FAIL'} (goal: at least 8x); "
      "the frames hold the same values")
