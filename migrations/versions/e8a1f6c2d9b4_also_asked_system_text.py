"""the national system text "also_asked" (the offer of another topic under an answer)

Revision ID: e8a1f6c2d9b4
Revises: d5e0f3a2b7c4
Create Date: 2026-12-07 18:15:00

A data migration, no schema change. National system texts reach the database from
kb/content/national/system.yml when the KB content is loaded; an installation that loaded it before Dec
2026 has no "also_asked", and without it the bot makes no offer for the second topic of a message
(web.services.also_asked). This adds the six national rows that are missing (the same texts as the file;
a municipality's own text and an existing national row are left as they are). Downgrade removes the
national rows.
"""
from alembic import op
import sqlalchemy as sa


revision = 'e8a1f6c2d9b4'
down_revision = 'd5e0f3a2b7c4'
branch_labels = None
depends_on = None

KEY = "also_asked"
TEXTS = {
    "nb": "Du spurte også om: {topics}",
    "nn": "Du spurde òg om: {topics}",
    "sv": "Du frågade också om: {topics}",
    "da": "Du spurgte også om: {topics}",
    "fi": "Kysyit myös aiheesta: {topics}",
    "en": "You also asked about: {topics}",
}
_TABLE = sa.table("kb_system_text", sa.column("municipality_id", sa.Integer), sa.column("key", sa.String),
                  sa.column("lang", sa.String), sa.column("text", sa.Text))


def upgrade():
    conn = op.get_bind()
    have = set(conn.execute(sa.select(_TABLE.c.lang).where(_TABLE.c.key == KEY,
                                                           _TABLE.c.municipality_id.is_(None))).scalars())
    rows = [{"municipality_id": None, "key": KEY, "lang": lang, "text": text}
            for lang, text in TEXTS.items() if lang not in have]
    if rows:
        conn.execute(_TABLE.insert(), rows)


def downgrade():
    op.get_bind().execute(_TABLE.delete().where(_TABLE.c.key == KEY, _TABLE.c.municipality_id.is_(None)))
