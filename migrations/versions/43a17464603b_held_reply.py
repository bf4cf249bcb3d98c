"""held_reply: a caseworker's reply that was not sent, kept for the page they are redirected to

Revision ID: 43a17464603b
Revises: b2d4f6a8c0e1
Create Date: 2026-12-07 23:00:00

A reply held back (the resident or a colleague wrote while the page was open, a placeholder left in it)
used to come back as the answer to the POST: reloading that page posted it again. The console now
redirects to the case page and keeps the text here until it is sent or discarded (web.services.held).
"""
from alembic import op
import sqlalchemy as sa


revision = '43a17464603b'
down_revision = 'b2d4f6a8c0e1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('held_reply',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('ciphertext', sa.LargeBinary(), nullable=False),
    sa.Column('draft_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_held_reply_case_id_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_held_reply_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_held_reply')),
    )
    with op.batch_alter_table('held_reply', schema=None) as batch_op:
        batch_op.create_index('uq_held_reply_case_user', ['case_id', 'user_id'], unique=True)
        batch_op.create_index(batch_op.f('ix_held_reply_created_at'), ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('held_reply', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_held_reply_created_at'))
        batch_op.drop_index('uq_held_reply_case_user')
    op.drop_table('held_reply')
