"""The workshop's tables as typed SQLAlchemy models; constraints live in the database."""
from __future__ import annotations

import datetime as dt
import secrets
from typing import Any, Optional

import sqlalchemy as sa
import sqlalchemy.orm as so

PHASES = ("collect", "cluster", "vote", "groups", "closed")
QUADRANTS = ("strengths", "weaknesses", "opportunities", "threats")
ROLES = ("participant", "facilitator")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Base(so.DeclarativeBase):
    metadata = sa.MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class Workshop(Base):
    __tablename__ = "workshop"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    code: so.Mapped[str] = so.mapped_column(sa.String(16), unique=True)
    title: so.Mapped[str] = so.mapped_column(sa.String(200))
    date: so.Mapped[Optional[dt.date]]
    organisation: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    location: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    language: so.Mapped[str] = so.mapped_column(sa.String(8), default="sv")
    purpose: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    introduction: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    conclusion: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    questions: so.Mapped[list[str]] = so.mapped_column(sa.JSON, default=list)
    facilitators: so.Mapped[list[str]] = so.mapped_column(sa.JSON, default=list)
    votes_per_participant: so.Mapped[int] = so.mapped_column(default=3)
    max_votes_per_theme: so.Mapped[int] = so.mapped_column(default=3)
    group_capacity: so.Mapped[Optional[int]]
    anonymous_items: so.Mapped[bool] = so.mapped_column(default=True)
    phase: so.Mapped[str] = so.mapped_column(sa.String(16), default="collect")
    tallies_revealed: so.Mapped[bool] = so.mapped_column(default=False)
    # The facilitator's countdown: when it ends and how long it was set for (null: no timer).
    timer_ends_at: so.Mapped[Optional[dt.datetime]]
    timer_seconds: so.Mapped[Optional[int]]
    created_at: so.Mapped[dt.datetime] = so.mapped_column(default=utcnow)
    # Raised by every event that changes the workshop: a room's shared snapshot built at one
    # revision is reused by joiners until the next (connections and presence do not count).
    revision: so.Mapped[int] = so.mapped_column(default=0, server_default="0")
    # In the projector link only the facilitator gets: a screen connects with it (128 random bits).
    screen_key: so.Mapped[str] = so.mapped_column(sa.String(64), default=lambda: secrets.token_urlsafe(16))
    # When the phase became `closed` (null while open): the workshop is deleted `retention_days`
    # after it (the site's setting when null); see operations/retention.py.
    closed_at: so.Mapped[Optional[dt.datetime]]
    retention_days: so.Mapped[Optional[int]]
    # What the facilitator shows large on the projector (operations/spotlight.py): {"kind": "item"|"theme",
    # "id": N} or {"kind": "quadrant", "quadrant": Q}; null when nothing is.
    spotlight: so.Mapped[Optional[dict[str, Any]]] = so.mapped_column(sa.JSON)
    # The question the SWOT round answered, and the reflecting team ("name, role" a line).
    round_question: so.Mapped[str] = so.mapped_column(sa.Text, default="", server_default="")
    panel: so.Mapped[Optional[list[str]]] = so.mapped_column(sa.JSON, default=list)
    # The record's first paragraph and its paragraph on the SWOT rounds, as the facilitator wrote
    # them; empty: written from the workshop's data (exporters/prose.py).
    opening: so.Mapped[str] = so.mapped_column(sa.Text, default="", server_default="")
    method: so.Mapped[str] = so.mapped_column(sa.Text, default="", server_default="")

    # Ids are never given out again on SQLite: rooms and kept snapshots are named by id.
    __table_args__ = (sa.CheckConstraint(sa.column("phase").in_(PHASES), name="phase"), {"sqlite_autoincrement": True})


class Participant(Base):
    """Someone in a workshop: a participant, or the workshop's facilitator (one per workshop)."""

    __tablename__ = "participant"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    workshop_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("workshop.id", ondelete="CASCADE"), index=True
    )
    role: so.Mapped[str] = so.mapped_column(sa.String(16), default="participant")
    token_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    organisation: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    table: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    number: so.Mapped[int] = so.mapped_column(default=0)
    votes_used: so.Mapped[int] = so.mapped_column(default=0)
    group_id: so.Mapped[Optional[int]] = so.mapped_column(
        sa.ForeignKey("theme_group.id", ondelete="SET NULL"), index=True
    )
    joined_at: so.Mapped[dt.datetime] = so.mapped_column(default=utcnow)

    __table_args__ = (
        sa.CheckConstraint(sa.column("role").in_(ROLES), name="role"),
        sa.CheckConstraint("votes_used >= 0", name="votes_used"),
        {"sqlite_autoincrement": True},
    )


class Theme(Base):
    __tablename__ = "theme"
    __table_args__ = {"sqlite_autoincrement": True}  # ids held by clients are never reused

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    workshop_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("workshop.id", ondelete="CASCADE"), index=True
    )
    title: so.Mapped[str] = so.mapped_column(sa.String(200))
    created_at: so.Mapped[dt.datetime] = so.mapped_column(default=utcnow)


