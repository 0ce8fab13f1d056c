"""timer and hidden items: the facilitator's countdown, items hidden from the board

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 17:35:17.648435
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('item', schema=None) as batch_op:
        # sa.false() renders as 0 on SQLite and false on PostgreSQL.
        batch_op.add_column(sa.Column('hidden', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.add_column(sa.Column('timer_ends_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('timer_seconds', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.drop_column('timer_seconds')
        batch_op.drop_column('timer_ends_at')

    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.drop_column('hidden')
