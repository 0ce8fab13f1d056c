"""Shared helpers of the protocol tests: a module-wide live server and a workshop seen from outside."""
from __future__ import annotations

import json
import sqlite3
from typing import Any

import websocket

from ..support import LiveServer, SocketClient


def workshop_count(server: LiveServer) -> int:
    """How many workshops the server's SQLite database holds (to check that nothing was created)."""
    with sqlite3.connect(f"file:{server.data_dir / 'facilitation.db'}?mode=ro", uri=True) as connection:
        return connection.execute("SELECT count(*) FROM workshop").fetchone()[0]


def raw_connect(url: str, auth: Any, origin: str | None = None, headers: list[str] | None = None) -> tuple[str, Any]:
    """Connect over a bare engine.io WebSocket; returns ("snapshot", data) or ("connect_error", data).

    Quicker and more exact than a python-socketio client, which after a refusal sometimes waits
    for its own long-poll or WebSocket close to time out."""
    ws = websocket.create_connection(url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket",
                                     origin=origin or url, header=headers, timeout=10)
    try:
        assert ws.recv().startswith("0{")  # engine.io open
        ws.send("40" + ("" if auth is None else json.dumps(auth)))
        connected, snapshot = False, None
        while not (connected and snapshot is not None):  # the two may come in either order
            frame = ws.recv()
            if frame.startswith("44"):
                return "connect_error", json.loads(frame[2:])
            connected = connected or frame.startswith("40")
            if frame.startswith('42["snapshot"'):
                snapshot = json.loads(frame[2:])[1]
        return "snapshot", snapshot
    finally:
        ws.close(timeout=0.2)


class Room:
    """A freshly created workshop and the ways into it: facilitator, phones, screens."""

    def __init__(self, server: LiveServer, sockets, **fields: Any) -> None:
        self.server, self.sockets = server, sockets
        self.created = server.create_workshop(**fields)
        self.code: str = self.created["code"]
        self.token: str = self.created["facilitator_token"]

    def facilitator(self) -> SocketClient:
        return self.sockets(self.server.url, {"code": self.code, "facilitator_token": self.token})

    def phone(self, name: str | None = None, **extra: Any) -> SocketClient:
        auth = {"code": self.code, **extra}
        if name is not None:
            auth["name"] = name
        return self.sockets(self.server.url, auth)

    def rejoin(self, phone: SocketClient) -> SocketClient:
        """A second connection of the same participant (another tab, a reload)."""
        return self.sockets(self.server.url, {"code": self.code, "participant_token": phone.snapshot["me"]["token"]})

    @property
    def screen_auth(self) -> dict[str, Any]:
        """A projector's auth: the code and the key from the projector link."""
        return {"code": self.code, "role": "screen", "screen_key": self.created["screen_key"]}

    def screen(self) -> SocketClient:
        return self.sockets(self.server.url, self.screen_auth)

    def state(self) -> dict[str, Any]:
        """The workshop as a newly connected facilitator sees it now."""
        client = SocketClient(self.server.url, {"code": self.code, "facilitator_token": self.token})
        try:
            return client.snapshot
        finally:
            client.close()

    def seen_by(self, phone: SocketClient) -> dict[str, Any]:
        """The workshop as the participant of `phone` sees it in a fresh snapshot."""
        client = SocketClient(self.server.url, {"code": self.code, "participant_token": phone.snapshot["me"]["token"]})
        try:
            return client.snapshot
        finally:
            client.close()


def fence(facilitator: SocketClient, *clients: SocketClient) -> None:
    """Wait until every client has received what was sent before now (events arrive in order).

    The facilitator adds a quote; once each client has its `quote_added`, anything emitted to
    it earlier has arrived too, so a test can assert that something was *not* received."""
    quote = facilitator.ok("add_quote", {"text": "fence"})["quote"]
    for client in clients:
        client.wait_for("quote_added", lambda q: q["id"] == quote["id"])


def themed_vote(room: Room, facilitator: SocketClient, titles: list[str]) -> list[dict[str, Any]]:
    """Post one item per title, make a theme of each, and move to `vote`; returns the themes."""
    themes = []
    for title in titles:
        item = facilitator.ok("post_item", {"quadrant": "strengths", "text": f"Punkt om {title}"})["item"]
        themes.append(facilitator.ok("create_theme", {"title": title, "item_ids": [item["id"]]})["theme"])
    facilitator.ok("set_phase", {"phase": "vote"})
    return themes
