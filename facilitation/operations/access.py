"""Creating workshops and admitting people: join codes, tokens, and who a token belongs to."""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..database import core
from ..models import Connection, Participant, Workshop
from . import limits, validate
from .changes import PresenceChanged
from .errors import DomainError
from .guards import Actor
from .outcome import Outcome

# No look-alikes (0/O, 1/I/L, 2/Z, 5/S, 8/B, 6/G, U/V): easy to read off a projector and type.
CODE_ALPHABET = "ACDEFHJKMNPQRTWXY3479"
CODE_LENGTH = 6
# What in a connect's auth proves who it is: with one, a connect never counts as a new participant.
CREDENTIALS = ("participant_token", "facilitator_token", "console_session", "screen_key")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(24)  # 192 random bits


def new_code(session: Session) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if session.scalar(sa.select(Workshop.id).where(Workshop.code == code)) is None:
            return code


def normalise_code(code: Any) -> str:
    """A typed code as stored: upper case, without spaces or dashes."""
    if not isinstance(code, str):
        return ""
    return re.sub(r"[\s\-]", "", code).upper()[:32]


def workshop_by_code(session: Session, code: Any) -> Workshop:
    workshop = session.scalar(sa.select(Workshop).where(Workshop.code == normalise_code(code)))
    if workshop is None:
        raise DomainError("not_found", "No workshop has that code.")
    return workshop


def facilitator_of(session: Session, workshop: Workshop) -> Participant:
    return session.scalars(
        sa.select(Participant).where(
            Participant.workshop_id == workshop.id, Participant.role == "facilitator"
        )
    ).one()


def console_marker(token_hash: str) -> str:
    """What a console's browser session keeps: derived from the key's stored hash, so it is no key
    itself (nor for the API) and is void once the key is rotated."""
    return hashlib.sha256(b"facilitation console session\0" + token_hash.encode("ascii")).hexdigest()


def check_console_session(session: Session, workshop: Workshop, marker: Any) -> Participant:
    facilitator = facilitator_of(session, workshop)
    if not isinstance(marker, str) or not hmac.compare_digest(marker, console_marker(facilitator.token_hash)):
        raise DomainError("forbidden", "Open the console with its link first.")
    return facilitator


def check_facilitator_token(session: Session, workshop: Workshop, token: Any) -> Participant:
    facilitator = facilitator_of(session, workshop)
    if not isinstance(token, str) or not hmac.compare_digest(
        hash_token(token), facilitator.token_hash
    ):
        raise DomainError("forbidden", "That facilitator token is not valid for this workshop.")
    return facilitator


def check_screen_key(workshop: Workshop, key: Any) -> None:
    """The projector link's key: a screen sees the whole workshop, so it needs what only the facilitator has."""
    if not isinstance(key, str) or not hmac.compare_digest(key.encode("utf-8", "replace"), workshop.screen_key.encode()):
        raise DomainError("forbidden", "A screen connects with the key in the console's projector link.")


def add_facilitator(session: Session, workshop: Workshop) -> str:
    """Create the workshop's facilitator row; returns the token (shown once, stored hashed)."""
    token = new_token()
    session.add(Participant(workshop_id=workshop.id, role="facilitator", token_hash=hash_token(token)))
    return token


def rotate_facilitator_token(session: Session, workshop: Workshop) -> tuple[str, list[str]]:
    """A new facilitator key: the old one, the console sessions it made and the API token stop
    working. Returns the new key (shown once) and the facilitator's open connections, to close."""
    facilitator = facilitator_of(session, workshop)
    token = new_token()
    facilitator.token_hash = hash_token(token)
    sids = list(session.scalars(sa.select(Connection.sid).where(Connection.participant_id == facilitator.id)))
    session.flush()
    return token, sids


