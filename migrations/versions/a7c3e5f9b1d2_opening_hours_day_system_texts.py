"""the national system texts "opening_hours_weekdays/saturday/sunday" (a day's opening hours after an answer)

Revision ID: a7c3e5f9b1d2
Revises: f3b9d1e7c2a5
Create Date: 2026-12-07 21:00:00

A data migration, no schema change, as e8a1f6c2d9b4: an installation that loaded the national KB content
before these texts existed gets their national rows (the same texts as kb/content/national/system.yml); a
municipality's own text and an existing national row are left as they are. Without them a day follow-up
("og på søndag?") after the library, swimming pool or recycling station answer repeats the article, as before.
Downgrade removes the national rows.
"""
from alembic import op
import sqlalchemy as sa


revision = 'a7c3e5f9b1d2'
down_revision = 'f3b9d1e7c2a5'
branch_labels = None
depends_on = None

TEXTS = {
    ("opening_hours_weekdays", "nb"): "På hverdager er åpningstiden {hours}.",
    ("opening_hours_weekdays", "nn"): "På kvardagar er opningstida {hours}.",
    ("opening_hours_weekdays", "sv"): "På vardagar är öppettiden {hours}.",
    ("opening_hours_weekdays", "da"): "På hverdage er åbningstiden {hours}.",
    ("opening_hours_weekdays", "fi"): "Arkisin aukioloaika on {hours}.",
    ("opening_hours_weekdays", "en"): "On weekdays, the opening hours are {hours}.",
    ("opening_hours_saturday", "nb"): "På lørdager er åpningstiden {hours}.",
    ("opening_hours_saturday", "nn"): "På laurdagar er opningstida {hours}.",
    ("opening_hours_saturday", "sv"): "På lördagar är öppettiden {hours}.",
    ("opening_hours_saturday", "da"): "Om lørdagen er åbningstiden {hours}.",
    ("opening_hours_saturday", "fi"): "Lauantaisin aukioloaika on {hours}.",
    ("opening_hours_saturday", "en"): "On Saturdays, the opening hours are {hours}.",
    ("opening_hours_sunday", "nb"): "På søndager er åpningstiden {hours}.",
    ("opening_hours_sunday", "nn"): "På sundagar er opningstida {hours}.",
    ("opening_hours_sunday", "sv"): "På söndagar är öppettiden {hours}.",
    ("opening_hours_sunday", "da"): "Om søndagen er åbningstiden {hours}.",
    ("opening_hours_sunday", "fi"): "Sunnuntaisin aukioloaika on {hours}.",
    ("opening_hours_sunday", "en"): "On Sundays, the opening hours are {hours}.",
}
_TABLE = sa.table("kb_system_text", sa.column("municipality_id", sa.Integer), sa.column("key", sa.String),
                  sa.column("lang", sa.String), sa.column("text", sa.Text))


def upgrade():
    conn = op.get_bind()
    keys = sorted({key for key, _ in TEXTS})
    have = {tuple(row) for row in conn.execute(sa.select(_TABLE.c.key, _TABLE.c.lang).where(
        _TABLE.c.key.in_(keys), _TABLE.c.municipality_id.is_(None)))}
    rows = [{"municipality_id": None, "key": key, "lang": lang, "text": text}
            for (key, lang), text in TEXTS.items() if (key, lang) not in have]
    if rows:
        conn.execute(_TABLE.insert(), rows)


def downgrade():
    keys = sorted({key for key, _ in TEXTS})
    op.get_bind().execute(_TABLE.delete().where(_TABLE.c.key.in_(keys), _TABLE.c.municipality_id.is_(None)))
