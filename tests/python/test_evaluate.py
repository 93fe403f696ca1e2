"""archml.evaluate: the evaluate job from Python gives `archml evaluate`'s evaluation."""
import json

import pytest

import archml


def test_evaluate_equals_the_cli(cli_training, cli, context, tmp_path):
    cli("evaluate", "--model", cli_training, "--baseline-column", "isFlaggedFraud",
        "--out", str(tmp_path / "cli"))
    expected = json.loads((tmp_path / "cli" / "evaluation.json").read_text())
    evaluation = archml.evaluate(cli_training, baseline_column="isFlaggedFraud",
                                 out=tmp_path / "py", context=context)
    got = evaluation.to_dict()
    assert got.keys() == expected.keys()
    for key in expected:
        if key not in ("timings", "seconds", "created_at"):
            assert got[key] == expected[key], key
    assert evaluation.rows > 0 and "test" in evaluation.rows_description
    assert "<iframe" in evaluation._repr_html_()
    scores = evaluation.scores()
    assert len(scores) == evaluation.rows
    # Recorded in the bundle's training run, beside `archml train`'s job.
    shown = json.dumps(json.loads(cli("runs", "show", "pytest/cli-trained", "--json").stdout))
    assert "evaluation" in shown


def test_evaluate_a_frame(cli_training, paysim, context, tmp_path):
    frame = archml.read_csv(paysim, context=context).head(3000)
    evaluation = archml.evaluate(archml.Bundle.load(cli_training, context=context), data=frame,
                                 out=tmp_path / "frame", context=context)
    assert evaluation.rows == 3000 and evaluation.rows_description.startswith("all")


def test_bad_input(cli_training, context, tmp_path):
    with pytest.raises(ValueError):
        archml.evaluate(cli_training, cutoff=1.5, out=tmp_path / "a", context=context)
    with pytest.raises(LookupError):
        archml.evaluate(cli_training, baseline_column="nope", out=tmp_path / "b",
                        context=context)
    with pytest.raises(FileNotFoundError):
        archml.evaluate(str(tmp_path / "none"), out=tmp_path / "c", context=context)
    with pytest.raises(ValueError):
        archml.evaluate(cli_training, words=("frauds",), out=tmp_path / "d", context=context)
