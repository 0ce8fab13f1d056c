"""item.table kept with the item; on SQLite, ids of deleted rows are never given out again

An item records its author's table when posted, so the record keeps it even where the author is
not known (anonymous items brought in by an import). On SQLite, item, theme, theme_group, note
and quote get AUTOINCREMENT: without it a new row takes the highest remaining id plus one, so
after `form_groups` an old group id named a new group (a phone tapping a stale group joined
another). PostgreSQL's sequences never reuse ids.

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

NEVER_REUSED = ("item", "theme", "theme_group", "note", "quote")


def upgrade() -> None:
    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("table", sa.String(length=200), server_default="", nullable=False))
    op.execute('UPDATE item SET "table" = COALESCE((SELECT participant."table" FROM participant '
               "WHERE participant.id = item.author_id), '')")
    if op.get_bind().dialect.name == "sqlite":
        # Rebuilding copies the rows into a new table; facilitation.migrate turns foreign keys
        # off around migrations, so dropping the old table cascades to nothing.
        for name in NEVER_REUSED:
            with op.batch_alter_table(name, recreate="always", table_kwargs={"sqlite_autoincrement": True}):
                pass


def downgrade() -> None:
    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.drop_column("table")
