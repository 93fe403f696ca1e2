"""archml.Bundle: a trained model bundle (model.json + bundle.json), loaded from a
folder, an s3:// URI or a models:/ URI exactly as the command line loads one."""
import json
import os

import numpy as np
import pandas as pd

from . import _archml
from ._context import native
from ._frames import to_columns


def _input(bundle, frame):
    """The columns of ``frame`` the recipe reads (the others are ignored, as the endpoint
    ignores them); a needed column that is absent is named by archml's error."""
    if not isinstance(frame, pd.DataFrame):
        frame = pd.DataFrame(frame)
    wanted = [name for name in bundle._native.input_columns if name in frame.columns]
    return to_columns(frame[wanted])


class Recipe:
    """The bundle's fitted recipe: the one transform from raw rows to features that
    training, `archml predict` and the endpoint all use."""

    def __init__(self, bundle):
        self._bundle = bundle

    @property
    def feature_names(self):
        return list(self._bundle._native.feature_names)

    def to_dict(self):
        return json.loads(self._bundle._native.recipe_json)

    def transform(self, frame, context=None):
        """The features of raw rows as a float32 DataFrame (NaN where missing)."""
        matrix = self._bundle._native.transform(native(context), _input(self._bundle, frame))
        return pd.DataFrame(matrix, columns=self.feature_names, index=frame.index, copy=False)


class Bundle:
    """A loaded bundle. ``predict`` scores raw rows (the columns of the training file,
    the target not needed) as the endpoint does; ``recipe.transform`` gives the
    features; ``booster`` is the model as an ``xgboost.Booster``."""

    def __init__(self, loaded):
        self._native = loaded
        self.recipe = Recipe(self)
        self._booster = None

    @classmethod
    def load(cls, uri, context=None):
        """A bundle folder, a training job's output folder, an s3:// URI or a
        models:/NAME/VERSION (or @alias) URI. Raises NotFoundError when there is none."""
        return cls(_archml.Bundle.load(native(context), os.fspath(uri)))

    @property
    def path(self):
        return self._native.directory

    @property
    def metadata(self):
        """bundle.json's content: target, classes, cutoff, hyperparameters, metrics..."""
        return json.loads(self._native.metadata_json)

    @property
    def kind(self):
        """"binary", "multiclass" or "regression"."""
        return self._native.kind

    @property
    def input_columns(self):
        """The raw columns the recipe reads, in training order."""
        return list(self._native.input_columns)

    @property
    def classes(self):
        return list(self._native.classes)

    @property
    def cutoff(self):
        return self._native.cutoff

    @property
    def booster(self):
        """The model as an ``xgboost.Booster`` (loaded from the bundle's model.json)."""
        if self._booster is None:
            import xgboost
            self._booster = xgboost.Booster(model_file=os.path.join(self.path, "model.json"))
        return self._booster

    def predict(self, frame, output="score,label", context=None):
        """Scores raw rows: a DataFrame with the columns `archml predict` writes, on the
        rows' index. Binary: ``score`` (the positive class's probability) and ``label``
        at the bundle's cutoff; multi-class: ``score`` (the top probability) and
        ``label``, or with ``output="probabilities"`` one ``p_<class>`` column per class
        then ``label``; regression: ``prediction``. Raises InvalidInputError (a
        ValueError) naming the row and column of a value the recipe refuses, NotFoundError
        for a column the recipe needs that the frame lacks."""
        if output not in ("score,label", "score", "probabilities"):
            raise ValueError(f"output takes 'score,label' or 'probabilities', not {output!r}")
        scores, labels = self._native.predict(native(context), _input(self, frame))
        if self.kind == "regression":
            return pd.DataFrame({"prediction": scores[:, 0]}, index=frame.index)
        classes = self.classes or [str(c) for c in range(max(2, scores.shape[1]))]
        names = np.array(classes, dtype=object)
        result = {}
        if output == "probabilities":
            if self.kind == "binary":
                result["p_" + classes[0]] = 1.0 - scores[:, 0]
                result["p_" + classes[1]] = scores[:, 0]
            else:
                for c, name in enumerate(classes):
                    result["p_" + name] = scores[:, c]
        else:
            result["score"] = scores[:, 0] if self.kind == "binary" else scores.max(axis=1)
        result["label"] = names[labels]
        return pd.DataFrame(result, index=frame.index)

    def __repr__(self):
        return f"archml.Bundle({self.path!r}, {self.kind})"
