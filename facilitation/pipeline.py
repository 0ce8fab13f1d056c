"""The one path from a change to the screens: operations change and flush, one place commits,
and what changed is published after the session is closed and every lock released."""
from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable, TypeVar

from sqlalchemy.orm import Session

from . import broadcast, operations
from .extensions import coalescer, db
from .operations.changes import Change
from .operations.errors import DomainError
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


def _rendered(session: Session, changes: list[Change]) -> tuple[list[broadcast.Message | broadcast.Disconnect], list[Change]]:
    """The messages for `changes`, rendered in the session, and the changes left to the coalescer."""
    later = [change for change in changes if coalescer.takes(change)]
    messages = [m for change in changes if not coalescer.takes(change) for m in broadcast.render(session, change)]
    return messages, later


def write(work: Callable[[Session], T]) -> T:
    """Run `work` in one write transaction and commit it; when it returns an Outcome, publish
    its changes once the transaction has ended. A DomainError changes and publishes nothing."""
    messages: list[broadcast.Message | broadcast.Disconnect] = []
    later: list[Change] = []
    with db.write() as session:
        result = work(session)
        if isinstance(result, Outcome):
            messages, later = _rendered(session, result.changes)
    publish(messages, later)
    return result


def _alone(actor: Actor, event: str, data: Any) -> Outcome:
    return write(lambda session: operations.perform(session, actor, event, data))


class _Waiting:
    """One event in the group commit's queue, and what became of it."""

    def __init__(self, actor: Actor, event: str, data: Any) -> None:
        self.actor, self.event, self.data = actor, event, data
        self.wake = threading.Event()
        self.lead = self.finished = False
        self.outcome: Outcome | None = None
        self.error: Exception | None = None


class GroupCommit:
    """Dots arriving together written in one transaction.

    In a vote storm hundreds of phones each send a dot within seconds; alone, each pays a
    transaction's set-up, BEGIN and COMMIT (on PostgreSQL a round trip each and a WAL flush).
    Here the events that arrive while one batch is written make up the next: the first to find
    no batch running leads, writes the queue (itself first) in one transaction, publishes, and
    hands the lead to the first of those queued meanwhile. Only events that change nothing when
    refused take part (operations.BATCHED), so a refusal leaves the rest of its batch; on any
    other error the batch is rolled back and its events run again one by one."""

    MOST = 200  # events in one transaction

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: list[_Waiting] = []
        self._leading = False

    def perform(self, actor: Actor, event: str, data: Any) -> Outcome:
        me = _Waiting(actor, event, data)
        with self._lock:
            self._queue.append(me)
            if not self._leading:
                self._leading = me.lead = True
        if me.lead:
            time.sleep(0)  # the events already read off their sockets in this turn of the loop join in
        while not me.finished:
            if me.lead:
                self._write_next()
            else:
                me.wake.wait()
                me.wake.clear()
        if me.error is not None:
            raise me.error
        assert me.outcome is not None
        return me.outcome

    def _write_next(self) -> None:
        with self._lock:
            batch, self._queue = self._queue[:self.MOST], self._queue[self.MOST:]
        try:
            self._write(batch)
        finally:
            for waiting in batch:
                waiting.finished = True
                waiting.wake.set()
            with self._lock:
                if self._queue:
                    self._queue[0].lead = True
                    self._queue[0].wake.set()
                else:
                    self._leading = False

    @staticmethod
    def _write(batch: list[_Waiting]) -> None:
        try:
            with db.write() as session:
                # People's rows are locked in id order, as themes.remove locks them (no deadlock
                # between processes); each still gets its own answer.
                for w in sorted(batch, key=lambda w: w.actor.participant_id or 0):
                    try:
                        w.outcome = operations.perform(session, w.actor, w.event, w.data, alone=False)
                    except DomainError as error:
                        w.error = error
                messages, later = _rendered(session, [c for w in batch if w.outcome for c in w.outcome.changes])
        except Exception:
            log.warning("a batch of %d events failed; each runs again alone", len(batch), exc_info=True)
            for w in batch:
                w.outcome = w.error = None
                try:
                    w.outcome = _alone(w.actor, w.event, w.data)
                except Exception as error:  # the event's handler answers it, as for an event alone
                    w.error = error
            return
        publish(messages, later)


group_commit = GroupCommit()


def perform(actor: Actor, event: str, data: Any) -> Outcome:
    """One event of the protocol, from a socket or a page, on the one path (dots in a group commit)."""
    if event in operations.BATCHED:
        return group_commit.perform(actor, event, data)
    return _alone(actor, event, data)
