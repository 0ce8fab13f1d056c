"""The facilitator's care of the board: hide an item from it, merge themes into one."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .. import snapshot
from ..models import Item, Participant, Theme
from . import themes, undo, validate
from .changes import Change, ItemHidden, ThemeUpdated
from .errors import DomainError
from .guards import Actor, owned, require_phase, require_role, workshop_of
from .outcome import Outcome


def hide_item(session: Session, actor: Actor, data: dict[str, Any]) -> Outcome:
    """Hide an item from the projector and other phones (`hidden`: false shows it again)."""
    require_role(actor, "facilitator")
    workshop = workshop_of(session, actor)
    require_phase(workshop, actor)
    item = owned(session, Item, validate.identifier(data.get("item_id"), "item_id"), workshop.id, "item")
    hidden = validate.boolean(data.get("hidden", True), "hidden")
    changed = item.hidden != hidden
    item.hidden = hidden
    session.flush()
    steps = [undo.push(session, workshop.id, "hide_item", item.text[:80], {"item_id": item.id, "hidden": not hidden})] if changed else []
    author = session.get(Participant, item.author_id)
    view = snapshot.item_view(item, author, viewer_id=actor.participant_id,
                              anonymous=workshop.anonymous_items, language=workshop.language)
    return Outcome({"item": view}, [ItemHidden(item.id), *steps] if changed else [])


def merge_themes(session: Session, actor: Actor, data: dict[str, Any]) -> Outcome:
    """Move every item of the `source_ids` themes into `theme_id` and delete the sources.

    Dots on a merged-away theme go back to their owners, as when a theme is deleted."""
    require_role(actor, "facilitator")
    workshop = workshop_of(session, actor)
    require_phase(workshop, actor)
    target = owned(session, Theme, validate.identifier(data.get("theme_id"), "theme_id"), workshop.id, "theme")
    source_ids = validate.identifiers(data.get("source_ids"), "source_ids")
    if not source_ids:
        raise DomainError("bad_request", "'source_ids' must name at least one theme to merge.")
    if target.id in source_ids:
        raise DomainError("bad_request", "A theme cannot be merged into itself.")
    sources = [owned(session, Theme, i, workshop.id, "theme") for i in source_ids]
    step = undo.push(session, workshop.id, "merge_themes", target.title,
                     {"theme_id": target.id, "themes": [undo.theme_record(session, s) for s in sources]})
    session.execute(
        sa.update(Item).where(Item.theme_id.in_([s.id for s in sources])).values(theme_id=target.id)
    )
    session.flush()
    changes: list[Change] = [ThemeUpdated(target.id), *themes.remove(session, workshop.id, sources), step]
    session.expire(target)
    view = snapshot.theme_view(session, target, snapshot.tallies_visible(workshop, actor.role))
    return Outcome({"theme": view}, changes)
