"""The facilitator's spotlight: one note, theme or quadrant shown large on the projector until taken away."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ..models import QUADRANTS, Item, Theme, Workshop
from . import validate
from .changes import SpotlightChanged
from .errors import DomainError
from .guards import Actor, owned, require_phase, require_role, workshop_of
from .outcome import Outcome

KINDS = ("item", "theme", "quadrant")


def spotlight(session: Session, actor: Actor, data: dict[str, Any]) -> Outcome:
    """Show `{kind, id}` or `{kind: "quadrant", quadrant}` large on the projector; no kind takes it away."""
    require_role(actor, "facilitator")
    workshop = workshop_of(session, actor, lock=True)
    require_phase(workshop, actor)
    workshop.spotlight = target(session, workshop.id, data)
    session.flush()
    return Outcome({"spotlight": workshop.spotlight}, [SpotlightChanged(workshop.id)])


def target(session: Session, workshop_id: int, data: dict[str, Any]) -> dict[str, Any] | None:
    """The spotlight's target, checked: it exists in this workshop and everyone may see it."""
    if data.get("kind") is None:
        if data.get("id") is not None or data.get("quadrant") is not None:
            raise DomainError("bad_request", "'kind' must be one of: item, theme, quadrant.")
        return None
    kind = validate.choice(data.get("kind"), "kind", KINDS)
    if kind == "quadrant":
        return {"kind": kind, "quadrant": validate.choice(data.get("quadrant"), "quadrant", QUADRANTS)}
    ident = validate.identifier(data.get("id"), "id")
    if kind == "item" and owned(session, Item, ident, workshop_id, "item").hidden:
        raise DomainError("bad_request", "A hidden note cannot be shown on the projector; show it on the board first.")
    if kind == "theme":
        owned(session, Theme, ident, workshop_id, "theme")
    return {"kind": kind, "id": ident}


def clear(workshop: Workshop) -> list[SpotlightChanged]:
    """Take the spotlight away (a new phase starts without one); the change, if there was one to take."""
    if workshop.spotlight is None:
        return []
    workshop.spotlight = None
    return [SpotlightChanged(workshop.id)]
