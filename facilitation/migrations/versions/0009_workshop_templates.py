"""workshop templates and the record's own sentences

`workshop_template`: a workshop's setup saved under a name, for new workshops on this site.
On `workshop`: `round_question` (the question the SWOT round answered), `panel` (the reflecting
team, one "name, role" a line), and the record's editable sentences `opening` and `method`
(empty: written from the workshop's data, as before).

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TEXTS = ("round_question", "opening", "method")


def upgrade() -> None:
    with op.batch_alter_table("workshop") as batch:
        for name in TEXTS:
            batch.add_column(sa.Column(name, sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("panel", sa.JSON(), nullable=True))
    op.create_table(
        "workshop_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("setup", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshop_template")),
        sa.UniqueConstraint("name", name=op.f("uq_workshop_template_name")),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("workshop_template")
    sqlite = op.get_bind().dialect.name == "sqlite"  # a recreated table keeps AUTOINCREMENT (0006)
    with op.batch_alter_table("workshop", table_kwargs={"sqlite_autoincrement": True} if sqlite else {}) as batch:
        for name in ("panel", *TEXTS):
            batch.drop_column(name)
