"""The projector: a read-only screen of the workshop, and the QR code that leads phones to it."""
from __future__ import annotations

import io

import segno
from flask import Blueprint, Response, render_template

from .pages import error_page, workshop_page

bp = Blueprint("screen", __name__, url_prefix="/screen")
bp.register_error_handler(404, error_page)


@bp.get("/<code>")
def projector(code: str):
    return render_template("screen/projector.html", workshop=workshop_page(code))


@bp.get("/<code>/qr.svg")
def qr(code: str):
    """The join link as a QR code (SVG, made on the server)."""
    workshop = workshop_page(code)
    out = io.BytesIO()
    segno.make(workshop["join_url"], error="m").save(out, kind="svg", scale=10, border=2, dark="#000", light="#fff",
                                                    title=workshop["short_join_url"], xmldecl=False)
    response = Response(out.getvalue(), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
