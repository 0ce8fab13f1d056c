"""A room's shared snapshot built once for a burst of joiners (a QR code on the projector), each
joiner's own part added to it. A joiner only ever gets a build that began after it had joined
its rooms, so nothing committed before that build is missed and everything after it arrives
as events."""
from __future__ import annotations

import threading
import time

from . import snapshot as read
from .extensions import db
from .models import Workshop


class _Batch:
    def __init__(self) -> None:
        self.done = threading.Event()
        self.result: read.Shared | None = None
        self.error: BaseException | None = None


class SnapshotBatches:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: dict[tuple[int, str], _Batch] = {}
        self._building: dict[tuple[int, str], threading.Lock] = {}

    def shared(self, workshop_id: int, audience: str) -> read.Shared:
        """The shared snapshot of `audience` in the workshop, built after this call began."""
        key = (workshop_id, audience)
        with self._lock:
            batch = self._waiting.get(key)
            leader = batch is None
            if batch is None:
                batch = self._waiting[key] = _Batch()
            building = self._building.setdefault(key, threading.Lock())
        if leader:
            time.sleep(0)  # under gevent: joiners already on their way join this batch
            with building:
                with self._lock:
                    self._waiting.pop(key, None)  # whoever comes now waits for the next build
                try:
                    with db.read() as session:
                        workshop = session.get(Workshop, workshop_id)
                        if workshop is None:
                            raise LookupError(f"workshop {workshop_id} is gone")
                        batch.result = read.shared(session, workshop, audience)
                except BaseException as error:
                    batch.error = error
                finally:
                    batch.done.set()
        elif not batch.done.wait(60):
            raise TimeoutError("the room's snapshot was not built in time")
        if batch.error is not None:
            raise batch.error
        assert batch.result is not None
        return batch.result
