"""The `facilitation` commands: serve, create, replay, demo, export, db (serve and demo via cli.main only)."""
from __future__ import annotations

import json
import shutil
import socket
import sys
import time
from pathlib import Path

import click
import requests
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import with_appcontext

from . import config, migrate
from . import commands_purge, logs
from .extensions import db, socketio
from .models import Connection
from .operations import chunked_import, workshops


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
    logs.configure(app.config, quiet=quiet)  # one line per request, no key, code or address (logs.py)
    with config.database_errors(app.config["DATABASE_URL"]):  # reached here first without AUTO_MIGRATE
        if not app.config["REDIS_URL"]:
            # One process serves this site: connections recorded before a restart are gone.
            with db.write() as session:
                session.execute(sa.delete(Connection))
        chunked_import.delete_abandoned(db)  # workshops left half-imported by a crash
    try:
        sock = listener(host, port)
    except OSError as error:
        raise click.ClickException(f"cannot listen on {host}:{port}: {error.strerror}") from None
    commands_purge.purge_at_start(app)
    click.echo(f"facilitation serving on http://{host}:{port} ({socketio.async_mode}, {db.dialect})", err=True)
    sys.stderr.flush()
    if socketio.async_mode != "gevent":  # FACILITATION_ASYNC_MODE=threading: Werkzeug binds it itself
        sock.close()
        socketio.run(app, host=host, port=port, log_output=False, allow_unsafe_werkzeug=True)
        return
    from gevent import pywsgi

    server = pywsgi.WSGIServer(sock, app, log=None, error_log=logs.ServerErrors(),
                               handler_class=websocket_closing_handler(pywsgi.WSGIHandler))
    socketio.wsgi_server = server  # so that socketio.stop() works as with socketio.run()
    server.serve_forever()


def websocket_closing_handler(base: type) -> type:
    """gevent's WSGI handler, closing a connection once its WebSocket has ended: otherwise it
    reads on as HTTP and takes the client's close frame for a request (and the client waits
    for an answer to that close frame)."""

    class Handler(base):
        def run_application(self) -> None:
            try:
                super().run_application()
            finally:
                if self.environ.get("HTTP_UPGRADE", "").lower() == "websocket":
                    self.close_connection = True

        def process_result(self) -> None:
            # A WebSocket that ran wrote its own handshake and frames; engine.io then answers
            # "200 OK", which, written after them, reaches a client whose connection the server
            # closed (a deleted workshop, a new console key) as garbage: "Invalid frame header".
            # A refused upgrade (400) is answered as usual.
            if self.environ.get("HTTP_UPGRADE", "").lower() == "websocket" and getattr(self, "code", None) == 200:
                self.close_connection = True
                return
            super().process_result()

    return Handler


