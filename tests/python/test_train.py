"""archml.train: the CLI's training job from Python, recorded in the same catalog."""
import json
import os
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest

import archml
from conftest import HYPERPARAMETERS


def runs_show(cli, run):
    return json.loads(cli("runs", "show", str(run), "--json").stdout)


def test_train_from_a_path_predicts_as_the_cli(paysim, recipe_file, cli, cli_training,
                                                 context, tmp_path):
    rounds = []
    run = archml.train(paysim, target="isFraud", recipe=recipe_file,
                       hyperparameters=HYPERPARAMETERS, experiment="pytest", run="py-trained",
                       out=tmp_path / "py", on_round=lambda r, m: rounds.append((r, m)),
                       context=context)
    assert run.name == "py-trained" and run.experiment == "pytest"
    assert len(rounds) == 8 and "validation:auc" in rounds[-1][1]
    assert 0 < run.metrics["validation:auc"] <= 1
    assert run.rows["train"] + run.rows["validation"] + run.rows["test"] == 6000
    assert "test" in run.evaluation or run.evaluation  # summary.json
    assert len(run.history) > 0
    # The same data, recipe and hyperparameters as the CLI's training: the same model.
    cli_model = archml.Bundle.load(cli_training, context=context)
    frame = archml.read_csv(paysim, context=context)
    np.testing.assert_array_equal(run.bundle.predict(frame, context=context)["score"],
                                  cli_model.predict(frame, context=context)["score"])
    # The CLI predicts with the Python-trained bundle exactly as Python does.
    out = tmp_path / "cli.csv"
    cli("predict", "--model", run.bundle_path, "--data", paysim, "--out", str(out))
    np.testing.assert_array_equal(pd.read_csv(out, float_precision="round_trip")["score"].to_numpy(),
                                  run.bundle.predict(frame, context=context)["score"].to_numpy())
    # Recorded in the catalog the CLI reads.
    assert "py-trained" in cli("runs", "list").stdout
    shown = json.dumps(runs_show(cli, "pytest/py-trained"))
    assert "Completed" in shown and "validation:auc" in shown


def test_train_from_a_frame(paysim, context, tmp_path):
    frame = pd.read_csv(paysim)
    run = archml.train(frame, target="isFraud", hyperparameters={"num_round": 3},
                       out=tmp_path / "frame", context=context)
    assert os.path.exists(os.path.join(run.out_dir, "data.csv"))
    assert os.path.exists(os.path.join(run.out_dir, "recipe.yaml"))  # the automatic recipe
    scores = run.bundle.predict(frame.head(10), context=context)
    assert scores.shape == (10, 2)


def test_bad_input(paysim, context, tmp_path):
    with pytest.raises(ValueError) as caught:
        archml.train(paysim, target="isFraud", hyperparameters={"max_depht": 3},
                     out=tmp_path / "a", context=context)
    assert "max_depht" in str(caught.value)
    with pytest.raises(FileNotFoundError):
        archml.train(str(tmp_path / "absent.csv"), target="isFraud", out=tmp_path / "b",
                     context=context)
    with pytest.raises(LookupError):
        archml.train(paysim, target="isFrod", out=tmp_path / "c", context=context)
    with pytest.raises(ValueError):
        archml.train(paysim, target="isFraud", costs=(1, 2), out=tmp_path / "d",
                     context=context)


def test_an_exception_in_on_round_fails_the_job(paysim, context, cli, tmp_path):
    def explode(round, metrics):
        raise RuntimeError("stop here")
    with pytest.raises(RuntimeError, match="stop here"):
        archml.train(paysim, target="isFraud", hyperparameters={"num_round": 5},
                     experiment="pytest", run="exploded", out=tmp_path / "x", on_round=explode,
                     context=context)
    shown = json.dumps(runs_show(cli, "pytest/exploded"))
    assert "Failed" in shown and "stop here" in shown


CTRL_C = textwrap.dedent("""
    import os, signal, sys, archml
    context = archml.Context(home=sys.argv[2], threads=1, quiet=True)
    def announce(round, metrics):
        if round == 1:
            print("training", flush=True)
    for attempt in ("first", "second"):
        try:
            archml.train(sys.argv[1], target="isFraud", experiment="ctrl-c", run=attempt,
                         hyperparameters={"num_round": 100000, "max_depth": 6},
                         out=sys.argv[3] + attempt, on_round=announce, context=context)
            print("finished", flush=True)
        except KeyboardInterrupt:
            print("interrupted", flush=True)
    """)


def test_ctrl_c_stops_training(paysim, home, cli, tmp_path):
    """SIGINT (Ctrl-C) during boosting raises KeyboardInterrupt and records the job Stopped,
    twice in one interpreter (the second training must be interruptible too)."""
    child = subprocess.Popen([sys.executable, "-c", CTRL_C, paysim, home, str(tmp_path / "t-")],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = []
    for _ in range(2):
        line = child.stdout.readline().strip()
        assert line == "training", (line, child.stderr.read() if not line else "")
        child.send_signal(signal.SIGINT)
        lines.append(child.stdout.readline().strip())
    child.wait(timeout=60)
    assert lines == ["interrupted", "interrupted"], child.stderr.read()
    assert child.returncode == 0
    for attempt in ("first", "second"):
        shown = json.dumps(runs_show(cli, f"ctrl-c/{attempt}"))
        assert "Stopped" in shown, shown


def test_a_progress_bar_counts_the_rounds(paysim, context, tmp_path, capsys):
    rounds = []
    archml.train(paysim, target="isFraud", hyperparameters={"num_round": 4}, progress=True,
                 on_round=lambda r, m: rounds.append(r), out=tmp_path / "bar", context=context)
    assert len(rounds) == 4  # the user's callback still runs beside the bar
    err = capsys.readouterr().err
    assert "boosting" in err and "4/4" in err
    archml.train(paysim, target="isFraud", hyperparameters={"num_round": 2}, progress=False,
                 out=tmp_path / "quiet", context=context)
    assert "boosting" not in capsys.readouterr().err
