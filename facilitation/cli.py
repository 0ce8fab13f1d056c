"""Entry point of the `facilitation` command; `serve` and `demo` run on gevent.

`serve` and `demo` are offered here only, not under `flask --app facilitation`: gevent has to
patch the standard library before anything imports it, which only this entry point can do.
A setting the app cannot start with ends the command with one line on standard error: exit 2
for a bad setting, 1 for files missing from the installation."""
from __future__ import annotations

import os
import sys
from typing import NoReturn

GEVENT_COMMANDS = {"serve", "demo"}


def main() -> None:
    command = next((a for a in sys.argv[1:] if not a.startswith("-")), None)
    if command in GEVENT_COMMANDS:
        # gevent must patch the standard library before anything else imports it.
        from gevent import monkey

        monkey.patch_all()
        os.environ.setdefault("FACILITATION_ASYNC_MODE", "gevent")
        # psycopg would wait for PostgreSQL cooperatively (it sees the patched select), handing
        # the loop to other greenlets between the statements of a transaction that holds the
        # process's write lock, so a storm queued behind it. Our transactions are short and never
        # wait on a client: a statement's round trip blocks the loop less than a switch costs.
        # PSYCOPG_WAIT_FUNC=wait_poll restores the cooperative wait (a database far away).
        os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_c")
    import click
    from flask.cli import FlaskGroup

    from . import __version__, commands, config

    group = FlaskGroup(
        name="facilitation",
        create_app=app_or_exit,
        add_default_commands=False,
        add_version_option=False,
        set_debug_flag=False,
        load_dotenv=False,
        help="Self-hosted real-time workshops: SWOT, themes, dot votes and theme groups.",
    )
    click.version_option(__version__, "--version", prog_name="facilitation", message="%(prog)s %(version)s")(group)
    group.add_command(commands.serve)
    group.add_command(commands.demo)
    try:
        group(prog_name="facilitation")
    except config.SettingError as error:  # `serve` without AUTO_MIGRATE reaches the database only then
        fail(str(error), 2)


def app_or_exit():
    """The app; a setting it cannot start with, or a missing file, ends the command in one line."""
    from . import config, create_app, installation

    try:
        return create_app()
    except config.SettingError as error:
        fail(str(error), 2)
    except installation.MissingFiles as error:
        fail(str(error), 1)


def fail(message: str, status: int) -> NoReturn:
    print(f"facilitation: {message}", file=sys.stderr, flush=True)
    # SystemExit passes through Flask's command listing, which prints any Exception's traceback.
    sys.exit(status)
