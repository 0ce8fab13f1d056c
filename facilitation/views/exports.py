"""Downloads of the record: GET /api/workshops/<code>/export.<fmt> for the workshop's facilitator."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, request, session

from .. import exporters, record
from ..extensions import db
from ..operations import access
from ..operations.errors import DomainError
from . import api

bp = Blueprint("exports", __name__, url_prefix="/api")
bp.register_error_handler(DomainError, api.domain_error)
bp.register_error_handler(404, api.not_found)
bp.register_error_handler(405, api.wrong_method)


def session_key(code: str) -> str:
    """The browser-session key that marks the facilitator of `code` (set by the console pages)."""
    return f"facilitator:{code}"


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


@bp.get("/workshops/<code>/export.<fmt>")
def export(code: str, fmt: str):
    """The record as a file: 404 for an unknown code or format, 401 without a token, 403 with a wrong one."""
    if fmt not in exporters.FORMATS:
        raise DomainError("not_found", f"No such format; choose one of {', '.join(exporters.FORMATS)}.")
    with db.session() as s:
        workshop = access.workshop_by_code(s, code)
        if session.get(session_key(workshop.code)) is not True:
            token = bearer_token()
            if token is None:
                refusal, status = api.domain_error(
                    DomainError("unauthorized", "Send the facilitator token: 'Authorization: Bearer <token>'."))
                refusal.headers["WWW-Authenticate"] = "Bearer"
                return refusal, status
            access.check_facilitator_token(s, workshop, token)
        built = record.build(s, workshop)
    made = exporters.export(built, fmt, exporters.template_dirs(current_app.config.get("DATA_DIR")))
    response = Response(made.data, content_type=made.content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{made.filename}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
