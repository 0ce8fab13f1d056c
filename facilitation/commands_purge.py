"""Deleting closed workshops whose retention is up: `facilitation purge` for a scheduled job, and
the serve process's own round (at start, then every FACILITATION_PURGE_INTERVAL seconds, in a
worker process so that the deletion never holds up the event loop)."""
from __future__ import annotations

import logging

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from . import broadcast, offload
from .extensions import db, socketio
from .operations import retention

log = logging.getLogger(__name__)


@click.command("purge")
@with_appcontext
def purge() -> None:
    """Delete the workshops closed longer ago than they are kept (FACILITATION_RETENTION_DAYS, or
    the workshop's own setting). With REDIS_URL the servers' open screens of them are told and
    closed through the message queue; without, they find the workshop gone when they reconnect."""
    deleted = retention.purge(db, current_app.config["RETENTION_DAYS"])
    if current_app.config["REDIS_URL"]:
        for gone in deleted:
            broadcast.send(broadcast.workshop_deleted(gone.workshop_id, gone.sids))
    click.echo(f"Deleted {len(deleted)} closed workshop(s) whose retention was up.")


def purge_at_start(app: Flask) -> None:
    """Before serving, delete what is due (no one is connected yet), then keep doing so every
    PURGE_INTERVAL seconds in the background."""
    due = retention.purge(db, app.config["RETENTION_DAYS"])
    if due:
        log.info("deleted %d closed workshop(s) whose retention was up", len(due))
    socketio.start_background_task(_purge_every, app.config["DATABASE_URL"], app.config["RETENTION_DAYS"],
                                   app.config["PURGE_INTERVAL"])


def _purge_every(database_url: str, days: int, seconds: float) -> None:
    while True:
        socketio.sleep(seconds)
        try:
            head, _ = offload.run("purge", {"database_url": database_url, "retention_days": days})
        except Exception:  # the next round tries again; the details are in the log
            log.exception("the purge of closed workshops failed")
            continue
        for deleted in head["deleted"]:
            broadcast.send(broadcast.workshop_deleted(deleted["workshop_id"], tuple(deleted["sids"])))
        if head["deleted"]:
            log.info("deleted %d closed workshop(s) whose retention was up", len(head["deleted"]))
