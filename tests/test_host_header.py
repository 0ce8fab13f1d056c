"""The Host header: with FACILITATION_BASE_URL links, the QR code and the CSP come from the site's
address, and a Host that is not the site's (or in FACILITATION_ALLOWED_HOSTS) is answered 400 on
every route, Socket.IO included; without the settings, links follow the request (local use)."""
from __future__ import annotations

import io
import json
import re

import pytest
import requests
import segno
import socketio
import sqlalchemy as sa

from facilitation import create_app
from facilitation.extensions import db
from facilitation.models import Workshop

from .support import LiveServer, SocketClient

SITE = "https://workshop.kommun.se"


def make_app(monkeypatch, tmp_path, **env: str):
    for name in ("FACILITATION_BASE_URL", "FACILITATION_ALLOWED_HOSTS", "FACILITATION_PROXY_HOPS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False,
                       "DATABASE_URL": f"sqlite:///{tmp_path / 'test.db'}"})


@pytest.fixture
def site(monkeypatch, tmp_path):
    """The app of a site at SITE, also reached inside the municipality's network as workshop.internal."""
    app = make_app(monkeypatch, tmp_path, FACILITATION_BASE_URL=SITE, FACILITATION_ALLOWED_HOSTS="workshop.internal")
    yield app.test_client()
    db.dispose()


def workshops() -> int:
    with db.read() as session:
        return session.scalar(sa.select(sa.func.count(Workshop.id)))


def create(client, base_url: str) -> dict:
    answer = client.post("/api/workshops", json={"title": "Samverkan"}, base_url=base_url)
    assert answer.status_code == 201, answer.get_data(as_text=True)
    return answer.get_json()


