"""mail channel: mail_item

Revision ID: b7e1c2d3a4f5
Revises: 183dd50a72a6
Create Date: 2026-12-06 00:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b7e1c2d3a4f5'
down_revision = '183dd50a72a6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mail_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('message_id', sa.String(length=300), nullable=False),
    sa.Column('in_reply_to', sa.String(length=300), nullable=False),
    sa.Column('references', sa.JSON(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('sender', sa.LargeBinary(), nullable=False),
    sa.Column('sender_hash', sa.String(length=64), nullable=False),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('lang', sa.String(length=5), nullable=False),
    sa.Column('attachments', sa.JSON(), nullable=False),
    sa.Column('problems', sa.JSON(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('department', sa.String(length=64), nullable=True),
    sa.Column('intents', sa.JSON(), nullable=False),
    sa.Column('auto_reply', sa.Boolean(), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('set_aside_kind', sa.String(length=16), nullable=False),
    sa.Column('keep_until', sa.DateTime(), nullable=True),
    sa.Column('released_at', sa.DateTime(), nullable=True),
    sa.Column('deliveries', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_mail_item_case_id_case'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'], name=op.f('fk_mail_item_conversation_id_conversation'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_mail_item_municipality_id_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_item')),
    sa.UniqueConstraint('municipality_id', 'direction', 'message_id', name=op.f('uq_mail_item_municipality_id')),
    )
    with op.batch_alter_table('mail_item', schema=None) as batch_op:
        batch_op.create_index('ix_mail_item_sender', ['municipality_id', 'sender_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_item_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_item_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_item_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_item_received_at'), ['received_at'], unique=False)


def downgrade():
    with op.batch_alter_table('mail_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_item_received_at'))
        batch_op.drop_index(batch_op.f('ix_mail_item_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_mail_item_conversation_id'))
        batch_op.drop_index(batch_op.f('ix_mail_item_case_id'))
        batch_op.drop_index('ix_mail_item_sender')
    op.drop_table('mail_item')
