"""archml.train: the training job of `archml train`, from Python, recorded in the catalog."""
import json
import os
import sys

from . import _archml
from ._bundle import Bundle
from ._context import native, recorded_in
from ._frames import csv_options, data_file


def _hyperparameter_text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(_hyperparameter_text(item) for item in value)
    return str(value)


def _default_out(data):
    if not isinstance(data, (str, os.PathLike)):
        return "train-dataframe"
    stem = os.path.basename(os.fspath(data))
    for suffix in (".gz", ".csv", ".tsv", ".txt"):
        if len(stem) > len(suffix) and stem.endswith(suffix):
            stem = stem[: -len(suffix)]
    return "train-" + stem


class Run:
    """A finished training: where it was recorded, its metrics and its bundle."""

    def __init__(self, result):
        self._result = result
        self.id, self.experiment, self.name = recorded_in(result)
        self.job_id = result["job_id"]
        self.out_dir = result["out_dir"]
        self.bundle_path = result["bundle_dir"]
        self.rows = result["rows"]
        self.features = result["features"]
        self.validation = result["validation"] or {}
        self.test = result["test"] or {}
        self.cutoff = result["cutoff"]
        self.rounds = result["rounds"]
        self.best_round = result["best_round"]
        self._bundle = None

    @property
    def metrics(self):
        """Final metrics: validation:* and test:* (as `archml runs show` lists them)."""
        metrics = dict(self.validation)
        metrics.update({name if name.startswith("test:") else "test:" + name: value
                        for name, value in self.test.items()})
        return metrics

    @property
    def evaluation(self):
        """summary.json of the job: final validation and test metrics, the cutoff and the
        costs behind it, stage timings."""
        with open(os.path.join(self.out_dir, "summary.json"), encoding="utf-8") as file:
            return json.load(file)

    @property
    def history(self):
        """metrics.json: every round's metrics."""
        with open(os.path.join(self.out_dir, "metrics.json"), encoding="utf-8") as file:
            return json.load(file)

    @property
    def bundle(self):
        if self._bundle is None:
            self._bundle = Bundle.load(self.bundle_path)
        return self._bundle

    def __repr__(self):
        return f"archml.Run({self.experiment}/{self.name}, id {self.id}, out {self.out_dir!r})"


def _in_notebook():
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and "IPKernelApp" in getattr(shell, "config", {})


def _progress_bar(progress, hyperparameters):
    """A tqdm bar over the boosting rounds (tqdm.auto: a widget in a notebook), or None.
    progress=None shows one when tqdm is there and the output is a notebook or a
    terminal; True asks for one (ImportError without tqdm); False shows none."""
    if progress is False:
        return None
    if progress is None:
        try:
            import tqdm  # noqa: F401
        except ImportError:
            return None
        if not (_in_notebook() or sys.stderr.isatty()):
            return None
    from tqdm.auto import tqdm
    rounds = (hyperparameters or {}).get("num_round")
    return tqdm(total=int(rounds) if rounds is not None else None, desc="boosting",
                unit="round", file=sys.stderr)


def train(data, target, recipe=None, hyperparameters=None, split=None, seed=1729,
          costs=(0, 100, 500, 100), positive_class=None, evaluate_train=False, out=None,
          experiment=None, run=None, on_round=None, progress=None, context=None, **csv):
    """Trains as `archml train` does and records the job in the catalog.

    ``data``: a CSV path or a DataFrame (written to OUT/data.csv with archml's writer, so
    the bundle records a file its evaluation can re-split). ``recipe``: a YAML/JSON
    file, or a dict (written to OUT/recipe.json); None is the automatic recipe.
    ``hyperparameters``: SageMaker names as in docs/hyperparameters.md, e.g.
    ``{"num_round": 100, "eval_metric": ["auc", "aucpr"]}``. ``on_round(round,
    metrics)`` is called after each boosting round; ``progress`` draws a tqdm bar of
    the rounds (None: in a notebook or on a terminal, when tqdm is installed). The GIL is
    released while the job
    runs; Ctrl-C stops it between rounds (the job is recorded Stopped) and raises
    KeyboardInterrupt. Returns a Run.
    """
    out = os.fspath(out) if out is not None else _default_out(data)
    context_native = native(context)
    path, written = data_file(data, out, context_native)
    if written:
        csv = {}
    if isinstance(recipe, dict):
        os.makedirs(out, exist_ok=True)
        recipe_file = os.path.join(out, "recipe.json")
        with open(recipe_file, "w", encoding="utf-8") as file:
            json.dump(recipe, file)
    else:
        recipe_file = os.fspath(recipe) if recipe is not None else ""
    arguments = {
        "data": path,
        "csv": csv_options(**csv),
        "target": str(target),
        "recipe": recipe_file,
        "split": split or "",
        "seed": int(seed),
        "hyperparameters": [f"{name}={_hyperparameter_text(value)}"
                            for name, value in (hyperparameters or {}).items()],
        "costs": [float(value) for value in costs],
        "positive_class": "" if positive_class is None else str(positive_class),
        "evaluate_train": bool(evaluate_train),
        "out": out,
        "experiment": experiment,
        "run": run,
        "on_round": on_round,
    }
    bar = _progress_bar(progress, hyperparameters)
    if bar is not None:
        def each_round(round, metrics):
            bar.update(1)
            bar.set_postfix({name: f"{value:.4f}" for name, value in metrics.items()},
                            refresh=False)
            if on_round is not None:
                on_round(round, metrics)
        arguments["on_round"] = each_round
    try:
        return Run(json.loads(_archml.train(context_native, arguments)))
    finally:
        if bar is not None:
            bar.close()
