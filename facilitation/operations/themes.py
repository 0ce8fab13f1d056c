"""Themes: create from items, assign and unassign items, rename, delete (dots go back)."""
from __future__ import annotations

from collections import Counter
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .. import snapshot
from ..models import Item, Participant, Theme, Vote
from . import limits, undo, validate
from .changes import Change, TallyChanged, ThemeDeleted, ThemeUpdated, VotesChanged
from .errors import DomainError
from .guards import Actor, owned, require_phase, require_role, workshop_of
from .outcome import Outcome


def _facilitator_workshop(session: Session, actor: Actor):
    require_role(actor, "facilitator")
    workshop = workshop_of(session, actor)
    require_phase(workshop, actor)
    return workshop


def _move(session: Session, workshop_id: int, item_ids: list[int], theme_id: int | None) -> tuple[set[int], undo.Moves]:
    """Put the items in the theme (None: unassign); returns every theme whose items changed, and
    where the items that moved were before."""
    items = session.scalars(sa.select(Item).where(Item.id.in_(item_ids), Item.workshop_id == workshop_id)).all()
    if len(items) != len(item_ids):
        raise DomainError("not_found", "One or more of those items do not exist in this workshop.")
    touched = {i.theme_id for i in items if i.theme_id is not None and i.theme_id != theme_id}
    moves = undo.moves_of(list(items), theme_id)
    for item in items:
        item.theme_id = theme_id
    if theme_id is not None:
        touched.add(theme_id)
    return touched, moves


def create(session: Session, actor: Actor, data: dict[str, Any]) -> Outcome:
    workshop = _facilitator_workshop(session, actor)
    title = validate.text(data.get("title"), "title", validate.SHORT)
    item_ids = validate.identifiers(data.get("item_ids", []) or [], "item_ids")
    limits.ensure_room(session, workshop.id, "themes")
    theme = Theme(workshop_id=workshop.id, title=title)
    session.add(theme)
    session.flush()
    touched, moves = _move(session, workshop.id, item_ids, theme.id)
    session.flush()
    step = undo.push(session, workshop.id, "create_theme", title, {"theme_id": theme.id, "moves": moves})
    view = snapshot.theme_view(session, theme, snapshot.tallies_visible(workshop, actor.role))
    return Outcome({"theme": view}, [*(ThemeUpdated(t) for t in sorted(touched | {theme.id})), step])


def assign(session: Session, actor: Actor, data: dict[str, Any]) -> Outcome:
    workshop = _facilitator_workshop(session, actor)
    if "theme_id" not in data:
        raise DomainError("bad_request", "'theme_id' is required (null unassigns).")
    theme = None if data["theme_id"] is None else owned(
        session, Theme, validate.identifier(data["theme_id"], "theme_id"), workshop.id, "theme")
    theme_id = theme.id if theme else None
    item_ids = validate.identifiers(data.get("item_ids"), "item_ids")
    touched, moves = _move(session, workshop.id, item_ids, theme_id)
    session.flush()
    changes: list[Change] = [ThemeUpdated(t) for t in sorted(touched)]
    if moves:
        changes.append(undo.push(session, workshop.id, "assign_items", theme.title if theme else "", {"moves": moves}))
    return Outcome({"item_ids": item_ids, "theme_id": theme_id}, changes)


def rename(session: Session, actor: Actor, data: dict[str, Any]) -> Outcome:
    workshop = _facilitator_workshop(session, actor)
    theme = owned(session, Theme, validate.identifier(data.get("theme_id"), "theme_id"), workshop.id, "theme")
    title, before = validate.text(data.get("title"), "title", validate.SHORT), theme.title
    theme.title = title
    session.flush()
    step = undo.push(session, workshop.id, "rename_theme", title, {"theme_id": theme.id, "title": before})
    view = snapshot.theme_view(session, theme, snapshot.tallies_visible(workshop, actor.role))
    return Outcome({"theme": view}, [ThemeUpdated(theme.id), step])


def lock_people(session: Session, workshop_id: int) -> None:
    """Lock the rows of everyone in the workshop, in id order, after the workshop's row (which
    perform takes first) (PostgreSQL; a SQLite writer holds the whole file already). votes.py
    takes a person's row lock before it reads or changes their dots, so under these locks no dot
    moves until the commit."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.select(Participant.id).where(Participant.workshop_id == workshop_id)
                        .order_by(Participant.id).with_for_update(key_share=True))


def remove(session: Session, workshop_id: int, themes: list[Theme]) -> list[Change]:
    """Delete the themes: their items unassigned, every dot on them given back to its owner.

    The dots given back are the vote rows this deletes, deleted under their owners' row locks:
    a dot taken back at the same instant is either gone before or still there, never both."""
    lock_people(session, workshop_id)
    theme_ids = [theme.id for theme in themes]
    owners = Counter(session.scalars(sa.delete(Vote).where(Vote.theme_id.in_(theme_ids)).returning(Vote.participant_id)))
    for participant_id, count in sorted(owners.items()):
        session.execute(
            sa.update(Participant).where(Participant.id == participant_id).values(votes_used=Participant.votes_used - count)
        )
    changes: list[Change] = []
    for theme in themes:
        item_ids = tuple(session.scalars(sa.select(Item.id).where(Item.theme_id == theme.id).order_by(Item.id)))
        session.execute(sa.update(Item).where(Item.theme_id == theme.id).values(theme_id=None))
        changes.append(ThemeDeleted(workshop_id, theme.id, item_ids))
        session.delete(theme)
    session.flush()
    return changes + [TallyChanged(workshop_id)] + [VotesChanged(pid) for pid in sorted(owners)]


def delete(session: Session, actor: Actor, data: dict[str, Any]) -> Outcome:
    workshop = _facilitator_workshop(session, actor)
    theme = owned(session, Theme, validate.identifier(data.get("theme_id"), "theme_id"), workshop.id, "theme")
    theme_id = theme.id
    step = undo.push(session, workshop.id, "delete_theme", theme.title, {"themes": [undo.theme_record(session, theme)]})
    return Outcome({"theme_id": theme_id}, [*remove(session, workshop.id, [theme]), step])
