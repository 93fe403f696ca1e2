"""The peer of `archml profile`: the statistics of the workshop's exploration notebook,
computed with pandas the way a data scientist would (read, describe, value counts,
class balance, per-class statistics, histograms, correlations with the target)."""
import json
import sys

import numpy as np
import pandas as pd

path, target = sys.argv[1], sys.argv[2]
frame = pd.read_csv(path)
numeric = frame.select_dtypes(include=["number", "bool"]).astype("float64")
categorical = frame.select_dtypes(exclude=["number", "bool"])

summary = {
    "rows": len(frame),
    "missing": frame.isna().sum().to_dict(),
    "describe": numeric.describe().to_dict(),
    "value_counts": {
        name: {
            "distinct": int(column.nunique()),
            "top": column.value_counts().head(10).to_dict(),
        }
        for name, column in categorical.items()
    },
    "target": frame[target].value_counts().to_dict(),
    "per_class": {
        f"{column}/{statistic}": values
        for (column, statistic), values in numeric.groupby(frame[target])
        .agg(["mean", "std", "max"])
        .to_dict()
        .items()
    },
    "histograms": {
        name: np.histogram(column.dropna(), bins=30)[0].tolist() for name, column in numeric.items()
    },
    "correlations": numeric.corr().to_dict(),
}
json.dumps(summary, default=str)
print(f"profiled {summary['rows']} rows")
