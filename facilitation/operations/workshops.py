"""Create and update a workshop, move it through its phases, reveal tallies, capture quotes."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .. import snapshot
from ..models import PHASES, Connection, Quote, Workshop, utcnow
from . import access, limits, spotlight, validate
from .changes import PhaseChanged, QuoteAdded, TalliesRevealed, WorkshopDeleted, WorkshopUpdated
from .errors import DomainError
from .guards import Actor, require_phase, require_role, workshop_of
from .outcome import Outcome

TEXT_FIELDS = {
    "title": validate.SHORT,
    "organisation": validate.SHORT,
    "location": validate.SHORT,
    "purpose": validate.LONG,
    "introduction": validate.LONG,
    "conclusion": validate.LONG,
    "round_question": validate.LONG,
    "opening": validate.LONG,  # the record's first paragraph (empty: written from the data)
    "method": validate.LONG,  # the record's paragraph on the SWOT rounds (empty: written from what happened)
}
LIST_FIELDS = ("questions", "facilitators", "panel")
SETTING_FIELDS = ("votes_per_participant", "max_votes_per_theme", "group_capacity", "anonymous_items", "language")
LANGUAGES = ("sv", "en")
MOST_RETENTION_DAYS = 3650  # a workshop's own retention: 1 to 3,650 days after closing, or null (the site's)


def fields(data: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    """The workshop fields present in `data`, validated; unknown keys are refused."""
    known = set(TEXT_FIELDS) | set(SETTING_FIELDS) | set(LIST_FIELDS) | {"date", "retention_days"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise DomainError("bad_request", f"Unknown field(s): {', '.join(unknown)}.")
    out: dict[str, Any] = {}
    for name, limit in TEXT_FIELDS.items():
        if name in data:
            out[name] = validate.text(data[name], name, limit, required=(name == "title"))
    if creating and "title" not in out:
        raise DomainError("bad_request", "'title' is required.")
    if "date" in data:
        out["date"] = validate.date(data["date"], "date")
    for name in LIST_FIELDS:
        if name in data:
            out[name] = validate.text_list(data[name], name, validate.LONG if name == "questions" else validate.SHORT)
    if "language" in data:
        out["language"] = validate.choice(data["language"], "language", LANGUAGES)
    if "votes_per_participant" in data:
        out["votes_per_participant"] = validate.integer(data["votes_per_participant"], "votes_per_participant", 1, 100)
    if "max_votes_per_theme" in data:
        out["max_votes_per_theme"] = validate.integer(data["max_votes_per_theme"], "max_votes_per_theme", 1, 100)
    if "group_capacity" in data:
        out["group_capacity"] = validate.integer(data["group_capacity"], "group_capacity", 1, 10_000, nullable=True)
    if "anonymous_items" in data:
        out["anonymous_items"] = validate.boolean(data["anonymous_items"], "anonymous_items")
    if "retention_days" in data:
        out["retention_days"] = validate.integer(data["retention_days"], "retention_days", 1, MOST_RETENTION_DAYS, nullable=True)
    return out


def create(session: Session, data: Any) -> tuple[Workshop, str]:
    """A new workshop in phase `collect`; returns it and the facilitator token (shown once)."""
    workshop = Workshop(code=access.new_code(session), **fields(validate.payload(data), creating=True))
    session.add(workshop)
    session.flush()
    token = access.add_facilitator(session, workshop)
    session.flush()
    return workshop, token


def update(session: Session, actor: Actor, data: dict[str, Any]) -> Outcome:
    require_role(actor, "facilitator")
    workshop = workshop_of(session, actor)
    changes = fields({k: v for k, v in data.items() if k != "op_id"}, creating=False)
    if workshop.phase == "closed":
        settings = sorted(set(changes) & set(SETTING_FIELDS))
        if settings:
            raise DomainError("wrong_phase", f"The workshop is closed; only its texts can change ({', '.join(settings)} cannot).")
    for name, value in changes.items():
        setattr(workshop, name, value)
    session.flush()
    view = snapshot.workshop_view(workshop)
    return Outcome({"workshop": view}, [WorkshopUpdated(workshop.id)])


def set_phase(session: Session, actor: Actor, data: dict[str, Any]) -> Outcome:
    require_role(actor, "facilitator")
    phase = validate.choice(data.get("phase"), "phase", PHASES)
    workshop = workshop_of(session, actor, lock=True)
    previous = workshop.phase
    workshop.phase = phase
    if phase == "vote" and previous != "vote":
        workshop.tallies_revealed = False
    cleared = []
    if phase != previous:  # retention counts from the closing (operations/retention.py)
        workshop.closed_at = utcnow() if phase == "closed" else None
        cleared = spotlight.clear(workshop)  # a new phase starts without a spotlight
    session.flush()
    return Outcome({"phase": phase}, [PhaseChanged(workshop.id), *cleared])


def reveal_tallies(session: Session, actor: Actor, data: dict[str, Any]) -> Outcome:
    require_role(actor, "facilitator")
    workshop = workshop_of(session, actor, lock=True)
    require_phase(workshop, actor)
    workshop.tallies_revealed = True
    session.flush()
    return Outcome({"tally": snapshot.tally(session, workshop.id)}, [TalliesRevealed(workshop.id)])


def reopen_voting(session: Session, actor: Actor, data: dict[str, Any]) -> Outcome:
    """Voting again after the results were shown (which closed it): the results are hidden from
    participants and screens until the facilitator shows them anew."""
    require_role(actor, "facilitator")
    workshop = workshop_of(session, actor, lock=True)
    require_phase(workshop, actor)
    if workshop.phase != "vote":
        raise DomainError("wrong_phase", "Voting can be reopened only while voting.")
    workshop.tallies_revealed = False
    session.flush()
    return Outcome({"phase": workshop.phase, "tallies_revealed": False}, [PhaseChanged(workshop.id)])


def add_quote(session: Session, actor: Actor, data: dict[str, Any]) -> Outcome:
    require_role(actor, "facilitator")
    workshop = workshop_of(session, actor)
    require_phase(workshop, actor)
    limits.ensure_room(session, workshop.id, "quotes")
    quote = Quote(
        workshop_id=workshop.id,
        text=validate.text(data.get("text"), "text", validate.QUOTE),
        speaker=validate.text(data.get("speaker"), "speaker", validate.SHORT, required=False),
        role=validate.text(data.get("role"), "role", validate.SHORT, required=False),
    )
    session.add(quote)
    session.flush()
    return Outcome({"quote": snapshot.quote_view(quote)}, [QuoteAdded(quote.id)])


def delete(session: Session, workshop: Workshop) -> Outcome:
    """Delete the workshop with everything in it (the database cascades to every row that belongs
    to it); its open connections are told and closed once this has committed."""
    sids = tuple(session.scalars(sa.select(Connection.sid).where(Connection.workshop_id == workshop.id)))
    session.execute(sa.delete(Workshop).where(Workshop.id == workshop.id))
    return Outcome({}, [WorkshopDeleted(workshop.id, sids)])
