"""Who may do what, decided from server-side state: role, workshop, phase, ownership."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Workshop
from .errors import DomainError

M = TypeVar("M")


@dataclass(frozen=True)
class Actor:
    """Who sent an event: a participant, the facilitator, or a read-only screen."""

    workshop_id: int
    role: str
    participant_id: int | None = None

    @property
    def is_facilitator(self) -> bool:
        return self.role == "facilitator"


def workshop_of(session: Session, actor: Actor, *, lock: bool = False) -> Workshop:
    query = sa.select(Workshop).where(Workshop.id == actor.workshop_id)
    if lock:  # FOR NO KEY UPDATE: rows that refer to the workshop (their FK checks) are not held up
        query = query.with_for_update(key_share=True)
    workshop = session.scalar(query)
    if workshop is None:
        raise DomainError("not_found", "This workshop no longer exists.")
    return workshop


def require_role(actor: Actor, *roles: str) -> None:
    if actor.role not in roles:
        raise DomainError("forbidden", "You are not allowed to do that here.")


def require_phase(workshop: Workshop, actor: Actor, *phases: str) -> None:
    """Participants act only in the given phases; the facilitator in every phase but `closed`."""
    if workshop.phase == "closed":
        raise DomainError("wrong_phase", "The workshop is closed.")
    if actor.is_facilitator:
        return
    if workshop.phase not in phases:
        raise DomainError("wrong_phase", f"That is not possible in the phase '{workshop.phase}'.")


def owned(session: Session, model: type[M], ident: int, workshop_id: int, what: str) -> M:
    """The row `ident` of `model` if it belongs to the workshop, else not_found."""
    row = session.get(model, ident)
    if row is None or getattr(row, "workshop_id") != workshop_id:
        raise DomainError("not_found", f"No such {what}.")
    return row
