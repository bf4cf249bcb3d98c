"""mail.nlu reads the trained model in-process and batched; it must give what the Rasa server itself
gives for the same texts (same intent, same confidence), or mail and chat would disagree."""

from __future__ import annotations

import pytest

TEXTS = [
    "Når er biblioteket åpent på lørdag?", "Hvor langt har søknaden min kommet?",
    "Kor kan eg levere ein gamal sofa?", "Vad kostar det att bada i simhallen?",
    "Hvornår er fristen for at søge børnehaveplads?", "Miten varaan ajan terveyskeskuslääkärille?",
    "How do I apply for a residents' parking permit?", "Jeg klager på vedtaket om skoleskyss.",
    "Skriv et dikt om katter", "Hei <PERSON>, ring meg på <PHONE>",
]


@pytest.mark.rasa
@pytest.mark.slow
def test_in_process_model_matches_the_rasa_server(rasa_stack, rasa_model):
    from mail.nlu import ModelNLU
    from web.services.rasa_client import RasaClient

    client = RasaClient(rasa_stack.rasa_url)
    nlu = ModelNLU(rasa_model)
    ours = nlu.parse_many(TEXTS)
    for text, mine in zip(TEXTS, ours, strict=True):
        theirs = client.parse(text)
        ranking = [r for r in theirs["intent_ranking"] if r["name"] != "nlu_fallback"]
        assert mine.intent == ranking[0]["name"], text
        assert mine.confidence == pytest.approx(ranking[0]["confidence"], abs=0.02), text
        assert mine.fallback == (theirs["intent"]["name"] == "nlu_fallback"), text
