"""Same-origin Socket.IO: a foreign Origin is refused on polling and WebSocket; allowed ones connect."""
from __future__ import annotations

import json

import pytest
import requests
import socketio
import websocket

from ..support import LiveServer
from .protocol_support import Room, server  # noqa: F401  (server is a fixture)

FOREIGN = "http://evil.example"
CONFIGURED = "https://workshop.kommun.example"


def polling_handshake(url: str, origin: str | None) -> requests.Response:
    headers = {"Origin": origin} if origin else {}
    return requests.get(url + "/socket.io/?EIO=4&transport=polling", headers=headers, timeout=10)


def websocket_join(url: str, origin: str, code: str) -> list:
    """Join as a screen over a raw WebSocket sending exactly this Origin (the python-socketio
    client would send a second, default Origin header over WebSocket); returns the snapshot event."""
    ws = websocket.create_connection(url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket",
                                     origin=origin, timeout=10)
    try:
        assert ws.recv().startswith("0{")  # engine.io open
        ws.send("40" + json.dumps({"code": code, "role": "screen"}))
        frames = [ws.recv()]  # the Socket.IO connect and the snapshot event, in either order
        while not any(f.startswith("40{") for f in frames) or not any(f.startswith('42["snapshot"') for f in frames):
            frames.append(ws.recv())
        return next(json.loads(f[2:]) for f in frames if f.startswith('42["snapshot"'))
    finally:
        ws.close(timeout=0.2)


def joins(sockets, url: str, code: str, origin: str, transport: str) -> dict:
    """Connect a Socket.IO screen sending this Origin over one transport; returns its snapshot."""
    client = sockets(url, {"code": code, "role": "screen"}, transports=[transport], headers={"Origin": origin})
    return client.snapshot


def test_a_foreign_origin_is_refused_on_polling_and_websocket(server, sockets):
    room = Room(server, sockets)
    refused = polling_handshake(server.url, FOREIGN)
    assert refused.status_code == 400
    with pytest.raises(websocket.WebSocketBadStatusException) as error:
        websocket_join(server.url, FOREIGN, room.code)
    assert error.value.status_code == 400
    with pytest.raises(socketio.exceptions.ConnectionError):
        joins(sockets, server.url, room.code, FOREIGN, "polling")
    assert room.state()["online"] == 0


def test_the_apps_own_origin_is_accepted(server, sockets):
    room = Room(server, sockets)
    assert polling_handshake(server.url, server.url).status_code == 200
    assert polling_handshake(server.url, None).status_code == 200  # no Origin: not a browser page
    event, snapshot = websocket_join(server.url, server.url, room.code)
    assert event == "snapshot" and snapshot["workshop"]["code"] == room.code and snapshot["me"]["role"] == "screen"
    assert joins(sockets, server.url, room.code, server.url, "polling")["workshop"]["code"] == room.code


def test_configured_origins_are_admitted_and_others_still_refused(tmp_path, sockets):
    live = LiveServer(tmp_path / "origins", env={"FACILITATION_ALLOWED_ORIGINS": f"{CONFIGURED}, https://other.example"})
    live.start()
    try:
        room = Room(live, sockets)
        assert polling_handshake(live.url, CONFIGURED).status_code == 200
        assert websocket_join(live.url, CONFIGURED, room.code)[1]["workshop"]["code"] == room.code
        assert websocket_join(live.url, "https://other.example", room.code)[1]["workshop"]["code"] == room.code
        assert joins(sockets, live.url, room.code, CONFIGURED, "polling")["workshop"]["code"] == room.code
        assert polling_handshake(live.url, FOREIGN).status_code == 400
        with pytest.raises(websocket.WebSocketBadStatusException):
            websocket_join(live.url, FOREIGN, room.code)
        with pytest.raises(socketio.exceptions.ConnectionError):
            joins(sockets, live.url, room.code, FOREIGN, "polling")
    finally:
        live.stop()
