"""CLINC150: choose the out-of-scope threshold on the TRAIN split only, in-process (Rasa environment).

    .venv-rasa/bin/python benchmarks/clinc150_calibrate.py [--C 10] [--dense-weight 2] [--folds 5] [--cache DIR]

The same computation as benchmarks/clinc150.py's calibration (5-fold cross-validation over the whole
train split: the i-th example of each intent in fold i mod 5, the pipeline's classifier fitted on four
folds and scored on the fifth, so all 15,100 examples - the 100 out-of-scope ones included - are scored
out of fold; thresholds swept on those scores; benchmarks.clinc150.choose_threshold picks one), without
`rasa train`: the e5 vectors come from the encoder the E5Featurizer uses (CLINC messages are far below
its token cap) and the features and classifier are those of bot/components/hybrid_classifier.py with the
settings in bot/config.yml (--C/--dense-weight override them, to explore). The validation split is not read.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.clinc150 import (  # noqa: E402
    DATA,
    K_FOLDS,
    choose_threshold,
    fold_of,
    print_curve,
    sweep,
)
from bot.components.hybrid_classifier import HybridIntentClassifier, _vectorizer  # noqa: E402


def product_settings(config: Path = ROOT / "bot" / "config.yml") -> dict:
    """HybridIntentClassifier's settings as the product's pipeline configures them."""
    pipeline = yaml.safe_load(config.read_text(encoding="utf-8"))["pipeline"]
    given = next(c for c in pipeline if c["name"].endswith("HybridIntentClassifier"))
    return {**HybridIntentClassifier.get_default_config(), **{k: v for k, v in given.items() if k != "name"}}


def vectors(texts: list[str], cache: Path | None) -> np.ndarray:
    path = cache / "clinc150-train-e5.npy" if cache else None
    if path and path.exists():
        return np.load(path)
    from bot.components.e5_featurizer import _encoder

    encoder = _encoder()
    out = np.vstack([np.asarray(encoder.query(texts[i:i + 64]), dtype=np.float32)
                     for i in range(0, len(texts), 64)])
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, out)
    return out


def out_of_fold_probs(rows: list[dict], dense: np.ndarray, settings: dict, k: int) -> tuple[list[str], np.ndarray]:
    """Every row's class probabilities (columns: the sorted intents) from the classifier fitted without the
    row's fold. Also used by benchmarks/personal_case_calibrate.py."""
    from sklearn.linear_model import LogisticRegression

    folds = np.array(fold_of(rows, k))
    texts = [r["text"] for r in rows]
    classes = sorted({r["intent"] for r in rows})
    probs = np.zeros((len(rows), len(classes)), np.float32)
    for i in range(k):
        fit, held = np.flatnonzero(folds != i), np.flatnonzero(folds == i)
        vecs = {kind: _vectorizer(kind).fit([texts[j] for j in fit])
                for kind in ("char", "word") if settings[f"{kind}_weight"]}

        def features(part, vecs=vecs):
            blocks = [sp.csr_matrix(dense[part] * settings["dense_weight"])]
            blocks += [vecs[kind].transform([texts[j] for j in part]) * settings[f"{kind}_weight"] for kind in vecs]
            return sp.hstack(blocks).tocsr()

        started = time.monotonic()
        clf = LogisticRegression(C=settings["C"], max_iter=settings["max_iter"], class_weight="balanced")
        clf.fit(features(fit), [rows[j]["intent"] for j in fit])
        columns = [classes.index(c) for c in clf.classes_]
        probs[np.ix_(held, columns)] = clf.predict_proba(features(held))
        print(f"  fold {i}: fitted on {len(fit)} in {time.monotonic() - started:.0f} s", flush=True)
    return classes, probs


def out_of_fold(rows: list[dict], dense: np.ndarray, settings: dict, k: int) -> tuple[list[str], list[float]]:
    """Each row's top intent and its confidence from the classifier fitted without the row's fold."""
    classes, probs = out_of_fold_probs(rows, dense, settings, k)
    best = probs.argmax(axis=1)
    return [classes[c] for c in best], [float(p) for p in probs.max(axis=1)]


def main() -> None:
    settings = product_settings()
    ap = argparse.ArgumentParser()
    ap.add_argument("--C", type=float, default=settings["C"])
    ap.add_argument("--dense-weight", type=float, default=settings["dense_weight"])
    ap.add_argument("--folds", type=int, default=K_FOLDS)
    ap.add_argument("--cache", type=Path, help="keep the train split's e5 vectors here")
    ap.add_argument("--limit", type=int, default=0, help="use only about N training rows (quick check, no cache)")
    args = ap.parse_args()
    settings |= {"C": args.C, "dense_weight": args.dense_weight}
    rows = [json.loads(line) for line in (DATA / "clinc150-train.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    if args.limit:
        rows, args.cache = rows[:: max(1, len(rows) // args.limit)], None
    dense = vectors([r["text"] for r in rows], args.cache)
    # as benchmarks.clinc150.to_rasa_nlu: a text given twice for one intent is one training example
    first: dict[tuple[str, str], int] = {}
    for j, r in enumerate(rows):
        first.setdefault((r["intent"], r["text"]), j)
    keep = sorted(first.values())
    rows, dense = [rows[j] for j in keep], dense[keep]
    top, conf = out_of_fold(rows, dense, settings, args.folds)
    curve = sweep([r["intent"] for r in rows], top, conf)
    print(f"C={settings['C']}, dense_weight={settings['dense_weight']}, char_weight={settings['char_weight']}, "
          f"word_weight={settings['word_weight']}; {args.folds} folds")
    print_curve(curve, args.folds)
    best = choose_threshold(curve)
    s = curve[best]
    print(f"chosen threshold: {best} (train CV: in-scope {s['in_scope_accuracy']} %, oos recall {s['oos_recall']} %, "
          f"lower bound {s['oos_lower']} %)")


if __name__ == "__main__":
    main()
