"""The repository's calibration data for the suggester (benchmarks/data/faq_calibration.yml): its shape,
and that it holds no personal data: no national ID or bank account by the real redactor, and contact
details only the fictional municipality's (phones +47 55 60 xx xx, e-mail @kalvoy.example). The
redactor's PERSON/ADDRESS hits there are place and service names (it redacts on the safe side)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from privacy import redact

FAQ = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "faq_calibration.yml"
LANGS = {"nb", "nn", "sv", "da", "fi", "en"}


@pytest.fixture(scope="module")
def faq():
    return yaml.safe_load(FAQ.read_text("utf-8"))


def test_faq_calibration_set_has_sibling_articles_with_four_questions_each(faq):
    articles = faq["articles"]
    assert len(articles) == 72 and len({a["id"] for a in articles}) == 72
    assert set(Counter(a["topic"] for a in articles).values()) == {6}  # six siblings per topic
    for a in articles:
        assert a["question"].strip() and len(a["answer"].split()) >= 30
        assert len(a["queries"]) == 4 and all(q["lang"] in LANGS and q["text"].strip() for q in a["queries"])
    langs = Counter(q["lang"] for a in articles for q in a["queries"])
    assert set(langs) == LANGS and langs["nb"] > sum(langs.values()) / 2
    assert len(faq["unanswerable"]) == 30 and all(q["lang"] in LANGS for q in faq["unanswerable"])


def test_faq_calibration_set_holds_no_personal_data(faq):
    texts = [(a["answer"], "nb") for a in faq["articles"]] + [(a["question"], "nb") for a in faq["articles"]]
    texts += [(q["text"], q["lang"]) for a in faq["articles"] for q in a["queries"]]
    texts += [(q["text"], q["lang"]) for q in faq["unanswerable"]]
    public = {m.replace(" ", "") for t, _ in texts for m in re.findall(r"\b55 60 \d\d \d\d\b", t)}
    found = Counter()
    for text, lang in texts:
        found.update(k for k, n in redact(text, lang, allow=public).counts.items() if n)
    assert not {"NATIONAL_ID", "BANK_ACCOUNT"} & set(found), found
    numbers = [m for t, _ in texts for m in re.findall(r"(?<![\d,.])\d[\d ]{6,}\d(?![\d,.])", t)]
    assert all(re.fullmatch(r"55 60 \d\d \d\d", n) for n in numbers if len(n.replace(" ", "")) == 8), numbers
    emails = {m for t, _ in texts for m in re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", t)}
    assert emails and all(e.endswith("@kalvoy.example") for e in emails)
