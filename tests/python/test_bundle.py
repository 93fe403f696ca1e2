"""archml.Bundle: a CLI-trained bundle predicts in Python exactly as `archml predict`."""
import io
import os

import numpy as np
import pandas as pd
import pytest

import archml


def test_predict_equals_archml_predict(cli_training, paysim, cli, context, tmp_path):
    out = tmp_path / "predictions.csv"
    cli("predict", "--model", cli_training, "--data", paysim, "--out", str(out))
    expected = pd.read_csv(out, dtype={"label": str}, float_precision="round_trip")
    bundle = archml.Bundle.load(cli_training, context=context)
    assert bundle.kind == "binary"
    frame = archml.read_csv(paysim, context=context)
    predicted = bundle.predict(frame.drop(columns=["isFraud"]), context=context)
    assert list(predicted.columns) == ["score", "label"]
    # Bit for bit: the CLI writes each double in its shortest round-trip form.
    np.testing.assert_array_equal(predicted["score"].to_numpy(), expected["score"].to_numpy())
    assert predicted["label"].tolist() == expected["label"].tolist()


def test_predict_from_pandas_read_frame(cli_training, paysim, context):
    bundle = archml.Bundle.load(cli_training, context=context)
    ours = bundle.predict(archml.read_csv(paysim, context=context), context=context)
    theirs = bundle.predict(pd.read_csv(paysim).head(500), context=context)
    np.testing.assert_array_equal(ours["score"].to_numpy()[:500], theirs["score"].to_numpy())


def test_probabilities(cli_training, paysim, cli, context, tmp_path):
    out = tmp_path / "p.csv"
    cli("predict", "--model", cli_training, "--data", paysim, "--output", "probabilities",
        "--out", str(out))
    expected = pd.read_csv(out, dtype={"label": str}, float_precision="round_trip")
    frame = archml.read_csv(paysim, context=context)
    predicted = archml.Bundle.load(cli_training).predict(frame, output="probabilities",
                                                         context=context)
    assert list(predicted.columns) == list(expected.columns)
    for name in expected.columns[:-1]:
        np.testing.assert_array_equal(predicted[name].to_numpy(), expected[name].to_numpy())


def test_recipe_and_booster(cli_training, paysim, context):
    bundle = archml.Bundle.load(cli_training, context=context)
    frame = archml.read_csv(paysim, context=context).head(300)
    features = bundle.recipe.transform(frame, context=context)
    assert list(features.columns) == bundle.recipe.feature_names
    assert features.dtypes.unique().tolist() == [np.float32]
    assert features.shape == (300, len(bundle.recipe.feature_names))
    assert bundle.recipe.to_dict()  # the fitted statistics, as bundle.json has them
    import xgboost
    booster = bundle.booster
    assert isinstance(booster, xgboost.Booster)
    best = bundle.metadata["best_round"]
    scores = booster.predict(xgboost.DMatrix(features, missing=np.nan),
                             iteration_range=(0, best + 1))
    ours = bundle.predict(frame, context=context)["score"].to_numpy()
    np.testing.assert_allclose(scores, ours, rtol=1e-6, atol=1e-7)


def test_bad_input(cli_training, paysim, context, tmp_path):
    with pytest.raises(FileNotFoundError):
        archml.Bundle.load(str(tmp_path / "no-bundle"), context=context)
    bundle = archml.Bundle.load(cli_training, context=context)
    frame = archml.read_csv(paysim, context=context).head(5)
    with pytest.raises(FileNotFoundError) as caught:
        bundle.predict(frame.drop(columns=["amount"]), context=context)
    assert "amount" in str(caught.value)
    broken = frame.copy()
    broken["amount"] = broken["amount"].astype(float)
    broken.loc[2, "amount"] = np.inf
    with pytest.raises(ValueError) as caught:
        bundle.predict(broken, context=context)
    assert "amount" in str(caught.value)
    # Columns the recipe does not read are ignored, whatever their type; one it reads must
    # be numbers, booleans or text.
    bundle.predict(frame.assign(when=pd.Timestamp("2020-01-01")), context=context)
    with pytest.raises(ValueError):
        bundle.predict(frame.assign(amount=pd.Timestamp("2020-01-01")), context=context)
    with pytest.raises(ValueError):
        bundle.predict(frame, output="everything", context=context)


def test_load_a_registered_model(cli_training, paysim, cli, context):
    """models:/ URIs go through the CLI's fetch_bundle and the registry of the workspace."""
    cli("models", "register", cli_training, "--group", "pyfraud", "--description", "pytest")
    cli("models", "alias", "pyfraud", "champion", "1")
    frame = archml.read_csv(paysim, context=context).head(50)
    expected = archml.Bundle.load(cli_training, context=context).predict(frame, context=context)
    for uri in ("models:/pyfraud/1", "models:/pyfraud@champion"):
        got = archml.Bundle.load(uri, context=context).predict(frame, context=context)
        np.testing.assert_array_equal(got["score"].to_numpy(), expected["score"].to_numpy())
    with pytest.raises(FileNotFoundError):
        archml.Bundle.load("models:/pyfraud/9", context=context)


def test_an_unreachable_s3_store_is_an_os_error(monkeypatch, tmp_path):
    """s3:// URIs go through fetch_bundle with the environment's AWS settings, read when
    the Context is made; a store that does not answer is archml's I/O error."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "key")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens there
    context = archml.Context(home=tmp_path / "home", quiet=True)
    with pytest.raises(OSError) as caught:
        archml.Bundle.load("s3://bucket/run/bundle", context=context)
    assert isinstance(caught.value, archml.StorageError)
    assert "127.0.0.1:9" in str(caught.value)
