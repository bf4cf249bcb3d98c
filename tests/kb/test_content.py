"""The demo KB content: complete, every placeholder resolvable, loaded idempotently, answers with
local overrides and language fallback."""

from __future__ import annotations

import pytest
import yaml

from kb.importer import CONTENT_DIR, read_article_file
from kb.placeholders import MissingPlaceholder, fill, placeholder_values, used_placeholders
from tinget.catalog import LANGUAGES, load_catalogue

MUNICIPALITY = yaml.safe_load((CONTENT_DIR / "demo" / "municipality.yml").read_text(encoding="utf-8"))
ARTICLE_FILES = sorted(p for p in (CONTENT_DIR / "national").glob("*.yml") if p.name != "system.yml")


def test_every_topic_has_a_national_article_in_every_language_the_kb_has():
    """nb and en are required; any other language the KB has must cover every topic."""
    by_intent = {}
    for path in ARTICLE_FILES:
        for item in read_article_file(path):
            by_intent.setdefault(item["intent"], set()).add(item["lang"])
    present = set().union(*by_intent.values()) | {"nb", "en"}
    assert present <= set(LANGUAGES)
    for topic in load_catalogue().topics:
        assert present <= by_intent.get(topic, set()), f"{topic}: {sorted(by_intent.get(topic, []))}"


@pytest.mark.parametrize("path", ARTICLE_FILES + sorted((CONTENT_DIR / "demo" / "overrides").glob("*.yml")),
                         ids=lambda p: p.stem)
def test_every_placeholder_has_a_value(path):
    for item in read_article_file(path):
        values = placeholder_values(MUNICIPALITY, item["lang"])
        for text in (item["title"], item["body"], item["source_path"]):
            fill(text, values, strict=True)  # raises MissingPlaceholder naming the placeholder


def test_missing_placeholder_names_itself():
    with pytest.raises(MissingPlaceholder, match="fees.unknown"):
        fill("Pris: {fees.unknown}", {}, strict=True)
    assert used_placeholders("{municipality.name} og {fees.x}") == {"municipality.name", "fees.x"}


def test_loading_twice_changes_nothing(app):
    from web.demo import load_demo
    from web.extensions import db

    with app.app_context():
        _, report, _ = load_demo()
        assert report.created == 0 and report.updated == 0
        assert report.unchanged > 0
        db.session.remove()


def test_answer_prefers_local_override_and_falls_back_by_language(app):
    from sqlalchemy import select

    from kb.store import find_answer
    from tinget.models import Municipality
    from web.extensions import db

    overridden = {p.stem for p in (CONTENT_DIR / "demo" / "overrides").glob("*.yml")}
    with app.app_context():
        m = db.session.scalar(select(Municipality))
        for intent in overridden:
            answer = find_answer(db.session, m, intent, "nb")
            assert answer is not None and answer.overridden, intent
        answer = find_answer(db.session, m, "library", "nb")
        assert "{" not in answer.body, "placeholders are filled"
        assert answer.source_url.startswith("https://www.fjordvik.example/")
        assert find_answer(db.session, m, "no_such_intent", "nb") is None


# The municipality's name says it is one ("Fjordvik kommune", "Umeå kommun", "Aarhus Kommune"): a text
# that puts its own word for municipality before it reads "kunnan Fjordvik kommune" ("the municipality
# Fjordvik municipality's"), as every Finnish greeting did.
MUNICIPALITY_WORDS = {
    "nb": "kommunen|kommune|kommunens", "nn": "kommunen|kommune|kommunens", "da": "kommunen|kommune|kommunens",
    "sv": "kommunen|kommun|kommunens", "fi": r"kunta\w*|kunna\w*|kuntaa",
    "en": "municipality|municipality of|the municipality of",
}


def _national_texts():
    for path in ARTICLE_FILES:
        for item in read_article_file(path):
            yield path.stem, item["lang"], item["body"]
    system = yaml.safe_load((CONTENT_DIR / "national" / "system.yml").read_text(encoding="utf-8"))
    for key, texts in system["texts"].items():
        for lang, text in texts.items():
            yield f"system.{key}", lang, text


def test_no_text_calls_the_municipality_a_municipality_twice():
    import re

    doubled = [(where, lang) for where, lang, text in _national_texts()
               if re.search(rf"\b(?:{MUNICIPALITY_WORDS[lang]})\s+\{{municipality\.name\}}", text, re.I)]
    assert doubled == []
