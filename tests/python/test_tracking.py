"""archml.start_run: runs, parameters, metrics and artifacts from user code, in the catalog
`archml runs list` reads."""
import json
import threading

import pytest

import archml


def test_a_tracked_run_shows_in_the_cli(cli, context, tmp_path):
    artifact = tmp_path / "notes.txt"
    artifact.write_text("hello")
    with archml.start_run(experiment="fraud", run="notebook", context=context) as run:
        run.log_params({"lr": 0.1, "layers": 3})
        for step in range(1000):
            run.log_metric("loss", 1.0 / (step + 1), step=step)
        run.log_metric("accuracy", 0.5)
        run.log_metric("accuracy", 0.75)
        run.log_artifact(artifact)
    assert run.experiment == "fraud" and run.name == "notebook"
    assert "notebook" in cli("runs", "list").stdout
    shown = json.dumps(json.loads(cli("runs", "show", "fraud/notebook", "--json").stdout))
    assert "Completed" in shown and "lr" in shown and "notes.txt" in shown
    metrics = cli("metrics", "fraud/notebook").stdout
    assert "loss" in metrics and "accuracy" in metrics


def test_metrics_from_threads_all_arrive(cli, context):
    with archml.start_run(experiment="fraud", run="threads", context=context) as run:
        def log(name):
            for step in range(5000):
                run.log_metric(name, float(step), step=step)
        threads = [threading.Thread(target=log, args=(f"series{i}",)) for i in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        run.log_series("bulk", [0.5] * 100)
    shown = json.loads(cli("runs", "show", "fraud/threads", "--json").stdout)
    text = json.dumps(shown)
    for i in range(4):
        assert f"series{i}" in text
    # every point written: the last step of each series is there
    assert "4999" in cli("metrics", "fraud/threads", "--json").stdout


def test_a_failing_block_fails_the_job(cli, context):
    with pytest.raises(ZeroDivisionError):
        with archml.start_run(experiment="fraud", run="broken", context=context) as run:
            run.log_metric("x", 1.0)
            1 / 0
    shown = json.dumps(json.loads(cli("runs", "show", "fraud/broken", "--json").stdout))
    assert "Failed" in shown and "ZeroDivisionError" in shown


def test_bad_input(context, tmp_path):
    run = archml.start_run(experiment="fraud", context=context)
    with pytest.raises(FileNotFoundError):
        run.log_artifact(tmp_path / "absent.bin")
    run.end()
    with pytest.raises(ValueError):
        run.log_metric("late", 1.0)
    with pytest.raises(ValueError):
        archml.start_run(experiment="fraud", kind="cooking", context=context)
