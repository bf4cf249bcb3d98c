"""Choose HybridIntentClassifier's ``personal_case_min_confidence`` by cross-validation on the TRAINING data only.

    .venv-rasa/bin/python benchmarks/personal_case_calibrate.py [--folds 5] [--cache DIR] [--max-topic-cost 0.5]

The rule (bot.components.hybrid_classifier.personal_case_guard): when a topic intent wins but personal_case
has at least ``p`` of the classifier's belief, the message goes to a caseworker instead of getting the
topic's article. This script scores every training example out of fold and sweeps ``p``:

- data: every example under training_data/nlu (hand-written and generated), one example per (intent,
  text); nothing from ../shared/eval-data or benchmarks/probes is read;
- features: the e5 vectors of the product's E5Featurizer (same text capping), computed once (``--cache``
  keeps them), and the character/word n-grams refitted on each training fold, weighted as in
  bot/config.yml; the classifier is HybridIntentClassifier's logistic regression with the config's C;
- folds: the i-th example of each intent in fold i mod k (out_of_fold_probs of benchmarks/clinc150_calibrate.py);
- routing of each held-out example as in the bot: the guard, then the FallbackClassifier's threshold and
  ambiguity threshold from bot/config.yml; a message is *answered* when the final top intent is a topic
  and the fallback did not fire;
- measures: topic accuracy (topic examples answered with their own topic) and protection (personal_case
  and out_of_scope examples NOT answered with a topic);
- choice: among the values whose topic accuracy is at most ``--max-topic-cost`` points (default 0.5) below
  the rule-off accuracy, the one with the highest protection; ties go to the larger ``p`` (the rule that
  intervenes least). The chosen value is printed; put it in bot/config.yml.

Caveat: the generated personal_case examples come from templates, so siblings of a held-out example are in
the training folds and the CV protection is optimistic; the topic-accuracy cost is the better-measured side.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.clinc150_calibrate import out_of_fold_probs, product_settings  # noqa: E402
from bot.components.personal_case import PERSONAL_CASE, personal_case_guard  # noqa: E402
from tinget.catalog import load_catalogue  # noqa: E402

GRID = [None] + [round(0.02 * i, 2) for i in range(1, 26)]  # 0.02 .. 0.50
SPECIAL = (PERSONAL_CASE, "out_of_scope")


def fallback_settings(config: Path = ROOT / "bot" / "config.yml") -> tuple[float, float]:
    pipeline = yaml.safe_load(config.read_text(encoding="utf-8"))["pipeline"]
    given = next(c for c in pipeline if c["name"] == "FallbackClassifier")
    return float(given["threshold"]), float(given["ambiguity_threshold"])


def training_rows(data: Path = ROOT / "training_data" / "nlu") -> list[dict]:
    """One row per (intent, text) with its language (the folder, or the generated file's suffix)."""
    from rasa.shared.nlu.training_data.loading import load_data

    rows, seen = [], set()
    for path in sorted(data.glob("**/*.yml")):
        lang = path.parent.name if path.parent.name != "generated" else path.stem.rsplit("_", 1)[-1]
        for example in load_data(str(path)).intent_examples:
            key = (example.get("intent"), example.get("text"))
            if key[0] and key[1] and key not in seen:
                seen.add(key)
                rows.append({"intent": key[0], "text": key[1], "lang": lang})
    return rows


def vectors(texts: list[str], cache: Path | None) -> np.ndarray:
    from bot.components.e5_featurizer import E5Featurizer, _encoder

    path = cache / "personal-case-train-e5.npy" if cache else None
    if path and path.exists():
        out = np.load(path)
        if len(out) == len(texts):
            return out
    config = E5Featurizer.get_default_config()
    featurizer = E5Featurizer.__new__(E5Featurizer)  # only its text capping is used: no graph context needed
    featurizer._config = config
    encoder = _encoder()
    out = np.vstack([np.asarray(encoder.query([featurizer._capped(t) for t in texts[i:i + 64]]), dtype=np.float32)
                     for i in range(0, len(texts), 64)])
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, out)
    return out


