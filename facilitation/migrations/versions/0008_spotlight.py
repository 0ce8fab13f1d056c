"""spotlight: what the facilitator shows large on the projector (null: nothing)

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workshop") as batch:
        batch.add_column(sa.Column("spotlight", sa.JSON(), nullable=True))


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"  # a recreated table keeps AUTOINCREMENT (0006)
    with op.batch_alter_table("workshop", table_kwargs={"sqlite_autoincrement": True} if sqlite else {}) as batch:
        batch.drop_column("spotlight")
