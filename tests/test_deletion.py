"""Deleting a workshop (the console, the API, the purge after closing): everything of it gone, from
every address and from the database files, and every open phone and screen told and disconnected."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from facilitation import create_app
from facilitation.database import make_engine
from facilitation.extensions import db, socketio
from facilitation.models import Workshop, utcnow
from facilitation.operations import retention

from .support import LiveServer

UNIQUE = {  # texts found nowhere else, to look for in the database files
    "name": "Ingegerd Qvarnström-Zetterlund",
    "item": "Samverkansytorna i Qvarnbo räcker inte till",
    "note": "Zetterlunds förslag om gemensamma rutiner",
    "quote": "Qvarnbo behöver en väg in",
}


def create(client, **fields) -> dict:
    answer = client.post("/api/workshops", json={"title": "Raderas", **fields})
    assert answer.status_code == 201
    return answer.get_json()


def socket(app, auth: dict):
    return socketio.test_client(app, auth=auth)


def played(app, ws: dict) -> dict:
    """A workshop with a participant's item, a group note and a quote, and open connections."""
    code = ws["code"]
    facilitator = socket(app, {"code": code, "facilitator_token": ws["facilitator_token"]})
    person = socket(app, {"code": code, "name": UNIQUE["name"], "table": "7"})
    screen = socket(app, {"code": code, "role": "screen", "screen_key": ws["screen_key"]})
    assert person.emit("post_item", {"quadrant": "threats", "text": UNIQUE["item"]}, callback=True)["ok"]
    theme = facilitator.emit("create_theme", {"title": "Ytor"}, callback=True)["theme"]
    facilitator.emit("set_phase", {"phase": "groups"}, callback=True)
    group = facilitator.emit("form_groups", {"top": 1}, callback=True)["groups"][0]
    assert person.emit("join_group", {"group_id": group["id"]}, callback=True)["ok"]
    assert person.emit("add_note", {"group_id": group["id"], "text": UNIQUE["note"]}, callback=True)["ok"]
    assert facilitator.emit("add_quote", {"text": UNIQUE["quote"]}, callback=True)["ok"]
    for each in (facilitator, person, screen):
        each.get_received()
    return {"facilitator": facilitator, "person": person, "screen": screen}


def told(connection) -> list[str]:
    """The events a test client received, readable after the server closed it."""
    return [e["name"] for e in connection.queue]


def everywhere(client, ws: dict) -> list[int]:
    """What every address of the workshop answers now."""
    code, bearer = ws["code"], {"Authorization": f"Bearer {ws['facilitator_token']}"}
    return [client.get(f"/j/{code}").status_code, client.get(ws["projector_url"].removeprefix("http://localhost")).status_code,
            client.get(f"/screen/{code}/qr.svg").status_code, client.get(f"/console/{code}").status_code,
            client.get(f"/console/{code}/record").status_code, client.get(f"/console/{code}/data").status_code,
            client.get(f"/api/workshops/{code}/export.md", headers=bearer).status_code,
            client.delete(f"/api/workshops/{code}", headers=bearer).status_code]


