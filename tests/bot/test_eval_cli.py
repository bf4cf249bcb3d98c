"""`tinget eval intents` keeps its contract: predictions file with id/lang/intent/confidence/route
and a JSON summary."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

pytestmark = [pytest.mark.rasa, pytest.mark.slow]


def test_eval_intents_writes_predictions_and_summary(rasa_model, tmp_path):
    from web.cli import cli

    src = tmp_path / "mini.jsonl"
    rows = [
        {"id": "t1", "text": "Hva koster SFO?", "lang": "nb", "intent": "after_school_care"},
        {"id": "t2", "text": "When is the library open on Saturday?", "lang": "en", "intent": "library"},
        {"id": "t3", "text": "Skriv et dikt om våren", "lang": "nb", "intent": "out_of_scope"},
    ]
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    out = tmp_path / "pred.jsonl"
    result = CliRunner().invoke(cli, ["eval", "intents", str(src), "--predictions", str(out), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout[result.stdout.index("{"):])
    assert summary["overall"]["n"] == 3
    preds = [json.loads(line) for line in out.read_text().splitlines()]
    assert [p["id"] for p in preds] == ["t1", "t2", "t3"]
    for p in preds:
        assert set(p) == {"id", "lang", "intent", "confidence", "route"}
        assert p["route"] in ("answer", "chitchat", "handoff", "out_of_scope")
    assert preds[2]["route"] != "answer"
