"""pandas DataFrames to and from archml's columnar tables (src/python/columns.h).

A column crosses as (name, kind, values, extra): float64 and int64 arrays, bool arrays
with an optional missing mask, text as int32 codes into a list of categories. From
archml, the arrays own the memory archml filled, so numbers arrive without a copy.
"""
import html
import os

import numpy as np
import pandas as pd

from . import _archml
from ._context import native
from ._errors import InvalidInputError


def _categorical(codes, categories):
    """A Categorical over archml's codes. The dictionary's values are distinct by
    construction and every code is in range, so pandas' checks (a hash of every value,
    which costs more than reading a million IDs) are skipped where pandas allows it:
    its internal constructor from codes of the width it would choose, and a dtype made
    without validation (pandas 1.5 to 2.x). Elsewhere, the public, checked path."""
    categories = pd.Index(categories, dtype=object)
    from_fastpath = getattr(pd.CategoricalDtype, "_from_fastpath", None)
    simple_new = getattr(pd.Categorical, "_simple_new", None)
    if from_fastpath is None or simple_new is None:
        return pd.Categorical.from_codes(codes, categories=categories)
    width = np.int8 if len(categories) < 2**7 else np.int16 if len(categories) < 2**15 else np.int32
    return simple_new(codes.astype(width, copy=False), from_fastpath(categories, False))


def to_frame(columns):
    """A DataFrame of the tuples archml returned, sharing their numeric memory."""
    data = {}
    for name, kind, values, extra in columns:
        if kind == "string":
            data[name] = _categorical(values, extra)
        elif kind == "bool" and extra is not None:
            data[name] = pd.arrays.BooleanArray(values, extra.astype(bool))
        else:
            data[name] = values
    return pd.DataFrame(data, columns=[column[0] for column in columns], copy=False)


def _column(name, series):
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy(dtype=np.int32)
        return (name, "string", codes, [str(value) for value in dtype.categories])
    if pd.api.types.is_bool_dtype(dtype):
        if isinstance(dtype, np.dtype):
            return (name, "bool", series.to_numpy(dtype=np.uint8), None)
        mask = series.isna().to_numpy(dtype=np.uint8)
        return (name, "bool", series.fillna(False).to_numpy(dtype=np.uint8), mask)
    if pd.api.types.is_integer_dtype(dtype):
        if isinstance(dtype, np.dtype) or not series.hasnans:
            return (name, "int64", series.to_numpy(dtype=np.int64), None)
        return (name, "float64", series.to_numpy(dtype=np.float64, na_value=np.nan), None)
    if pd.api.types.is_float_dtype(dtype):
        return (name, "float64", series.to_numpy(dtype=np.float64, na_value=np.nan), None)
    if pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        return (name, "string", codes.astype(np.int32), [str(value) for value in uniques])
    raise InvalidInputError(
        f"column '{name}' has dtype {dtype}, which archml does not read; convert it to "
        "numbers, booleans or text first (e.g. df[col].astype(str))")


def to_columns(frame):
    """The tuples archml builds a table from, for a DataFrame (or a dict of columns)."""
    if isinstance(frame, dict):
        frame = pd.DataFrame(frame)
    if not isinstance(frame, pd.DataFrame):
        raise InvalidInputError(
            f"expected a pandas DataFrame, got {type(frame).__name__}")
    return [_column(str(name), series) for name, series in frame.items()]


def csv_options(sep=None, header=True, na_values=None, usecols=None, dtype=None, lenient=False):
    options = {"header": bool(header), "lenient": bool(lenient)}
    if sep is not None:
        options["delimiter"] = "\t" if sep in ("tab", "\\t") else sep
    if na_values is not None:
        options["na_values"] = [str(value) for value in na_values]
    if usecols is not None:
        options["usecols"] = [str(name) for name in usecols]
    if dtype is not None:
        options["dtype"] = {str(name): str(kind) for name, kind in dtype.items()}
    return options


def read_csv(path, sep=None, header=True, na_values=None, usecols=None, dtype=None,
             lenient=False, context=None):
    """Reads a CSV file (or .csv.gz) with archml's parallel reader into a DataFrame.

    Numeric columns are the reader's own memory (no copy), text columns are
    categoricals built from the reader's dictionary codes, a bool column with missing
    values is pandas' nullable boolean, an int column with missing values is float64
    with NaN (as pandas reads it). ``dtype`` maps column names to archml's types
    (int64, float64, bool, string); ``usecols`` keeps only the columns named;
    ``lenient`` skips malformed rows instead of raising. Raises NotFoundError for a
    missing file, InvalidInputError (a ValueError) for a malformed one.
    """
    columns, _report = _archml.read_csv(
        native(context), os.fspath(path),
        csv_options(sep, header, na_values, usecols, dtype, lenient))
    return to_frame(columns)


def data_file(data, out, context_native):
    """The CSV file a job reads for ``data``: a path as it is, a DataFrame written to
    OUT/data.csv with archml's writer (so the job records a file it can read again).
    Returns (path, whether a frame was written)."""
    if isinstance(data, (str, os.PathLike)):
        return os.fspath(data), False
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, "data.csv")
    _archml.write_csv(context_native, to_columns(data), path)
    return path, True


def framed_html(page):
    """A report page in an iframe of its own, so its styles stay out of the notebook's."""
    return ('<iframe style="width:100%;height:720px;border:0" srcdoc="'
            + html.escape(page, quote=True) + '"></iframe>')
