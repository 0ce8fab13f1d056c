"""The workshop's limits: N of a kind allowed, one more refused with workshop_full and nothing changed."""
from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from facilitation import create_app
from facilitation.exporters import archive
from facilitation.extensions import db
from facilitation.models import Item, Note, Participant, Quote, Theme, ThemeGroup, Workshop
from facilitation.operations import access, imports, limits, perform, workshops
from facilitation.operations.errors import DomainError
from facilitation.operations.guards import Actor
from facilitation.views import api

from .record_support import played

SMALL = 2


@pytest.fixture
def small(monkeypatch):
    """Every limit set to SMALL for the test."""
    for kind in limits.MOST:
        monkeypatch.setitem(limits.MOST, kind, SMALL)


@pytest.fixture
def any_app(database_url, tmp_path):
    """The app on SQLite and, where TEST_DATABASE_URL is set, on PostgreSQL."""
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "SECRET_KEY": "test", "DATABASE_URL": database_url,
                      "WTF_CSRF_ENABLED": False})
    yield app
    db.dispose()


def new_workshop(phase: str = "collect") -> tuple[str, Actor]:
    with db.write() as session:
        workshop, _token = workshops.create(session, {"title": "Gränser"})
        workshop.phase = phase
        facilitator = access.facilitator_of(session, workshop)
        return workshop.code, Actor(workshop.id, "facilitator", facilitator.id)


def count(model, **where) -> int:
    with db.read() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model).filter_by(**where))


def refused(actor: Actor, event: str, data: dict) -> DomainError:
    with pytest.raises(DomainError) as caught, db.write() as session:
        perform(session, actor, event, data)
    assert caught.value.code == "workshop_full" and f"at most {SMALL}" in caught.value.message
    return caught.value


def done(actor: Actor, event: str, data: dict) -> dict:
    with db.write() as session:
        return perform(session, actor, event, data).answer


def test_workshop_full_is_a_protocol_code_answered_409():
    assert api.STATUS["workshop_full"] == 409
    assert DomainError("workshop_full", "full").as_dict() == {"code": "workshop_full", "message": "full"}


def test_items_stop_at_the_limit(any_app, small):
    _code, facilitator = new_workshop()
    for n in range(SMALL):
        done(facilitator, "post_item", {"quadrant": "strengths", "text": f"Synpunkt {n}", "op_id": f"op-{n}"})
    refused(facilitator, "post_item", {"quadrant": "strengths", "text": "En för mycket", "op_id": "op-x"})
    assert count(Item) == SMALL


def test_participants_stop_at_the_limit_on_connect_and_on_the_join_form(any_app, small):
    code, _facilitator = new_workshop()
    for n in range(SMALL):
        with db.write() as session:
            access.admit(session, {"code": code, "name": f"Person {n}"})
    with pytest.raises(DomainError) as caught, db.write() as session:
        access.admit(session, {"code": code, "name": "En för mycket"})
    assert caught.value.code == "workshop_full"
    page = any_app.test_client().post(f"/j/{code}", data={"name": "Via formuläret"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and ("Workshopen är full" in text or "The workshop is full" in text)
    assert count(Participant, role="participant") == SMALL
    with db.write() as session:  # people already in still come back with their token, and screens connect
        key = access.workshop_by_code(session, code).screen_key
        assert access.admit(session, {"code": code, "role": "screen", "screen_key": key})[0].role == "screen"


def test_themes_stop_at_the_limit(any_app, small):
    _code, facilitator = new_workshop()
    for n in range(SMALL):
        done(facilitator, "create_theme", {"title": f"Tema {n}"})
    refused(facilitator, "create_theme", {"title": "Ett för mycket"})
    assert count(Theme) == SMALL


def test_groups_stop_at_the_limit(any_app, small, monkeypatch):
    monkeypatch.setitem(limits.MOST, "themes", SMALL + 1)  # one theme more than groups allowed
    _code, facilitator = new_workshop()
    themes = [done(facilitator, "create_theme", {"title": f"Tema {n}"})["theme"]["id"] for n in range(SMALL + 1)]
    assert len(done(facilitator, "form_groups", {"theme_ids": themes[:SMALL]})["groups"]) == SMALL
    refused(facilitator, "form_groups", {"theme_ids": themes})
    assert count(ThemeGroup) == SMALL


def test_notes_stop_at_the_limit(any_app, small):
    _code, facilitator = new_workshop()
    theme = done(facilitator, "create_theme", {"title": "Tema"})["theme"]["id"]
    group = done(facilitator, "form_groups", {"theme_ids": [theme]})["groups"][0]["id"]
    done(facilitator, "set_phase", {"phase": "groups"})
    for n in range(SMALL):
        done(facilitator, "add_note", {"group_id": group, "text": f"Anteckning {n}", "op_id": f"note-{n}"})
    refused(facilitator, "add_note", {"group_id": group, "text": "En för mycket", "op_id": "note-x"})
    assert count(Note) == SMALL


def test_quotes_stop_at_the_limit(any_app, small):
    _code, facilitator = new_workshop()
    for n in range(SMALL):
        done(facilitator, "add_quote", {"text": f"Citat {n}", "speaker": "Panel"})
    refused(facilitator, "add_quote", {"text": "Ett för mycket"})
    assert count(Quote) == SMALL


def hemgang() -> dict:
    return json.loads(archive.render(played().record("hemgang")))


@pytest.mark.parametrize("kind", ["participants", "themes", "items", "groups", "quotes"])
def test_an_archive_at_a_limit_is_checked_and_one_over_is_refused_naming_it(kind, monkeypatch):
    data = hemgang()
    monkeypatch.setitem(limits.MOST, kind, len(data[kind]))
    imports.check(data)
    monkeypatch.setitem(limits.MOST, kind, len(data[kind]) - 1)
    with pytest.raises(DomainError) as caught:
        imports.check(data)
    assert caught.value.code == "too_long" and f"at most {len(data[kind]) - 1:,} {kind}" in caught.value.message


def test_an_archive_over_the_notes_limit_is_refused(monkeypatch):
    data = hemgang()
    notes = sum(len(g["notes"]) for g in data["groups"])
    monkeypatch.setitem(limits.MOST, "notes", notes)
    imports.check(data)
    monkeypatch.setitem(limits.MOST, "notes", notes - 1)
    with pytest.raises(DomainError, match="notes"):
        imports.check(data)


def test_the_import_route_refuses_an_archive_over_a_limit_with_400(client):
    data = hemgang()
    data["groups"] = [{"title": f"Grupp {n}"} for n in range(limits.MOST["groups"] + 1)]
    answer = client.post("/api/workshops/import", json=data)
    assert answer.status_code == 400
    assert answer.get_json()["error"]["message"] == "'groups' has 201 entries; a workshop holds at most 200 groups."
    assert count(Workshop) == 0
