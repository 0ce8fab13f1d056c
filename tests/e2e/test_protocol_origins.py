"""Same-origin Socket.IO: a foreign Origin is refused on polling and WebSocket; allowed ones connect."""
from __future__ import annotations

import pytest
import requests
import socketio
import websocket

from ..support import LiveServer
from .protocol_support import Room, raw_connect

FOREIGN = "http://evil.example"
CONFIGURED = "https://workshop.kommun.example"


def polling_handshake(url: str, origin: str | None) -> requests.Response:
    headers = {"Origin": origin} if origin else {}
    return requests.get(url + "/socket.io/?EIO=4&transport=polling", headers=headers, timeout=10)


def joins(sockets, url: str, room: Room, origin: str, transport: str) -> dict:
    """Connect a Socket.IO screen sending this Origin over one transport; returns its snapshot."""
    client = sockets(url, room.screen_auth, transports=[transport], headers={"Origin": origin})
    return client.snapshot


def test_a_foreign_origin_is_refused_on_polling_and_websocket(server, sockets):
    room = Room(server, sockets)
    refused = polling_handshake(server.url, FOREIGN)
    assert refused.status_code == 400
    with pytest.raises(websocket.WebSocketBadStatusException) as error:
        raw_connect(server.url, room.screen_auth, origin=FOREIGN)
    assert error.value.status_code == 400
    with pytest.raises(socketio.exceptions.ConnectionError):
        joins(sockets, server.url, room, FOREIGN, "polling")
    assert room.state()["online"] == 0


def test_the_apps_own_origin_is_accepted(server, sockets):
    room = Room(server, sockets)
    assert polling_handshake(server.url, server.url).status_code == 200
    assert polling_handshake(server.url, None).status_code == 200  # no Origin: not a browser page
    event, snapshot = raw_connect(server.url, room.screen_auth, origin=server.url)
    assert event == "snapshot" and snapshot["workshop"]["code"] == room.code and snapshot["me"]["role"] == "screen"
    assert joins(sockets, server.url, room, server.url, "polling")["workshop"]["code"] == room.code


def test_configured_origins_are_admitted_and_others_still_refused(tmp_path, sockets):
    live = LiveServer(tmp_path / "origins", env={"FACILITATION_ALLOWED_ORIGINS": f"{CONFIGURED}, https://other.example"})
    live.start()
    try:
        room = Room(live, sockets)
        assert polling_handshake(live.url, CONFIGURED).status_code == 200
        for origin in (CONFIGURED, "https://other.example"):
            assert raw_connect(live.url, room.screen_auth, origin)[1]["workshop"]["code"] == room.code
        assert joins(sockets, live.url, room, CONFIGURED, "polling")["workshop"]["code"] == room.code
        assert polling_handshake(live.url, FOREIGN).status_code == 400
        with pytest.raises(websocket.WebSocketBadStatusException):
            raw_connect(live.url, room.screen_auth, origin=FOREIGN)
        with pytest.raises(socketio.exceptions.ConnectionError):
            joins(sockets, live.url, room, FOREIGN, "polling")
    finally:
        live.stop()
