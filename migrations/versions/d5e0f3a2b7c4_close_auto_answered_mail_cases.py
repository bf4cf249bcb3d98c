"""mail cases the automatic reply answered: closed (they were left in the caseworkers' open queue)

Revision ID: d5e0f3a2b7c4
Revises: c4d8e2f1a9b3
Create Date: 2026-12-07 15:40:00

A data migration, no schema change. Since Dec 2026 a mail case the automatic reply answered is closed when
the reply is sent; cases answered so before stayed "answered", which the console lists as open, and
retention never deleted them. This closes those with a sent automatic reply, no caseworker reply, and
still "answered" (a resident who wrote again made the case new), as of the automatic reply. Every
deployment runs `tinget db upgrade`; `tinget mail close-auto-answered` does the same by hand. Idempotent.
Downgrade leaves them closed.
"""
from alembic import op
import sqlalchemy as sa


revision = 'd5e0f3a2b7c4'
down_revision = 'c4d8e2f1a9b3'
branch_labels = None
depends_on = None


def upgrade():
    mail_item = sa.table("mail_item", sa.column("case_id", sa.Integer), sa.column("direction", sa.String),
                         sa.column("auto_reply", sa.Boolean), sa.column("action", sa.String),
                         sa.column("received_at", sa.DateTime))
    case = sa.table("case", sa.column("id", sa.Integer), sa.column("conversation_id", sa.Integer),
                    sa.column("status", sa.String), sa.column("closed_at", sa.DateTime))
    message = sa.table("message", sa.column("id", sa.Integer), sa.column("conversation_id", sa.Integer),
                       sa.column("sender", sa.String))
    auto = (sa.select(mail_item.c.case_id, sa.func.max(mail_item.c.received_at).label("at"))
            .where(mail_item.c.direction == "out", mail_item.c.auto_reply.is_(True), mail_item.c.action == "sent",
                   mail_item.c.case_id.is_not(None))
            .group_by(mail_item.c.case_id).subquery())
    caseworker = (sa.select(message.c.id).where(message.c.conversation_id == case.c.conversation_id,
                                                message.c.sender == "caseworker").exists())
    conn = op.get_bind()
    rows = conn.execute(sa.select(case.c.id, auto.c.at).join(auto, auto.c.case_id == case.c.id)
                        .where(case.c.status == "answered", ~caseworker)).all()
    if rows:
        conn.execute(case.update().where(case.c.id == sa.bindparam("case_id"))
                     .values(status="closed", closed_at=sa.bindparam("at")),
                     [{"case_id": r.id, "at": r.at} for r in rows])


def downgrade():
    pass
