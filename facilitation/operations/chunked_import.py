"""An archive written as a new workshop in short transactions, so that other writers never wait long.

The whole archive is checked first (`imports.check`: nothing is written when it is refused).
Then the workshop is made under a placeholder code no one can type, its content follows in
chunks of at most CHUNK rows, one transaction each, and the last transaction gives it its real
code. On any failure the placeholder workshop is deleted (the database cascades); one left by
a crash is deleted at the next server start (`delete_abandoned`).
"""
from __future__ import annotations

import datetime as dt
import logging
import secrets
import string
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from ..database import Database
from ..models import Item, Note, Participant, Quote, Theme, ThemeGroup, Vote, Workshop, utcnow
from . import access, imports

log = logging.getLogger(__name__)

CHUNK = 500  # rows per transaction: a few milliseconds of the SQLite write lock
PLACEHOLDER = "~import"  # + lower-case letters; a typed code is upper-cased, so none ever matches
ABANDONED_AFTER = dt.timedelta(hours=1)


def placeholder_code() -> str:
    """A code no person can type: '~import' and nine random lower-case letters (16 in all)."""
    return PLACEHOLDER + "".join(secrets.choice(string.ascii_lowercase) for _ in range(9))


def is_placeholder(code: str) -> bool:
    return code.startswith(PLACEHOLDER)


def chunks(rows: list[Any], size: int | None = None) -> Iterator[list[Any]]:
    size = size or CHUNK
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def restore(db: Database, data: Any) -> tuple[str, str]:
    """A new workshop holding the archive's content, written in pieces; returns its code and the
    facilitator token. DomainError (nothing written) when the archive is refused."""
    plan = imports.check(data)
    workshop_id, facilitator_id, token = _create(db, plan)
    try:
        _fill(db, plan, workshop_id, facilitator_id)
        with db.write() as session:
            code = access.new_code(session)
            session.execute(sa.update(Workshop).where(Workshop.id == workshop_id)
                            .values(code=code, **_when(plan["created_at"])))
    except BaseException:
        _delete(db, workshop_id)
        raise
    return code, token


def _when(moment: dt.datetime | None) -> dict[str, dt.datetime]:
    return {"created_at": moment} if moment else {}


def _create(db: Database, plan: dict[str, Any]) -> tuple[int, int, str]:
    """The placeholder workshop and its facilitator, who holds the archive's dots."""
    with db.write() as session:
        workshop = Workshop(code=placeholder_code(), phase=plan["phase"], tallies_revealed=plan["tallies_revealed"],
                            **plan["workshop"])  # created_at: now, so that an abandoned one is known by its age
        session.add(workshop)
        session.flush()
        token = access.add_facilitator(session, workshop)
        session.flush()
        facilitator = access.facilitator_of(session, workshop)
        facilitator.votes_used = sum(t["votes"] for t in plan["themes"])
        return workshop.id, facilitator.id, token


def _added(db: Database, rows: list[Any], make) -> list[int]:
    """Insert `make(row)` for every row, a chunk per transaction; the new ids in the rows' order."""
    ids: list[int] = []
    for chunk in chunks(rows):
        with db.write() as session:
            made = [make(row) for row in chunk]
            session.add_all(made)
            session.flush()
            ids += [m.id for m in made]
    return ids


def _inserted(db: Database, model: type, rows: list[dict[str, Any]]) -> None:
    """Insert plain rows (every key in every row), a chunk per transaction."""
    for chunk in chunks(rows):
        with db.write() as session:
            session.execute(sa.insert(model), chunk)


def _fill(db: Database, plan: dict[str, Any], workshop_id: int, facilitator_id: int) -> None:
    now = utcnow()
    people = dict(zip([p["id"] for p in plan["participants"]], _added(db, plan["participants"], lambda p: Participant(
        workshop_id=workshop_id, role="participant", token_hash=access.hash_token(access.new_token()), name=p["name"],
        organisation=p["organisation"], table=p["table"], number=p["number"], joined_at=p["joined_at"] or now))))
    themes = dict(zip([t["id"] for t in plan["themes"]], _added(db, plan["themes"], lambda t: Theme(
        workshop_id=workshop_id, title=t["title"], created_at=t["created_at"] or now))))

    def author(ref: int | str | None) -> int:
        return facilitator_id if ref in (None, "facilitator") else people[ref]  # type: ignore[index]

    _inserted(db, Item, [{"workshop_id": workshop_id, "author_id": author(i["author"]), "quadrant": i["quadrant"],
                          "text": i["text"], "table": i["table"], "hidden": i["hidden"],
                          "theme_id": themes[i["theme"]] if i["theme"] is not None else None,
                          "created_at": i["created_at"] or now} for i in plan["items"]])
    # Who put which dot is not in the archive: the dots are kept on the facilitator's row.
    _inserted(db, Vote, [{"participant_id": facilitator_id, "theme_id": themes[t["id"]], "created_at": now}
                         for t in plan["themes"] for _ in range(t["votes"])])
    groups = _added(db, list(enumerate(plan["groups"])), lambda pair: ThemeGroup(
        workshop_id=workshop_id, position=pair[0], title=pair[1]["title"], capacity=pair[1]["capacity"],
        summary=pair[1]["summary"], theme_id=themes[pair[1]["theme"]] if pair[1]["theme"] is not None else None))
    members = [{"id": people[m], "group_id": group_id} for group_id, g in zip(groups, plan["groups"]) for m in g["members"]]
    for chunk in chunks(members):
        with db.write() as session:
            session.execute(sa.update(Participant), chunk)
    _inserted(db, Note, [{"group_id": group_id, "author_id": author(n["author"]), "text": n["text"],
                          "created_at": n["created_at"] or now}
                         for group_id, g in zip(groups, plan["groups"]) for n in g["notes"]])
    _inserted(db, Quote, [{"workshop_id": workshop_id, "speaker": q["speaker"], "role": q["role"], "text": q["text"],
                           "created_at": q["created_at"] or now} for q in plan["quotes"]])


def _delete(db: Database, workshop_id: int) -> None:
    """Remove a half-written workshop; a failure here is logged and left to `delete_abandoned`."""
    try:
        with db.write() as session:
            session.execute(sa.delete(Workshop).where(Workshop.id == workshop_id))
    except Exception:
        log.exception("could not delete the half-imported workshop %s", workshop_id)


def delete_abandoned(db: Database) -> int:
    """Delete placeholder workshops older than an hour (an import that crashed); returns how many."""
    cutoff = utcnow() - ABANDONED_AFTER
    with db.write() as session:
        gone = session.execute(sa.delete(Workshop).where(Workshop.code.startswith(PLACEHOLDER, autoescape=True),
                                                         Workshop.created_at < cutoff))
        return gone.rowcount or 0