def test_delete_through_the_api_is_204_then_every_address_is_404_and_every_screen_is_told(app, client):
    ws = create(client)
    people = played(app, ws)
    assert client.delete(f"/api/workshops/{ws['code']}").status_code == 401
    wrong = client.delete(f"/api/workshops/{ws['code']}", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403 and wrong.get_json()["error"]["code"] == "forbidden"
    other = create(client, title="En annan")
    stranger = client.delete(f"/api/workshops/{ws['code']}", headers={"Authorization": f"Bearer {other['facilitator_token']}"})
    assert stranger.status_code == 403
    assert people["person"].is_connected()  # nothing changed so far
    answer = client.delete(f"/api/workshops/{ws['code']}", headers={"Authorization": f"Bearer {ws['facilitator_token']}"})
    assert answer.status_code == 204 and answer.data == b""
    for each in people.values():
        events = [e for e in told(each) if e != "presence"]  # presence is coalesced: it may come or not
        assert events == ["workshop_deleted"] and not each.is_connected()
    assert everywhere(client, ws) == [404] * 8
    assert not socket(app, {"code": ws["code"], "facilitator_token": ws["facilitator_token"]}).is_connected()
    with db.read() as s:
        assert s.scalar(sa.select(Workshop.id).where(Workshop.code == other["code"])) is not None  # the other stays


def test_the_console_deletes_only_once_the_box_is_ticked(app, client):
    ws = create(client)
    played(app, ws)
    code = ws["code"]
    assert app.test_client().get(f"/console/{code}/data").status_code == 403
    client.get(f"/console/{code}?key={ws['facilitator_token']}")
    page = client.get(f"/console/{code}/data")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    for shown in ("1 deltagare", "1 lapp på SWOT-tavlan", "1 tema med sina prickar", "1 temagrupp", "1 gruppanteckning",
                  "1 citat", f"/api/workshops/{code}/export.docx", "När workshopen har avslutats raderas den 30 dagar senare."):
        assert shown in text, shown
    unticked = client.post(f"/console/{code}/delete", data={})
    assert unticked.status_code == 200 and "Kryssa i rutan för att bekräfta" in unticked.get_data(as_text=True)
    assert client.get(f"/j/{code}").status_code == 200
    assert app.test_client().post(f"/console/{code}/delete", data={"confirm": "y"}).status_code == 403
    deleted = client.post(f"/console/{code}/delete", data={"confirm": "y"})
    assert deleted.status_code == 302 and deleted.headers["Location"] == "/console/deleted"
    assert "Workshopen är raderad" in client.get("/console/deleted").get_data(as_text=True)
    assert everywhere(client, ws) == [404] * 8


def test_a_workshops_own_retention_is_set_on_the_data_page(app, client):
    ws = create(client)
    code = ws["code"]
    client.get(f"/console/{code}?key={ws['facilitator_token']}")
    refused = client.post(f"/console/{code}/retention", data={"retention_days": "0"})
    assert refused.status_code == 200 and "Mellan 1 och 3 650 dagar" in refused.get_data(as_text=True)
    saved = client.post(f"/console/{code}/retention", data={"retention_days": "7"})
    assert saved.status_code == 302
    assert "raderas den 7 dagar senare" in client.get(f"/console/{code}/data").get_data(as_text=True)
    with db.read() as s:
        assert s.scalar(sa.select(Workshop.retention_days).where(Workshop.code == code)) == 7
    client.post(f"/console/{code}/retention", data={"retention_days": ""})
    with db.read() as s:
        assert s.scalar(sa.select(Workshop.retention_days).where(Workshop.code == code)) is None


def _closed(app, client, days_ago: float, **fields) -> dict:
    """A workshop closed `days_ago` days ago (its clock set back in the database)."""
    ws = create(client, **fields)
    facilitator = socket(app, {"code": ws["code"], "facilitator_token": ws["facilitator_token"]})
    assert facilitator.emit("set_phase", {"phase": "closed"}, callback=True)["ok"]
    facilitator.disconnect()
    with db.write() as s:
        workshop = s.scalar(sa.select(Workshop).where(Workshop.code == ws["code"]))
        assert workshop.closed_at is not None and abs((utcnow() - workshop.closed_at).total_seconds()) < 60
        workshop.closed_at = utcnow() - dt.timedelta(days=days_ago)
    return ws


def _kept(code: str) -> bool:
    with db.read() as s:
        return s.scalar(sa.select(Workshop.id).where(Workshop.code == code)) is not None


def test_closed_workshops_are_purged_when_their_days_are_up(app, client):
    due = _closed(app, client, 30.01)
    not_yet = _closed(app, client, 29.9)
    own_week = _closed(app, client, 8, retention_days=7)
    own_year = _closed(app, client, 200, retention_days=365)
    open_one = create(client)
    reopened = _closed(app, client, 90)
    fac = socket(app, {"code": reopened["code"], "facilitator_token": reopened["facilitator_token"]})
    assert fac.emit("set_phase", {"phase": "groups"}, callback=True)["ok"]  # reopening stops the clock
    fac.disconnect()
    deleted = retention.purge(db, 30)
    assert len(deleted) == 2
    assert [_kept(w["code"]) for w in (due, not_yet, own_week, own_year, open_one, reopened)] == [
        False, True, False, True, True, True]
    assert retention.purge(db, 30) == []


def test_a_site_setting_of_0_keeps_workshops_without_their_own(app, client):
    old = _closed(app, client, 1000)
    own = _closed(app, client, 3, retention_days=2)
    retention.purge(db, 0)
    assert _kept(old["code"]) and not _kept(own["code"])


def test_the_purge_command_for_a_scheduled_job(app, client, runner):
    due = _closed(app, client, 31)
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0 and "Deleted 1 closed workshop(s)" in result.output
    assert due["code"] not in result.output and not _kept(due["code"])


def _database_files(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.glob("test.db*")))


def test_a_deleted_workshops_text_is_nowhere_in_the_database_files(app, client, tmp_path):
    keep = create(client, title="Stannar kvar")
    ws = create(client)
    played(app, ws)
    before = _database_files(tmp_path)
    assert all(text.encode() in before for text in UNIQUE.values())  # there, in the file or its log
    answer = client.delete(f"/api/workshops/{ws['code']}", headers={"Authorization": f"Bearer {ws['facilitator_token']}"})
    assert answer.status_code == 204
    after = _database_files(tmp_path)
    found = [name for name, text in UNIQUE.items() if text.encode() in after]
    assert found == [], f"still in the database files: {found}"
    assert b"Stannar kvar" in after and _kept(keep["code"])


def test_ids_of_deleted_workshops_and_people_are_never_given_out_again(app, client):
    ws = create(client)
    played(app, ws)
    with db.read() as s:
        old = s.execute(sa.text("SELECT max(id) FROM workshop")).scalar(), s.execute(sa.text("SELECT max(id) FROM participant")).scalar()
    client.delete(f"/api/workshops/{ws['code']}", headers={"Authorization": f"Bearer {ws['facilitator_token']}"})
    fresh = create(client)
    joined = socket(app, {"code": fresh["code"], "name": "Ny"})
    with db.read() as s:
        new = s.scalar(sa.select(Workshop.id).where(Workshop.code == fresh["code"])), s.execute(sa.text("SELECT max(id) FROM participant")).scalar()
    assert new[0] > old[0] and new[1] > old[1]
    joined.disconnect()


