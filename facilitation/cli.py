"""Entry point of the `facilitation` command; `serve` and `demo` run on gevent."""
from __future__ import annotations

import os
import sys

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
    from flask.cli import FlaskGroup

    from . import create_app

    FlaskGroup(
        name="facilitation",
        create_app=lambda: create_app(),
        add_default_commands=False,
        add_version_option=False,
        set_debug_flag=False,
        load_dotenv=False,
        help="Self-hosted real-time workshops: SWOT, themes, dot votes and theme groups.",
    )(prog_name="facilitation")
