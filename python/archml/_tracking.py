"""Tracking from user code: runs, parameters, metrics and artifacts written to the
catalog `archml runs list` reads (docs/catalog.md, docs/python.md)."""
import mimetypes
import os

import numpy as np

from . import _archml
from ._context import native


class ActiveRun:
    """One job in a run of the catalog, open until ``end()`` (or the end of a ``with``
    block). Metric points are buffered and written in batches (about every second, at
    100,000 points, and at the end); every method may be called from any thread."""

    def __init__(self, experiment=None, run=None, kind="training", context=None):
        self._native = _archml.TrackedRun(native(context), experiment, run, kind)
        info = self._native.info()
        self.id, self.experiment, self.name = info["id"], info["experiment"], info["name"]
        self.job_id, self.catalog = info["job_id"], info["catalog"]
        self._steps = {}

    def log_param(self, name, value):
        self._native.log_params([(str(name), str(value))])

    def log_params(self, params):
        """Records each NAME: VALUE of ``params`` (values as text)."""
        self._native.log_params([(str(name), str(value)) for name, value in params.items()])

    def log_metric(self, name, value, step=None):
        """One point of the series ``name``; ``step`` defaults to the series' last + 1
        (0 first)."""
        if step is None:
            step = self._steps.get(name, -1) + 1
        self._steps[name] = step
        self._native.log_metric(name, float(value), int(step))

    def log_metrics(self, metrics, step=None):
        """One point of each series of ``metrics`` (NAME: VALUE)."""
        for name, value in metrics.items():
            self.log_metric(name, value, step)

    def log_series(self, name, values, steps=None):
        """Many points of one series at once (NumPy arrays or sequences)."""
        values = np.ascontiguousarray(values, dtype=np.float64)
        if steps is None:
            start = self._steps.get(name, -1) + 1
            steps = np.arange(start, start + len(values), dtype=np.int64)
        steps = np.ascontiguousarray(steps, dtype=np.int64)
        self._native.log_metrics(name, steps, values)
        if len(steps):
            self._steps[name] = int(steps[-1])

    def log_artifact(self, path, name=None):
        """Records a file (its size and SHA-256), copied into the workspace's artifact store
        when it has one. Raises NotFoundError when ``path`` is not a file."""
        path = os.fspath(path)
        media_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        self._native.log_artifact(name or os.path.basename(path), os.path.abspath(path),
                                  media_type)

    def flush(self):
        """Writes the buffered metric points now."""
        self._native.flush()

    def end(self, status="completed", reason=""):
        """Ends the job: "completed", "failed" or "stopped" (with a reason)."""
        self._native.end(status, reason)

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if kind is None:
            self.end("completed")
        elif issubclass(kind, KeyboardInterrupt):
            self.end("stopped", "stopped from Python (KeyboardInterrupt)")
        else:
            self.end("failed", f"{kind.__name__}: {error}")
        return False

    def __repr__(self):
        return f"archml.ActiveRun({self.experiment}/{self.name}, id {self.id})"


def start_run(experiment=None, run=None, kind="training", context=None):
    """Starts a job in run ``run`` of ``experiment`` (a new run when none is named; the
    experiment defaults to the workspace's, else "default"). Use as a context manager."""
    return ActiveRun(experiment, run, kind, context)
