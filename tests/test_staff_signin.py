"""Who may create and import workshops: an open site, the site's passphrase, the organisation's sign-in."""
from __future__ import annotations

import html
import json
import re

import pytest
import sqlalchemy as sa

from facilitation import create_app, replay, staff
from facilitation.extensions import db
from facilitation.models import Workshop

from .support import LiveServer

PASSPHRASE = "blåbär i skogen 1974"
FORM = {"title": "Trygghet i centrum", "language": "sv", "votes_per_participant": "3", "max_votes_per_theme": "3"}


@pytest.fixture
def make_app(tmp_path):
    """An app with the site settings given (CSRF off: the forms' CSRF is tested elsewhere)."""
    made = []

    def make(**settings):
        app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False,
                          "DATABASE_URL": f"sqlite:///{tmp_path / 'test.db'}", **settings})
        made.append(app)
        return app

    yield make
    db.dispose()


def workshops() -> list[str]:
    with db.read() as s:
        return list(s.scalars(sa.select(Workshop.title)))


def error_at(page: str, field: str) -> str:
    """The error message shown under the field `field`, or ''."""
    found = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', page)
    return html.unescape(found.group(1)) if found else ""


def test_an_open_site_creates_without_asking(make_app):
    client = make_app().test_client()
    page = client.get("/console/").text
    assert 'name="passphrase"' not in page
    assert client.post("/console/", data=FORM).status_code == 302
    assert client.post("/api/workshops", json={"title": "Öppen server"}).status_code == 201
    assert workshops() == ["Trygghet i centrum", "Öppen server"]


def test_the_create_page_asks_for_the_passphrase_and_a_wrong_one_creates_nothing(make_app):
    client = make_app(STAFF_PASSPHRASE=PASSPHRASE).test_client()
    page = html.unescape(client.get("/console/?lang=en").text)
    assert 'type="password"' in page and "The site's passphrase" in page

    wrong = client.post("/console/", data={**FORM, "passphrase": "blåbär i skogen 1975"})
    assert wrong.status_code == 200
    assert error_at(wrong.text, "passphrase") == "That is not the site's passphrase."
    assert 'value="Trygghet i centrum"' in wrong.text  # what was typed is still there
    empty = client.post("/console/", data=FORM)
    assert error_at(empty.text, "passphrase") == "Type the passphrase you were given."
    assert workshops() == []


def test_the_right_passphrase_is_asked_once(make_app):
    client = make_app(STAFF_PASSPHRASE=PASSPHRASE).test_client()
    created = client.post("/console/", data={**FORM, "passphrase": PASSPHRASE})
    assert created.status_code == 302 and "/created" in created.headers["Location"]
    page = html.unescape(client.get("/console/?lang=en").text)
    assert 'name="passphrase"' not in page and "You are signed in as staff." in page
    assert client.post("/console/", data={**FORM, "title": "Andra gången"}).status_code == 302
    assert workshops() == ["Trygghet i centrum", "Andra gången"]
    # Another browser has not typed it.
    other = client.application.test_client()
    assert other.post("/console/", data={**FORM, "title": "Någon annan"}).status_code == 200
    assert workshops() == ["Trygghet i centrum", "Andra gången"]


def test_signing_out_asks_for_the_passphrase_again(make_app):
    client = make_app(STAFF_PASSPHRASE=PASSPHRASE).test_client()
    client.post("/console/", data={**FORM, "passphrase": PASSPHRASE})
    assert client.post("/staff/sign-out").status_code == 302
    assert 'name="passphrase"' in client.get("/console/").text
    assert client.post("/console/", data={**FORM, "title": "Utloggad"}).status_code == 200
    assert workshops() == ["Trygghet i centrum"]


def test_a_new_passphrase_ends_the_sign_ins_made_with_the_old_one(make_app, tmp_path):
    first = make_app(STAFF_PASSPHRASE=PASSPHRASE).test_client()
    first.post("/console/", data={**FORM, "passphrase": PASSPHRASE})
    cookie = first.get_cookie("session").value
    db.dispose()
    later = make_app(STAFF_PASSPHRASE="ett nytt lösenord").test_client()
    later.set_cookie("session", cookie)
    assert 'name="passphrase"' in later.get("/console/").text
    assert later.post("/console/", data={**FORM, "title": "Gammal inloggning"}).status_code == 200
    assert "Gammal inloggning" not in workshops()


def test_the_api_needs_the_passphrase_in_a_header(make_app):
    client = make_app(STAFF_PASSPHRASE=PASSPHRASE).test_client()
    missing = client.post("/api/workshops", json={"title": "Utan lösen"})
    assert missing.status_code == 401 and missing.get_json()["error"]["code"] == "unauthorized"
    assert "X-Staff-Passphrase" in missing.get_json()["error"]["message"]
    wrong = client.post("/api/workshops", json={"title": "Fel lösen"}, headers={"X-Staff-Passphrase": "gissning"})
    assert wrong.status_code == 403 and wrong.get_json()["error"]["code"] == "forbidden"
    assert workshops() == []
    right = client.post("/api/workshops", json={"title": "Rätt lösen"},
                        headers={"X-Staff-Passphrase": PASSPHRASE.encode().decode("latin-1")})  # UTF-8 on the wire
    assert right.status_code == 201
    assert workshops() == ["Rätt lösen"]


