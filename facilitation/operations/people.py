"""The people of a workshop as the facilitator sees them, and removing one of them: their
connections closed, their token void, their dots given back, what they wrote deleted or kept."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .. import snapshot
from ..models import Connection, Item, Note, Participant, ThemeGroup, Vote, Workshop
from . import access, validate
from .changes import (Change, GroupUpdated, ItemDeleted, ItemUpdated, ParticipantRemoved, PresenceChanged, TallyChanged,
                      ThemeUpdated)
from .errors import DomainError
from .guards import Actor, owned, require_phase, require_role, workshop_of
from .outcome import Outcome


def listing(session: Session, workshop_id: int) -> list[dict[str, Any]]:
    """Everyone who joined, in join order: label, organisation, table, items written, online now."""
    language = session.scalar(sa.select(Workshop.language).where(Workshop.id == workshop_id)) or "sv"
    items = dict(session.execute(sa.select(Item.author_id, sa.func.count(Item.id))
                                 .where(Item.workshop_id == workshop_id).group_by(Item.author_id)).all())
    online = set(session.scalars(sa.select(Connection.participant_id).where(Connection.workshop_id == workshop_id)))
    people = session.scalars(sa.select(Participant).where(Participant.workshop_id == workshop_id,
                                                          Participant.role == "participant").order_by(Participant.id))
    return [{"id": p.id, "name": snapshot.display_name(p, language), "organisation": p.organisation, "table": p.table,
             "items": items.get(p.id, 0), "online": p.id in online} for p in people]


def remove(session: Session, actor: Actor, data: dict[str, Any]) -> Outcome:
    """`remove_participant`: the facilitator takes someone out of the workshop.

    Their items and notes are deleted with `remove_items`, else kept without an author (on the
    facilitator's row, as imported items without one are). Their row lock is taken first, as a
    vote takes it, so no dot of theirs moves meanwhile and every connection they opened is closed."""
    require_role(actor, "facilitator")
    workshop = workshop_of(session, actor)
    require_phase(workshop, actor)
    person = owned(session, Participant, validate.identifier(data.get("participant_id"), "participant_id"),
                   workshop.id, "participant")
    remove_items = validate.boolean(data.get("remove_items", False), "remove_items")
    if person.role != "participant":
        raise DomainError("bad_request", "Only a participant can be removed.")
    pid = person.id
    session.execute(sa.select(Participant.id).where(Participant.id == pid).with_for_update())
    sids = tuple(session.scalars(sa.select(Connection.sid).where(Connection.participant_id == pid)))
    changes: list[Change] = []
    if session.scalars(sa.delete(Vote).where(Vote.participant_id == pid).returning(Vote.id)).all():
        changes.append(TallyChanged(workshop.id))
    items = session.scalars(sa.select(Item).where(Item.author_id == pid).order_by(Item.id)).all()
    groups = set(session.scalars(sa.select(Note.group_id).where(Note.author_id == pid)))
    if person.group_id is not None:
        groups.add(person.group_id)
    deleted = [item.id for item in items] if remove_items else []
    if remove_items:
        themes = sorted({item.theme_id for item in items if item.theme_id is not None})
        session.execute(sa.delete(Item).where(Item.author_id == pid))
        session.execute(sa.delete(Note).where(Note.author_id == pid))
        changes += [ItemDeleted(workshop.id, item_id) for item_id in deleted] + [ThemeUpdated(t) for t in themes]
    else:
        facilitator = access.facilitator_of(session, workshop).id
        session.execute(sa.update(Item).where(Item.author_id == pid).values(author_id=facilitator))
        session.execute(sa.update(Note).where(Note.author_id == pid).values(author_id=facilitator))
        changes += [ItemUpdated(item.id) for item in items] if not workshop.anonymous_items else []
    session.delete(person)  # the database takes their connections, op_ids and group place with it
    session.flush()
    live_groups = set(session.scalars(sa.select(ThemeGroup.id).where(ThemeGroup.id.in_(groups)))) if groups else set()
    changes += [GroupUpdated(g) for g in sorted(live_groups)]
    changes += [PresenceChanged(workshop.id), ParticipantRemoved(workshop.id, pid, sids)]
    return Outcome({"participant_id": pid, "item_ids": deleted}, changes)