class Item(Base):
    """A sticky note in one SWOT quadrant."""

    __tablename__ = "item"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    workshop_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("workshop.id", ondelete="CASCADE"), index=True
    )
    author_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    quadrant: so.Mapped[str] = so.mapped_column(sa.String(16))
    text: so.Mapped[str] = so.mapped_column(sa.Text)
    # The author's table when the item was posted: kept with the item, whoever the author is.
    table: so.Mapped[str] = so.mapped_column(sa.String(200), default="", server_default="")
    theme_id: so.Mapped[Optional[int]] = so.mapped_column(
        sa.ForeignKey("theme.id", ondelete="SET NULL"), index=True
    )
    # Hidden by the facilitator: off the projector and other phones, kept for its author and the record.
    hidden: so.Mapped[bool] = so.mapped_column(default=False, server_default=sa.false())
    created_at: so.Mapped[dt.datetime] = so.mapped_column(default=utcnow)

    __table_args__ = (
        sa.CheckConstraint(sa.column("quadrant").in_(QUADRANTS), name="quadrant"),
        {"sqlite_autoincrement": True},
    )


class Vote(Base):
    """One dot a participant put on a theme."""

    __tablename__ = "vote"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    participant_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    theme_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("theme.id", ondelete="CASCADE"), index=True
    )
    created_at: so.Mapped[dt.datetime] = so.mapped_column(default=utcnow)


class ThemeGroup(Base):
    """A group formed around a theme after voting, where people write down what they said."""

    __tablename__ = "theme_group"
    __table_args__ = {"sqlite_autoincrement": True}  # ids held by clients are never reused

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    workshop_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("workshop.id", ondelete="CASCADE"), index=True
    )
    theme_id: so.Mapped[Optional[int]] = so.mapped_column(
        sa.ForeignKey("theme.id", ondelete="SET NULL"), index=True  # a deleted theme's groups are found at once
    )
    position: so.Mapped[int] = so.mapped_column(default=0)
    title: so.Mapped[str] = so.mapped_column(sa.String(200))
    capacity: so.Mapped[Optional[int]]
    summary: so.Mapped[str] = so.mapped_column(sa.Text, default="")


class Note(Base):
    __tablename__ = "note"
    __table_args__ = {"sqlite_autoincrement": True}  # ids held by clients are never reused

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    group_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("theme_group.id", ondelete="CASCADE"), index=True
    )
    author_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("participant.id", ondelete="CASCADE"), index=True  # deleting people finds their notes at once
    )
    text: so.Mapped[str] = so.mapped_column(sa.Text)
    created_at: so.Mapped[dt.datetime] = so.mapped_column(default=utcnow)


class Quote(Base):
    """Something said in the room: a panel member's words, or a reflection without a speaker."""

    __tablename__ = "quote"
    __table_args__ = {"sqlite_autoincrement": True}  # ids held by clients are never reused

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    workshop_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("workshop.id", ondelete="CASCADE"), index=True
    )
    speaker: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    role: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    text: so.Mapped[str] = so.mapped_column(sa.Text)
    created_at: so.Mapped[dt.datetime] = so.mapped_column(default=utcnow)


class Operation(Base):
    """A remembered answer to an event sent with an op_id, so that a retry changes nothing."""

    __tablename__ = "operation"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    participant_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("participant.id", ondelete="CASCADE")
    )
    op_id: so.Mapped[str] = so.mapped_column(sa.String(64))
    event: so.Mapped[str] = so.mapped_column(sa.String(32))
    answer: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON)
    created_at: so.Mapped[dt.datetime] = so.mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("participant_id", "op_id", name="uq_operation_op"),)


class Connection(Base):
    """A live Socket.IO connection, for presence counts that hold across server processes."""

    __tablename__ = "connection"

    sid: so.Mapped[str] = so.mapped_column(sa.String(64), primary_key=True)
    workshop_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("workshop.id", ondelete="CASCADE"), index=True
    )
    participant_id: so.Mapped[Optional[int]] = so.mapped_column(
        sa.ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    role: so.Mapped[str] = so.mapped_column(sa.String(16))
    connected_at: so.Mapped[dt.datetime] = so.mapped_column(default=utcnow)


class UndoStep(Base):
    """One clustering step the facilitator may undo: the event and how to put back what it changed."""

    __tablename__ = "undo_step"
    __table_args__ = {"sqlite_autoincrement": True}  # newest last: the stack is ordered by id

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    workshop_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("workshop.id", ondelete="CASCADE"), index=True
    )
    event: so.Mapped[str] = so.mapped_column(sa.String(32))
    label: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    inverse: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON)
    created_at: so.Mapped[dt.datetime] = so.mapped_column(default=utcnow)


class WorkshopTemplate(Base):
    """A workshop's setup saved under a name, to start new workshops on this site from (operations/workshop_templates.py)."""

    __tablename__ = "workshop_template"
    __table_args__ = {"sqlite_autoincrement": True}

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(200), unique=True)
    setup: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON)
    created_at: so.Mapped[dt.datetime] = so.mapped_column(default=utcnow)
    updated_at: so.Mapped[dt.datetime] = so.mapped_column(default=utcnow, onupdate=utcnow)
