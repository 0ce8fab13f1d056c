"""undo steps: the facilitator's clustering steps, newest last, each with how to undo it

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "undo_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=32), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("inverse", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshop.id"], name=op.f("fk_undo_step_workshop_id_workshop"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_undo_step")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_undo_step_workshop_id"), "undo_step", ["workshop_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_undo_step_workshop_id"), table_name="undo_step")
    op.drop_table("undo_step")
