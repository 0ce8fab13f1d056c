"""Run slow work (an export, an import) in a worker process and wait for it without stopping the loop.

Under `facilitation serve` gevent has patched `subprocess`, so the wait is cooperative: other
requests and Socket.IO events go on while the worker (facilitation.worker) builds, renders or
writes in its own process, with its own GIL, at a lower priority.
"""
from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from .operations.errors import DomainError

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 120.0  # an export or import that takes longer is stopped (503)
COMMAND = [sys.executable, "-m", "facilitation.worker"]
PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent)  # so the worker imports this very code


class WorkerFailed(Exception):
    """The worker crashed, answered nonsense or ran out of time; `timed_out` tells which."""

    def __init__(self, message: str, *, timed_out: bool = False) -> None:
        super().__init__(message)
        self.timed_out = timed_out


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([PACKAGE_ROOT, *filter(None, [env.get("PYTHONPATH")])])
    return env


def _communicate(process: subprocess.Popen, stdin: bytes) -> tuple[bytes, bytes]:
    """The worker's output; stopped (SIGTERM, then SIGKILL) when it runs out of time."""
    try:
        return process.communicate(stdin, timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.terminate()  # an import deletes its half-written workshop on the way out
        try:
            process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
        raise WorkerFailed(f"the worker took more than {TIMEOUT_SECONDS:g} s", timed_out=True) from None


def _start(command: list[str]) -> subprocess.Popen:
    return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=_environment())


class Spare:
    """One worker started ahead, its imports done (about a second of a busy core), waiting for
    the job that names its mode; each job takes it and starts the next one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None

    def take(self) -> subprocess.Popen | None:
        """The waiting worker, if it is still alive and was started with today's COMMAND; a new
        one is started in its place."""
        with self._lock:
            process, self._process = self._process, _start(COMMAND)
        if process is not None and (process.poll() is not None or process.args != COMMAND):
            process.kill()
            process.communicate()
            return None
        return process

    @property
    def pid(self) -> int | None:
        """The waiting worker's process id, if one is waiting."""
        with self._lock:
            return None if self._process is None else self._process.pid

    def stop(self) -> None:
        with self._lock:
            process, self._process = self._process, None
        if process is not None:
            process.communicate(b"")  # end of input: the spare exits without doing anything


spare = Spare()


def run(mode: str, job: dict[str, Any], body: bytes = b"") -> tuple[dict[str, Any], bytes]:
    """Do `job` in a worker process: its answer's head and data; DomainError when it refused."""
    process = spare.take()
    if process is None:
        process = _start([*COMMAND, mode])
        stdin = json.dumps(job).encode() + b"\n" + body
    else:
        stdin = json.dumps({**job, "mode": mode}).encode() + b"\n" + body
    out, err = _communicate(process, stdin)
    first, _, data = out.partition(b"\n")
    try:
        head = json.loads(first) if process.returncode == 0 else None
    except ValueError:
        head = None
    if not isinstance(head, dict) or "ok" not in head:
        log.error("worker %s failed (exit %s): %s", mode, process.returncode, err.decode(errors="replace")[-4000:])
        raise WorkerFailed(f"the worker exited with {process.returncode}")
    if not head["ok"]:
        raise DomainError(head["code"], head["message"])
    return head, data
