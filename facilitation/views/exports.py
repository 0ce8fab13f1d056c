"""Downloads of the record: GET /api/workshops/<code>/export.<fmt> for the workshop's facilitator."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, request, session

from .. import exporters, offload, ratelimit
from ..extensions import db
from ..operations import access
from ..operations.errors import DomainError
from . import api

bp = Blueprint("exports", __name__, url_prefix="/api")
bp.register_error_handler(DomainError, api.domain_error)
bp.register_error_handler(404, api.not_found)
bp.register_error_handler(405, api.wrong_method)
bp.register_error_handler(offload.WorkerFailed, api.worker_failed)


def session_key(code: str) -> str:
    """The browser-session key that marks the facilitator of `code` (set by the console pages)."""
    return f"facilitator:{code}"


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


@bp.get("/workshops/<code>/export.<fmt>")
def export(code: str, fmt: str):
    """The record as a file: 404 for an unknown code or format, 401 without a token, 403 with a wrong one.

    Who may download is checked here; the record is built and rendered in a worker process."""
    if fmt not in exporters.FORMATS:
        raise DomainError("not_found", f"No such format; choose one of {', '.join(exporters.FORMATS)}.")
    with db.read() as s:
        workshop = ratelimit.looked_up(code, lambda c: access.workshop_by_code(s, c))
        if session.get(session_key(workshop.code)) is not True:
            token = bearer_token()
            if token is None:
                refusal, status = api.domain_error(
                    DomainError("unauthorized", "Send the facilitator token: 'Authorization: Bearer <token>'."))
                refusal.headers["WWW-Authenticate"] = "Bearer"
                return refusal, status
            access.check_facilitator_token(s, workshop, token)
        workshop_id = workshop.id
    templates = [str(path) for path in exporters.template_dirs(current_app.config.get("DATA_DIR"))]
    head, data = offload.run("export", {"database_url": current_app.config["DATABASE_URL"], "workshop_id": workshop_id,
                                        "format": fmt, "templates": templates})
    response = Response(data, content_type=head["content_type"])
    response.headers["Content-Disposition"] = f'attachment; filename="{head["filename"]}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
