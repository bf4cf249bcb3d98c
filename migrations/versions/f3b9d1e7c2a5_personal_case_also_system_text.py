"""the national system text "personal_case_also" (a case for the personal part of a message the bot answered)

Revision ID: f3b9d1e7c2a5
Revises: e8a1f6c2d9b4
Create Date: 2026-12-07 20:45:00

A data migration, no schema change, as e8a1f6c2d9b4: an installation that loaded the national KB content
before this text existed gets its six national rows (the same texts as kb/content/national/system.yml); a
municipality's own text and an existing national row are left as they are. Without it the notice after an
answer whose message also asked about the resident's own case would be empty. Downgrade removes the
national rows.
"""
from alembic import op
import sqlalchemy as sa


revision = 'f3b9d1e7c2a5'
down_revision = 'e8a1f6c2d9b4'
branch_labels = None
depends_on = None

KEY = "personal_case_also"
TEXTS = {
    "nb": "Det du skriver om din egen sak, må en saksbehandler se på. Jeg har sendt meldingen til {department}; du får svar her i chatten.",
    "nn": "Det du skriv om di eiga sak, må ein sakshandsamar sjå på. Eg har sendt meldinga til {department}; du får svar her i chatten.",
    "sv": "Det du skriver om ditt eget ärende behöver en handläggare titta på. Jag har skickat meddelandet till {department}; du får svar här i chatten.",
    "da": "Det, du skriver om din egen sag, skal en sagsbehandler se på. Jeg har sendt beskeden til {department}; du får svar her i chatten.",
    "fi": "Käsittelijän täytyy katsoa se, mitä kirjoitit omasta asiastasi. Välitin viestin käsittelijälle ({department}). Saat vastauksen tähän keskusteluun.",
    "en": "What you wrote about your own case needs a caseworker. I have passed your message to {department}; you will get an answer here in the chat.",
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
