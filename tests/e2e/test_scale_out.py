"""Two server processes serving one site: PostgreSQL shared, Redis as the Socket.IO message queue."""
from __future__ import annotations

import threading

import pytest

from ..support import LiveServer


@pytest.fixture
def two_servers(tmp_path, postgres_url, redis_url):
    env = {"DATABASE_URL": postgres_url, "REDIS_URL": redis_url}
    servers = [LiveServer(tmp_path / name, env=env) for name in ("a", "b")]
    for server in servers:
        server.start()
    yield servers
    for server in servers:
        server.stop()


def test_events_cross_processes_and_the_budget_holds_across_them(two_servers, sockets):
    a, b = two_servers
    ws = a.create_workshop(votes_per_participant=2, anonymous_items=False)
    facilitator = sockets(a.url, {"code": ws["code"], "facilitator_token": ws["facilitator_token"]})
    screen = sockets(a.url, {"code": ws["code"], "role": "screen", "screen_key": ws["screen_key"]})
    phone = sockets(b.url, {"code": ws["code"], "name": "Ulf Sammels", "organisation": "Beroendekliniken"})

    item = phone.ok("post_item", {"quadrant": "opportunities", "text": "Gemensamma plandagar"})["item"]
    assert screen.wait_for("item_added", lambda d: d["id"] == item["id"])["text"] == "Gemensamma plandagar"
    assert facilitator.wait_for("presence", lambda d: d["online"] == 1)["participants"] == 1

    theme = facilitator.ok("create_theme", {"title": "Samverkan", "item_ids": [item["id"]]})["theme"]
    facilitator.ok("set_phase", {"phase": "vote"})
    phone.wait_for("phase", lambda d: d["phase"] == "vote")

    # The same participant, connected to both processes, votes from all connections at once.
    token = phone.snapshot["me"]["token"]
    connections = [phone] + [sockets(s.url, {"code": ws["code"], "participant_token": token}) for s in (a, b, a, b)]
    answers: list[dict] = []
    barrier = threading.Barrier(len(connections))

    def vote(connection):
        barrier.wait()
        answers.append(connection.call("vote", {"theme_id": theme["id"]}))

    threads = [threading.Thread(target=vote, args=(c,)) for c in connections]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(a["ok"] for a in answers) == 2, answers
    assert {a["error"]["code"] for a in answers if not a["ok"]} == {"vote_budget"}
    assert facilitator.wait_for("tally", lambda d: d.get(str(theme["id"])) == 2)
    fresh = sockets(b.url, {"code": ws["code"], "participant_token": token})
    assert fresh.snapshot["me"]["votes_left"] == 0
