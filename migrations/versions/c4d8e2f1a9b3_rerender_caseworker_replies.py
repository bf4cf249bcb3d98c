"""caseworker replies: render their stored html again (line breaks and lists kept)

Revision ID: c4d8e2f1a9b3
Revises: b7e1c2d3a4f5
Create Date: 2026-12-07 15:00:00

A data migration, no schema change. Caseworker replies stored before the reply renderer kept line breaks
and lists (kb.render.reply_markdown_to_html, Dec 2026) had their greeting, list and signature joined into
one paragraph in their stored html; the widget and the console show that html. Every deployment runs
`tinget db upgrade`, so this replaces the one-off `tinget replies rerender` an operator had to remember
(the command stays, for a renderer changed again later). Only replies that have html are touched; the text
is not changed; rows are read and written in batches. Downgrade keeps the new html (it renders the same
stored text).
"""
from alembic import op
import sqlalchemy as sa


revision = 'c4d8e2f1a9b3'
down_revision = 'b7e1c2d3a4f5'
branch_labels = None
depends_on = None

BATCH = 500


def upgrade():
    from kb.render import reply_markdown_to_html

    message = sa.table("message", sa.column("id", sa.Integer), sa.column("sender", sa.String),
                       sa.column("text", sa.Text), sa.column("html", sa.Text))
    conn = op.get_bind()
    last = 0
    while True:
        rows = conn.execute(sa.select(message.c.id, message.c.text, message.c.html)
                            .where(message.c.sender == "caseworker", message.c.html != "", message.c.id > last)
                            .order_by(message.c.id).limit(BATCH)).all()
        if not rows:
            break
        last = rows[-1].id
        changed = [{"row_id": r.id, "new_html": html} for r in rows
                   if (html := reply_markdown_to_html(r.text or "")) != r.html]
        if changed:
            conn.execute(message.update().where(message.c.id == sa.bindparam("row_id"))
                         .values(html=sa.bindparam("new_html")), changed)


def downgrade():
    pass