def test_the_import_needs_the_passphrase_too(make_app):
    client = make_app(STAFF_PASSPHRASE=PASSPHRASE).test_client()
    header = {"X-Staff-Passphrase": PASSPHRASE.encode().decode("latin-1")}
    made = client.post("/api/workshops", json={"title": "Att importera"}, headers=header).get_json()
    archive = client.get(f"/api/workshops/{made['code']}/export.json",
                         headers={"Authorization": f"Bearer {made['facilitator_token']}"}).get_data()
    refused = client.post("/api/workshops/import", data=archive, content_type="application/json")
    assert refused.status_code == 401
    assert workshops() == ["Att importera"]
    imported = client.post("/api/workshops/import", data=archive, content_type="application/json", headers=header)
    assert imported.status_code == 201, imported.text
    assert workshops() == ["Att importera", "Att importera"]
    assert json.loads(archive)["workshop"]["title"] == "Att importera"


def test_with_only_an_identity_provider_the_create_page_is_a_sign_in_page(make_app):
    client = make_app(OIDC_ISSUER="https://login.kommun.example", OIDC_CLIENT_ID="facilitation").test_client()
    page = html.unescape(client.get("/console/?lang=en").text)
    assert "Sign in to create a workshop" in page and 'href="/staff/sign-in"' in page
    assert 'name="title"' not in page
    refused = client.post("/console/", data=FORM)
    assert refused.status_code == 403 and "Sign in" in refused.text
    api = client.post("/api/workshops", json={"title": "Utan inloggning"})
    assert api.status_code == 401
    assert workshops() == []


def test_with_both_the_form_asks_for_the_passphrase_and_offers_the_sign_in(make_app):
    client = make_app(STAFF_PASSPHRASE=PASSPHRASE, OIDC_ISSUER="https://login.kommun.example",
                      OIDC_CLIENT_ID="facilitation").test_client()
    page = html.unescape(client.get("/console/?lang=en").text)
    assert 'name="passphrase"' in page and "Or sign in with your organisation's account" in page


def test_the_identity_provider_settings_come_together(monkeypatch, tmp_path):
    monkeypatch.setenv("FACILITATION_OIDC_ISSUER", "https://login.kommun.example")
    with pytest.raises(ValueError, match="FACILITATION_OIDC_CLIENT_ID"):  # config.SettingError
        create_app({"DATA_DIR": str(tmp_path), "SECRET_KEY": "test"})


@pytest.mark.parametrize(("claims", "admitted"), [
    ({"sub": "1", "groups": ["workshop-staff"]}, True),
    ({"sub": "1", "groups": "workshop-staff"}, True),
    ({"sub": "1", "groups": ["others"]}, False),
    ({"sub": "1", "email": "Anna.Karlsson@Kommun.se"}, True),  # a whole domain is allowed
    ({"sub": "1", "email": "anna@kommun.se", "email_verified": False}, False),
    ({"sub": "1", "email": "anna@annan-kommun.se"}, False),
    ({"sub": "1", "email": "konsult@byra.example"}, True),  # one address is allowed
    ({"sub": "1", "email": "kommun.se"}, False),
    ({"sub": "1"}, False),
])
def test_allowed_groups_and_emails(claims, admitted):
    policy = staff.StaffPolicy(issuer="https://login.kommun.example", client_id="facilitation",
                               allowed_groups=frozenset({"workshop-staff"}),
                               allowed_emails=frozenset({"@kommun.se", "konsult@byra.example"}))
    assert policy.admits(claims) is admitted


def test_without_allowed_groups_or_emails_every_account_of_the_provider_is_staff():
    assert staff.StaffPolicy(issuer="https://login.kommun.example", client_id="facilitation").admits({"sub": "x"})


def test_a_sign_in_lasts_a_working_day():
    policy, session = staff.StaffPolicy(passphrase=PASSPHRASE), {}
    staff.grant(session, policy, "secret", "passphrase", now=1_000_000)
    assert staff.signed_in(session, policy, "secret", now=1_000_000 + 11 * 3600)
    assert staff.signed_in(session, policy, "secret", now=1_000_000 + 13 * 3600) is None
    assert staff.signed_in(session, policy, "another secret key", now=1_000_000) is None
    assert staff.signed_in(session, staff.StaffPolicy(issuer="https://x", client_id="y"), "secret",
                           now=1_000_000) is None  # a passphrase sign-in where the site now wants its provider


def test_replay_and_demo_send_the_passphrase(tmp_path):
    """`facilitation replay` (and the demo, which plays its scenario the same way) against a staff-only server."""
    server = LiveServer(tmp_path / "live", env={"FACILITATION_STAFF_PASSPHRASE": PASSPHRASE})
    server.start()
    try:
        with pytest.raises(replay.ScenarioError, match="answered 401"):
            replay.create_workshop(server.url, {"title": "Utan lösen"}, 10)
        created = replay.create_workshop(server.url, {"title": "Med lösen"}, 10, PASSPHRASE)
        assert created["code"] and created["facilitator_token"]
    finally:
        server.stop()


def test_a_site_without_an_identity_provider_has_no_sign_in_route(make_app):
    client = make_app(STAFF_PASSPHRASE=PASSPHRASE).test_client()
    assert client.get("/staff/sign-in").status_code == 404
    assert client.get("/staff/callback?code=x&state=y").status_code == 404
