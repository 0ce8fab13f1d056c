"""The `facilitation` commands: serve, create, replay, demo, db."""
from __future__ import annotations

import json
import sys

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import with_appcontext

from . import migrate
from .extensions import db, socketio
from .models import Connection
from .operations import workshops


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option("--quiet", is_flag=True, help="Do not log each request.")
@with_appcontext
def serve(host: str, port: int, quiet: bool) -> None:
    """Run the whole app (pages, API, Socket.IO) on gevent."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    run(app, host, port, quiet=quiet)


def run(app: Flask, host: str, port: int, *, quiet: bool = False) -> None:
    if not app.config["REDIS_URL"]:
        # One process serves this site: connections recorded before a restart are gone.
        with db.session() as session:
            session.execute(sa.delete(Connection))
            session.commit()
    click.echo(f"facilitation serving on http://{host}:{port} ({socketio.async_mode}, {db.dialect})", err=True)
    sys.stderr.flush()
    socketio.run(app, host=host, port=port, log_output=not quiet, allow_unsafe_werkzeug=False)


@click.command("create")
@click.argument("title")
@click.option("--date", help="ISO date, e.g. 2026-11-23.")
@click.option("--organisation", default="")
@click.option("--location", default="")
@click.option("--language", type=click.Choice(["sv", "en"]), default="sv", show_default=True)
@click.option("--url", default="http://127.0.0.1:5000", show_default=True, help="The site's address, for the links.")
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON.")
@with_appcontext
def create(title: str, date: str | None, organisation: str, location: str, language: str, url: str, as_json: bool) -> None:
    """Create a workshop; prints its code, links and facilitator token."""
    from .operations.errors import DomainError

    body = {"title": title, "organisation": organisation, "location": location, "language": language}
    if date:
        body["date"] = date
    try:
        with db.session() as session:
            workshop, token = workshops.create(session, body)
            code = workshop.code
    except DomainError as error:
        raise click.ClickException(error.message) from None
    base = url.rstrip("/")
    answer = {"code": code, "facilitator_token": token, "join_url": f"{base}/j/{code}",
              "console_url": f"{base}/console/{code}?key={token}", "projector_url": f"{base}/screen/{code}"}
    if as_json:
        click.echo(json.dumps(answer))
        return
    click.echo(f"Code:              {code}")
    click.echo(f"Join (phones):     {answer['join_url']}")
    click.echo(f"Projector:         {answer['projector_url']}")
    click.echo(f"Console:           {answer['console_url']}")
    click.echo(f"Facilitator token: {token}   (keep it; it is shown only now)")


@click.group("db")
def db_group() -> None:
    """Database schema."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Upgrade the schema to the newest migration (also done at every start)."""
    assert db.engine is not None
    migrate.upgrade(db.engine, revision)
    click.echo(f"database at revision {migrate.current(db.engine)}")


def init_app(app: Flask) -> None:
    for command in (serve, create, db_group):
        app.cli.add_command(command)
