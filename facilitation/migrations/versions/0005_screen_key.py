"""screen key: a projector connects only with the key from the console's projector link

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-08 10:00:00
"""
import secrets

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.add_column(sa.Column('screen_key', sa.String(length=64), nullable=True))
    workshop = sa.table('workshop', sa.column('id', sa.Integer), sa.column('screen_key', sa.String))
    connection = op.get_bind()
    for (workshop_id,) in connection.execute(sa.select(workshop.c.id)).all():  # each its own key
        connection.execute(workshop.update().where(workshop.c.id == workshop_id)
                           .values(screen_key=secrets.token_urlsafe(16)))
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.alter_column('screen_key', existing_type=sa.String(length=64), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.drop_column('screen_key')
