"""The projector: a read-only screen of the workshop for whoever has its key, and the QR code that
leads phones to it."""
from __future__ import annotations

import io

import segno
import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, session, url_for

from .. import hosts
from ..extensions import db
from ..models import Workshop
from ..operations import access
from ..operations.errors import DomainError
from ..ratelimit import client_address, limiter
from .pages import error_page, thanks_page, workshop_page

bp = Blueprint("screen", __name__, url_prefix="/screen")
bp.register_error_handler(404, error_page)
bp.register_error_handler(403, lambda error: error_page(error, reason="projector"))


def _key_name(code: str) -> str:
    return f"screen_key:{code}"


def screen_key_of(code: str) -> str:
    """The workshop's screen key (only the facilitator's pages and the creation answer show it)."""
    with db.read() as s:
        key = s.scalar(sa.select(Workshop.screen_key).where(Workshop.code == code))
    if key is None:
        abort(404)
    return key


def projector_link(code: str) -> str:
    """The projector link with its key, as the console shows it."""
    return hosts.public_url("screen.projector", code=code, k=screen_key_of(code))


def _valid_key(code: str, key: str | None) -> bool:
    with db.read() as s:
        try:
            access.check_screen_key(access.workshop_by_code(s, code), key)
        except DomainError:
            return False
    return True


@bp.get("/<code>")
def projector(code: str):
    """`?k=` is taken once into this browser's session and dropped from the address (the room sees
    the projector's address bar); without a valid key the page answers 403, once closed a thank-you."""
    workshop = workshop_page(code, proof=lambda c: _valid_key(c, request.args.get("k", session.get(_key_name(c)))))
    if workshop["phase"] == "closed":
        return thanks_page(workshop)
    code = workshop["code"]
    key = request.args.get("k", session.get(_key_name(code)))
    if not _valid_key(code, key):
        limiter().missed(client_address())
        session.pop(_key_name(code), None)
        abort(403)
    if "k" in request.args:
        session.permanent = True
        session[_key_name(code)] = key
        return redirect(url_for("screen.projector", code=code))
    response = render_template("screen/projector.html", workshop=workshop, screen_key=key)
    return response, 200, {"Cache-Control": "no-store"}


@bp.get("/<code>/qr.svg")
def qr(code: str):
    """The join link as a QR code (SVG, made on the server)."""
    workshop = workshop_page(code)
    out = io.BytesIO()
    segno.make(workshop["join_url"], error="m").save(out, kind="svg", scale=10, border=2, dark="#000", light="#fff",
                                                    title=workshop["short_join_url"], xmldecl=False)
    response = Response(out.getvalue(), mimetype="image/svg+xml")
    # Shared caches may keep it only when its link comes from BASE_URL, not from the request's Host.
    response.headers["Cache-Control"] = f"{'public' if current_app.config.get('BASE_URL') else 'private'}, max-age=3600"
    return response
