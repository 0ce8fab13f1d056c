"""retention: when a workshop was closed and how many days it is kept after; ids never reused

`workshop.closed_at` is set when the phase becomes `closed` (and cleared when it leaves it);
`workshop.retention_days` overrides the site's setting for one workshop. A workshop already
closed when this runs counts as closed now: an upgrade never deletes anything at once.
On SQLite, workshop and participant get AUTOINCREMENT (as item, theme and the rest did in
0003): a workshop created after a deleted one never gets its id, so nothing kept per workshop
id (rooms, a snapshot kept for joiners) can reach the new one. Notes by author and groups by
theme are indexed, so that the cascade of a deletion finds them.

Revision ID: 0006
Revises: 0005
"""
import datetime as dt

from alembic import op
import sqlalchemy as sa

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    more = {"recreate": "always", "table_kwargs": {"sqlite_autoincrement": True}} if sqlite else {}
    with op.batch_alter_table("workshop", **more) as batch_op:
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("retention_days", sa.Integer(), nullable=True))
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)  # UTC, as the app stores times
    op.execute(sa.text("UPDATE workshop SET closed_at = :now WHERE phase = 'closed'").bindparams(now=now))
    if sqlite:
        with op.batch_alter_table("participant", **more):
            pass
    # Deleting a workshop cascades through its people and themes: without these, each deleted
    # person or theme scanned every note or group (a full workshop took seconds to delete).
    op.create_index("ix_note_author_id", "note", ["author_id"])
    op.create_index("ix_theme_group_theme_id", "theme_group", ["theme_id"])


def downgrade() -> None:
    op.drop_index("ix_theme_group_theme_id", "theme_group")
    op.drop_index("ix_note_author_id", "note")
    with op.batch_alter_table("workshop") as batch_op:
        batch_op.drop_column("retention_days")
        batch_op.drop_column("closed_at")
