"""The HTTP API: create a workshop, or import one from its JSON export (downloads: views/exports.py)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request

from ..extensions import db
from ..operations import imports, workshops
from ..operations.errors import DomainError
from ..ratelimit import limiter

bp = Blueprint("api", __name__, url_prefix="/api")

STATUS = {"bad_request": 400, "too_long": 400, "unauthorized": 401, "forbidden": 403, "not_found": 404,
          "rate_limited": 429, "conflict": 409, "wrong_phase": 409}


@bp.errorhandler(DomainError)
def domain_error(error: DomainError):
    return jsonify(error={"code": error.code, "message": error.message}), STATUS.get(error.code, 400)


@bp.errorhandler(404)
def not_found(_error):
    return jsonify(error={"code": "not_found", "message": "No such resource."}), 404


@bp.errorhandler(405)
def wrong_method(_error):
    return jsonify(error={"code": "bad_request", "message": "That method is not allowed here."}), 405


@bp.app_errorhandler(405)
def wrong_method_on_any_path(error):
    """A wrong method is found while routing, before any blueprint: answer JSON under /api/."""
    return wrong_method(error) if request.path.startswith("/api/") else error


def json_body() -> Any:
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # nested deeper than the JSON decoder goes: not a workshop
        data = None
    if data is None:
        raise DomainError("bad_request", "Send a JSON object with Content-Type: application/json.")
    return data


def links(code: str, facilitator_token: str) -> dict[str, str]:
    """The workshop's three addresses: the short join link (and QR), the console, the projector."""
    base = request.host_url.rstrip("/")
    return {
        "join_url": f"{base}/j/{code}",
        "console_url": f"{base}/console/{code}?key={facilitator_token}",
        "projector_url": f"{base}/screen/{code}",
    }


def created(make) -> tuple[Any, int]:
    """Rate-limit, run `make(session, body)` -> (workshop, token), answer 201 with code, token and links."""
    if not limiter().allow("create_workshop", request.remote_addr or "?"):
        raise DomainError("rate_limited", "Too many workshops created from here; wait a little.")
    data = json_body()
    with db.session() as session:
        workshop, token = make(session, data)
        code = workshop.code
    return jsonify(code=code, facilitator_token=token, **links(code, token)), 201


@bp.post("/workshops")
def create_workshop():
    return created(workshops.create)


@bp.post("/workshops/import")
def import_workshop():
    """A new workshop from a JSON export (a new code and tokens, the same content and phase)."""
    return created(imports.restore)


@bp.errorhandler(413)
def too_large(_error):
    return jsonify(error={"code": "too_long", "message": "The request body is too large."}), 413
