"""Who a browser or an API client is: the facilitator's console session and bearer token.

The console link `/console/<code>?key=<facilitator token>` is taken once: the browser's session
then keeps a marker derived from the key's stored hash (`access.console_marker`), never the key
itself. The marker is no key anywhere else (not for the API, not for another workshop) and is
void as soon as the key is rotated. A new console link is shown once, through the session, on
the page that follows the form that made it.
"""
from __future__ import annotations

import hmac

from flask import Flask, abort, has_request_context, request, session
from flask.sessions import SecureCookieSessionInterface

from . import ratelimit
from .extensions import db
from .models import Participant, Workshop
from .operations import access
from .operations.errors import DomainError


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie, marked `Secure` whenever the request came over HTTPS (behind a proxy,
    with FACILITATION_PROXY_HOPS: as X-Forwarded-Proto says), or always with FACILITATION_SECURE_COOKIES=1."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or (has_request_context() and request.is_secure)


def init_app(app: Flask) -> None:
    app.session_interface = SessionInterface()


def _console_key(code: str) -> str:
    return f"facilitator:{code}"


def _link_key(code: str) -> str:
    return f"console_link:{code}"


def sign_in(code: str, token_hash: str) -> None:
    """Mark this browser as the console of workshop `code` whose facilitator key has `token_hash`
    (until sign-out or a new key)."""
    session.permanent = True
    session[_console_key(code)] = access.console_marker(token_hash)


def sign_out(code: str) -> None:
    session.pop(_console_key(code), None)
    session.pop(_link_key(code), None)


def is_signed_in(facilitator: Participant, code: str) -> bool:
    """Whether this browser's session holds the console marker of the facilitator's current key."""
    marker = session.get(_console_key(code))
    return isinstance(marker, str) and hmac.compare_digest(marker, access.console_marker(facilitator.token_hash))


def socket_auth(auth: object) -> object:
    """A connecting console's auth object: `{code, role: "facilitator"}` gets this browser's
    marker added (the client cannot send one of its own)."""
    if not isinstance(auth, dict):
        return auth
    auth = {k: v for k, v in auth.items() if k != "console_session"}
    if auth.get("role") == "facilitator" and isinstance(auth.get("code"), str):
        auth["console_session"] = session.get(_console_key(access.normalise_code(auth["code"])))
    return auth


def require_console(code: str) -> None:
    """Abort with 404 for an unknown code and 403 unless this browser is the console of `code`."""
    with db.read() as s:
        try:
            workshop = ratelimit.looked_up(code, lambda c: access.workshop_by_code(s, c), lambda c: is_signed_in(
                access.facilitator_of(s, access.workshop_by_code(s, c)), access.normalise_code(c)))
        except ratelimit.RateLimited:
            raise
        except DomainError:
            abort(404)
        if not is_signed_in(access.facilitator_of(s, workshop), workshop.code):
            abort(403)


def keep_link_to_show(code: str, token: str) -> None:
    """A new console key, kept in the session only until the page that shows its link once."""
    session[_link_key(code)] = token


def take_link_to_show(code: str) -> str | None:
    return session.pop(_link_key(code), None)


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def check_api_facilitator(s, workshop: Workshop) -> Participant:
    """The facilitator of `workshop` behind this API request: their console session, or
    `Authorization: Bearer <facilitator token>`. DomainError unauthorized (no token) or forbidden."""
    facilitator = access.facilitator_of(s, workshop)
    if is_signed_in(facilitator, workshop.code):
        return facilitator
    token = bearer_token()
    if token is None:
        raise DomainError("unauthorized", "Send the facilitator token: 'Authorization: Bearer <token>'.")
    return access.check_facilitator_token(s, workshop, token)
