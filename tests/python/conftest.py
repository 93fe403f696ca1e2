"""Fixtures of the archml Python suite (docs/python.md): the archml binary the round trips
compare against (ARCHML_BINARY, set by CTest), a generated PaySim-like file, and a
workspace per test session so every recorded run stays out of the source tree."""
import os
import subprocess

import pytest

import archml

PAYSIM_ROWS = 6000


@pytest.fixture(scope="session")
def archml_binary():
    binary = os.environ.get("ARCHML_BINARY")
    assert binary and os.access(binary, os.X_OK), \
        "ARCHML_BINARY must name the archml binary (CTest sets it)"
    return binary


@pytest.fixture(scope="session")
def home(tmp_path_factory):
    return str(tmp_path_factory.mktemp("archml-home"))


@pytest.fixture(scope="session")
def context(home):
    return archml.Context(home=home, threads=2, quiet=True)


@pytest.fixture(scope="session")
def cli(archml_binary, home):
    """Runs the archml binary on the suite's workspace; returns its completed process."""
    def run(*arguments, check=True):
        environment = dict(os.environ, ARCHML_HOME=home, ARCHML_THREADS="2")
        return subprocess.run([archml_binary, "--quiet", *arguments], env=environment,
                              capture_output=True, text=True, check=check)
    return run


@pytest.fixture(scope="session")
def paysim(cli, tmp_path_factory):
    path = str(tmp_path_factory.mktemp("data") / "paysim.csv")
    cli("datagen", "paysim", "--rows", str(PAYSIM_ROWS), "--seed", "11", "--out", path)
    return path


@pytest.fixture(scope="session")
def recipe_file():
    root = os.environ.get("ARCHML_SOURCE_DIR") or os.path.join(os.path.dirname(__file__), "..", "..")
    return os.path.join(root, "examples", "paysim", "recipe.yaml")


HYPERPARAMETERS = {"num_round": 8, "max_depth": 4, "eta": 0.3, "eval_metric": ["auc", "aucpr"]}


@pytest.fixture(scope="session")
def cli_training(cli, paysim, recipe_file, tmp_path_factory):
    """A bundle trained by `archml train`."""
    out = str(tmp_path_factory.mktemp("cli-train"))
    cli("train", "--data", paysim, "--target", "isFraud", "--recipe", recipe_file,
        "--hp", *[f"{k}={','.join(v) if isinstance(v, list) else v}"
                  for k, v in HYPERPARAMETERS.items()],
        "--experiment", "pytest", "--run", "cli-trained", "--out", out)
    return out
