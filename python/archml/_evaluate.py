"""archml.evaluate: the evaluate job of `archml evaluate`, from Python, recorded in the
catalog (in the bundle's training run unless another is named)."""
import json
import os

import pandas as pd

from . import _archml
from ._context import native, recorded_in
from ._frames import csv_options, data_file, framed_html


class Evaluation:
    """An evaluation: ``to_dict()`` is evaluation.json (docs/evaluation.md), ``html`` the
    page `archml evaluate` writes (inline in a notebook), ``scores()`` scores.csv."""

    def __init__(self, result):
        self._result = result
        self.run_id, self.experiment, self.run_name = recorded_in(result)
        self.job_id = result["job_id"]
        self.rows = result["rows"]
        self.rows_description = result["rows_description"]
        self.json_path = result["json_path"]
        self.html_path = result["html_path"]
        self.scores_path = result["scores_path"]

    def to_dict(self):
        return self._result["evaluation"]

    @property
    def metrics(self):
        return self._result["evaluation"].get("metrics", {})

    @property
    def html(self):
        with open(self.html_path, encoding="utf-8") as file:
            return file.read()

    def _repr_html_(self):
        return framed_html(self.html)

    def scores(self):
        """scores.csv as a DataFrame: each evaluated row's index in the file, label, scores."""
        return pd.read_csv(self.scores_path, float_precision="round_trip")

    def __repr__(self):
        return f"archml.Evaluation({self.rows} rows: {self.rows_description}, {self.json_path!r})"


def evaluate(model, data=None, rows=None, costs=None, cutoff=None, baseline_column=None,
             words=None, out="evaluation", experiment=None, run=None, context=None, **csv):
    """Evaluates a bundle (a path, s3:// or models:/ URI, or a Bundle or Run) as `archml
    evaluate` does. ``data``: a labelled CSV path or DataFrame (written to OUT/data.csv);
    None is the bundle's own training file, its ``rows`` part ("test" by default; "all"
    for given data). ``costs``: TN, FP, FN, TP; ``words``: (positives, rows) nouns for
    the plain-words summary. Writes OUT/evaluation.json, evaluation.html, scores.csv."""
    from ._bundle import Bundle
    from ._train import Run
    if isinstance(model, Run):
        model = model.bundle_path
    elif isinstance(model, Bundle):
        model = model.path
    out = os.fspath(out)
    context_native = native(context)
    path, written = data_file(data, out, context_native) if data is not None else ("", False)
    if written:
        csv = {}
    if words is not None and (len(words) != 2 or not all(words)):
        raise ValueError("words takes two plural nouns (positives, rows), e.g. "
                         "('frauds', 'transactions')")
    arguments = {
        "model": os.fspath(model),
        "data": path,
        "rows": rows or ("all" if path else "test"),
        "csv": csv_options(**csv),
        "costs": None if costs is None else [float(value) for value in costs],
        "cutoff": None if cutoff is None else float(cutoff),
        "baseline_column": baseline_column or "",
        "positives_noun": words[0] if words else "",
        "rows_noun": words[1] if words else "",
        "out": out,
        "experiment": experiment,
        "run": run,
    }
    return Evaluation(json.loads(_archml.evaluate(context_native, arguments)))
