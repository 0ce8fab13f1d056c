"""Scenario replay: the replayer module and `facilitation replay` against a real gevent server."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter

import pytest

from facilitation import replay
from facilitation.commands import DEMO_SCENARIO as DEMO
from facilitation.operations import EVENTS

from ..record_support import SCENARIO


LABEL = re.compile(r"^Deltagare \d+$")


@pytest.fixture(scope="module")
def hemgang(server):
    """The Trygg hemgång scenario, replayed once for the tests that read its report."""
    scenario = replay.load(SCENARIO)
    return scenario, replay.replay(scenario, server.url)


def final_snapshot(sockets, server, report) -> dict:
    return sockets(server.url, {"code": report.code, "facilitator_token": report.facilitator_token}).snapshot


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "facilitation", *args], capture_output=True, text=True, timeout=120)


def small_scenario(steps: list[dict], expect: dict | None = None) -> dict:
    scenario = {
        "workshop": {"title": "Liten övning", "anonymous_items": False},
        "participants": [{"key": "a", "name": "Kerstin Nordin", "organisation": "Mini-Maria", "table": "3"}, {"key": "b"}],
        "steps": steps,
    }
    if expect is not None:
        scenario["expect"] = expect
    return scenario


def test_hemgang_every_step_answers_as_written(hemgang):
    scenario, report = hemgang
    assert [s.index for s in report.steps] == list(range(len(scenario["steps"])))
    for step, result in zip(scenario["steps"], report.steps):
        assert (result.actor, result.event) == (step["as"], step["do"])
        if "expect" in step:
            assert not result.ok and result.error == step["expect"] and result.matched, result
        else:
            assert result.ok and result.matched, result
    assert [r.error for r in report.steps if r.expected] == ["vote_budget"]
    assert report.ok and report.mismatches == [] and report.stopped is None
    assert report.links["join_url"].endswith(f"/j/{report.code}")
    assert report.links["console_url"].endswith(f"/console/{report.code}?key={report.facilitator_token}")


def test_hemgang_leaves_the_expected_workshop(hemgang, server, sockets):
    scenario, report = hemgang
    expect, seen = scenario["expect"], final_snapshot(sockets, server, report)
    assert seen["phase"] == "closed"
    assert seen["participants"] == expect["participants"] == 12
    assert Counter(i["text"] for i in seen["items"]) == Counter(expect["items"])
    assert [q["text"] for q in seen["quotes"]] == expect["quotes"]
    assert [g["title"] for g in seen["groups"]] == [g["title"] for g in expect["groups"]]
    for want, group in zip(expect["groups"], seen["groups"]):
        names = [m["name"] for m in group["members"]]
        # the scenario names its named members; an anonymous one shows under a neutral label
        assert sorted(n for n in names if not LABEL.match(n)) == sorted(want["members"])
        assert [n["text"] for n in group["notes"]] == want["notes"]
        assert (group["summary"] or "") == want["summary"]
    assert any(LABEL.match(m["name"]) for g in seen["groups"] for m in g["members"])  # p10 joined without a name


def test_compare_reports_every_mismatch(hemgang, server, sockets):
    scenario, report = hemgang
    seen = final_snapshot(sockets, server, report)
    expect = json.loads(json.dumps(scenario["expect"]))
    expect["participants"] = 13
    expect["items"][0] = "En lapp som ingen skrev"
    expect["groups"][0]["summary"] = "Något annat"
    expect["groups"][1]["members"].append("Nils Holgersson")
    expect["groups"].pop()
    expect["mood"] = "glad"
    problems, unchecked = replay.compare(expect, seen)
    assert "participants: expected 13, found 12" in problems
    assert "items: missing 'En lapp som ingen skrev'" in problems
    assert f"items: not expected {scenario['expect']['items'][0]!r}" in problems
    assert any(p.startswith("group 1 (") and "summary expected 'Något annat'" in p for p in problems)
    assert any(p.startswith("group 2 (") and "members: missing 'Nils Holgersson'" in p for p in problems)
    assert "groups: expected 2, found 3" in problems
    # Deltagare 10 (anonymous) is in group 2: without knowing who is anonymous, it is a surprise
    assert any("not expected 'Deltagare 10'" in p for p in problems)
    assert len(problems) == 7 and unchecked == ["mood"]


def test_cli_replay_passes_and_prints_links(server):
    done = run_cli("replay", str(SCENARIO), "--url", server.url)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert re.match(r"^\s+1\s+facilitator\s+add_quote\s+ok$", lines[0])
    assert any(re.search(r"p7\s+vote\s+refused vote_budget \(expected\)$", line) for line in lines)
    assert "87 steps: 86 ok, 1 refused as expected, 0 failed." in lines
    assert "Result: OK" in lines
    code = re.search(r"^Code:\s+(\S+)$", done.stdout, re.M).group(1)
    token = re.search(r"^Facilitator token:\s+(\S+)$", done.stdout, re.M).group(1)
    assert f"{server.url}/j/{code}" in done.stdout and f"{server.url}/screen/{code}?k=" in done.stdout
    assert f"{server.url}/console/{code}?key={token}" in done.stdout


def test_cli_replay_fails_on_a_refusal_that_does_not_come(server, tmp_path):
    steps = [
        {"as": "a", "do": "post_item", "ref": "i1", "args": {"quadrant": "strengths", "text": "Vi lyssnar"}, "expect": "wrong_phase"},
        {"as": "b", "do": "post_item", "args": {"quadrant": "threats", "text": "Ingen tid"}},
    ]
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(small_scenario(steps, {"items": ["Vi lyssnar", "Ingen tid"], "participants": 2})))
    done = run_cli("replay", str(path), "--url", server.url)
    assert done.returncode == 1, done.stdout + done.stderr
    assert re.search(r"1\s+a\s+post_item\s+FAILED: answered ok, expected wrong_phase$", done.stdout, re.M)
    assert re.search(r"2\s+b\s+post_item\s+ok$", done.stdout, re.M)
    assert "Result: FAILED" in done.stdout


def test_cli_replay_fails_when_the_final_state_differs(server, tmp_path):
    steps = [{"as": "a", "do": "post_item", "args": {"quadrant": "strengths", "text": "Vi lyssnar"}}]
    path = tmp_path / "wrong-expect.json"
    path.write_text(json.dumps(small_scenario(steps, {"items": ["Vi lyssnar"], "participants": 3})))
    done = run_cli("replay", str(path), "--url", server.url, "--json")
    assert done.returncode == 1, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["ok"] is False and report["mismatches"] == ["participants: expected 3, found 2"]
    assert [(s["index"], s["ok"], s["matched"]) for s in report["steps"]] == [(0, True, True)]


def test_cli_replay_refuses_an_unusable_scenario(server, tmp_path):
    path = tmp_path / "nobody.json"
    path.write_text(json.dumps(small_scenario([{"as": "c", "do": "post_item", "args": {}}])))
    done = run_cli("replay", str(path), "--url", server.url)
    assert done.returncode == 1
    assert "neither `facilitator` nor a participant key" in done.stderr


def test_step_op_id_makes_a_retry_change_nothing(server, sockets):
    steps = [
        {"as": "a", "do": "post_item", "ref": "first", "op_id": "lapp-1", "args": {"quadrant": "strengths", "text": "Vi lyssnar"}},
        {"as": "a", "do": "post_item", "ref": "again", "op_id": "lapp-1", "args": {"quadrant": "strengths", "text": "Vi lyssnar"}},
        {"as": "a", "do": "post_item", "ref": "other", "args": {"quadrant": "strengths", "text": "Vi lyssnar"}},
        {"as": "a", "do": "edit_item", "args": {"item_id": "$again", "text": "Vi lyssnar på varandra"}},
        {"as": "b", "do": "edit_item", "args": {"item_id": "$first", "text": "Inte min"}, "expect": "forbidden"},
        {"as": "b", "do": "edit_item", "args": {"item_id": "$nothing", "text": "?"}},
    ]
    expect = {"items": ["Vi lyssnar på varandra", "Vi lyssnar"], "participants": 2}
    report = replay.replay(small_scenario(steps, expect), server.url)
    assert [s.matched for s in report.steps] == [True, True, True, True, True, False]
    assert report.steps[5].error == "unknown_ref" and "$nothing" in report.steps[5].message
    assert report.mismatches == [] and not report.ok
    items = final_snapshot(sockets, server, report)["items"]
    assert [(i["text"], i["author"]["name"]) for i in items] == [("Vi lyssnar på varandra", "Kerstin Nordin"),
                                                                ("Vi lyssnar", "Kerstin Nordin")]


def test_participants_join_as_written(server, sockets):
    report = replay.replay(small_scenario([]), server.url)
    assert report.ok and report.steps == []
    facilitator = sockets(server.url, {"code": report.code, "facilitator_token": report.facilitator_token})
    assert facilitator.snapshot["participants"] == 2
    # Every client was disconnected: presence says so within a tick of the coalescer.
    if facilitator.snapshot["online"] != 0:
        facilitator.wait_for("presence", lambda p: p == {"participants": 2, "online": 0})


def test_replayer_sends_op_ids_for_the_protocols_op_events():
    assert replay.OP_EVENTS == {event for event, (_handler, takes_op_id) in EVENTS.items() if takes_op_id}


@pytest.mark.parametrize("broken, message", [
    ({"participants": []}, "`workshop` object"),
    ({"workshop": {}, "participants": [{"key": "a"}, {"key": "a"}]}, "unique"),
    ({"workshop": {}, "steps": [{"as": "facilitator"}]}, "step 0"),
    ({"workshop": {}, "steps": [{"as": "facilitator", "do": "set_phase", "args": []}]}, "`args` is an object"),
])
def test_unusable_scenarios_are_refused_before_anything_is_sent(broken, message):
    with pytest.raises(replay.ScenarioError, match=re.escape(message)):
        replay.replay(broken, "http://127.0.0.1:9")  # nothing listens there: refused before any request


def test_demo_scenario_replays_clean(server, sockets):
    scenario = replay.load(DEMO)
    report = replay.replay(scenario, server.url)
    assert report.ok, [s.outcome for s in report.failed_steps] + report.mismatches
    assert report.unchecked == []
    seen = final_snapshot(sockets, server, report)
    assert seen["phase"] == "groups"  # the board stays live
    assert seen["participants"] == len(scenario["participants"]) >= 18
    assert sum(1 for p in scenario["participants"] if "name" not in p) >= 2
    assert len(seen["items"]) >= 28 and {i["quadrant"] for i in seen["items"]} == {
        "strengths", "weaknesses", "opportunities", "threats"}
    assert 5 <= len(seen["themes"]) <= 6 and all(t["votes"] > 0 for t in seen["themes"])
    assert 3 <= len(seen["groups"]) <= 4
    assert all(g["members"] and g["notes"] and g["summary"] for g in seen["groups"])
    assert any(q["speaker"] for q in seen["quotes"]) and any(not q["speaker"] for q in seen["quotes"])