def listener(host: str, port: int) -> socket.socket:
    """A listening socket with TCP_NODELAY, which Linux passes on to every accepted connection:
    an event's acknowledgement then leaves at once instead of waiting ~40 ms behind the
    broadcast written just before it (Nagle's algorithm meeting the client's delayed ACK)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(1024)
    return sock


@click.command("create")
@click.argument("title")
@click.option("--date", help="ISO date, e.g. 2026-11-23.")
@click.option("--organisation", default="")
@click.option("--location", default="")
@click.option("--language", type=click.Choice(["sv", "en"]), default="sv", show_default=True)
@click.option("--url", help="The site's address, for the links (default: FACILITATION_BASE_URL, "
                             "else http://127.0.0.1:5000).")
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON.")
@with_appcontext
def create(title: str, date: str | None, organisation: str, location: str, language: str, url: str | None,
           as_json: bool) -> None:
    """Create a workshop; prints its code, links and facilitator token."""
    from .operations.errors import DomainError

    body = {"title": title, "organisation": organisation, "location": location, "language": language}
    if date:
        body["date"] = date
    try:
        with db.write() as session:
            workshop, token = workshops.create(session, body)
            code, screen_key = workshop.code, workshop.screen_key
    except DomainError as error:
        raise click.ClickException(error.message) from None
    base = (url or current_app.config.get("BASE_URL") or "http://127.0.0.1:5000").rstrip("/")
    answer = {"code": code, "facilitator_token": token, "join_url": f"{base}/j/{code}",
              "console_url": f"{base}/console/{code}?key={token}", "projector_url": f"{base}/screen/{code}?k={screen_key}",
              "screen_key": screen_key}
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


@click.command("replay")
@click.argument("scenario", type=click.Path(exists=True, dir_okay=False))
@click.option("--url", default="http://127.0.0.1:5000", show_default=True, help="The live server to play it against.")
@click.option("--timeout", default=10.0, show_default=True, help="Seconds to wait for a connection or an answer.")
@click.option("--json", "as_json", is_flag=True, help="Print the whole report as JSON.")
@click.option("--passphrase", envvar="FACILITATION_STAFF_PASSPHRASE", default=None,
              help="The server's staff passphrase, if it asks for one (default: FACILITATION_STAFF_PASSPHRASE).")
def replay_command(scenario: str, url: str, timeout: float, as_json: bool, passphrase: str | None) -> None:
    """Play a scenario file against a live server, one Socket.IO client per person.

    Exits with status 1 when a step is not answered as the scenario says or the finished
    workshop differs from its `expect`."""
    from . import replay

    try:
        report = replay.replay(replay.load(scenario), url, connect_timeout=timeout, step_timeout=timeout,
                               passphrase=passphrase)
    except replay.ScenarioError as error:
        raise click.ClickException(str(error)) from None
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
    else:
        for step in report.steps:
            click.echo(f"{step.index + 1:>4}  {step.actor:<12} {step.event:<15} {step.outcome}")
        print_summary(report)
        print_links(report)
    if not report.ok:
        sys.exit(1)


def print_summary(report) -> None:
    refused = sum(1 for s in report.steps if s.matched and s.expected)
    failed = len(report.failed_steps)
    click.echo(f"\n{len(report.steps)} steps: {len(report.steps) - refused - failed} ok, "
               f"{refused} refused as expected, {failed} failed.")
    if report.stopped:
        click.echo(f"Stopped at {report.stopped}.")
    for problem in report.mismatches:
        click.echo(f"Expectation not met: {problem}")
    if report.unchecked:
        click.echo(f"Not checked (unknown to this replayer): {', '.join(report.unchecked)}")
    click.echo("Result: " + ("OK" if report.ok else "FAILED"))


def print_links(report) -> None:
    click.echo(f"\nCode:              {report.code}")
    click.echo(f"Join (phones):     {report.links.get('join_url', '')}")
    click.echo(f"Projector:         {report.links.get('projector_url', '')}")
    click.echo(f"Console:           {report.links.get('console_url', '')}")
    click.echo(f"Facilitator token: {report.facilitator_token}")


DEMO_SCENARIO = Path(__file__).resolve().parent / "scenarios" / "demo-samverkan.json"


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option("--verbose", is_flag=True, help="Log each request.")
@with_appcontext
def demo(host: str, port: int, verbose: bool) -> None:
    """Serve a realistic Swedish example workshop, played in through real Socket.IO clients.

    The demo has its own SQLite database in the folder `demo` of the data folder
    (FACILITATION_DATA_DIR), emptied at each start; DATABASE_URL and REDIS_URL are not used."""
    from . import create_app

    if not port_is_free(host, port):
        raise click.ClickException(f"{host}:{port} is already in use; choose another with --port.")
    folder = Path(current_app.config["DATA_DIR"]) / "demo"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    app = create_app({"DATA_DIR": str(folder), "DATABASE_URL": f"sqlite:///{folder / 'facilitation.db'}", "REDIS_URL": None,
                      "BASE_URL": None, "TRUSTED_HOSTS": None})  # served and played on its own local address
    local = "127.0.0.1" if host in ("", "0.0.0.0") else "::1" if host == "::" else host
    url = f"http://[{local}]:{port}" if ":" in local else f"http://{local}:{port}"
    failure: list[str] = []
    socketio.start_background_task(play_demo, url, folder, failure, host in ("", "0.0.0.0", "::"),
                                   app.config["STAFF_PASSPHRASE"])
    run(app, host, port, quiet=not verbose)
    if failure:
        raise click.ClickException(failure[0])


def port_is_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def play_demo(url: str, folder: Path, failure: list[str], wildcard: bool = False,
              passphrase: str | None = None) -> None:
    """Once the server answers, play the demo scenario into it and print the links (else stop it)."""
    from . import replay

    try:
        scenario = replay.load(DEMO_SCENARIO)
        wait_until_listening(url)
        report = replay.replay(scenario, url, passphrase=passphrase)
    except Exception as error:  # the background task's last word: the demo stops with it
        failure.append(f"the demo could not be played in: {error}")
    else:
        if report.ok:
            click.echo(f"\nDemo workshop ready: {scenario['workshop']['title']}")
            click.echo(f"{len(scenario['participants'])} participants, {len(report.steps)} steps played in.")
            print_links(report)
            if wildcard:
                click.echo("Listening on every address: phones on the network use this computer's address.")
            click.echo(f"\nData: {folder} (emptied at each start of the demo). Stop with Ctrl+C.")
            return
        problems = [f"step {s.index + 1} ({s.actor} {s.event}) {s.outcome}" for s in report.failed_steps]
        problems += report.mismatches + ([report.stopped] if report.stopped else [])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        failure.append("the demo could not be played in: " + "; ".join(problems[:5]) + more)
    socketio.stop()  # `demo` then exits with the failure


def wait_until_listening(url: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            requests.get(url + "/socket.io/?EIO=4&transport=polling", timeout=2)
            return
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                raise OSError(f"the server at {url} did not answer within {timeout:.0f}s") from None
            time.sleep(0.1)


def init_app(app: Flask) -> None:
    from .commands_export import export

    # Not serve and demo: `flask --app facilitation` cannot patch gevent first (facilitation.cli does).
    for command in (create, replay_command, export, db_group):
        app.cli.add_command(command)
    app.cli.add_command(commands_purge.purge)
