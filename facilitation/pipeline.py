"""The one path from a change to the screens: operations change and flush, one place commits,
and what changed is published after the session is closed and every lock released."""
from __future__ import annotations

import logging
from typing import Any, Callable, TypeVar

from sqlalchemy.orm import Session

from . import broadcast, operations
from .extensions import coalescer, db
from .operations.changes import Change
from .operations.guards import Actor
from .operations.outcome import Outcome

log = logging.getLogger(__name__)
T = TypeVar("T")


def publish(messages: list[broadcast.Message | broadcast.Disconnect], later: list[Change]) -> None:
    """Send what was rendered and hand the coalesced changes on; a failure is logged, since the
    change is committed and the screens catch up at their next snapshot."""
    coalescer.add(later)
    try:
        broadcast.send(messages)
    except Exception:
        log.exception("broadcast of %s failed", sorted({m.event for m in messages}))


def write(work: Callable[[Session], T]) -> T:
    """Run `work` in one write transaction and commit it; when it returns an Outcome, publish
    its changes once the transaction has ended. A DomainError changes and publishes nothing."""
    messages: list[broadcast.Message | broadcast.Disconnect] = []
    later: list[Change] = []
    with db.write() as session:
        result = work(session)
        if isinstance(result, Outcome):
            later = [change for change in result.changes if coalescer.takes(change)]
            messages = [m for change in result.changes if not coalescer.takes(change)
                        for m in broadcast.render(session, change)]
    publish(messages, later)
    return result


def perform(actor: Actor, event: str, data: Any) -> Outcome:
    """One event of the protocol, from a socket or a page, on the one path."""
    return write(lambda session: operations.perform(session, actor, event, data))
