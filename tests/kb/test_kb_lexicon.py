"""The language switch knows the words of the municipality's own published KB articles (kb.store.kb_lexicon),
not only the repository's NLU examples, national KB texts and common words: a resident who writes only the
words of a local article ("Jokiniemen kirpputori", a Finnish article about a local flea market) is answered
in that article's language. The lexicon is built per municipality and KB version: no query of the
articles on each message, a rebuild after an edit (this process's at once, another's within the KB
cache's lifetime). Real app, temp SQLite; Rasa is down, so the first message becomes a case and the next
one goes through the paused branch (both detect the language)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, event, select, text

LOCAL_WORDS = "Jokiniemen kirpputori"  # Finnish to lingua, but no word the repository's lexicon knows


def add_article(app, status="published", **fields):
    from kb.models import Article
    from tinget.models import Municipality
    from web.extensions import db

    with app.app_context():
        m = db.session.scalar(select(Municipality).where(Municipality.slug == "fjordvik"))
        db.session.add(Article(municipality_id=m.id, intent="flea_market", lang="fi", status=status,
                               **{"title": "Kirpputori Jokiniemessä",
                                  "body": "Jokiniemen kirpputori on auki lauantaisin. [Lue lisää](https://fjordvik.example/kirpputori)",
                                  **fields}))
        db.session.commit()
        return m.id


def lang_of(reply) -> str:
    assert reply.status_code == 201, reply.get_json()
    return reply.get_json()["message"]["lang"]


def test_the_words_of_a_local_article_are_evidence_of_its_language(app, resident):
    from tinget.language import detect

    assert detect(LOCAL_WORDS, "nb", lexical=False).lang == "fi"  # lingua alone would switch ...
    assert detect(LOCAL_WORDS, "nb").lang == "nb"  # ... the repository's lexicon alone does not
    conv = resident()
    assert lang_of(conv.say(LOCAL_WORDS)) == "nb"
    add_article(app)  # an edit in this process: the next message sees it
    assert lang_of(conv.say(LOCAL_WORDS)) == "fi"  # paused branch (the first message opened a case)
    assert lang_of(resident().say(LOCAL_WORDS)) == "fi"  # the bot's branch


def test_drafts_placeholders_and_links_are_no_evidence(app):
    from kb.store import kb_lexicon
    from web.extensions import db

    mid = add_article(app, status="draft", title="Pulkkamäen valaistus",
                      body="{municipality.name}: [Pulkkamäki](https://example.org/kirppis)")
    with app.app_context():
        lex = kb_lexicon(db.session, mid)
        assert not lex.knows_any("fi", "Pulkkamäen valaistus")  # a draft is not published
        add_article(app, title="Otsikko", body="{municipality.name} [Lue](https://example.org/kirppis) kirppis@example.org")
        lex = kb_lexicon(db.session, mid)
        assert lex.knows_any("fi", "otsikko") and not lex.knows_any("fi", "kirppis municipality")


def test_no_query_of_the_articles_per_message_while_the_kb_is_unchanged(app, resident):
    from web.extensions import db

    with app.app_context():
        engine = db.engine
    reads = []

    def count(_conn, _cursor, statement, *_args):
        if "kb_article.body" in statement:
            reads.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        conv = resident()
        for text_ in ("Hvor mye koster SFO?", "Milloin kirjasto on auki?", "When is the library open?"):
            conv.say(text_)
        warm = len(reads)
        for text_ in ("Hvor mye koster SFO?", "Milloin kirjasto on auki?", "When is the library open?") * 2:
            conv.say(text_)
        assert len(reads) == warm, "the articles were read again without a KB change"
        add_article(app)
        conv.say(LOCAL_WORDS)
        conv.say("Hvor mye koster SFO?")
        assert len(reads) == warm + 1, "one read after the change"
    finally:
        event.remove(engine, "before_cursor_execute", count)


@pytest.fixture
def short_ttl(monkeypatch):
    from kb import store

    monkeypatch.setattr(store._cache, "ttl", 0.3)
    store._forget()
    return store


def test_an_article_published_by_another_process_counts_within_the_cache_lifetime(app, resident, short_ttl):
    import time

    add_article(app, status="draft")
    conv = resident()
    assert lang_of(conv.say(LOCAL_WORDS)) == "nb"  # the lexicon of this KB version is built and kept
    other = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])  # a second process's connection
    with other.begin() as conn:
        conn.execute(text("UPDATE kb_article SET status = 'published', updated_at = '2099-01-01 00:00:00' "
                          "WHERE intent = 'flea_market'"))
    other.dispose()
    time.sleep(0.35)
    assert lang_of(conv.say(LOCAL_WORDS)) == "fi"