def test_deletion_on_postgresql_takes_every_row_with_it(postgres_url, tmp_path):
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "SECRET_KEY": "test", "DATABASE_URL": postgres_url})
    try:
        client = app.test_client()
        ws = create(client)
        played(app, ws)
        assert client.delete(f"/api/workshops/{ws['code']}", headers={"Authorization": f"Bearer {ws['facilitator_token']}"}).status_code == 204
        with db.read() as s:
            for table in ("workshop", "participant", "item", "theme", "theme_group", "note", "quote", "vote", "operation", "connection"):
                assert s.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar() == 0, table
    finally:
        db.dispose()


@pytest.mark.live
def test_serve_purges_at_start_and_then_every_interval(tmp_path, sockets):
    server = LiveServer(tmp_path / "live", env={"FACILITATION_PURGE_INTERVAL": "1"})
    server.start()
    try:
        at_start = server.create_workshop(title="Före omstarten")
        later = server.create_workshop(title="Under drift")
        engine = make_engine(f"sqlite:///{server.data_dir / 'facilitation.db'}")

        def close_long_ago(code: str) -> None:
            with engine.begin() as c:
                c.execute(sa.text("UPDATE workshop SET phase = 'closed', closed_at = :t WHERE code = :code"),
                          {"t": utcnow() - dt.timedelta(days=40), "code": code})

        close_long_ago(at_start["code"])
        server.stop()
        server.start()  # the purge at start runs before the server answers
        assert requests.get(f"{server.url}/j/{at_start['code']}", timeout=10).status_code == 404
        screen = sockets(server.url, {"code": later["code"], "role": "screen", "screen_key": later["screen_key"]})
        close_long_ago(later["code"])
        screen.wait_for("workshop_deleted", timeout=60)  # the next round, in a worker process (slow on a busy machine)
        assert requests.get(f"{server.url}/j/{later['code']}", timeout=10).status_code == 404
        deadline = time.monotonic() + 5
        while screen.sio.connected and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not screen.sio.connected
        engine.dispose()
    finally:
        server.stop()


def test_an_upgrade_counts_closed_workshops_as_closed_now_and_deletes_nothing(database_url):
    from facilitation import migrate
    from facilitation.database import Database

    base = Database()
    base.configure(database_url)
    migrate.upgrade(base.engine, "0005")
    with base.engine.begin() as c:
        for code, phase in (("CLOSED", "closed"), ("OPENED", "groups")):
            c.execute(sa.text("INSERT INTO workshop (code, title, organisation, location, language, purpose, introduction, "
                              "conclusion, questions, facilitators, votes_per_participant, max_votes_per_theme, "
                              "anonymous_items, phase, tallies_revealed, created_at, revision, screen_key) VALUES "
                              "(:code, 'Före', '', '', 'sv', '', '', '', '[]', '[]', 3, 3, true, :phase, false, "
                              "'2020-01-01 10:00:00', 0, 'k')"), {"code": code, "phase": phase})
    migrate.upgrade(base.engine)
    with base.read() as s:
        closed_at = dict(s.execute(sa.select(Workshop.code, Workshop.closed_at)).all())
    assert closed_at["OPENED"] is None and abs((utcnow() - closed_at["CLOSED"]).total_seconds()) < 600
    assert retention.purge(base, 30) == []
    assert retention.purge(base, 30, now=utcnow() + dt.timedelta(days=31))[0].sids == ()
    base.dispose()


@pytest.mark.live
def test_the_purge_command_tells_the_servers_screens_through_the_message_queue(tmp_path, postgres_url, redis_url, sockets):
    env = {"DATABASE_URL": postgres_url, "REDIS_URL": redis_url, "FACILITATION_PURGE_INTERVAL": "86400"}
    server = LiveServer(tmp_path / "live", env=env)
    server.start()
    try:
        ws = server.create_workshop(title="Rensas av cron")
        screen = sockets(server.url, {"code": ws["code"], "role": "screen", "screen_key": ws["screen_key"]})
        engine = sa.create_engine(postgres_url)
        with engine.begin() as c:
            c.execute(sa.text("UPDATE workshop SET phase = 'closed', closed_at = :t WHERE code = :code"),
                      {"t": utcnow() - dt.timedelta(days=40), "code": ws["code"]})
        engine.dispose()
        command = subprocess.run([sys.executable, "-m", "facilitation", "purge"], capture_output=True, text=True, timeout=120,
                                 env={**os.environ, **env, "FACILITATION_DATA_DIR": str(tmp_path / "cli")})
        assert command.returncode == 0 and "Deleted 1 closed workshop(s)" in command.stdout, command.stderr
        screen.wait_for("workshop_deleted", timeout=30)
        deadline = time.monotonic() + 10
        while screen.sio.connected and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not screen.sio.connected
        assert requests.get(f"{server.url}/j/{ws['code']}", timeout=10).status_code == 404
    finally:
        server.stop()
