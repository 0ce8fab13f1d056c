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


def _outcome(workshop, participant_id: int, dots: dict[str, int]) -> Outcome:
    """The person's dots as the answer and as their own `my_votes`; the tally is due."""
    dots = {theme: n for theme, n in dots.items() if n}
    answer = {"votes_left": max(0, workshop.votes_per_participant - sum(dots.values())), "votes": dots}
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
    dots = snapshot.dots_of(session, actor.participant_id)  # under the row lock
    key = str(theme.id)
    if dots.get(key, 0) >= workshop.max_votes_per_theme:
        raise DomainError("theme_vote_limit", f"At most {workshop.max_votes_per_theme} dots per theme.")
    session.execute(sa.insert(Vote).values(participant_id=actor.participant_id, theme_id=theme.id))
    dots[key] = dots.get(key, 0) + 1
    return _outcome(workshop, actor.participant_id, dots)


def unvote(session: Session, actor: Actor, data: dict[str, Any]) -> Outcome:
    workshop, theme = _theme(session, actor, data)
    # Lock the participant's row first, as vote does, so the two never interleave.
    session.execute(
        sa.update(Participant).where(Participant.id == actor.participant_id).values(votes_used=Participant.votes_used)
    )
    dots = snapshot.dots_of(session, actor.participant_id)  # under the row lock
    key = str(theme.id)
    if not dots.get(key):
        raise DomainError("bad_request", "You have no dot on that theme.")
    latest = (sa.select(Vote.id).where(Vote.participant_id == actor.participant_id, Vote.theme_id == theme.id)
              .order_by(Vote.id.desc()).limit(1).scalar_subquery())
    session.execute(sa.delete(Vote).where(Vote.id == latest))
    session.execute(
        sa.update(Participant).where(Participant.id == actor.participant_id).values(votes_used=Participant.votes_used - 1)
    )
    dots[key] -= 1
    return _outcome(workshop, actor.participant_id, dots)
