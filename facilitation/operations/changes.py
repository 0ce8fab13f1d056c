"""What an operation changed, as small typed records: the broadcaster dispatches on their type."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ItemAdded:
    item_id: int


@dataclass(frozen=True)
class ItemUpdated:
    item_id: int


@dataclass(frozen=True)
class ItemHidden:
    """An item hidden from (or shown again to) everyone but the facilitator and its author."""

    item_id: int


@dataclass(frozen=True)
class ItemDeleted:
    workshop_id: int
    item_id: int


@dataclass(frozen=True)
class ThemeUpdated:
    theme_id: int


@dataclass(frozen=True)
class ThemeDeleted:
    workshop_id: int
    theme_id: int
    item_ids: tuple[int, ...]


@dataclass(frozen=True)
class TallyChanged:
    """Dots moved: the facilitator's tally (and the viewers', once revealed) is due."""

    workshop_id: int


@dataclass(frozen=True)
class TalliesRevealed:
    workshop_id: int


@dataclass(frozen=True)
class VotesChanged:
    """One person's own dots changed (their `my_votes`; `view` when the operation has it already)."""

    participant_id: int
    view: dict[str, Any] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class PhaseChanged:
    workshop_id: int


@dataclass(frozen=True)
class TimerChanged:
    workshop_id: int


@dataclass(frozen=True)
class WorkshopUpdated:
    workshop_id: int


@dataclass(frozen=True)
class QuoteAdded:
    quote_id: int


@dataclass(frozen=True)
class GroupsFormed:
    workshop_id: int


@dataclass(frozen=True)
class GroupUpdated:
    group_id: int


@dataclass(frozen=True)
class NoteAdded:
    note_id: int


@dataclass(frozen=True)
class PresenceChanged:
    """Someone joined, came back or left: the room's counts are due."""

    workshop_id: int


@dataclass(frozen=True)
class ConnectionsClosed:
    """Connections the server closes: the facilitator's, after their key was rotated."""

    sids: tuple[str, ...]


@dataclass(frozen=True)
class WorkshopDeleted:
    """A workshop deleted with everything in it: its open connections are told, then closed."""

    workshop_id: int
    sids: tuple[str, ...]


@dataclass(frozen=True)
class QuoteUpdated:
    quote_id: int


@dataclass(frozen=True)
class QuoteDeleted:
    workshop_id: int
    quote_id: int


@dataclass(frozen=True)
class NoteDeleted:
    workshop_id: int
    group_id: int
    note_id: int


@dataclass(frozen=True)
class UndoChanged:
    """The facilitator's undo stack grew or shrank: their console shows what `undo` would undo."""

    workshop_id: int


@dataclass(frozen=True)
class SpotlightChanged:
    """The facilitator showed something large on the projector, or took it away."""

    workshop_id: int


@dataclass(frozen=True)
class ParticipantRemoved:
    """The facilitator removed someone: their connections are told, then closed."""

    workshop_id: int
    participant_id: int
    sids: tuple[str, ...]


Change = (ItemAdded | ItemUpdated | ItemHidden | ItemDeleted | ThemeUpdated | ThemeDeleted | TallyChanged
          | TalliesRevealed | VotesChanged | PhaseChanged | TimerChanged | WorkshopUpdated | QuoteAdded
          | GroupsFormed | GroupUpdated | NoteAdded | PresenceChanged | ParticipantRemoved | ConnectionsClosed | WorkshopDeleted
          | QuoteUpdated | QuoteDeleted | NoteDeleted | UndoChanged | SpotlightChanged)
