"""GET /healthz for monitoring and load balancers: is the database reachable and its schema current?

Answers 200 when every check passes, else 503 naming what failed; never anything about a workshop.
"""
from __future__ import annotations

import logging
from functools import cache
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify

from .. import migrate
from ..extensions import db

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)
REDIS_TIMEOUT = 2.0  # seconds for the message queue to answer a ping


@cache
def schema_head() -> str | None:
    """The newest migration this installation ships (read once: it changes only with an upgrade)."""
    return migrate.head()


def database_checks() -> dict[str, Any]:
    """Whether the database answers, and the schema revision it is at."""
    try:
        with db.read() as session:
            migrated = sa.inspect(session.connection()).has_table("alembic_version")
            revision = session.scalar(sa.text("SELECT version_num FROM alembic_version")) if migrated else None
    except sa.exc.SQLAlchemyError as error:
        log.warning("healthz: the database did not answer: %s", error)
        return {"database": "unreachable", "schema": "unknown", "revision": None}
    head = schema_head()
    if revision is None:
        schema = "missing"
    else:
        schema = "current" if revision == head else "not at head"
    return {"database": "ok", "schema": schema, "revision": revision, "head": head}


def redis_check(url: str) -> str:
    """`ok` when the Socket.IO message queue answers a ping, else `unreachable`."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT)
    try:
        client.ping()
    except redis.RedisError as error:
        log.warning("healthz: Redis did not answer: %s", error)
        return "unreachable"
    finally:
        client.close()
    return "ok"


@bp.get("/healthz")
def healthz():
    checks = database_checks()
    healthy = checks["database"] == "ok" and checks["schema"] == "current"
    if current_app.config["REDIS_URL"]:
        checks["redis"] = redis_check(current_app.config["REDIS_URL"])
        healthy = healthy and checks["redis"] == "ok"
    response = jsonify(status="ok" if healthy else "failing", **checks)
    response.headers["Cache-Control"] = "no-store"
    return response, 200 if healthy else 503
