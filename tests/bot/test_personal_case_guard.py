"""bot.components.personal_case.personal_case_guard: a topic win with personal_case close behind goes to a
caseworker (the rule HybridIntentClassifier applies; its value is chosen by benchmarks/personal_case_calibrate.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.components.personal_case import personal_case_guard
from tinget.catalog import load_catalogue

ROOT = Path(__file__).resolve().parents[2]
TOPICS = frozenset(load_catalogue().topics)


def ranking(*pairs: tuple[str, float]) -> list[dict]:
    """The classifier's ``intent_ranking``: name and float confidence, best first, summing to about 1."""
    return [{"name": n, "confidence": c} for n, c in pairs]


CASES = [
    # (what, ranking, min_confidence, expected top, expected top confidence)
    ("topic sure, pc tiny: answered", ranking(("property_tax", 0.91), ("personal_case", 0.04), ("invoice_payment", 0.03)),
     0.20, "property_tax", 0.91),
    ("pc second above p: caseworker", ranking(("property_tax", 0.55), ("personal_case", 0.30), ("invoice_payment", 0.10)),
     0.20, "personal_case", 0.55),
    ("pc exactly p: caseworker", ranking(("social_assistance", 0.60), ("personal_case", 0.20)), 0.20, "personal_case", 0.60),
    ("pc third above p: caseworker", ranking(("water_sewage_fees", 0.45), ("invoice_payment", 0.25), ("personal_case", 0.22)),
     0.20, "personal_case", 0.45),
    ("pc just below p: answered", ranking(("water_sewage_fees", 0.70), ("personal_case", 0.19)), 0.20, "water_sewage_fees", 0.70),
    ("rule off (None): answered", ranking(("property_tax", 0.50), ("personal_case", 0.45)), None, "property_tax", 0.50),
    ("pc already top: unchanged", ranking(("personal_case", 0.80), ("property_tax", 0.15)), 0.20, "personal_case", 0.80),
    ("chitchat top: not a topic, unchanged", ranking(("thanks", 0.70), ("personal_case", 0.25)), 0.20, "thanks", 0.70),
    ("human_handoff top: unchanged", ranking(("human_handoff", 0.60), ("personal_case", 0.35)), 0.20, "human_handoff", 0.60),
    ("out_of_scope top: unchanged", ranking(("out_of_scope", 0.50), ("personal_case", 0.40)), 0.20, "out_of_scope", 0.50),
    ("pc absent from ranking: unchanged", ranking(("library", 0.90), ("swimming_sports", 0.05)), 0.20, "library", 0.90),
    ("empty ranking", [], 0.20, None, None),
]


@pytest.mark.parametrize(("what", "given", "p", "top", "confidence"), CASES, ids=[c[0] for c in CASES])
def test_guard(what, given, p, top, confidence):
    before = [dict(r) for r in given]
    out = personal_case_guard(given, TOPICS, p)
    assert given == before  # the classifier's ranking is not mutated
    if top is None:
        assert out == []
        return
    assert out[0] == {"name": top, "confidence": confidence}
    # still the same intents and the same confidences (swapped when the rule fires): a distribution
    assert sorted(r["name"] for r in out) == sorted(r["name"] for r in given)
    assert sorted(r["confidence"] for r in out) == sorted(r["confidence"] for r in given)
    if top == "personal_case" and given[0]["name"] != "personal_case":
        assert out[1] == {"name": given[0]["name"], "confidence": next(r["confidence"] for r in given
                                                                       if r["name"] == "personal_case")}


def test_product_config_sets_a_calibrated_value():
    pipeline = yaml.safe_load((ROOT / "bot" / "config.yml").read_text(encoding="utf-8"))["pipeline"]
    classifier = next(c for c in pipeline if c["name"].endswith("HybridIntentClassifier"))
    value = classifier.get("personal_case_min_confidence")
    assert value is None or 0.0 < value < 0.5
