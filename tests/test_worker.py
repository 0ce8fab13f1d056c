"""Exports and imports run in a worker process; an import is written in pieces and never left half-done."""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest
import sqlalchemy as sa

from facilitation import exporters, offload
from facilitation.exporters import FORMATS, archive
from facilitation.extensions import db
from facilitation.models import Item, Participant, Workshop
from facilitation.operations import access, chunked_import, workshops
from facilitation.operations.errors import DomainError

from .record_support import played


def hemgang() -> dict:
    return json.loads(archive.render(played().record("hemgang")))


@pytest.fixture
def imported(client):
    answer = client.post("/api/workshops/import", json=hemgang())
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def download(client, made: dict, fmt: str):
    return client.get(f"/api/workshops/{made['code']}/export.{fmt}",
                      headers={"Authorization": f"Bearer {made['facilitator_token']}"})


def rows(model) -> int:
    with db.read() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def heads(monkeypatch):
    """The head of every worker's answer, in order."""
    seen = []
    real_run = offload.run

    def watched(mode, job, body=b""):
        head, data = real_run(mode, job, body)
        seen.append(head)
        return head, data

    monkeypatch.setattr(offload, "run", watched)
    return seen


def test_every_format_is_made_in_another_process_with_the_cli_s_bytes(client, runner, imported, heads, tmp_path):
    for fmt in FORMATS:
        answer = download(client, imported, fmt)
        assert answer.status_code == 200
        target = tmp_path / f"cli.{fmt}"
        done = runner.invoke(args=["export", imported["code"], "--format", fmt, "-o", str(target)])
        assert done.exit_code == 0, done.output
        assert answer.data == target.read_bytes(), fmt
    assert len(heads) == len(FORMATS) and all(h["pid"] != os.getpid() for h in heads)


def test_each_job_is_taken_by_a_worker_started_ahead_with_its_imports_done(client, imported, heads):
    waiting = offload.spare.pid
    assert waiting is not None  # the import above started one
    assert download(client, imported, "xlsx").status_code == 200
    assert heads[-1]["pid"] == waiting and offload.spare.pid not in (None, waiting)
    offload.spare.stop()
    assert offload.spare.pid is None
    assert download(client, imported, "md").status_code == 200  # none waiting: one is started for the job


def test_a_broken_worker_is_a_clear_500_without_a_traceback(client, imported, monkeypatch):
    monkeypatch.setattr(offload, "COMMAND", [sys.executable, "-c", "raise RuntimeError('secret detail')"])
    for answer in (download(client, imported, "docx"), client.post("/api/workshops/import", json=hemgang())):
        assert answer.status_code == 500
        error = answer.get_json()["error"]
        assert error["code"] == "internal" and "secret" not in answer.get_data(as_text=True)
        assert "Traceback" not in answer.get_data(as_text=True)
    assert rows(Workshop) == 1


def test_a_worker_out_of_time_is_stopped_and_answered_503(client, imported, monkeypatch):
    monkeypatch.setattr(offload, "COMMAND", [sys.executable, "-c", "import time; time.sleep(60)"])
    monkeypatch.setattr(offload, "TIMEOUT_SECONDS", 0.2)
    answer = download(client, imported, "md")
    assert answer.status_code == 503 and answer.get_json()["error"]["code"] == "internal"


def test_an_import_is_written_in_many_short_transactions(app, monkeypatch):
    monkeypatch.setattr(chunked_import, "CHUNK", 3)
    writes = []
    real_write = db.write

    def counted():
        writes.append(1)
        return real_write()

    monkeypatch.setattr(db, "write", counted)
    code, token = chunked_import.restore(db, hemgang())
    assert len(writes) > 10  # 12 people, 16 items, 36 dots, notes... three rows at a time
    with db.read() as session:
        workshop = access.workshop_by_code(session, code)
        access.check_facilitator_token(session, workshop, token)
        assert session.scalar(sa.select(sa.func.count(Item.id)).where(Item.workshop_id == workshop.id)) == 16


@pytest.mark.parametrize("failing", [Item, "Vote", "Note"])
def test_an_import_failing_half_way_leaves_no_workshop(app, monkeypatch, failing):
    monkeypatch.setattr(chunked_import, "CHUNK", 4)
    real_inserted = chunked_import._inserted
    calls = {"n": 0}

    def breaking(db_, model, rows_):
        if model is failing or model.__name__ == failing:
            for n, chunk in enumerate(chunked_import.chunks(rows_)):
                if n == 1:  # the second chunk of this kind: some rows are already committed
                    raise RuntimeError("the disk is full")
                real_inserted(db_, model, chunk)
                calls["n"] += 1
            return
        real_inserted(db_, model, rows_)

    monkeypatch.setattr(chunked_import, "_inserted", breaking)
    with pytest.raises(RuntimeError):
        chunked_import.restore(db, hemgang())
    assert calls["n"] == 1
    assert rows(Workshop) == rows(Participant) == rows(Item) == 0


def test_a_refused_archive_writes_nothing(app):
    data = hemgang()
    data["items"][5]["quadrant"] = "middle"
    with pytest.raises(DomainError, match=r"items\[5\].quadrant"):
        chunked_import.restore(db, data)
    assert rows(Workshop) == 0


def test_a_placeholder_workshop_cannot_be_reached_by_any_code(client, app):
    with db.write() as session:
        workshop = Workshop(code=chunked_import.placeholder_code(), title="Halvfärdig")
        session.add(workshop)
        session.flush()
        access.add_facilitator(session, workshop)
        code = workshop.code
    assert len(code) == 16 and code != access.normalise_code(code)
    for typed in (code, code.upper(), code[1:], "~IMPORT", code.replace("~", "")):
        with db.read() as session, pytest.raises(DomainError):
            access.admit(session, {"code": typed, "name": "Gäst"})
        assert client.get(f"/j/{typed}", follow_redirects=True).status_code == 404
        assert client.get(f"/api/workshops/{typed}/export.json").status_code == 404


def test_abandoned_placeholders_are_deleted_at_start_and_fresh_ones_kept(app):
    hour_ago = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(hours=1, minutes=1)
    with db.write() as session:
        old, young = chunked_import.placeholder_code(), chunked_import.placeholder_code()
        session.add_all([Workshop(code=old, title="Kraschad", created_at=hour_ago), Workshop(code=young, title="Pågår")])
        real, _token = workshops.create(session, {"title": "Riktig"})
        real.created_at = hour_ago
    assert chunked_import.delete_abandoned(db) == 1
    with db.read() as session:
        assert sorted(session.scalars(sa.select(Workshop.title))) == ["Pågår", "Riktig"]


def test_the_worker_imports_neither_gevent_nor_flask(app, imported):
    with db.read() as session:
        workshop_id = access.workshop_by_code(session, imported["code"]).id
    job = {"database_url": app.config["DATABASE_URL"], "workshop_id": workshop_id, "format": "docx",
           "templates": [str(t) for t in exporters.template_dirs(app.config["DATA_DIR"])]}
    probe = ("import io, json, sys\nfrom facilitation import worker\n"
             f"out = io.BytesIO(); worker.run('export', io.BytesIO({json.dumps(job).encode()!r} + b'\\n'), out)\n"
             "print(json.loads(out.getvalue().partition(b'\\n')[0])['ok'], "
             "sorted(m for m in sys.modules if m.split('.')[0] in ('gevent', 'flask', 'werkzeug', 'socketio')))")
    done = subprocess.run([sys.executable, "-c", probe], check=False, capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["True", "[]"], done.stderr
