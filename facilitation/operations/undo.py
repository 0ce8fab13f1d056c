"""Undo for clustering: every step (make a theme, move notes, rename, delete, merge, hide) keeps in
the database how to put back what it changed, newest last; `undo` puts back the newest, so the
facilitator can go several steps back, also after a reload. Dots given back when a theme was
deleted or merged stay with their owners: undo brings the theme and its notes back, not the dots."""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .. import snapshot
from ..models import Item, Theme, ThemeGroup, UndoStep
from . import limits, themes
from .changes import Change, GroupUpdated, ItemHidden, ThemeUpdated, UndoChanged
from .errors import DomainError
from .guards import Actor, require_phase, require_role, workshop_of
from .outcome import Outcome

KEEP = 50  # steps kept per workshop; older ones can no longer be undone
Moves = list[list[Any]]  # [[item id, the theme it was in (or null)], ...]


def push(session: Session, workshop_id: int, event: str, label: str, inverse: dict[str, Any]) -> UndoChanged:
    """Remember how to undo one step; the oldest beyond KEEP are forgotten."""
    session.add(UndoStep(workshop_id=workshop_id, event=event, label=label[:200], inverse=inverse))
    session.flush()
    oldest_kept = (sa.select(UndoStep.id).where(UndoStep.workshop_id == workshop_id)
                   .order_by(UndoStep.id.desc()).offset(KEEP - 1).limit(1).scalar_subquery())
    session.execute(sa.delete(UndoStep).where(UndoStep.workshop_id == workshop_id, UndoStep.id < oldest_kept))
    return UndoChanged(workshop_id)


def moves_of(items: list[Item], theme_id: int | None) -> Moves:
    """Where the items that are about to move into `theme_id` are now."""
    return [[item.id, item.theme_id] for item in items if item.theme_id != theme_id]


def theme_record(session: Session, theme: Theme) -> dict[str, Any]:
    """What it takes to bring a theme back: its id, title, age, items and the groups formed on it."""
    items = list(session.scalars(sa.select(Item.id).where(Item.theme_id == theme.id).order_by(Item.id)))
    groups = list(session.scalars(sa.select(ThemeGroup.id).where(ThemeGroup.theme_id == theme.id)))
    return {"id": theme.id, "title": theme.title, "created_at": theme.created_at.isoformat(), "item_ids": items,
            "group_ids": groups}


def _put_back(session: Session, workshop_id: int, moves: Moves) -> set[int]:
    """Items back in the themes they were in (a theme gone since: unassigned); the themes touched."""
    live = set(session.scalars(sa.select(Theme.id).where(Theme.workshop_id == workshop_id)))
    items = {i.id: i for i in session.scalars(
        sa.select(Item).where(Item.workshop_id == workshop_id, Item.id.in_([m[0] for m in moves])))}
    touched: set[int] = set()
    for item_id, theme_id in moves:
        item = items.get(item_id)
        if item is None:  # deleted since
            continue
        theme_id = theme_id if theme_id in live else None
        touched |= {t for t in (item.theme_id, theme_id) if t is not None}
        item.theme_id = theme_id
    session.flush()
    return touched & live


def _restore(session: Session, workshop_id: int, records: list[dict[str, Any]]) -> tuple[set[int], list[Change]]:
    """Bring deleted themes back under their own ids, with their items and groups."""
    changes: list[Change] = []
    restored: set[int] = set()
    for record in records:
        if session.get(Theme, record["id"]) is None:
            limits.ensure_room(session, workshop_id, "themes")
            session.add(Theme(id=record["id"], workshop_id=workshop_id, title=record["title"],
                              created_at=dt.datetime.fromisoformat(record["created_at"])))
            session.flush()
        restored.add(record["id"])
        groups = session.scalars(sa.select(ThemeGroup).where(
            ThemeGroup.id.in_(record["group_ids"]), ThemeGroup.theme_id.is_(None)))
        for group in groups:
            group.theme_id = record["id"]
            changes.append(GroupUpdated(group.id))
    moves = [[item_id, record["id"]] for record in records for item_id in record["item_ids"]]
    return restored | _put_back(session, workshop_id, moves), changes


def _undo_create(session: Session, workshop_id: int, inverse: dict[str, Any]) -> list[Change]:
    """The theme deleted (its items unassigned, as by `delete_theme`), then items that came from
    another theme put back there."""
    theme = session.get(Theme, inverse["theme_id"])
    removed = themes.remove(session, workshop_id, [theme]) if theme is not None else []
    touched = _put_back(session, workshop_id, [move for move in inverse["moves"] if move[1] is not None])
    return removed + [ThemeUpdated(t) for t in sorted(touched)]


def _undo_assign(session: Session, workshop_id: int, inverse: dict[str, Any]) -> list[Change]:
    return [ThemeUpdated(t) for t in sorted(_put_back(session, workshop_id, inverse["moves"]))]


def _undo_rename(session: Session, workshop_id: int, inverse: dict[str, Any]) -> list[Change]:
    theme = session.get(Theme, inverse["theme_id"])
    if theme is None:
        return []
    theme.title = inverse["title"]
    return [ThemeUpdated(theme.id)]


def _undo_delete(session: Session, workshop_id: int, inverse: dict[str, Any]) -> list[Change]:
    touched, changes = _restore(session, workshop_id, inverse["themes"])
    return [ThemeUpdated(t) for t in sorted(touched)] + changes


def _undo_hide(session: Session, workshop_id: int, inverse: dict[str, Any]) -> list[Change]:
    item = session.get(Item, inverse["item_id"])
    if item is None or item.hidden == inverse["hidden"]:
        return []
    item.hidden = inverse["hidden"]
    return [ItemHidden(item.id)]


UNDO: dict[str, Callable[[Session, int, dict[str, Any]], list[Change]]] = {
    "create_theme": _undo_create,
    "assign_items": _undo_assign,
    "rename_theme": _undo_rename,
    "delete_theme": _undo_delete,
    "merge_themes": _undo_delete,  # the merged themes come back with their items; the one kept loses them
    "hide_item": _undo_hide,
}


def undo(session: Session, actor: Actor, data: dict[str, Any]) -> Outcome:
    """Undo the newest clustering step (`nothing_to_undo` when there is none)."""
    require_role(actor, "facilitator")
    workshop = workshop_of(session, actor, lock=True)  # two consoles undo one step each, in turn
    require_phase(workshop, actor)
    step = session.scalar(sa.select(UndoStep).where(UndoStep.workshop_id == workshop.id)
                          .order_by(UndoStep.id.desc()).limit(1))
    if step is None:
        raise DomainError("nothing_to_undo", "There is nothing to undo.")
    changes = UNDO[step.event](session, workshop.id, step.inverse)
    undone = {"event": step.event, "label": step.label}
    session.delete(step)
    session.flush()
    return Outcome({"undone": undone, "undo": snapshot.undo_view(session, workshop.id)},
                   [*changes, UndoChanged(workshop.id)])
