"""Socket.IO handlers: parse, call an operation on the one path (pipeline), answer the ack."""
from __future__ import annotations

import logging
from typing import Any, Callable

from flask import request, session
from flask_socketio import ConnectionRefusedError, SocketIO, join_room

from . import broadcast, operations, packets, pipeline
from . import hyphenation, identity
from . import snapshot as read
from .extensions import coalescer, db, socketio
from .operations import access, people
from .operations.errors import DomainError
from .operations.guards import Actor
from .operations.outcome import Outcome
from .ratelimit import MISSES, client_address, limiter
from .snapshot_cache import SnapshotCache

log = logging.getLogger(__name__)
shared_snapshots = SnapshotCache()


class Refused(ConnectionRefusedError):
    """A refused connection whose connect_error carries the protocol's {code, message}."""

    def __init__(self, error: DomainError) -> None:
        super().__init__(error.message)
        self.error_args = {**error.as_dict(), "data": error.as_dict()}


def _failure(code: str, message: str) -> dict[str, Any]:
    return {"ok": False, "error": {"code": code, "message": message}}


def _sent_as_event() -> bool:
    """True when 'connect' or 'disconnect' is an event a connected client sent, not its own
    connecting or disconnecting (during which python-socketio does not count it as connected)."""
    return socketio.server.manager.is_connected(request.sid, "/")


def on_connect(auth: Any = None) -> dict[str, Any] | None:
    if _sent_as_event():
        return on_unknown("connect")
    auth = identity.socket_auth(auth)  # a console connects with its browser session
    if isinstance(auth, packets.Unreadable):
        raise Refused(DomainError("bad_request", auth.message))
    address, code = client_address(), access.normalise_code(auth.get("code") if isinstance(auth, dict) else None)
    guessing = _limit_connect(address, code, auth)
    try:
        admitted = pipeline.write(lambda s: _admit(s, auth))
    except DomainError as error:
        if error.code in MISSES:
            limiter().missed(address)
        raise Refused(guessing or error) from None  # a guesser out of misses learns nothing from a token's refusal
    limiter().learn(address, code)
    session["actor"] = admitted.answer["actor"]
    broadcast.snapshot_to(request.sid, admitted.answer["snapshot"])
    return None


def _limit_connect(address: str, code: str, auth: Any) -> DomainError | None:
    """Refuse a guesser (out of misses, a code new to its address) unless it brings a token or key,
    and a new participant beyond the address's or the workshop's join pace. Returns the refusal
    a credential's check must answer in place of its own."""
    rate = limiter()
    guessing = rate.guessing(address, code)
    credentials = isinstance(auth, dict) and any(auth.get(k) is not None for k in access.CREDENTIALS)
    if guessing is not None and not credentials:
        raise Refused(guessing)
    if not credentials and isinstance(auth, dict) and auth.get("role") != "screen":
        joining = rate.joining(address, code)
        if joining is not None:
            raise Refused(joining)
    return guessing


def _admit(s, auth: Any) -> Outcome:
    """Admit the client, enter its rooms, then read its snapshot in the same transaction: what is
    committed from here on arrives as events. Presence is coalesced (access.connect's change)."""
    admitted = access.connect(s, auth, request.sid)
    actor: Actor = admitted.answer["actor"]
    for room in broadcast.rooms_for(actor):
        join_room(room)
    shared = shared_snapshots.shared(s, actor.workshop_id, read.audience(actor.role))
    admitted.answer["snapshot"] = read.personal(s, shared, actor.role, actor.participant_id, admitted.answer["token"])
    return admitted


def on_disconnect(*_args: Any) -> dict[str, Any] | None:
    """Never waits: python-engineio may run this inside another client's send."""
    if _sent_as_event():
        return on_unknown("disconnect")
    actor: Actor | None = session.get("actor")
    if actor is not None:
        coalescer.closed(request.sid, actor.workshop_id)
    return None


def _handler(event: str) -> Callable[..., dict[str, Any]]:
    def handle(*args: Any) -> dict[str, Any]:
        actor: Actor | None = session.get("actor")
        if actor is None:
            return _failure("forbidden", "Not connected to a workshop.")
        refusal = limiter().acting(actor.participant_id, event) if actor.role == "participant" else None
        if refusal is not None:
            return {"ok": False, "error": refusal.as_dict()}
        try:
            outcome = pipeline.perform(actor, event, args[0] if args else None)
            return {"ok": True, **outcome.answer}
        except DomainError as error:
            return {"ok": False, "error": error.as_dict()}
        except Exception:  # never let one event take the server down; nothing was committed
            log.exception("event %s failed", event)
            return _failure("internal", "Something went wrong on the server; nothing was changed.")

    handle.__name__ = f"on_{event}"
    return handle


def on_list_participants(*_args: Any) -> dict[str, Any]:
    """The facilitator's list of people: a read, so no write transaction and nothing published."""
    actor: Actor | None = session.get("actor")
    if actor is None or not actor.is_facilitator:
        return _failure("forbidden", "Only the facilitator sees the list of people.")
    with db.read() as s:
        return {"ok": True, "participants": people.listing(s, actor.workshop_id)}


def on_hyphenate(data: Any = None, *_args: Any) -> dict[str, Any]:
    """A projector asks where its long words may break: a read, nothing written or published."""
    actor: Actor | None = session.get("actor")
    if actor is None or actor.role != "screen":
        return _failure("forbidden", "Only a projector asks where words break.")
    try:
        return {"ok": True, "words": hyphenation.hyphenated(data)}
    except DomainError as error:
        return {"ok": False, "error": error.as_dict()}


def on_unknown(event: str, *_args: Any) -> dict[str, Any]:
    return _failure("bad_request", f"Unknown event '{event}'.")


def on_unreadable(reason: Any = None, *_args: Any) -> dict[str, Any]:
    """An event whose packet could not be read (packets.Packet hands it on under this name)."""
    if not isinstance(reason, packets.Unreadable):  # a client that sent the name itself
        return on_unknown(packets.UNREADABLE)
    return _failure("bad_request", reason.message)


def register(socketio: SocketIO) -> None:
    shared_snapshots.clear()  # an app's first connect never gets another database's rooms
    socketio.on_event("connect", on_connect)
    socketio.on_event("disconnect", on_disconnect)
    for event in operations.EVENTS:
        socketio.on_event(event, _handler(event))
    socketio.on_event(packets.UNREADABLE, on_unreadable)
    socketio.on_event("list_participants", on_list_participants)
    socketio.on_event("hyphenate", on_hyphenate)
    socketio.on_event("*", on_unknown)
