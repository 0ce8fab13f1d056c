"""What a workshop does, as plain functions: validate, change, flush, return. No Flask here."""
from __future__ import annotations

from typing import Any, Callable

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..database import core
from ..models import Operation, Workshop
from . import board, groups, items, quotes, themes, timer, undo, votes, workshops
from . import people, spotlight, validate
from .errors import DomainError
from .guards import Actor
from .outcome import Outcome

Handler = Callable[[Session, Actor, dict[str, Any]], Outcome]

# event name -> (operation, takes an op_id)
EVENTS: dict[str, tuple[Handler, bool]] = {
    "post_item": (items.post, True),
    "edit_item": (items.edit, False),
    "delete_item": (items.delete, False),
    "set_phase": (workshops.set_phase, False),
    "create_theme": (themes.create, False),
    "assign_items": (themes.assign, False),
    "rename_theme": (themes.rename, False),
    "delete_theme": (themes.delete, False),
    "vote": (votes.vote, True),
    "unvote": (votes.unvote, True),
    "reveal_tallies": (workshops.reveal_tallies, False),
    "form_groups": (groups.form, False),
    "rename_group": (groups.rename, False),
    "join_group": (groups.join, False),
    "leave_group": (groups.leave, False),
    "add_note": (groups.add_note, True),
    "set_summary": (groups.set_summary, False),
    "add_quote": (workshops.add_quote, False),
    "update_workshop": (workshops.update, False),
    # Added by the screens (the console's tools):
    "start_timer": (timer.start, False),
    "stop_timer": (timer.stop, False),
    "hide_item": (board.hide_item, False),
    "merge_themes": (board.merge_themes, False),
    # Added by the record page (the facilitator edits the record's texts, also when closed):
    "edit_record_summary": (groups.edit_record_summary, False),
    # Added by issue 8: the facilitator removes someone (and, if asked, what they wrote).
    "remove_participant": (people.remove, False),
    # Safe by default (issue 10): clustering undone step by step, mistakes mended, voting reopened.
    "undo": (undo.undo, False),
    "edit_quote": (quotes.edit, False),
    "delete_quote": (quotes.delete, False),
    "delete_note": (groups.delete_note, False),
    "reopen_voting": (workshops.reopen_voting, False),
    # A projector for the back row (issue 10): one note, theme or quadrant shown large.
    "spotlight": (spotlight.spotlight, False),
}


# Events that change only dots: a snapshot counts them per viewer, so they leave the
# workshop's revision (and the cached shared snapshot, see snapshot_cache.py) as it is.
DOTS_ONLY = frozenset({"vote", "unvote"})

# Events that change nothing when refused (votes.py gives a spent dot back before refusing):
# several can share one transaction (the pipeline's group commit), a refusal leaving the rest.
BATCHED = frozenset({"vote", "unvote"})


_O, _W = Operation.__table__, Workshop.__table__
_REMEMBERED = sa.select(_O.c.answer).where(_O.c.participant_id == sa.bindparam("participant_id"), _O.c.op_id == sa.bindparam("op_id"))
_REMEMBER = sa.insert(_O)
_NEXT_REVISION = sa.update(_W).where(_W.c.id == sa.bindparam("workshop_id")).values(revision=_W.c.revision + 1)


def _remembered(session: Session, actor: Actor, op_id: str) -> dict[str, Any] | None:
    """The answer given to this person's earlier event with `op_id`, if any."""
    return core(session).scalar(_REMEMBERED, {"participant_id": actor.participant_id, "op_id": op_id})


def perform(session: Session, actor: Actor, event: str, data: Any, *, alone: bool = True) -> Outcome:
    """Run one event in the caller's transaction (flushed; the caller commits); a DomainError
    rolls back and leaves nothing changed.

    An event with an op_id already answered for this person returns that first answer and
    changes nothing, also when two copies race (the unique key decides, the loser rolls back).
    Not `alone` (an event of BATCHED sharing the transaction with others), nothing is rolled
    back here: a refusal has changed nothing, and a database error is the caller's to handle."""
    handler, takes_op_id = EVENTS[event]
    data = validate.payload(data)
    op_id = validate.op_id(data.get("op_id")) if takes_op_id and actor.participant_id else None
    if op_id is not None:
        earlier = _remembered(session, actor, op_id)
        if earlier is not None:
            return Outcome(earlier)
    try:
        if event not in DOTS_ONLY:
            # First: the workshop's row is the first lock every other event takes (on PostgreSQL), so
            # they queue here, one at a time per workshop, and never hold a person's or a group's row
            # while waiting for it (taken last, form_groups and join_group deadlocked each other).
            core(session).execute(_NEXT_REVISION, {"workshop_id": actor.workshop_id})
        outcome = handler(session, actor, data)
        if op_id is not None:
            core(session).execute(_REMEMBER, {"participant_id": actor.participant_id, "op_id": op_id,
                                          "event": event, "answer": outcome.answer})
        session.flush()
        return outcome
    except DomainError:
        if alone:
            session.rollback()
        raise
    except IntegrityError:
        if not alone:
            raise
        session.rollback()
        if op_id is not None:
            earlier = _remembered(session, actor, op_id)
            if earlier is not None:
                return Outcome(earlier)
        raise DomainError("conflict", "Something else changed at the same moment; please try again.") from None


__all__ = ["Actor", "DomainError", "EVENTS", "Outcome", "perform"]
