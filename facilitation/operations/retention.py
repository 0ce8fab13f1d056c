"""How long a closed workshop is kept, and the purge that deletes it when that time is up.

A workshop is deleted `retention_days` after its phase became `closed` (its own setting, else
the site's `FACILITATION_RETENTION_DAYS`, default 30; a site setting of 0 keeps workshops
without their own until someone deletes them). Reopening a workshop stops the clock. Deleting
goes through `workshops.delete`, so open screens are told and closed like after a deletion by hand.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Workshop, utcnow
from . import workshops
from .changes import WorkshopDeleted

DEFAULT_DAYS = 30


def days_kept(workshop: Workshop, site_days: int) -> int | None:
    """Days a closed workshop is kept: its own setting, else the site's; None: until deleted by hand."""
    return workshop.retention_days or site_days or None


def deletion_due(workshop: Workshop, site_days: int) -> dt.datetime | None:
    """When the workshop will be deleted (UTC), or None while it is open or kept without end."""
    days = days_kept(workshop, site_days)
    if workshop.phase != "closed" or workshop.closed_at is None or days is None:
        return None
    return workshop.closed_at + dt.timedelta(days=days)


def _expired(session: Session, now: dt.datetime, site_days: int, workshop_id: int | None = None) -> list[Workshop]:
    query = sa.select(Workshop).where(Workshop.phase == "closed", Workshop.closed_at.is_not(None))
    if workshop_id is not None:
        query = query.where(Workshop.id == workshop_id).with_for_update()
    return [w for w in session.scalars(query) if (due := deletion_due(w, site_days)) is not None and due <= now]


def purge(db, site_days: int, now: dt.datetime | None = None) -> list[WorkshopDeleted]:
    """Delete every workshop whose time is up, each in its own transaction (checked again in it:
    a workshop reopened meanwhile is kept). Returns what was deleted, for its open connections."""
    now = now or utcnow()
    with db.read() as session:
        candidates = [w.id for w in _expired(session, now, site_days)]
    deleted: list[WorkshopDeleted] = []
    for workshop_id in candidates:
        with db.write() as session:
            for workshop in _expired(session, now, site_days, workshop_id):
                deleted += [c for c in workshops.delete(session, workshop).changes if isinstance(c, WorkshopDeleted)]
    if deleted:
        scrub(db.engine)
    return deleted


def scrub(engine: sa.Engine) -> None:
    """After a deletion: on SQLite (secure_delete on, so freed pages are zeroed) copy the
    write-ahead log into the database file and truncate it, so that no old page of a deleted
    workshop stays in the `-wal` file. A reader holding an old snapshot may keep the log from
    being truncated this time; the next checkpoint does it. PostgreSQL: autovacuum reclaims."""
    if engine.dialect.name != "sqlite":
        return
    connection = engine.raw_connection()  # outside any transaction, as a checkpoint must be
    try:
        connection.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()  # type: ignore[union-attr]
    finally:
        connection.close()
