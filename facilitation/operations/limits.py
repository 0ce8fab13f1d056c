"""How much one workshop holds, and the check that refuses one more beyond it (`workshop_full`)."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..database import core
from ..models import Item, Note, Participant, Quote, Theme, ThemeGroup, Workshop
from .errors import DomainError

# The most one workshop holds. Far above a real workshop (a large one has a few hundred people
# and a thousand items), low enough that a whole workshop's snapshot, record and export stay
# quick. An import is held to the same limits.
MOST: dict[str, int] = {
    "items": 10_000,
    "participants": 3_000,
    "themes": 1_000,
    "groups": 200,
    "notes": 10_000,
    "quotes": 1_000,
}

# Concurrent writers on PostgreSQL count without a lock while this far below a limit; nearer,
# each takes the workshop's row lock first, so that no two of them pass the limit together.
LOCK_MARGIN = 100


def _counting(kind: str) -> sa.Select:
    """How many of `kind` the workshop `:workshop_id` holds, as a statement built once."""
    workshop_id = sa.bindparam("workshop_id")
    if kind == "notes":
        return (sa.select(sa.func.count(Note.id)).join(ThemeGroup, Note.group_id == ThemeGroup.id)
                .where(ThemeGroup.workshop_id == workshop_id))
    model = {"items": Item, "participants": Participant, "themes": Theme, "groups": ThemeGroup, "quotes": Quote}[kind]
    query = sa.select(sa.func.count(model.id)).where(model.workshop_id == workshop_id)
    return query.where(Participant.role == "participant") if kind == "participants" else query


_COUNTS = {kind: _counting(kind) for kind in MOST}


def _held(session: Session, workshop_id: int, kind: str) -> int:
    return core(session).scalar(_COUNTS[kind], {"workshop_id": workshop_id}) or 0


def held(session: Session, workshop_id: int) -> dict[str, int]:
    """How many of each kind the workshop holds now."""
    return {kind: _held(session, workshop_id, kind) for kind in MOST}


def refuse_beyond(kind: str, total: int) -> None:
    """Refuse (`workshop_full`) when a workshop would hold `total` of `kind`, more than it may."""
    if total > MOST[kind]:
        raise DomainError("workshop_full", f"This workshop is full: it holds at most {MOST[kind]:,} {kind}.")


def ensure_room(session: Session, workshop_id: int, kind: str, adding: int = 1) -> int:
    """Refuse (`workshop_full`, nothing changed) when `adding` more of `kind` would pass its limit;
    answers how many the workshop holds now."""
    count = _held(session, workshop_id, kind)
    if count + adding > MOST[kind] - LOCK_MARGIN and session.get_bind().dialect.name == "postgresql":
        session.execute(sa.select(Workshop.id).where(Workshop.id == workshop_id).with_for_update(key_share=True))
        count = _held(session, workshop_id, kind)
    refuse_beyond(kind, count + adding)
    return count
