"""Helpers of the stall tests: a phone that has gone silent, a large archive, posts timed against a request."""
from __future__ import annotations

import io
import json
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import docx
import requests
import websocket

from ..support import SocketClient

QUADRANTS = ("strengths", "weaknesses", "opportunities", "threats")
MARK = re.compile(r"\[#(\d{5})\]")


def silent_phone(url: str, auth: dict[str, Any]) -> websocket.WebSocket:
    """A participant that joins over a bare WebSocket (engine.io open, `40{auth}`, its snapshot)
    and then, like a phone whose screen locked, never reads or answers a ping again.

    The socket stays open: the caller closes it (in a `finally`)."""
    ws = websocket.create_connection(url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket",
                                     origin=url, timeout=10)
    try:
        assert ws.recv().startswith("0{")  # engine.io open
        ws.send("40" + json.dumps(auth))
        connected = snapshot = False
        while not (connected and snapshot):  # the two may come in either order
            frame = ws.recv()
            assert not frame.startswith("44"), f"refused: {frame}"
            connected = connected or frame.startswith("40")
            snapshot = snapshot or frame.startswith('42["snapshot"')
    except BaseException:
        ws.close(timeout=0.2)
        raise
    return ws


def large_archive(items: int, participants: int, themes: int = 40, title: str = "Stor workshop") -> dict[str, Any]:
    """A workshop archive (see facilitation/exporters/archive.py) with `items` items, each text
    carrying a unique mark `[#nnnnn]` (see `marks`), from `participants` people, in `themes` themes."""
    filler = "Vi behöver tydligare rutiner för överlämning mellan skiften och mer tid för reflektion"
    return {
        "schema_version": 1,
        "kind": "facilitation.workshop",
        "workshop": {"title": title, "language": "sv", "organisation": "Lotsen", "purpose": "Belastningsprov."},
        "phase": "cluster",
        "participants": [{"id": n, "number": n, "name": f"Deltagare {n}", "organisation": "Lotsen",
                          "table": f"Bord {n % 12 + 1}"} for n in range(1, participants + 1)],
        "themes": [{"id": n, "title": f"Tema {n}", "votes": 0} for n in range(1, themes + 1)],
        "items": [{"id": n, "quadrant": QUADRANTS[n % 4], "text": f"{filler} [#{n:05d}]",
                   "author_id": n % participants + 1, "table": f"Bord {n % 12 + 1}",
                   "theme_id": (n % themes + 1) if n % 2 else None, "hidden": False}
                  for n in range(1, items + 1)],
        "groups": [],
        "quotes": [],
    }


def marks(text: str) -> list[int]:
    """The `[#nnnnn]` marks in `text`, in order."""
    return [int(m) for m in MARK.findall(text)]


def docx_text(data: bytes) -> str:
    """All text of a .docx: body paragraphs and every table cell (raises if it is not a docx)."""
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
    return "\n".join(parts)


@dataclass
class Timed:
    """An HTTP request run in a background thread, with the moments it was sent and answered."""

    send: Callable[[], requests.Response]
    sent_at: float = 0.0
    answered_at: float = 0.0
    response: requests.Response | None = None
    error: BaseException | None = None
    started: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        self.sent_at = time.monotonic()
        self.started.set()
        try:
            self.response = self.send()
        except BaseException as error:  # reported by `result`
            self.error = error
        finally:
            self.answered_at = time.monotonic()

    def start(self) -> "Timed":
        self.thread.start()
        self.started.wait(5)
        return self

    @property
    def running(self) -> bool:
        return self.thread.is_alive()

    def result(self, timeout: float) -> requests.Response:
        self.thread.join(timeout)
        assert not self.thread.is_alive(), f"no answer within {timeout}s"
        if self.error is not None:
            raise self.error
        assert self.response is not None
        return self.response


@dataclass
class Post:
    text: str
    sent_at: float
    answered_at: float | None = None
    answer: Any = None


def post_while(client: SocketClient, running: Callable[[], bool], label: str, *, pause: float = 0.1,
               timeout: float = 5, limit: float = 30) -> list[Post]:
    """Post an item every `pause` seconds while `running()` (at most `limit` seconds); each must be
    answered within `timeout`. Returns the posts with the moments they were sent and answered."""
    posts: list[Post] = []
    deadline = time.monotonic() + limit
    while running() and time.monotonic() < deadline:
        time.sleep(pause)
        post = Post(f"{label} {len(posts) + 1}", time.monotonic())
        posts.append(post)
        try:
            post.answer = client.call("post_item", {"quadrant": "opportunities", "text": post.text}, timeout=timeout)
        except Exception as error:
            raise AssertionError(f"{post.text!r} was not answered within {timeout}s ({error!r})") from None
        post.answered_at = time.monotonic()
        assert post.answer["ok"], post.answer
    return posts
