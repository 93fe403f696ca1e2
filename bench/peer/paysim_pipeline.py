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
    scaler is fitted on "train"."""
    engineered = {name: engineer(part) for name, part in named_parts.items()}
    scaler = MinMaxScaler().fit(engineered["train"][SCALED])
    out = {}
    for name, part in engineered.items():
        part[SCALED] = scaler.transform(part[SCALED])
        out[name] = (part[FEATURES].to_numpy(dtype=np.float32), part[TARGET].to_numpy())
    return out
