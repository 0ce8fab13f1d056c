"""The log: one line per request naming its route, never a key, token, join code or client address
(the app's log and the serve process's standard error, as text and as JSON)."""
from __future__ import annotations

import json
import logging
import socket

import pytest

from facilitation import logs

from .support import LiveServer

ADDRESS = "203.0.113.77"


@pytest.fixture
def made(client):
    answer = client.post("/api/workshops", json={"title": "Loggen"}, environ_base={"REMOTE_ADDR": ADDRESS})
    return answer.get_json()


def secrets_of(ws: dict) -> list[str]:
    return [ws["code"], ws["facilitator_token"], ws["screen_key"]]


def visit(client, ws: dict) -> int:
    """What a facilitator, a phone and a projector ask for in a day; returns how many requests."""
    code, key = ws["code"], ws["facilitator_token"]
    env = {"REMOTE_ADDR": ADDRESS}
    paths = [f"/console/{code}?key={key}", f"/console/{code}", f"/console/{code}/record", f"/j/{code}",
             f"/screen/{code}?k={ws['screen_key']}", f"/screen/{code}/qr.svg", f"/j/{code.lower()}",
             "/j/NOSUCH", f"/no/such/{code}", "/static/js/phone.js"]
    for path in paths:
        client.get(path, environ_base=env).close()  # the line is written once the response is closed
    client.get(f"/api/workshops/{code}/export.md", headers={"Authorization": f"Bearer {key}"}, environ_base=env).close()
    return len(paths) + 1


def request_lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "facilitation.requests"]


def test_each_request_is_one_line_naming_its_route_without_key_code_or_address(client, made, caplog):
    caplog.set_level(logging.INFO, logger="facilitation.requests")
    count = visit(client, made)
    lines = request_lines(caplog)
    assert len(lines) == count
    text = "\n".join(r.getMessage() for r in lines)
    for secret in (*secrets_of(made), made["code"].lower(), ADDRESS, "key=", "?k="):
        assert secret not in text, secret
    for expected in ("GET /console/<code> 302", "GET /console/<code> 200", "GET /j/<code> 200", "GET /j/<code> 302",
                     "GET /screen/<code> 302", "GET /screen/<code>/qr.svg 200", "GET /console/<code>/record 200",
                     "GET /api/workshops/<code>/export.<fmt> 200", "GET (no route) 404", "GET /static/<path:filename> 200"):
        assert expected in text, (expected, text)


def test_json_lines_carry_the_request_as_fields(client, made, caplog):
    caplog.set_level(logging.INFO, logger="facilitation.requests")
    visit(client, made)
    entries = [json.loads(logs.JsonFormatter().format(r)) for r in request_lines(caplog)]
    first = entries[0]
    assert first["logger"] == "facilitation.requests" and first["level"] == "INFO"
    assert {"time", "method", "route", "status", "ms", "bytes"} <= set(first)
    assert (first["method"], first["route"], first["status"]) == ("GET", "/console/<code>", 302)
    assert not any(secret in json.dumps(entries) for secret in (*secrets_of(made), ADDRESS))


def test_at_debug_level_the_path_and_address_are_added_but_never_the_query(client, made, caplog):
    caplog.set_level(logging.DEBUG, logger="facilitation.requests")
    client.get(f"/console/{made['code']}?key={made['facilitator_token']}", environ_base={"REMOTE_ADDR": ADDRESS}).close()
    line = request_lines(caplog)[-1].getMessage()
    assert f"/console/{made['code']}" in line and ADDRESS in line and made["facilitator_token"] not in line


def test_flasks_own_error_line_names_no_code(app, client, caplog):
    def broken(code):
        raise RuntimeError("a bug")

    app.add_url_rule("/j/<code>/broken", "broken", broken)
    app.testing = False  # so that Flask answers 500 and logs, instead of raising into the test
    assert client.get("/j/NJQ7EF/broken?key=x").status_code == 500
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == ["Exception on /j/<code>/broken [GET]"]


@pytest.mark.live
@pytest.mark.parametrize("form", ["text", "json"])
def test_the_serve_process_logs_requests_without_secrets(tmp_path, sockets, form):
    server = LiveServer(tmp_path / "live", env={"FACILITATION_LOG_FORMAT": form})
    server.flags = []  # request lines on, as in production
    server.start()
    try:
        ws = server.create_workshop(title="Stderr")
        import requests

        browser = requests.Session()
        browser.get(ws["console_url"], timeout=10)
        browser.get(f"{server.url}/api/workshops/{ws['code']}/export.json", timeout=60)  # a worker process
        requests.get(ws["projector_url"], timeout=10)
        sockets(server.url, {"code": ws["code"], "facilitator_token": ws["facilitator_token"]}).close()
        sockets(server.url, {"code": ws["code"], "name": "Kerstin"}, transports=["polling"]).close()
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as raw:  # gevent refuses this line
            raw.sendall(f"GET /console/{ws['code']}?key={ws['facilitator_token']} HTTP/1.1 x\r\n\r\n".encode())
            raw.recv(1000)
    finally:
        server.stop()
    log = server.log()
    for secret in secrets_of(ws):
        assert secret not in log, secret
    lines = [line for line in log.splitlines() if "/console/" in line or "/socket.io/" in line or "/api/" in line]
    assert lines and "127.0.0.1" not in "\n".join(lines)
    if form == "json":
        entries = [json.loads(line) for line in log.splitlines() if not line.startswith("facilitation serving on ")]
        routes = {(e.get("method"), e.get("route"), e.get("status")) for e in entries}
        assert {("GET", "/console/<code>", 302), ("GET", "/api/workshops/<code>/export.<fmt>", 200),
                ("POST", "/api/workshops", 201)} <= routes
        assert any(e.get("route") == "/socket.io/" for e in entries)
    else:
        assert "GET /console/<code> 302" in log and "POST /api/workshops 201" in log
