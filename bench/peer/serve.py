"""The peer of `archml serve`: the same XGBoost model behind Python's standard HTTP server,
as a data scientist would serve it without a framework. ThreadingHTTPServer (HTTP/1.1
keep-alive), POST /invocations with text/csv raw rows (the training columns without the
target, as archml takes them), the same feature preparation as the bundle's fitted recipe
(one-hot of `type` with the fitted categories, the derived columns, min-max scaling with
the fitted bounds) in numpy, then python3-xgboost's inplace_predict; answers one
probability per line.

Usage: serve.py BUNDLE_DIR PORT
"""
import io
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import xgboost as xgb

COLUMNS = ["step", "type", "amount", "nameOrig", "oldbalanceOrg", "newbalanceOrig", "nameDest",
           "oldbalanceDest", "newbalanceDest", "isFlaggedFraud"]


def load(bundle_dir):
    bundle = json.load(open(os.path.join(bundle_dir, "bundle.json")))
    steps = bundle["recipe"]["steps"]
    categories = next(s for s in steps if "one_hot" in s)["fitted"][0]["categories"]
    scaled = {c["name"]: (c["min"], c["max"])
              for c in next(s for s in steps if "min_max" in s)["fitted"]}
    booster = xgb.Booster(model_file=os.path.join(bundle_dir, "model.json"))
    booster.set_param({"nthread": 1})
    return bundle["features"], categories, scaled, booster


FEATURES, CATEGORIES, SCALED, BOOSTER = load(sys.argv[1])


def prepare(text):
    rows = [line.split(",") for line in text.splitlines() if line.strip()]
    if any(len(r) != len(COLUMNS) for r in rows):
        raise ValueError(f"expected {len(COLUMNS)} fields per row")
    cols = list(zip(*rows))
    raw = {name: cols[i] for i, name in enumerate(COLUMNS)}
    num = {n: np.array(raw[n], dtype=np.float64) for n in
           ("step", "amount", "oldbalanceOrg", "newbalanceOrig", "oldbalanceDest",
            "newbalanceDest")}
    num["errorBalanceOrig"] = num["newbalanceOrig"] + num["amount"] - num["oldbalanceOrg"]
    num["errorBalanceDest"] = num["oldbalanceDest"] + num["amount"] - num["newbalanceDest"]
    num["hour"] = num["step"] % 24
    types = np.array(raw["type"])
    out = np.empty((len(rows), len(FEATURES)), dtype=np.float32)
    for j, name in enumerate(FEATURES):
        if name.startswith("type_"):
            out[:, j] = types == name[len("type_"):]
        else:
            lo, hi = SCALED[name]
            out[:, j] = (num[name] - lo) / (hi - lo)
    return out


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else Nagle + delayed ACK add 40 ms per keep-alive answer

    def log_message(self, *args):
        pass

    def reply(self, status, body, content_type="text/plain"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self.reply(200 if self.path == "/ping" else 404, "")

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        if self.path != "/invocations":
            return self.reply(404, "")
        if not body.strip():
            return self.reply(204, "")
        try:
            scores = BOOSTER.inplace_predict(prepare(body))
        except ValueError as error:
            return self.reply(400, str(error))
        self.reply(200, "".join(f"{float(s)!r}\n" for s in scores), "text/csv")


ThreadingHTTPServer.daemon_threads = True
server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[2])), Handler)
print(f"peer listening on http://127.0.0.1:{sys.argv[2]}", flush=True)
server.serve_forever()
