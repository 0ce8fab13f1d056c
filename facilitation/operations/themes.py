"""Themes: create from items, assign and unassign items, rename, delete (dots go back)."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .. import snapshot
from ..models import Item, Participant, Theme, Vote
from . import limits, validate
from .changes import Change, TallyChanged, ThemeDeleted, ThemeUpdated, VotesChanged
from .errors import DomainError
from .guards import Actor, owned, require_phase, require_role, workshop_of
from .outcome import Outcome


def _facilitator_workshop(session: Session, actor: Actor):
    require_role(actor, "facilitator")
    workshop = workshop_of(session, actor)
    require_phase(workshop, actor)
    return workshop


def _move(session: Session, workshop_id: int, item_ids: list[int], theme_id: int | None) -> set[int]:
    """Put the items in the theme (None: unassign); returns every theme whose items changed."""
    items = session.scalars(sa.select(Item).where(Item.id.in_(item_ids), Item.workshop_id == workshop_id)).all()
    if len(items) != len(item_ids):
        raise DomainError("not_found", "One or more of those items do not exist in this workshop.")
    touched = {i.theme_id for i in items if i.theme_id is not None and i.theme_id != theme_id}
    for item in items:
        item.theme_id = theme_id
    if theme_id is not None:
        touched.add(theme_id)
    return touched


def create(session: Session, actor: Actor, data: dict[str, Any]) -> Outcome:
    workshop = _facilitator_workshop(session, actor)
    title = validate.text(data.get("title"), "title", validate.SHORT)
    item_ids = validate.identifiers(data.get("item_ids", []) or [], "item_ids")
    limits.ensure_room(session, workshop.id, "themes")
    theme = Theme(workshop_id=workshop.id, title=title)
    session.add(theme)
    session.flush()
    touched = _move(session, workshop.id, item_ids, theme.id)
    session.flush()
    view = snapshot.theme_view(session, theme, snapshot.tallies_visible(workshop, actor.role))
    return Outcome({"theme": view}, [ThemeUpdated(t) for t in sorted(touched | {theme.id})])


def assign(session: Session, actor: Actor, data: dict[str, Any]) -> Outcome:
    workshop = _facilitator_workshop(session, actor)
    if "theme_id" not in data:
        raise DomainError("bad_request", "'theme_id' is required (null unassigns).")
    theme_id = data["theme_id"]
    if theme_id is not None:
        theme_id = owned(session, Theme, validate.identifier(theme_id, "theme_id"), workshop.id, "theme").id
    item_ids = validate.identifiers(data.get("item_ids"), "item_ids")
    touched = _move(session, workshop.id, item_ids, theme_id)
    session.flush()
    return Outcome({"item_ids": item_ids, "theme_id": theme_id}, [ThemeUpdated(t) for t in sorted(touched)])


def rename(session: Session, actor: Actor, data: dict[str, Any]) -> Outcome:
    workshop = _facilitator_workshop(session, actor)
    theme = owned(session, Theme, validate.identifier(data.get("theme_id"), "theme_id"), workshop.id, "theme")
    theme.title = validate.text(data.get("title"), "title", validate.SHORT)
    session.flush()
    view = snapshot.theme_view(session, theme, snapshot.tallies_visible(workshop, actor.role))
    return Outcome({"theme": view}, [ThemeUpdated(theme.id)])


def delete(session: Session, actor: Actor, data: dict[str, Any]) -> Outcome:
    workshop = _facilitator_workshop(session, actor)
    theme = owned(session, Theme, validate.identifier(data.get("theme_id"), "theme_id"), workshop.id, "theme")
    item_ids = list(session.scalars(sa.select(Item.id).where(Item.theme_id == theme.id).order_by(Item.id)))
    dots = session.execute(
        sa.select(Vote.participant_id, sa.func.count(Vote.id)).where(Vote.theme_id == theme.id).group_by(Vote.participant_id)
    ).all()
    for participant_id, count in dots:  # every dot on the theme goes back to its owner
        session.execute(
            sa.update(Participant).where(Participant.id == participant_id).values(votes_used=Participant.votes_used - count)
        )
    session.execute(sa.delete(Vote).where(Vote.theme_id == theme.id))
    session.execute(sa.update(Item).where(Item.theme_id == theme.id).values(theme_id=None))
    session.delete(theme)
    session.flush()
    changes: list[Change] = [ThemeDeleted(workshop.id, theme.id, tuple(item_ids)), TallyChanged(workshop.id)]
    changes += [VotesChanged(pid) for pid, _ in dots]
    return Outcome({"theme_id": theme.id}, changes)
