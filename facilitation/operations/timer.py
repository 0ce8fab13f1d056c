"""The facilitator's countdown, shown on the projector and the phones."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from .. import snapshot
from ..models import utcnow
from . import validate
from .changes import TimerChanged
from .guards import Actor, require_phase, require_role, workshop_of
from .outcome import Outcome

MAX_SECONDS = 4 * 60 * 60


def start(session: Session, actor: Actor, data: dict[str, Any]) -> Outcome:
    """Start (or restart) the countdown at `seconds`."""
    require_role(actor, "facilitator")
    workshop = workshop_of(session, actor, lock=True)
    require_phase(workshop, actor)
    seconds = validate.integer(data.get("seconds"), "seconds", 1, MAX_SECONDS)
    assert seconds is not None
    workshop.timer_seconds = seconds
    workshop.timer_ends_at = utcnow() + dt.timedelta(seconds=seconds)
    session.flush()
    return Outcome({"timer": snapshot.timer_view(workshop)}, [TimerChanged(workshop.id)])


def stop(session: Session, actor: Actor, data: dict[str, Any]) -> Outcome:
    """Take the countdown away."""
    require_role(actor, "facilitator")
    workshop = workshop_of(session, actor, lock=True)
    require_phase(workshop, actor)
    workshop.timer_seconds = None
    workshop.timer_ends_at = None
    session.flush()
    return Outcome({"timer": None}, [TimerChanged(workshop.id)])
