"""Issue 7: nothing one connection or one request does may stop the server for everyone else.

- A phone that locks its screen keeps its socket open and stops answering pings. The server
  closes it once the ping has timed out, at its next send to it, which is in the middle of a
  broadcast of someone else's post: everyone's posts must still be answered.
- A large Word export or import runs while participants elsewhere keep posting: their posts are
  answered while it runs, not after it.

Speed is measured only in benchmarks: these tests assert what was answered before what, never
how many seconds something took (the timeouts only bound the waits).
"""
from __future__ import annotations

import json
import time
from collections import Counter

import pytest
import requests

from ..support import LiveServer
from .protocol_support import Room
from .stall_support import Timed, docx_text, large_archive, marks, post_while, silent_phone

pytestmark = pytest.mark.live

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def start(tmp_path, database_url: str, **env: str) -> LiveServer:
    live = LiveServer(tmp_path / "live", env={"DATABASE_URL": database_url, **env})
    live.start()
    return live


@pytest.fixture
def server(tmp_path, database_url):
    """A server on SQLite, and on PostgreSQL where TEST_DATABASE_URL is set."""
    live = start(tmp_path, database_url)
    yield live
    live.stop()


@pytest.fixture
def impatient_server(tmp_path, database_url):
    """A server that pings every second and gives up on a connection that has not answered
    within another second (the defaults, 20 and 20, would make a test wait forty seconds)."""
    live = start(tmp_path, database_url, FACILITATION_PING_INTERVAL="1", FACILITATION_PING_TIMEOUT="1")
    yield live
    live.stop()


def imported(server: LiveServer, archive: dict) -> dict:
    """A workshop made from `archive` through POST /api/workshops/import (code and facilitator token)."""
    answer = requests.post(server.url + "/api/workshops/import", data=json.dumps(archive),
                           headers={"Content-Type": "application/json"}, timeout=60)
    assert answer.status_code == 201, answer.text[:500]
    return answer.json()


def assert_answered_while_running(posts, request: Timed, what: str) -> None:
    """Posts were sent after `request` went out and answered before its answer came back."""
    during = [p for p in posts if p.sent_at > request.sent_at]
    answered_before = [p for p in during if p.answered_at is not None and p.answered_at < request.answered_at]
    waited = [p for p in during if p not in answered_before]
    assert len(answered_before) >= 3, (
        f"while {what} ran, {len(answered_before)} of the {len(during)} posts sent after it started were answered "
        f"before it answered; these waited for it: "
        + ", ".join(f"{p.text!r} (answered {p.answered_at - request.answered_at:+.2f}s after it)" for p in waited[:5]))


def test_a_silent_phone_does_not_stop_the_others(impatient_server, sockets):
    server = impatient_server
    room = Room(server, sockets, title="Tysta telefoner")
    writer = room.phone("Skribent")
    silent = []
    try:
        for n in range(3):  # their pings time out at slightly different moments between two posts
            silent.append(silent_phone(server.url, {"code": room.code, "name": f"Låst skärm {n + 1}"}))
            time.sleep(0.3)
        writer.wait_for("presence", lambda p: p["online"] == 4)

        # Each silent phone is closed at the first send to it after its ping timed out (about
        # two seconds after it joined): inside the broadcast of one of these posts.
        started = time.monotonic()
        posts = post_while(writer, lambda: time.monotonic() - started < 8, "Punkt", pause=0.2, timeout=5)

        writer.wait_for("presence", lambda p: p == {"participants": 4, "online": 1}, timeout=10)
        answer = requests.post(server.url + "/api/workshops", json={"title": "Efteråt"}, timeout=5)
        assert answer.status_code == 201, answer.text
        texts = Counter(item["text"] for item in room.state()["items"])
        assert {p.text: texts[p.text] for p in posts} == {p.text: 1 for p in posts}
    finally:
        for ws in silent:
            ws.close(timeout=0.2)


def test_a_large_word_export_does_not_hold_up_posts_in_another_workshop(server, sockets):
    items = 3_000  # a Word record this size takes the worker seconds to write (it is started ahead: no start-up to wait for)
    big = imported(server, large_archive(items, participants=300))
    writer = Room(server, sockets, title="Pågående workshop").phone("Skribent")

    export = Timed(lambda: requests.get(f"{server.url}/api/workshops/{big['code']}/export.docx", timeout=90,
                                        headers={"Authorization": f"Bearer {big['facilitator_token']}"})).start()
    try:
        posts = post_while(writer, lambda: export.running, "Under exporten", pause=0.1, timeout=30, limit=60)
    finally:
        response = export.result(timeout=90)

    assert_answered_while_running(posts, export, "the Word export")
    assert response.status_code == 200, response.text[:500]
    assert response.headers["Content-Type"] == DOCX
    assert set(marks(docx_text(response.content))) == set(range(1, items + 1))


def test_a_large_import_does_not_hold_up_posts_in_another_workshop(server, sockets):
    items = 4_000  # within the workshop limits (10,000 items, 3,000 participants); seconds to import
    archive = json.dumps(large_archive(items, participants=1_500, title="Importerad workshop"))
    writer = Room(server, sockets, title="Pågående workshop").phone("Skribent")

    upload = Timed(lambda: requests.post(f"{server.url}/api/workshops/import", data=archive, timeout=90,
                                         headers={"Content-Type": "application/json"})).start()
    try:
        posts = post_while(writer, lambda: upload.running, "Under importen", pause=0.1, timeout=30, limit=60)
    finally:
        response = upload.result(timeout=90)

    assert_answered_while_running(posts, upload, "the import")
    assert response.status_code == 201, response.text[:500]
    created = response.json()
    record = requests.get(f"{server.url}/api/workshops/{created['code']}/export.json", timeout=60,
                          headers={"Authorization": f"Bearer {created['facilitator_token']}"})
    assert record.status_code == 200, record.text[:500]
    assert sorted(m for item in record.json()["items"] for m in marks(item["text"])) == list(range(1, items + 1))
