"""The issue's targets on the shared dev sets that are present (../shared/eval-data); skipped with
the reason when they are not there. Known misses are listed with the figure measured, as strict
xfails: when a miss is fixed the test says so and the entry must go."""

from __future__ import annotations

import pytest

from tests.conftest import SHARED

EVAL = SHARED / "eval-data"
STRICT = {"NATIONAL_ID", "PHONE", "EMAIL", "BANK_ACCOUNT"}

# (file, label) -> (min recall, min precision)
TARGETS = {
    ("municipal/pii-dev.jsonl", "PERSON"): (0.95, 0.90),
    ("municipal/pii-dev.jsonl", "ADDRESS"): (0.90, 0.0),
    **{("municipal/pii-dev.jsonl", label): (1.0, 0.98) for label in STRICT},
    **{("public/nordic-ids-valid-dev.jsonl", label): (1.0, 0.98) for label in STRICT},
    **{("public/nordic-ids-nearmiss-dev.jsonl", label): (1.0, 0.98) for label in STRICT},
    **{("public/presidio-synth-en-dev.jsonl", label): (1.0, 0.98) for label in STRICT},
    ("public/ner-ddt-da-dev.jsonl", "PERSON"): (0.85, 0.80),
    ("public/ner-swedish-sv-dev.jsonl", "PERSON"): (0.85, 0.80),
    ("public/ner-turku-fi-dev.jsonl", "PERSON"): (0.85, 0.80),
}
KNOWN_MISSES = {  # measured on this branch (overlap matching), see the closing note of the issue
}

_cache: dict[str, dict] = {}


def _summary(name: str, tmp_path_factory) -> dict:
    if name not in _cache:
        from privacy.evaluation import run_eval

        out = tmp_path_factory.mktemp("eval") / "predictions.jsonl"
        _cache[name] = run_eval(EVAL / name, out, baseline=False)
    return _cache[name]


@pytest.mark.parametrize("name,label", sorted(TARGETS), ids=[f"{n.split('/')[-1]}-{lab}" for n, lab in sorted(TARGETS)])
def test_dev_set_target(name, label, tmp_path_factory, request):
    if not (EVAL / name).exists():
        pytest.skip(f"{EVAL / name} is not here (the shared eval data lives beside the repository)")
    if (name, label) in KNOWN_MISSES:
        request.applymarker(pytest.mark.xfail(reason=f"known miss: {KNOWN_MISSES[(name, label)]}", strict=True))
    min_recall, min_precision = TARGETS[(name, label)]
    figures = _summary(name, tmp_path_factory)["overlap"]["per_label"].get(label)
    if figures is None:  # neither in the gold data nor predicted: nothing wrongly redacted
        return
    assert figures["recall"] >= min_recall and figures["precision"] >= min_precision, (
        f"{name} {label}: recall {figures['recall']} (target {min_recall}), "
        f"precision {figures['precision']} (target {min_precision}); tp/fp/fn "
        f"{figures['tp']}/{figures['fp']}/{figures['fn']}")
