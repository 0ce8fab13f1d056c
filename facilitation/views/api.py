"""The HTTP API: create a workshop, or import one from its JSON export (downloads: views/exports.py)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, request
from werkzeug.exceptions import SecurityError

from .. import hosts, offload, pipeline
from ..operations import workshop_templates, workshops
from ..operations.errors import DomainError
from ..ratelimit import RateLimited, client_address, limiter
from .pages import rate_limited
from .screen import screen_key_of
from . import staff_auth

bp = Blueprint("api", __name__, url_prefix="/api")

STATUS = {"bad_request": 400, "too_long": 400, "unauthorized": 401, "forbidden": 403, "not_found": 404,
          "rate_limited": 429, "conflict": 409, "wrong_phase": 409, "workshop_full": 409,
          "template_error": 500}


@bp.errorhandler(DomainError)
def domain_error(error: DomainError):
    if isinstance(error, RateLimited):
        return rate_limited(error)
    return jsonify(error={"code": error.code, "message": error.message}), STATUS.get(error.code, 400)


def answering_json(blueprint: Blueprint) -> Blueprint:
    """Another blueprint under /api/ whose refusals, unknown paths and wrong methods are answered in JSON as here."""
    blueprint.register_error_handler(DomainError, domain_error)
    blueprint.register_error_handler(404, not_found)
    blueprint.register_error_handler(405, wrong_method)
    return blueprint


@bp.errorhandler(offload.WorkerFailed)
def worker_failed(error: offload.WorkerFailed):
    """An export or import whose worker crashed (500) or ran out of time (503); the details are logged."""
    if error.timed_out:
        return jsonify(error={"code": "internal", "message": "That took too long and was stopped; try again later."}), 503
    return jsonify(error={"code": "internal", "message": "Something went wrong on the server; nothing was changed."}), 500


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


@bp.app_errorhandler(SecurityError)
def host_refused(error: SecurityError):
    """A Host the site does not answer to (hosts.py): under /api/ the error is JSON too."""
    if request.path.startswith("/api/"):
        return jsonify(error={"code": "bad_request", "message": "This server does not answer to that host name."}), 400
    return error


def json_body() -> Any:
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # nested deeper than the JSON decoder goes: not a workshop
        data = None
    if data is None:
        raise DomainError("bad_request", "Send a JSON object with Content-Type: application/json.")
    return data


def links(code: str, facilitator_token: str, screen_key: str) -> dict[str, str]:
    """The workshop's three addresses: the short join link (and QR), the console, the projector (with its key)."""
    base = hosts.public_url("participant.home").rstrip("/")
    return {
        "join_url": f"{base}/j/{code}",
        "console_url": f"{base}/console/{code}?key={facilitator_token}",
        "projector_url": f"{base}/screen/{code}?k={screen_key}",
    }


def allowed_to_create() -> None:
    """Within the rate limit (wrong passphrases count too), and staff where the site says so."""
    if not limiter().allow("create_workshop", request.remote_addr or "?"):
        raise DomainError("rate_limited", "Too many workshops created from here; wait a little.")
    staff_auth.check_api_request()


def created(code: str, token: str) -> tuple[Any, int]:
    """The answer to a new workshop: 201 with its code, the facilitator token, the screen key and the links.
    The address that made it knows its code from now on (ratelimit.py)."""
    key = screen_key_of(code)
    limiter().learn(client_address(), code)
    return jsonify(code=code, facilitator_token=token, screen_key=key, **links(code, token, key)), 201


@bp.post("/workshops")
def create_workshop():
    """A new workshop from the body's fields; with `template_id`, from that template's setup, the body's fields over it."""
    allowed_to_create()
    data = json_body()
    workshop, token = pipeline.write(
        lambda session: workshops.create(session, workshop_templates.with_template(session, data)))
    return created(workshop.code, token)


@bp.post("/workshops/import")
def import_workshop():
    """A new workshop from a JSON export (a new code and tokens, the same content and phase).

    The archive is checked and written by a worker process, in short transactions."""
    allowed_to_create()
    if not request.is_json:
        raise DomainError("bad_request", "Send a JSON object with Content-Type: application/json.")
    head, _ = offload.run("import", {"database_url": current_app.config["DATABASE_URL"]}, request.get_data())
    return created(head["code"], head["facilitator_token"])


@bp.errorhandler(413)
def too_large(_error):
    return jsonify(error={"code": "too_long", "message": "The request body is too large."}), 413
