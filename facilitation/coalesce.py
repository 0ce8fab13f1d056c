"""Changes a room needs only a few times a second, gathered and sent by one background task per
process: presence (joins and leaves) and the tally (dots in a storm). Closed connections are
forgotten here too, in one write for all of them, so a disconnect does no work of its own."""
from __future__ import annotations

import logging
import threading
import time
from typing import Iterable

from .operations.changes import Change, PresenceChanged, TallyChanged

log = logging.getLogger(__name__)

TICK = 0.1  # seconds between flushes of the tallies
PRESENCE_TICKS = 3  # presence at most every third tick


class Coalescer:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tallies: set[int] = set()
        self._presence: set[int] = set()
        self._closed: list[str] = []
        self._task = None
        self.ticks = 0

    @staticmethod
    def takes(change: Change) -> bool:
        return isinstance(change, (TallyChanged, PresenceChanged))

    def add(self, changes: Iterable[Change]) -> None:
        changes = list(changes)
        if not changes:
            return
        with self._lock:
            for change in changes:
                (self._tallies if isinstance(change, TallyChanged) else self._presence).add(change.workshop_id)
        self._start()

    def closed(self, sid: str, workshop_id: int) -> None:
        """A connection has ended: forget it and tell its room, soon."""
        with self._lock:
            self._closed.append(sid)
            self._presence.add(workshop_id)
        self._start()

    def _start(self) -> None:
        if self._task is None:
            from .extensions import socketio

            self._task = socketio.start_background_task(self._run)

    def _run(self) -> None:
        while True:
            time.sleep(TICK)
            try:
                self.flush()
            except Exception:
                log.exception("coalesced broadcast failed")

    def flush(self) -> None:
        """Forget closed connections, then send the tallies and (every few ticks) presence due."""
        from . import broadcast
        from .extensions import db
        from .operations import access

        self.ticks += 1
        with self._lock:
            tallies, self._tallies = self._tallies, set()
            closed, self._closed = self._closed, []
            presence: set[int] = set()
            if self.ticks % PRESENCE_TICKS == 0:
                presence, self._presence = self._presence, set()
        if closed:
            with db.write() as session:
                access.disconnect(session, closed)
        if not (tallies or presence):
            return
        with db.read() as session:
            messages = [m for w in sorted(tallies) for m in broadcast.tally(session, w)]
            messages += [m for w in sorted(presence) for m in broadcast.presence(session, w)]
        broadcast.send(messages)
