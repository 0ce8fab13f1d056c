"""SWOT items: post, edit, delete."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from .. import snapshot
from ..models import QUADRANTS, Item, Participant
from . import limits, validate
from .changes import Change, ItemAdded, ItemDeleted, ItemUpdated, ThemeUpdated
from .errors import DomainError
from .guards import Actor, owned, require_phase, require_role, workshop_of
from .outcome import Outcome


def _own_view(session: Session, item: Item, actor: Actor) -> dict[str, Any]:
    workshop = workshop_of(session, actor)
    author = session.get(Participant, item.author_id)
    return snapshot.item_view(item, author, viewer_id=actor.participant_id,
                              anonymous=workshop.anonymous_items, language=workshop.language)


def _editable(session: Session, actor: Actor, data: dict[str, Any]) -> Item:
    require_role(actor, "participant", "facilitator")
    workshop = workshop_of(session, actor)
    item = owned(session, Item, validate.identifier(data.get("item_id"), "item_id"), workshop.id, "item")
    require_phase(workshop, actor, "collect")
    if not actor.is_facilitator and item.author_id != actor.participant_id:
        raise DomainError("forbidden", "Only the item's author or the facilitator may change it.")
    return item


def post(session: Session, actor: Actor, data: dict[str, Any]) -> Outcome:
    require_role(actor, "participant", "facilitator")
    workshop = workshop_of(session, actor)
    require_phase(workshop, actor, "collect")
    quadrant = validate.choice(data.get("quadrant"), "quadrant", QUADRANTS)
    text = validate.text(data.get("text"), "text", validate.ITEM)
    limits.ensure_room(session, workshop.id, "items")
    assert actor.participant_id is not None
    author = session.get(Participant, actor.participant_id)
    item = Item(workshop_id=workshop.id, author_id=actor.participant_id, quadrant=quadrant, text=text,
                table=author.table if author else "")
    session.add(item)
    session.flush()
    return Outcome({"item": _own_view(session, item, actor)}, [ItemAdded(item.id)])


def edit(session: Session, actor: Actor, data: dict[str, Any]) -> Outcome:
    item = _editable(session, actor, data)
    item.text = validate.text(data.get("text"), "text", validate.ITEM)
    if "quadrant" in data:
        item.quadrant = validate.choice(data["quadrant"], "quadrant", QUADRANTS)
    session.flush()
    return Outcome({"item": _own_view(session, item, actor)}, [ItemUpdated(item.id)])


def delete(session: Session, actor: Actor, data: dict[str, Any]) -> Outcome:
    item = _editable(session, actor, data)
    item_id, theme_id = item.id, item.theme_id
    session.delete(item)
    session.flush()
    changes: list[Change] = [ItemDeleted(item.workshop_id, item_id)]
    if theme_id is not None:
        changes.append(ThemeUpdated(theme_id))
    return Outcome({"item_id": item_id}, changes)
