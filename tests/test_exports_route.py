"""GET /api/workshops/<code>/export.<fmt>: who may download, and what the answer looks like."""
from __future__ import annotations

import json

import pytest

from facilitation.exporters import archive

from .record_support import played


@pytest.fixture
def two(client):
    """The Trygg hemgång and the hostile workshop, imported into this app."""
    made = {}
    for name in ("hemgang", "hostile"):
        answer = client.post("/api/workshops/import", json=json.loads(archive.render(played().record(name))))
        assert answer.status_code == 201
        made[name] = answer.get_json()
    return made


def get(client, code: str, fmt: str = "md", token: str | None = None, header: str | None = None):
    headers = {"Authorization": header or f"Bearer {token}"} if (token or header) else {}
    return client.get(f"/api/workshops/{code}/export.{fmt}", headers=headers)


@pytest.mark.parametrize("fmt, content_type", [
    ("md", "text/markdown; charset=utf-8"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("json", "application/json"),
])
def test_the_facilitator_downloads_each_format_as_a_named_file(client, two, fmt, content_type):
    hemgang = two["hemgang"]
    answer = get(client, hemgang["code"], fmt, hemgang["facilitator_token"])
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == content_type
    assert answer.headers["Content-Disposition"] == f'attachment; filename="dokumentation-2023-03-21-trygg-hemgang.{fmt}"'
    assert answer.headers["Cache-Control"] == "no-store"
    hostile = two["hostile"]
    named = get(client, hostile["code"], fmt, hostile["facilitator_token"]).headers["Content-Disposition"]
    assert named == f'attachment; filename="record-2024-03-05-hostile-test-hyperlink-http-x-y.{fmt}"'


def test_no_token_is_401_a_wrong_one_403_an_unknown_code_404(client, two):
    hemgang, hostile = two["hemgang"], two["hostile"]
    missing = get(client, hemgang["code"])
    assert missing.status_code == 401 and missing.get_json()["error"]["code"] == "unauthorized"
    assert missing.headers["WWW-Authenticate"] == "Bearer"
    assert get(client, hemgang["code"], header="Basic abc").status_code == 401
    assert get(client, hemgang["code"], header="Bearer ").status_code == 401
    wrong = get(client, hemgang["code"], token="not-the-token")
    assert wrong.status_code == 403 and wrong.get_json()["error"]["code"] == "forbidden"
    assert get(client, hemgang["code"], token=hostile["facilitator_token"]).status_code == 403  # another workshop's
    for token in (None, "x", hemgang["facilitator_token"]):
        unknown = get(client, "QQQQQQ", token=token)
        assert unknown.status_code == 404 and unknown.get_json()["error"]["code"] == "not_found"
    assert get(client, hemgang["code"], "pdf", hemgang["facilitator_token"]).status_code == 404
    assert get(client, hemgang["code"].lower(), "md", hemgang["facilitator_token"]).status_code == 200
    assert client.post(f"/api/workshops/{hemgang['code']}/export.md").status_code == 405


def test_the_facilitators_browser_session_is_enough(client, two):
    hemgang, hostile = two["hemgang"], two["hostile"]
    assert client.get(hemgang["console_url"]).status_code == 302  # the console link signs this browser in
    with client.session_transaction() as session:
        session[f"facilitator:{hostile['code']}"] = True  # no marker of its key: not signed in
    assert get(client, hemgang["code"], "docx").status_code == 200
    assert get(client, hostile["code"], "docx").status_code == 401
    assert get(client, hemgang["code"], "md", "wrong").status_code == 200  # the session decides first
