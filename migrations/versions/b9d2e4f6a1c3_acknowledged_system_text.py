"""the national system text "acknowledged" (the bot's reply to a bare "ok", "selvä", "fint")

Revision ID: b9d2e4f6a1c3
Revises: a7c3e5f9b1d2
Create Date: 2026-12-07 23:40:00

A data migration, no schema change, as a7c3e5f9b1d2: an installation that loaded the national KB content
before this text existed gets its national rows (the same texts as kb/content/national/system.yml); a
municipality's own text and an existing national row are left as they are. Without them a bare "ok" gets no
text from the bot (bot.dialogue). Downgrade removes the national rows.
"""
import sqlalchemy as sa
from alembic import op

revision = 'b9d2e4f6a1c3'
down_revision = 'a7c3e5f9b1d2'
branch_labels = None
depends_on = None

TEXTS = {
    ("acknowledged", "nb"): "Greit. Er det noe mer jeg kan hjelpe deg med?",
    ("acknowledged", "nn"): "Greitt. Er det noko meir eg kan hjelpe deg med?",
    ("acknowledged", "sv"): "Okej. Är det något mer jag kan hjälpa dig med?",
    ("acknowledged", "da"): "Okay. Er der andet, jeg kan hjælpe dig med?",
    ("acknowledged", "fi"): "Selvä. Voinko auttaa vielä jossakin?",
    ("acknowledged", "en"): "All right. Is there anything else I can help you with?",
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
