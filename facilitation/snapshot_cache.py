"""The shared part of each room's snapshot, built once and reused by every joiner while the
workshop's revision stays the same (a QR code on the projector: hundreds join, nothing changes).

The revision is read in the joiner's own connect transaction, after the joiner has entered
its rooms: what was committed before is in the snapshot, what is committed after arrives as
events. Correct across processes, since every event that changes what the shared part holds
raises the revision in the same transaction (operations.perform); dots do not, and the
themes' votes are counted per viewer (snapshot.personal)."""
from __future__ import annotations

import threading
from collections import OrderedDict

import sqlalchemy as sa
from sqlalchemy.orm import Session

from . import snapshot as read
from .database import core
from .models import Workshop

KEPT = 256  # rooms (workshop and audience) whose shared part is kept
_REVISION = sa.select(Workshop.__table__.c.revision).where(Workshop.__table__.c.id == sa.bindparam("workshop_id"))


class SnapshotCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: OrderedDict[tuple[int, str], read.Shared] = OrderedDict()

    def clear(self) -> None:
        """Forget every room: a new app may have a new database, whose ids start again at 1."""
        with self._lock:
            self._kept.clear()

    def shared(self, session: Session, workshop_id: int, audience: str) -> read.Shared:
        """The audience's shared snapshot as of `session`'s transaction."""
        key = (workshop_id, audience)
        revision = core(session).scalar(_REVISION, {"workshop_id": workshop_id})
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None and kept.revision == revision:
                self._kept.move_to_end(key)
                return kept
        workshop = session.get(Workshop, workshop_id)
        if workshop is None:
            raise LookupError(f"workshop {workshop_id} is gone")
        built = read.shared(session, workshop, audience)
        with self._lock:
            self._kept[key] = built
            self._kept.move_to_end(key)
            while len(self._kept) > KEPT:
                self._kept.popitem(last=False)
        return built
