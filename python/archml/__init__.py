"""archml from Python: read, profile, train, load bundles and predict, track runs.

The compiled module ``archml._archml`` is archml's own library; see docs/python.md.
"""
from ._archml import __version__
from ._bundle import Bundle, Recipe
from ._context import Context
from ._evaluate import Evaluation, evaluate
from ._errors import (ArchmlError, InternalError, InvalidInputError, NotFoundError,
                      StorageError, UnsupportedError)
from ._frames import read_csv
from ._profile import Profile, profile
from ._tracking import ActiveRun, start_run
from ._train import Run, train

__all__ = [
    "ActiveRun", "ArchmlError", "Bundle", "Context", "Evaluation", "InternalError",
    "InvalidInputError", "NotFoundError", "Profile", "Recipe", "Run", "StorageError",
    "UnsupportedError",
    "__version__", "evaluate", "profile", "read_csv", "start_run", "train",
]
