"""The system texts of bot.smalltalk ("acknowledged", "languages", "capabilities") reach a database loaded before
they existed through the data migration b2d4f6a8c0e1, the same six texts as kb/content/national/system.yml."""

from __future__ import annotations

import pytest

from tests.conftest import dispose, make_app

KEYS = ("acknowledged", "languages", "capabilities")


def test_the_migration_adds_the_texts_to_a_database_loaded_before_them(tmp_path):
    import yaml
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import select

    from kb.importer import CONTENT_DIR
    from kb.models import SystemText
    from kb.store import system_text
    from tinget.models import Municipality
    from web.extensions import db

    app = make_app(tmp_path)
    with app.app_context():
        downgrade(revision="a7c3e5f9b1d2")
        assert not db.session.scalars(select(SystemText).where(SystemText.key.in_(KEYS))).all()
        upgrade()
        national = yaml.safe_load((CONTENT_DIR / "national" / "system.yml").read_text(encoding="utf-8"))["texts"]
        for key in KEYS:
            rows = db.session.scalars(select(SystemText).where(SystemText.key == key)).all()
            assert {r.lang: r.text for r in rows} == national[key], key
        municipality = db.session.scalars(select(Municipality)).first()
        assert system_text(db.session, municipality, "capabilities", "nn").startswith(
            "Eg svarar på vanlege spørsmål om tenestene til Fjordvik kommune, til dømes barnehage og SFO")
    dispose(app)


@pytest.mark.parametrize("key", KEYS)
def test_each_text_is_written_in_the_six_languages(key):
    import yaml

    from kb.importer import CONTENT_DIR

    texts = yaml.safe_load((CONTENT_DIR / "national" / "system.yml").read_text(encoding="utf-8"))["texts"][key]
    assert sorted(texts) == ["da", "en", "fi", "nb", "nn", "sv"] and all(t.strip() for t in texts.values())
