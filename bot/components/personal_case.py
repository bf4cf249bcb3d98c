"""The personal-case guard: a decision rule on the intent classifier's ranking (no Rasa import, so the
Flask-side tests and the calibration script use the very function the classifier runs)."""

from __future__ import annotations

PERSONAL_CASE = "personal_case"


def personal_case_guard(ranking: list[dict], topics: set[str] | frozenset[str], min_confidence: float | None,
                        *, intent: str = PERSONAL_CASE) -> list[dict]:
    """The ranking with ``intent`` moved to the top when a topic won but ``intent`` still has at least
    ``min_confidence`` of the belief: a resident describing their own case without case words ("the tax
    was computed from the wrong floor area") then goes to a caseworker instead of getting the topic's
    article. Answering a personal case with a generic article is the worse error, so a topic answer
    must leave little doubt that the message is a general question.

    ``ranking`` is the classifier's ``intent_ranking`` (``{"name", "confidence"}``, best first). When the
    rule fires, the two entries swap confidences, so the ranking stays a distribution and the
    FallbackClassifier after this component sees the decision as made (its threshold and ambiguity
    check still apply). The rule does nothing when the top intent is not a topic (chitchat, a request
    for a person, out-of-scope, personal_case itself) or ``min_confidence`` is None. The value is chosen
    by cross-validation on the training data only: benchmarks/personal_case_calibrate.py.
    """
    if min_confidence is None or not ranking or ranking[0]["name"] not in topics:
        return ranking
    found = next((i for i, r in enumerate(ranking) if r["name"] == intent), None)
    if found is None or ranking[found]["confidence"] < min_confidence:
        return ranking
    top, case = ranking[0], ranking[found]
    rest = [r for i, r in enumerate(ranking) if i not in (0, found)]
    return [{"name": case["name"], "confidence": top["confidence"]},
            {"name": top["name"], "confidence": case["confidence"]}, *rest]