def routed(ranking: list[dict], topics: frozenset[str], p: float | None, threshold: float, ambiguity: float) -> str:
    """The topic the bot answers with, or "" (handoff, clarify, chitchat, out of scope)."""
    ranking = personal_case_guard(ranking, topics, p)
    top = ranking[0]
    if top["confidence"] < threshold or (len(ranking) > 1 and top["confidence"] - ranking[1]["confidence"] < ambiguity):
        return ""  # nlu_fallback: a clarifying question or a caseworker, never an article
    return top["name"] if top["name"] in topics else ""


def sweep(rows: list[dict], classes: list[str], probs: np.ndarray, topics: frozenset[str],
          threshold: float, ambiguity: float) -> dict:
    rankings = []
    for row in probs:
        order = np.argsort(-row)
        rankings.append([{"name": classes[i], "confidence": float(row[i])} for i in order])
    curve = {}
    for p in GRID:
        c: dict[str, Counter] = defaultdict(Counter)
        for r, ranking in zip(rows, rankings, strict=True):
            answer = routed(ranking, topics, p, threshold, ambiguity)
            for key in ("all", r["lang"]):
                if r["intent"] in topics:
                    c[key]["topic"] += 1
                    c[key]["topic_ok"] += answer == r["intent"]
                elif r["intent"] in SPECIAL:
                    c[key]["special"] += 1
                    c[key]["protected"] += answer == ""
                    if r["intent"] == PERSONAL_CASE:
                        c[key]["pc"] += 1
                        c[key]["pc_protected"] += answer == ""
        curve[p] = {key: {"topic_acc": round(100 * v["topic_ok"] / v["topic"], 2),
                          "protection": round(100 * v["protected"] / v["special"], 2),
                          "pc_protection": round(100 * v["pc_protected"] / v["pc"], 2)}
                    for key, v in c.items()}
    return curve


def choose(curve: dict, max_topic_cost: float) -> float | None:
    base = curve[None]["all"]["topic_acc"]
    allowed = [p for p, s in curve.items() if s["all"]["topic_acc"] >= base - max_topic_cost]
    return max(allowed, key=lambda p: (curve[p]["all"]["protection"], -1 if p is None else p))


def main() -> None:
    settings = product_settings()
    ap = argparse.ArgumentParser()
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--cache", type=Path, help="keep the training examples' e5 vectors here")
    ap.add_argument("--max-topic-cost", type=float, default=0.5, help="points of CV topic accuracy the rule may cost")
    args = ap.parse_args()
    threshold, ambiguity = fallback_settings()
    topics = frozenset(load_catalogue().topics)
    rows = training_rows()
    print(f"{len(rows)} training examples; C={settings['C']}, dense_weight={settings['dense_weight']}; "
          f"fallback {threshold}/{ambiguity}; {args.folds} folds", flush=True)
    started = time.monotonic()
    dense = vectors([r["text"] for r in rows], args.cache)
    print(f"  e5 vectors in {time.monotonic() - started:.0f} s", flush=True)
    classes, probs = out_of_fold_probs(rows, dense, settings, args.folds)
    curve = sweep(rows, classes, probs, topics, threshold, ambiguity)
    langs = sorted(k for k in curve[None] if k != "all")
    print("p      topic%  protect%  pc%     | topic% per language " + " ".join(langs))
    for p, s in curve.items():
        a = s["all"]
        print(f"{'off' if p is None else p:<6} {a['topic_acc']:<7} {a['protection']:<9} {a['pc_protection']:<7} | "
              + " ".join(f"{s[lang]['topic_acc']:>6}" for lang in langs))
    best = choose(curve, args.max_topic_cost)
    s, base = curve[best]["all"], curve[None]["all"]
    print(f"chosen personal_case_min_confidence: {best} (train CV: topic accuracy {s['topic_acc']} % vs "
          f"{base['topic_acc']} % without the rule; protection {s['protection']} % vs {base['protection']} %; "
          f"personal_case not answered {s['pc_protection']} % vs {base['pc_protection']} %)")


if __name__ == "__main__":
    main()