def qr_of(url: str) -> bytes:
    """The QR code the projector shows for `url`, made as the server makes it."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=10, border=2, dark="#000", light="#fff",
                                    title=url.split("://", 1)[1], xmldecl=False)
    return out.getvalue()


def test_links_qr_code_and_csp_come_from_the_base_url_whatever_the_allowed_host(site):
    made = create(site, "http://workshop.internal")
    code = made["code"]
    assert made["join_url"] == f"{SITE}/j/{code}"
    assert made["console_url"] == f"{SITE}/console/{code}?key={made['facilitator_token']}"
    assert made["projector_url"] == f"{SITE}/screen/{code}?k={made['screen_key']}"
    qr = site.get(f"/screen/{code}/qr.svg", base_url="http://workshop.internal")
    assert qr.status_code == 200 and qr.data == qr_of(f"{SITE}/j/{code}")
    assert qr.headers["Cache-Control"] == "public, max-age=3600"
    projector = site.get(f"/screen/{code}?k={made['screen_key']}", base_url="http://workshop.internal",
                         follow_redirects=True).get_data(as_text=True)
    assert f"workshop.kommun.se/j/{code}" in projector and "workshop.internal" not in projector
    page = site.get(f"/j/{code}", base_url="http://workshop.internal")
    connect = re.search(r"connect-src ([^;]*);", page.headers["Content-Security-Policy"]).group(1)
    assert connect == "'self' wss://workshop.kommun.se"


def test_the_console_link_shown_once_is_the_sites(site):
    created = site.post("/console/", data={"title": "Samverkan", "votes_per_participant": 3, "max_votes_per_theme": 3,
                                           "language": "sv"}, base_url="http://workshop.internal")
    assert created.status_code == 302, created.get_data(as_text=True)[:500]
    page = site.get(created.headers["Location"], base_url="http://workshop.internal").get_data(as_text=True)
    assert re.search(r'id="console-link" href="https://workshop\.kommun\.se/console/\w+\?key=[\w-]+"', page)
    assert re.search(r'id="projector-link" href="https://workshop\.kommun\.se/screen/\w+\?k=[\w-]+"', page)
    assert "workshop.internal" not in page


@pytest.mark.parametrize("host", ["evil.example", "workshop.kommun.se.evil.example", "internal", "localhost"])
def test_a_host_that_is_not_the_sites_is_a_400_everywhere_and_changes_nothing(site, host):
    code = create(site, SITE)["code"]
    base = f"http://{host}"
    refused = site.post("/api/workshops", json={"title": "Förfalskad"}, base_url=base)
    assert refused.status_code == 400 and refused.get_json()["error"]["code"] == "bad_request"
    for path in (f"/j/{code}", f"/screen/{code}/qr.svg", "/", "/console/", f"/api/workshops/{code}/export.md",
                 "/socket.io/?EIO=4&transport=polling"):
        answer = site.get(path, base_url=base)
        assert answer.status_code == 400, (path, answer.status_code)
        assert host not in answer.headers.get("Content-Security-Policy", "")
    assert workshops() == 1
    assert site.get("/socket.io/?EIO=4&transport=polling", base_url=SITE).status_code == 200


def test_a_forwarded_host_is_checked_like_the_host(monkeypatch, tmp_path):
    app = make_app(monkeypatch, tmp_path, FACILITATION_BASE_URL=SITE, FACILITATION_PROXY_HOPS="1")
    client = app.test_client()
    try:
        forged = client.post("/api/workshops", json={"title": "x"}, headers={"X-Forwarded-Host": "evil.example"})
        assert forged.status_code == 400
        made = client.post("/api/workshops", json={"title": "x"}, base_url="http://10.0.0.5",
                           headers={"X-Forwarded-Host": "workshop.kommun.se", "X-Forwarded-Proto": "https"})
        assert made.status_code == 201 and made.get_json()["join_url"].startswith(f"{SITE}/j/")
    finally:
        db.dispose()


def test_without_the_settings_links_follow_the_request_for_local_use(monkeypatch, tmp_path):
    client = make_app(monkeypatch, tmp_path).test_client()
    try:
        made = create(client, "http://192.168.1.20:5000")
        assert made["join_url"] == f"http://192.168.1.20:5000/j/{made['code']}"
        qr = client.get(f"/screen/{made['code']}/qr.svg", base_url="http://192.168.1.20:5000")
        assert qr.headers["Cache-Control"] == "private, max-age=3600"  # built from the Host: no shared cache
        assert "connect-src 'self' ws://192.168.1.20:5000 wss://192.168.1.20:5000;" in qr.headers["Content-Security-Policy"]
    finally:
        db.dispose()


def test_facilitation_create_prints_the_sites_links(monkeypatch, tmp_path):
    app = make_app(monkeypatch, tmp_path, FACILITATION_BASE_URL=SITE)
    try:
        result = app.test_cli_runner().invoke(args=["create", "Samverkan", "--json"])
        made = json.loads(result.output)
        assert made["join_url"] == f"{SITE}/j/{made['code']}" and made["console_url"].startswith(f"{SITE}/console/")
        given = json.loads(app.test_cli_runner().invoke(args=["create", "Samverkan", "--json", "--url", "http://x.se"]).output)
        assert given["join_url"].startswith("http://x.se/j/")
    finally:
        db.dispose()


@pytest.mark.parametrize("name, value", [("FACILITATION_BASE_URL", "workshop.kommun.se"),
                                         ("FACILITATION_BASE_URL", "ftp://workshop.kommun.se"),
                                         ("FACILITATION_BASE_URL", "https://workshop.kommun.se/?a=1"),
                                         ("FACILITATION_BASE_URL", "https://user@workshop.kommun.se"),
                                         ("FACILITATION_ALLOWED_HOSTS", "workshop.kommun.se, ond värd"),
                                         ("FACILITATION_ALLOWED_HOSTS", "a/b")])
def test_a_setting_that_is_not_an_address_stops_the_start_naming_it(monkeypatch, tmp_path, name, value):
    with pytest.raises(ValueError, match=name):
        make_app(monkeypatch, tmp_path, **{name: value})


def test_a_socket_io_client_sending_another_host_is_refused_by_a_live_server(tmp_path):
    """As a page on a rebound DNS name would: its Host and Origin are that name's."""
    server = LiveServer(tmp_path / "live", env={"FACILITATION_BASE_URL": SITE, "FACILITATION_ALLOWED_HOSTS": "127.0.0.1"})
    server.start()
    try:
        made = server.create_workshop()
        auth = {"code": made["code"], "name": "Kerstin"}
        forged = {"Host": "rebound.example", "Origin": "http://rebound.example"}
        for transports in (["websocket"], ["polling"]):
            with pytest.raises(socketio.exceptions.ConnectionError):
                SocketClient(server.url, auth, transports=transports, headers=forged)
        assert requests.get(f"{server.url}/j/{made['code']}", headers={"Host": "rebound.example"}, timeout=10).status_code == 400
        phone = SocketClient(server.url, auth)
        try:
            assert phone.snapshot["me"]["name"] == "Kerstin" and made["join_url"] == f"{SITE}/j/{made['code']}"
        finally:
            phone.close()
    finally:
        server.stop()
