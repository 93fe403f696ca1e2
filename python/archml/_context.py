"""Where archml works: the workspace (catalog), the artifact store and the threads.

The same settings as the command line's global flags, read the same way: an argument
given here wins, else the environment (ARCHML_HOME, ARCHML_ARTIFACTS, ARCHML_THREADS,
the AWS_* variables of docs/artifacts.md), else the defaults (./.archml, every core).
Each call reads the environment afresh; nothing is kept between calls.
"""
import os

from . import _archml


class Context:
    """Settings for archml calls; every function takes one as ``context=``."""

    def __init__(self, home=None, artifacts=None, threads=None, quiet=False):
        self._native = _archml.Context(
            home=os.fspath(home) if home is not None else "",
            artifacts=str(artifacts) if artifacts is not None else "",
            threads=int(threads) if threads is not None else 0,
            quiet=bool(quiet),
            environment=dict(os.environ),
        )

    @property
    def home(self):
        return self._native.home

    @property
    def threads(self):
        return self._native.threads


def native(context):
    """The compiled context of ``context`` (None: from the environment)."""
    return (context if context is not None else Context())._native


def recorded_in(result):
    """(run id, experiment, run name) of a job's result."""
    run = result["run"]
    return run["id"], run["experiment"], run["name"]
