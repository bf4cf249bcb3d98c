"""Triage on the project's own synthetic mails (tests/mail/data, written by make_mails.py) through the
stable command `tinget eval mail DIR --predictions OUT --json`, with the trained model."""

from __future__ import annotations

import json

from click.testing import CliRunner

from tests.mail.conftest import DATA


def test_eval_mail_contract_and_targets_on_own_mails(tmp_path, model_available):
    from web.cli import cli

    out = tmp_path / "pred.jsonl"
    result = CliRunner().invoke(cli, ["eval", "mail", str(DATA), "--predictions", str(out), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output[result.output.index("{"):])
    preds = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(preds) == len(list(DATA.glob("*.eml")))
    for p in preds:
        assert set(p) == {"id", "action", "department", "intents", "auto_reply"}
        assert p["action"] in ("answer", "route", "set_aside")
        assert (p["department"] is None) == (p["action"] == "set_aside")
        assert not (p["auto_reply"] and p["action"] != "answer")
    assert summary["set_aside_precision"] == 100.0  # a resident's mail is never set aside
    assert summary["auto_reply_precision"] in (100.0, None)
    assert summary["action_accuracy"] >= 95.0 and summary["department_accuracy_routed"] >= 90.0


def test_eval_mail_says_what_is_missing(tmp_path):
    from web.cli import cli

    result = CliRunner().invoke(cli, ["eval", "mail", str(tmp_path), "--predictions", str(tmp_path / "o.jsonl")])
    assert result.exit_code != 0 and "no .eml files" in result.output


def test_set_aside_never_takes_a_residents_mail():
    """Resident mails with the words that set-aside rules look for, without the evidence they need."""
    from mail.classify import set_aside
    from mail.parse import parse_bytes
    from tests.mail.conftest import build

    residents = [
        build("Hei, dattera mi har hatt mye fravær fra skolen. Hvem snakker jeg med?", "Fravær"),
        build("Jeg er på ferie til 10. august. Kan dere sende vedtaket etter det? Saken gjelder byggesøknad.", "Ferie"),
        build("Jeg får ikke logget inn på Altinn for å sende byggesøknaden. Bilde: https://bilder.example/feil.png",
              "Innlogging"),
        build("Hello, I cannot log in to pay the invoice: https://pay.example/invoice/123 says my password expired?",
              "Invoice"),
        build("Hej! Vi har vunnit en tävling på skolan och vill boka simhallen. Hur gör vi?", "Simhallen"),
        build("Kan dere melde meg av SFO fra august?", "Avmelding SFO"),
        build("<p>Hei! Når er biblioteket åpent?</p><script>x()</script>", "Bibliotek", html=True),
    ]
    for raw in residents:
        assert set_aside(parse_bytes(raw)) is None, raw[:300]
