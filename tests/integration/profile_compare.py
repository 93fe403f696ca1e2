"""Checks an archml profile.json against pandas computing the same statistics.

usage: profile_compare.py CSV PROFILE_JSON [TARGET]

Every statistic is compared with a tight tolerance; all differences are listed and the
exit status is 1 if there is any. archml counts bool columns as numeric 0/1 (pandas'
describe() skips them), so bools are converted to int here before comparing.
"""
import json
import math
import sys

import pandas as pd

REL = 1e-9
ABS = 1e-9


def close(ours, theirs, rel=REL, abs_=ABS):
    if ours is None:
        return theirs is None or (isinstance(theirs, float) and math.isnan(theirs))
    if theirs is None or (isinstance(theirs, float) and math.isnan(theirs)):
        return False
    theirs = float(theirs)
    return abs(ours - theirs) <= max(abs_, rel * max(abs(ours), abs(theirs)))


def label(value):
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def main():
    csv_path, json_path = sys.argv[1], sys.argv[2]
    target = sys.argv[3] if len(sys.argv) > 3 else None
    df = pd.read_csv(csv_path)
    profile = json.load(open(json_path))
    problems = []

    def check(what, ours, theirs, **tolerance):
        if not close(ours, theirs, **tolerance):
            problems.append(f"{what}: archml {ours!r} != pandas {theirs!r}")

    def same(what, ours, theirs):
        if ours != theirs:
            problems.append(f"{what}: archml {ours!r} != pandas {theirs!r}")

    same("rows", profile["rows"], len(df))
    same("column names", [c["name"] for c in profile["columns"]], list(df.columns))
    dtype_names = {"int64": "int64", "float64": "float64", "bool": "bool", "object": "string"}
    numeric = df.copy()
    for c in numeric.columns:
        if numeric[c].dtype == bool:
            numeric[c] = numeric[c].astype("int64")

    for column in profile["columns"]:
        name = column["name"]
        if name not in df:
            continue
        series = df[name]
        pandas_type = dtype_names.get(str(series.dtype), str(series.dtype))
        # pandas has no missing integers: an int column with gaps becomes float64.
        if (column["type"] == "int64" and pandas_type == "float64" and series.isna().any()
                and (series.dropna() % 1 == 0).all()):
            pandas_type = "int64"
        same(f"{name}.type", column["type"], pandas_type)
        same(f"{name}.missing", column["missing"], int(series.isna().sum()))
        same(f"{name}.count", column["count"], int(series.count()))
        if column["kind"] == "numeric":
            described = numeric[name].astype("float64").describe()
            for ours, theirs in [("mean", "mean"), ("std", "std"), ("min", "min"),
                                 ("p25", "25%"), ("p50", "50%"), ("p75", "75%"), ("max", "max")]:
                check(f"{name}.{ours}", column[ours], described[theirs])
        else:
            counts = series.value_counts()
            same(f"{name}.distinct", column["distinct"], int(series.nunique()))
            top = column["top"]
            same(f"{name}.top counts", [t["count"] for t in top],
                 [int(v) for v in counts.values[: len(top)]])
            for t in top:
                same(f"{name}.top[{t['value']}]", t["count"], int(counts.get(t["value"], -1)))
            same(f"{name}.other", column["other"], int(series.count()) - sum(t["count"] for t in top))

    if target:
        tgt = profile["target"]
        same("target.name", tgt["name"], target)
        counts = df[target].value_counts()
        theirs = {label(k): int(v) for k, v in counts.items()}
        same("target.counts", tgt["counts"], theirs)
        total = sum(theirs.values())
        for k, v in theirs.items():
            check(f"target.ratios[{k}]", tgt["ratios"].get(k), v / total)
        features = [c["name"] for c in profile["columns"]
                    if c["kind"] == "numeric" and c["name"] != target]
        grouped = numeric.groupby(df[target])[features].agg(["count", "mean", "std", "min", "max"])
        for feature in features:
            ours_feature = tgt["per_class"].get(feature)
            if ours_feature is None:
                problems.append(f"per_class.{feature}: missing from archml")
                continue
            for key in grouped.index:
                row = grouped.loc[key, feature]
                ours = ours_feature.get(label(key))
                if ours is None:
                    problems.append(f"per_class.{feature}[{label(key)}]: missing from archml")
                    continue
                same(f"per_class.{feature}[{label(key)}].count", ours["count"], int(row["count"]))
                for stat in ("mean", "std", "min", "max"):
                    check(f"per_class.{feature}[{label(key)}].{stat}", ours[stat], row[stat])

    corr_columns = profile["correlations"]["columns"]
    frame = numeric.copy()
    if target and frame[target].dtype == object:
        minority = frame[target].value_counts().idxmin()
        frame[target] = (frame[target] == minority).astype("float64").where(frame[target].notna())
    theirs = frame[corr_columns].astype("float64").corr()
    matrix = profile["correlations"]["matrix"]
    for i, a in enumerate(corr_columns):
        for j, b in enumerate(corr_columns):
            check(f"corr[{a}][{b}]", matrix[i][j], theirs.loc[a, b], rel=1e-9, abs_=1e-10)
    same("correlation columns", corr_columns,
         [c for c in df.columns if c in frame.select_dtypes("number").columns or c == target])

    if problems:
        print(f"{len(problems)} statistics differ from pandas:")
        for p in problems:
            print("  " + p)
        return 1
    print(f"OK: {len(profile['columns'])} columns, {profile['rows']} rows agree with pandas")
    return 0


if __name__ == "__main__":
    sys.exit(main())
