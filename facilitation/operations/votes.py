"""Dot votes: the budget is spent with one conditional update, so it can never be overspent."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .. import snapshot
from ..models import Participant, Theme, Vote
from . import validate
from .changes import TallyChanged, VotesChanged
from .errors import DomainError
from .guards import Actor, owned, require_phase, require_role, workshop_of
from .outcome import Outcome


def _theme(session: Session, actor: Actor, data: dict[str, Any]):
    require_role(actor, "participant")
    workshop = workshop_of(session, actor)
    theme = owned(session, Theme, validate.identifier(data.get("theme_id"), "theme_id"), workshop.id, "theme")
    require_phase(workshop, actor, "vote")
    return workshop, theme


def _answer(session: Session, workshop, participant_id: int) -> dict[str, Any]:
    me = snapshot.my_votes(session, workshop.votes_per_participant, participant_id)
    return {"votes_left": me["votes_left"], "votes": me["votes"]}


def _outcome(session: Session, workshop, participant_id: int) -> Outcome:
    """The person's dots as the answer and as their own `my_votes`; the tally is due."""
    answer = _answer(session, workshop, participant_id)
    return Outcome(answer, [TallyChanged(workshop.id), VotesChanged(participant_id, answer)])


def vote(session: Session, actor: Actor, data: dict[str, Any]) -> Outcome:
    workshop, theme = _theme(session, actor, data)
    # Spend one dot only if one is left: the row update is atomic on SQLite and PostgreSQL
    # (it takes the participant's row lock), so simultaneous votes cannot overspend.
    spent = session.execute(
        sa.update(Participant)
        .where(Participant.id == actor.participant_id, Participant.votes_used < workshop.votes_per_participant)
        .values(votes_used=Participant.votes_used + 1)
        .returning(Participant.votes_used)
    ).first()
    if spent is None:
        raise DomainError("vote_budget", "You have no dots left.")
    # Read after the row lock: a concurrent vote by the same person is committed and counted.
    on_theme = session.scalar(
        sa.select(sa.func.count(Vote.id)).where(Vote.participant_id == actor.participant_id, Vote.theme_id == theme.id)
    )
    if on_theme >= workshop.max_votes_per_theme:
        raise DomainError("theme_vote_limit", f"At most {workshop.max_votes_per_theme} dots per theme.")
    session.add(Vote(participant_id=actor.participant_id, theme_id=theme.id))
    session.flush()
    return _outcome(session, workshop, actor.participant_id)


def unvote(session: Session, actor: Actor, data: dict[str, Any]) -> Outcome:
    workshop, theme = _theme(session, actor, data)
    # Lock the participant's row first, as vote does, so the two never interleave.
    session.execute(
        sa.update(Participant).where(Participant.id == actor.participant_id).values(votes_used=Participant.votes_used)
    )
    vote_id = session.scalar(
        sa.select(Vote.id).where(Vote.participant_id == actor.participant_id, Vote.theme_id == theme.id).order_by(Vote.id.desc()).limit(1)
    )
    if vote_id is None:
        raise DomainError("bad_request", "You have no dot on that theme.")
    session.execute(sa.delete(Vote).where(Vote.id == vote_id))
    session.execute(
        sa.update(Participant).where(Participant.id == actor.participant_id).values(votes_used=Participant.votes_used - 1)
    )
    session.flush()
    return _outcome(session, workshop, actor.participant_id)
