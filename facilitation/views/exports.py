"""Downloads of the record: GET /api/workshops/<code>/export.<fmt> for the workshop's facilitator."""
from __future__ import annotations

from flask import Blueprint, Response, current_app

from .. import exporters, identity, offload, ratelimit
from ..extensions import db
from ..operations import access
from ..operations.errors import DomainError
from . import api

bp = Blueprint("exports", __name__, url_prefix="/api")


def refusal(error: DomainError):
    """The API's JSON refusal; a missing token also names the scheme it wants."""
    answer = api.domain_error(error)
    if error.code == "unauthorized":
        answer[0].headers["WWW-Authenticate"] = "Bearer"
    return answer


bp.register_error_handler(DomainError, refusal)
bp.register_error_handler(404, api.not_found)
bp.register_error_handler(405, api.wrong_method)
bp.register_error_handler(offload.WorkerFailed, api.worker_failed)


@bp.get("/workshops/<code>/export.<fmt>")
def export(code: str, fmt: str):
    """The record as a file: 404 for an unknown code or format, 401 without a token, 403 with a wrong one.

    Who may download is checked here; the record is built and rendered in a worker process."""
    if fmt not in exporters.FORMATS:
        raise DomainError("not_found", f"No such format; choose one of {', '.join(exporters.FORMATS)}.")
    with db.read() as s:
        workshop = ratelimit.looked_up(code, lambda c: access.workshop_by_code(s, c),
                                       lambda c: identity.check_api_facilitator(s, access.workshop_by_code(s, c)))
        identity.check_api_facilitator(s, workshop)
        workshop_id = workshop.id
    templates = [str(path) for path in exporters.template_dirs(current_app.config.get("DATA_DIR"))]
    head, data = offload.run("export", {"database_url": current_app.config["DATABASE_URL"], "workshop_id": workshop_id,
                                        "format": fmt, "templates": templates})
    response = Response(data, content_type=head["content_type"])
    response.headers["Content-Disposition"] = f'attachment; filename="{head["filename"]}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
