"""tinget.shorthand: shorthand for a service written out for the intent model (table)."""

import pytest

from tinget.shorthand import written_out


@pytest.mark.parametrize(("text", "expected"), [
    ("ka kosta bhg", "ka kosta barnehage"),
    ("BHG pris?", "barnehage pris?"),
    ("søkt bhg-plass i mars", "søkt barnehageplass i mars"),
    ("når starter bhgen", "når starter barnehagen"),
    ("bhgx og abhg", "bhgx og abhg"),  # whole words only
    ("hva koster sfo", "hva koster sfo"),
    ("", ""),
])
def test_shorthand_is_written_out(text, expected):
    assert written_out(text) == expected


def test_the_model_reads_the_word_written_out_and_the_resident_sees_what_they_wrote(tmp_path):
    """'ka kosta bhg' was out_of_scope (0.80) with the trained model and opened a case."""
    from tests.conftest import Resident, dispose, make_app
    from tests.fake_rasa import fake_rasa

    sent: list[str] = []

    def reply(body):
        sent.append(body.get("message") or body.get("text"))
        return [{"recipient_id": body.get("sender", "x"), "custom": {"tinget": {
            "type": "chitchat", "intent": "greet", "confidence": 0.9, "text": "Hei"}}}]

    with fake_rasa(reply) as (url, _reached):
        app = make_app(tmp_path, RASA_URL=url)
        data = Resident(app.test_client(), lang="nn").say("ka kosta bhg").get_json()
        assert sent == ["ka kosta barnehage"]
        assert data["message"]["text"] == "ka kosta bhg"
        dispose(app)
