"""The worker process: the slow work of a request, away from the server's event loop.

`python -m facilitation.worker export|import|purge`, started by facilitation.offload. Standard input:
one JSON line (the database URL and the job), then for `import` the request's JSON body.
Standard output: one JSON line (`{"ok": true, ...}`, or `{"ok": false, "code", "message"}` for a
refusal), then for `export` the file's bytes. A crash exits non-zero with its traceback on
standard error, for the server's log only. No gevent, no Flask: it starts in a fraction of a
second and runs at a lower priority than the server.
"""
from __future__ import annotations

import json
import os
import signal
import sys
from typing import Any, BinaryIO


def export(job: dict[str, Any], _body: bytes) -> tuple[dict[str, Any], bytes]:
    """Build the record of workshop `job["workshop_id"]` and render it as `job["format"]`."""
    from pathlib import Path

    from . import exporters, record
    from .database import Database
    from .models import Workshop
    from .operations.errors import DomainError

    db = _database(Database, job)
    with db.read() as session:
        workshop = session.get(Workshop, job["workshop_id"])
        if workshop is None:
            raise DomainError("not_found", "No workshop has that code.")
        built = record.build(session, workshop)
    db.dispose()
    made = exporters.export(built, job["format"], [Path(t) for t in job["templates"]])
    return {"filename": made.filename, "content_type": made.content_type}, made.data


def restore(job: dict[str, Any], body: bytes) -> tuple[dict[str, Any], bytes]:
    """Check the archive in `body` and write it as a new workshop, in short transactions."""
    from .database import Database
    from .operations import chunked_import
    from .operations.errors import DomainError

    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, or nested deeper than the decoder goes
        raise DomainError("bad_request", "Send a JSON object with Content-Type: application/json.") from None
    db = _database(Database, job)
    try:
        code, token = chunked_import.restore(db, data)
    finally:
        db.dispose()
    return {"code": code, "facilitator_token": token}, b""


def purge(job: dict[str, Any], _body: bytes) -> tuple[dict[str, Any], bytes]:
    """Delete the closed workshops whose retention is up (operations/retention.py)."""
    from .database import Database
    from .operations import retention

    db = _database(Database, job)
    try:
        deleted = retention.purge(db, job["retention_days"])
    finally:
        db.dispose()
    return {"deleted": [{"workshop_id": d.workshop_id, "sids": list(d.sids)} for d in deleted]}, b""


JOBS = {"export": export, "import": restore, "purge": purge}


def _database(factory, job: dict[str, Any]):
    db = factory()
    db.configure(job["database_url"])
    return db


def _stop(_signum, _frame) -> None:
    raise SystemExit(1)  # unwinds, so that a half-written import deletes itself


def preload() -> None:
    """Import what every job needs, so that a spare worker answers its job at once."""
    from . import exporters, record  # noqa: F401
    from .exporters import excel, word  # noqa: F401
    from .operations import chunked_import  # noqa: F401


def run(mode: str, stdin: BinaryIO, stdout: BinaryIO) -> int:
    """Do one job; 0 when it was answered (done or refused), 1 for an unknown mode. Without a
    mode the worker is a spare: it preloads, then its job line names the mode (`"mode"`);
    the end of its input before any job means it is not needed."""
    if not mode:
        preload()
    line = stdin.readline()
    if not mode and not line:
        return 0
    job = json.loads(line) if line else {}
    mode = mode or job.pop("mode", "")
    if mode not in JOBS:
        print(f"usage: python -m facilitation.worker {'|'.join(JOBS)}", file=sys.stderr)
        return 1
    body = stdin.read()
    from .operations.errors import DomainError

    try:
        head, data = JOBS[mode](job, body)
        head = {"ok": True, "pid": os.getpid(), **head}
    except DomainError as error:
        head, data = {"ok": False, "pid": os.getpid(), "code": error.code, "message": error.message}, b""
    stdout.write(json.dumps(head).encode() + b"\n" + data)
    stdout.flush()
    return 0


def main() -> int:
    os.nice(10)  # the server's own requests come first
    signal.signal(signal.SIGTERM, _stop)
    return run(sys.argv[1] if len(sys.argv) > 1 else "", sys.stdin.buffer, sys.stdout.buffer)


if __name__ == "__main__":
    sys.exit(main())