# A join storm runs these for every phone: built once (see database.core).
_C, _P, _W = Connection.__table__, Participant.__table__, Workshop.__table__
_TO_JOIN = sa.select(_W.c.id, _W.c.code, _W.c.phase, _W.c.screen_key).where(_W.c.code == sa.bindparam("code"))
_BY_TOKEN = sa.select(_P.c.id).where(_P.c.token_hash == sa.bindparam("token_hash"), _P.c.workshop_id == sa.bindparam("workshop_id"),
                                     _P.c.role == "participant")
_JOIN = sa.insert(_P).returning(_P.c.id)
_CONNECTED = sa.insert(_C)


def _to_join(session: Session, code: Any) -> sa.Row:
    """The workshop a connecting client names: its id, code, phase and screen key."""
    workshop = core(session).execute(_TO_JOIN, {"code": normalise_code(code)}).first()
    if workshop is None:
        raise DomainError("not_found", "No workshop has that code.")
    return workshop


def admit(session: Session, auth: Any) -> tuple[Actor, sa.Row, str | None]:
    """Who a connecting client is, from its `auth` object; adds (and flushes) a newly joined participant.

    Returns the actor, the workshop and the participant's token (new or given back)."""
    if not isinstance(auth, dict):
        raise DomainError("bad_request", "Connect with an auth object that has a workshop code.")
    workshop = _to_join(session, auth.get("code"))
    if auth.get("facilitator_token") is not None:
        facilitator = check_facilitator_token(session, workshop, auth["facilitator_token"])
        return Actor(workshop.id, "facilitator", facilitator.id), workshop, None
    if auth.get("role") == "facilitator":  # a console whose browser session holds the marker
        facilitator = check_console_session(session, workshop, auth.get("console_session"))
        return Actor(workshop.id, "facilitator", facilitator.id), workshop, None
    if auth.get("participant_token") is not None:
        token = auth["participant_token"]
        participant_id = None
        if isinstance(token, str):
            participant_id = core(session).scalar(_BY_TOKEN, {"token_hash": hash_token(token), "workshop_id": workshop.id})
        if participant_id is None:
            raise DomainError("forbidden", "That participant token is not valid for this workshop.")
        return Actor(workshop.id, "participant", participant_id), workshop, token
    if auth.get("role") == "screen":
        # The contract's keyless screen still connects: it sees what any phone that joins with the
        # code sees, no more (the viewers' snapshot; nothing once closed). A key, when sent, must be right.
        if "screen_key" in auth:
            check_screen_key(workshop, auth["screen_key"])
        return Actor(workshop.id, "screen"), workshop, None
    if auth.get("role") not in (None, "participant"):
        raise DomainError("bad_request", "Unknown role.")
    name = validate.text(auth.get("name"), "name", validate.SHORT, required=False)
    organisation = validate.text(auth.get("organisation"), "organisation", validate.SHORT, required=False)
    table = validate.text(auth.get("table"), "table", validate.SHORT, required=False)
    if workshop.phase == "closed":
        raise DomainError("wrong_phase", "The workshop is closed; no one can join any more.")
    number = limits.ensure_room(session, workshop.id, "participants")
    token = new_token()
    participant_id = core(session).scalar(_JOIN, {
        "workshop_id": workshop.id, "role": "participant", "token_hash": hash_token(token), "name": name,
        "organisation": organisation, "table": table, "number": (number or 0) + 1})
    return Actor(workshop.id, "participant", participant_id), workshop, token


def connect(session: Session, auth: Any, sid: str) -> Outcome:
    """Admit a connecting client and record its connection (for presence across processes).

    The answer holds the `actor` and the participant's `token` (new or given back)."""
    actor, workshop, token = admit(session, auth)
    core(session).execute(_CONNECTED, {"sid": sid, "workshop_id": workshop.id, "participant_id": actor.participant_id,
                                       "role": actor.role})
    return Outcome({"actor": actor, "token": token}, [PresenceChanged(workshop.id)])


def disconnect(session: Session, sids: list[str]) -> None:
    """Forget connections that have closed."""
    session.execute(sa.delete(Connection).where(Connection.sid.in_(sids)))
