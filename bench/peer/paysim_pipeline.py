"""The data side of the PaySim workshop pipeline in pandas + scikit-learn, shared by the
peers of `archml train` (train.py) and `archml tune` (tune.py): archml's stratified
70/20/10 split with seed 1729 and the features of examples/paysim/recipe.yaml, with
min-max fitted on the training rows only, in archml's feature order.
"""
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler

TARGET = "isFraud"
SEED = 1729
TYPES = ["CASH_IN", "CASH_OUT", "DEBIT", "PAYMENT", "TRANSFER"]
SCALED = ["step", "amount", "oldbalanceOrg", "newbalanceOrig", "oldbalanceDest",
          "newbalanceDest", "errorBalanceOrig", "errorBalanceDest", "hour"]
# archml's feature order: one-hot columns take the place of `type`, derived columns follow.
FEATURES = (["step"] + [f"type_{t}" for t in TYPES] +
            ["amount", "oldbalanceOrg", "newbalanceOrig", "oldbalanceDest", "newbalanceDest",
             "errorBalanceOrig", "errorBalanceDest", "hour"])


def split(frame):
    """Stratified 70/20/10 with the workshop's seed: (train, validation, test) frames."""
    train, rest = train_test_split(frame, test_size=0.3, stratify=frame[TARGET],
                                   random_state=SEED)
    validation, test = train_test_split(rest, test_size=1 / 3, stratify=rest[TARGET],
                                        random_state=SEED)
    return train, validation, test


def archml_split(labels, ratios=(0.7, 0.2, 0.1), seed=SEED):
    """archml's stratified split (src/archml/data/split.cpp) row for row: classes in
    ascending order, each shuffled by Fisher-Yates on one SplitMix64 stream, cut by the
    ratios. Returns (train, validation, test) arrays of row numbers, ascending. Where the
    objective is measured on the validation rows, both sides must use the same rows."""
    mask = (1 << 64) - 1
    state = seed
    parts = ([], [], [])
    for key in np.unique(labels):
        members = np.flatnonzero(labels == key).tolist()
        for i in range(len(members), 1, -1):
            state = (state + 0x9E3779B97F4A7C15) & mask
            z = state
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
            j = ((z ^ (z >> 31)) * i) >> 64
            members[i - 1], members[j] = members[j], members[i - 1]
        n = len(members)
        first = min(int(np.floor(n * ratios[0] + 1e-9)), n)
        second = min(max(int(np.floor(n * (ratios[0] + ratios[1]) + 1e-9)), first), n)
        parts[0].extend(members[:first])
        parts[1].extend(members[first:second])
        parts[2].extend(members[second:])
    return tuple(np.sort(np.array(part, dtype=np.int64)) for part in parts)


def engineer(part):
    """The recipe's steps before scaling."""
    part = part.drop(columns=["nameOrig", "nameDest", "isFlaggedFraud"])
    part = pd.get_dummies(part, columns=["type"], dtype=np.float64)
    for t in TYPES:  # unseen: ignore, and a type absent from a part is all zeros
        if f"type_{t}" not in part:
            part[f"type_{t}"] = 0.0
    part["errorBalanceOrig"] = part["newbalanceOrig"] + part["amount"] - part["oldbalanceOrg"]
    part["errorBalanceDest"] = part["oldbalanceDest"] + part["amount"] - part["newbalanceDest"]
    part["hour"] = part["step"] % 24
    return part


def features(named_parts):
    """{name: frame} with "train" among them -> {name: (float32 features, labels)}; the
    scaler is fitted on "train". The dict's frames are replaced as they are engineered and
    converted, so a caller that keeps no other reference holds one copy at a time, as a
    notebook that reassigns `train = engineer(train)` does."""
    for name in list(named_parts):
        named_parts[name] = engineer(named_parts[name])
    scaler = MinMaxScaler().fit(named_parts["train"][SCALED])
    out = {}
    for name in list(named_parts):
        part = named_parts.pop(name)
        part[SCALED] = scaler.transform(part[SCALED])
        out[name] = (part[FEATURES].to_numpy(dtype=np.float32), part[TARGET].to_numpy())
        del part
    return out
