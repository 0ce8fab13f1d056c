"""Test helpers: a live `facilitation serve` process and a recording Socket.IO client."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable

import requests
import socketio


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """`python -m facilitation serve` in a subprocess; restartable on the same data and port.

    `command` runs another installation's `facilitation` instead, from the folder `cwd`."""

    def __init__(self, data_dir: Path, env: dict[str, str] | None = None, port: int | None = None,
                 command: list[str] | None = None, cwd: Path | None = None) -> None:
        self.command = command or [sys.executable, "-m", "facilitation"]
        self.cwd = cwd
        self.flags = ["--quiet"]  # no request lines (a test of the log itself empties it)
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.extra_env = env or {}
        self.process: subprocess.Popen | None = None
        self.log_path = self.data_dir / f"server-{self.port}.log"

    def start(self, timeout: float = 20) -> None:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        env.update({"FACILITATION_DATA_DIR": str(self.data_dir), "FACILITATION_RATE_LIMITS": "0", **self.extra_env})
        self._log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [*self.command, "serve", "--host", "127.0.0.1", "--port", str(self.port), *self.flags],
            env=env, stdout=self._log, stderr=subprocess.STDOUT, cwd=self.cwd,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log()}")
            try:
                requests.get(self.url + "/socket.io/?EIO=4&transport=polling", timeout=2)
                return
            except (requests.ConnectionError, requests.Timeout):  # not listening yet, or a busy machine's slow first answer
                time.sleep(0.1)
        raise RuntimeError(f"server did not start: {self.log()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        if getattr(self, "_log", None):
            self._log.close()

    def restart(self) -> None:
        self.stop()
        self.start()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def create_workshop(self, **fields: Any) -> dict[str, Any]:
        body = {"title": "Testworkshop", **fields}
        answer = requests.post(self.url + "/api/workshops", json=body, timeout=10)
        assert answer.status_code == 201, answer.text
        return answer.json()


class SocketClient:
    """A real python-socketio client that records every event it receives."""

    def __init__(self, url: str, auth: dict, transports: list[str] | None = None, headers: dict | None = None,
                 connect: bool = True) -> None:
        self.url, self.auth = url, auth
        self.transports = transports or ["websocket"]
        self.headers = headers or {}
        self.events: list[tuple[str, Any]] = []
        self.connect_error: Any = None
        self._changed = threading.Condition()
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("*", self._record)
        self.sio.on("connect_error", self._refused)
        if connect:
            self.connect()

    def connect(self) -> None:
        self.sio.connect(self.url, auth=self.auth, transports=self.transports, headers=self.headers, wait_timeout=10)
        self.wait_for("snapshot")

    def _record(self, event: str, data: Any = None) -> None:
        with self._changed:
            self.events.append((event, data))
            self._changed.notify_all()

    def _refused(self, data: Any = None) -> None:
        self.connect_error = data

    def call(self, event: str, data: Any = None, timeout: float = 10) -> Any:
        if data is None:
            return self.sio.call(event, timeout=timeout)
        return self.sio.call(event, data, timeout=timeout)

    def ok(self, event: str, data: Any = None) -> dict:
        """Send and assert the answer is ok; returns it."""
        answer = self.call(event, data)
        assert answer["ok"], (event, data, answer)
        return answer

    def refused(self, event: str, data: Any, code: str) -> dict:
        """Send and assert the answer is the error `code`; returns the error."""
        answer = self.call(event, data)
        assert not answer["ok"] and answer["error"]["code"] == code, (event, data, answer)
        return answer["error"]

    def received(self, event: str) -> list[Any]:
        with self._changed:
            return [data for name, data in self.events if name == event]

    def wait_for(self, event: str, where: Callable[[Any], bool] = lambda _d: True, timeout: float = 5) -> Any:
        """The first `event` received (now or within `timeout`) for which `where(data)` holds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for name, data in self.events:
                    if name == event and where(data):
                        return data
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no {event!r} matching within {timeout}s; got {[n for n, _ in self.events]}")
                self._changed.wait(left)

    @property
    def snapshot(self) -> dict:
        return self.received("snapshot")[-1]

    def close(self) -> None:
        try:
            self.sio.disconnect()
        except Exception:
            pass
