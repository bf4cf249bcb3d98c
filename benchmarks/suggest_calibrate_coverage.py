"""When is a question "cross-lingual"? Choose CROSS_COVERAGE on repository data (never ../shared).

    nice -n 10 .venv/bin/python benchmarks/suggest_calibrate_coverage.py [--seed 13]

A municipality's KB is mostly in its own language; some articles may be translated (a few English or
Swedish pages). A question in such a language is pulled towards the translated articles whatever their
topic: a multilingual encoder scores same-language text higher, and BM25 finds a rare language's common
words distinctive. The cross-lingual ranking (question minus its language mean, CROSS_WEIGHTS; see
service.py) removes that pull, but where most articles exist in the question's language it costs.

Data: the national KB (kb/content/national) bokmål articles, plus, for each language L of sv/da/fi/en and
each coverage c in COVERAGES, the L articles of a random share c of the intents (seed); questions = the
L NLU training questions of suggest_calibrate.py's sample (250 per language, seed 13; the reference
questions left out); gold = the L article of the question's intent where it exists, else the bokmål one.
Each question is ranked both ways (same-language: plain cosines and WEIGHTS; cross-lingual: centred and
CROSS_WEIGHTS), with the service's language preference.

RULE (fixed before the first run): coverage = articles in the question's language family / articles in
the largest family. CROSS_COVERAGE = the smallest coverage level at which the same-language ranking's
top-1, averaged over the four languages, is at least the cross-lingual one's; the service ranks a
question cross-lingually when its family's coverage is below that. Never fails.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from suggest_calibrate import (  # noqa: E402
    CROSS_LANGS,
    Feats,
    kb_articles,
    never_fails,
    nlu_questions,
    replay,
    sample,
)

from suggester import service as S  # noqa: E402
from suggester.encoder import get_encoder  # noqa: E402

COVERAGES = (0.0, 0.1, 0.2, 0.35, 0.5, 0.75, 0.9, 1.0)


def run(args) -> None:
    t0 = time.perf_counter()
    docs = kb_articles()
    kb_keys = {(d.intent, d.lang) for d in docs}
    ans, _ = sample(nlu_questions(), kb_keys, 250, 13)
    reference = {q for qs in S.reference_questions().values() for q in qs}
    nb = [d for d in docs if d.lang == "nb"]
    intents = sorted(d.intent for d in nb)
    enc = get_encoder("e5")
    rows: dict[float, dict[str, tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="tinget-covcal-") as tmp:
        for lang in CROSS_LANGS:
            qs = [q for q in ans if q[2] == lang and q[0] not in reference and (q[1], "nb") in kb_keys]
            qv = enc.encode_queries([q[0] for q in qs])
            for c in COVERAGES:
                rng = random.Random(f"{args.seed}:{lang}:{c}")
                chosen = set(rng.sample(intents, round(c * len(intents))))
                kb = nb + [d for d in docs if d.lang == lang and d.intent in chosen]
                svc = S.SuggesterService(Path(tmp) / f"{lang}-{c}", enc, autosave=False)
                svc.build(kb)
                gold = [svc.slot_of[f"{q[1]}:{lang if q[1] in chosen else 'nb'}"] for q in qs]
                top1 = []
                for cross, weights in ((False, S.WEIGHTS), (True, S.CROSS_WEIGHTS)):
                    w = {f: v for f, v in weights.items() if svc.use_sparse or f != "sparse"}
                    hits = [replay(svc, Feats(svc, q[0], lang, v, cross=cross), w, 0.0)[0][0] == g
                            for q, v, g in zip(qs, qv, gold, strict=True)]
                    top1.append(float(np.mean(hits)))
                rows.setdefault(c, {})[lang] = (top1[0], top1[1])
                print(f"  {lang} coverage {c:4.2f} ({len(chosen):2d} of {len(intents)} intents translated, "
                      f"{len(qs)} questions): top-1 same-language ranking {top1[0]:.3f}, cross-lingual {top1[1]:.3f}"
                      f"  [{time.perf_counter() - t0:.0f} s]", flush=True)
    print("\ncoverage | same-language  cross-lingual (mean over " + "/".join(CROSS_LANGS) + ")")
    level = None
    for c in COVERAGES:
        plain = float(np.mean([v[0] for v in rows[c].values()]))
        cross = float(np.mean([v[1] for v in rows[c].values()]))
        print(f"  {c:4.2f}   |     {plain:.3f}        {cross:.3f}")
        if level is None and plain >= cross:
            level = c
    if level is None:
        level = COVERAGES[-1]
        print(f"\nthe cross-lingual ranking is at least as good at every level: the largest, {level}, is kept "
              "(above it, a language translated completely would be ranked cross-lingually too; not measured)")
    print(f"\n== chosen: CROSS_COVERAGE = {level}   # service.py {getattr(S, 'CROSS_COVERAGE', None)}; "
          f"total {time.perf_counter() - t0:.0f} s")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seed", type=int, default=13)
    never_fails(run, p.parse_args())


if __name__ == "__main__":
    main()
