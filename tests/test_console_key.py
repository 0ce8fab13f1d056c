"""The console key: taken once from the link, never kept; a session that cannot be replayed as a key;
sign-out; a new key that ends the old link, its sessions, its open consoles and the API token."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from flask_socketio import SocketIOTestClient

from facilitation.extensions import socketio


@pytest.fixture
def workshop(client):
    answer = client.post("/api/workshops", json={"title": "Nyckeln"})
    assert answer.status_code == 201
    return answer.get_json()


def path(url: str) -> str:
    return url.removeprefix("http://localhost")


def session_of(app, client) -> dict:
    """What the browser's session cookie holds, read as the server reads it."""
    cookie = client.get_cookie("session")
    return app.session_interface.get_signing_serializer(app).loads(cookie.value) if cookie else {}


def console_socket(app, client, auth: dict) -> SocketIOTestClient:
    return socketio.test_client(app, auth=auth, flask_test_client=client)


def test_the_console_link_leaves_the_key_nowhere_but_signs_the_browser_in(app, client, workshop):
    code, token = workshop["code"], workshop["facilitator_token"]
    taken = client.get(path(workshop["console_url"]))
    assert taken.status_code == 302 and taken.headers["Location"] == f"/console/{code}"
    assert token not in repr(session_of(app, client))
    page = client.get(f"/console/{code}")
    assert page.status_code == 200 and token not in page.text
    assert page.headers["Cache-Control"] == "no-store"
    assert client.get(f"/api/workshops/{code}/export.md").status_code == 200  # the session is enough here


def test_the_session_marker_is_no_key_for_the_api_or_the_console_link(app, client, workshop):
    code = workshop["code"]
    client.get(path(workshop["console_url"]))
    marker = session_of(app, client)[f"facilitator:{code}"]
    stranger = app.test_client()
    assert stranger.get(f"/console/{code}?key={marker}").status_code == 403
    bearer = stranger.get(f"/api/workshops/{code}/export.md", headers={"Authorization": f"Bearer {marker}"})
    assert bearer.status_code == 403


def test_the_cookie_lasts_a_working_day_and_is_secure_over_https(app, client, workshop):
    plain = client.get(path(workshop["console_url"])).headers["Set-Cookie"]
    assert "Secure" not in plain and "HttpOnly" in plain
    expires = dt.datetime.strptime(re.search(r"Expires=([^;]+)", plain).group(1), "%a, %d %b %Y %H:%M:%S GMT")
    assert dt.timedelta(hours=11) < expires - dt.datetime.utcnow() <= dt.timedelta(hours=12)
    https = app.test_client().get(path(workshop["console_url"]), base_url="https://localhost").headers["Set-Cookie"]
    assert "; Secure" in https


def test_behind_a_proxy_the_forwarded_scheme_makes_the_cookie_secure(tmp_path):
    from facilitation import create_app
    from facilitation.extensions import db

    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "SECRET_KEY": "test", "PROXY_HOPS": 1,
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'proxy.db'}"})
    try:
        client = app.test_client()
        made = client.post("/api/workshops", json={"title": "Bakom proxyn"}).get_json()
        console = f"/console/{made['code']}?key={made['facilitator_token']}"
        forwarded = client.get(console, headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.0.0.9"})
        assert "; Secure" in forwarded.headers["Set-Cookie"]
        assert "; Secure" not in app.test_client().get(console).headers["Set-Cookie"]
    finally:
        db.dispose()


def test_the_console_connects_with_its_browser_session_and_nothing_else(app, client, workshop):
    code = workshop["code"]
    stranger = console_socket(app, app.test_client(), {"code": code, "role": "facilitator"})
    assert not stranger.is_connected()
    client.get(path(workshop["console_url"]))
    forged = console_socket(app, app.test_client(), {"code": code, "role": "facilitator",
                                                    "console_session": session_of(app, client)[f"facilitator:{code}"]})
    assert not forged.is_connected()  # a marker sent by the client itself counts for nothing
    console = console_socket(app, client, {"code": code, "role": "facilitator"})
    assert console.is_connected()
    snapshot = next(e["args"][0] for e in console.get_received() if e["name"] == "snapshot")
    assert snapshot["me"]["role"] == "facilitator" and snapshot["workshop"]["code"] == code
    console.disconnect()


def test_signing_out_leaves_the_console_closed_until_the_link_is_used_again(app, client, workshop):
    code = workshop["code"]
    client.get(path(workshop["console_url"]))
    page = client.get(f"/console/{code}").text
    assert f'action="/console/{code}/sign-out"' in page
    signed_out = client.post(f"/console/{code}/sign-out")
    assert signed_out.status_code == 302 and signed_out.headers["Location"] == "/console/signed-out"
    assert "Du har loggat ut från konsolen" in client.get("/console/signed-out").text
    assert client.get(f"/console/{code}").status_code == 403
    assert client.get(f"/api/workshops/{code}/export.md").status_code == 401
    assert client.get(path(workshop["console_url"])).status_code == 302
    assert client.get(f"/console/{code}").status_code == 200


def test_a_new_console_link_ends_the_old_link_its_sessions_consoles_and_api_token(app, client, workshop):
    code, old = workshop["code"], workshop["facilitator_token"]
    other_browser = app.test_client()
    other_browser.get(path(workshop["console_url"]))
    open_console = console_socket(app, other_browser, {"code": code, "role": "facilitator"})
    assert open_console.is_connected()
    client.get(path(workshop["console_url"]))
    made = client.post(f"/console/{code}/key")
    assert made.status_code == 302 and made.headers["Location"] == f"/console/{code}/created"
    shown = client.get(f"/console/{code}/created").text
    new = re.search(rf"/console/{code}\?key=([\w-]+)", shown).group(1)
    assert new != old
    again = client.get(f"/console/{code}/created").text
    assert new not in again and "visades en gång" in again  # shown once only
    assert not open_console.is_connected()  # the old key's console was closed
    assert other_browser.get(f"/console/{code}").status_code == 403
    assert other_browser.get(f"/console/{code}?key={old}").status_code == 403
    bearer = app.test_client().get(f"/api/workshops/{code}/export.md", headers={"Authorization": f"Bearer {old}"})
    assert bearer.status_code == 403
    assert client.get(f"/console/{code}").status_code == 200  # the browser that made it stays signed in
    fresh = app.test_client()
    assert fresh.get(f"/console/{code}?key={new}").status_code == 302
    assert fresh.get(f"/api/workshops/{code}/export.md", headers={"Authorization": f"Bearer {new}"}).status_code == 200


def test_only_the_console_may_make_a_new_link(app, client, workshop):
    code = workshop["code"]
    assert app.test_client().post(f"/console/{code}/key").status_code == 403
    assert client.post("/console/QQQQQQ/key").status_code == 404
