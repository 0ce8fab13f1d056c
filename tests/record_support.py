"""Workshops for the record's tests, made the way people make them: through the protocol.

`played()` starts one live server per test session, replays the Trygg hemgång scenario and a workshop
full of hostile texts through real Socket.IO clients, and keeps the server running for the
e2e tests; `record(name)` reads the record of one of them from the server's database.
"""
from __future__ import annotations

import atexit
import json
import shutil
import tempfile
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

import requests
from sqlalchemy.orm import Session

from facilitation import record as record_model
from facilitation import replay
from facilitation.database import make_engine

from .support import LiveServer, SocketClient

SCENARIO = Path(__file__).resolve().parent / "scenarios" / "trygg-hemgang.json"

# Texts that try to become a formula, HTML, a link, a table cell break, a list, a heading or code.
HOSTILE = [
    '=HYPERLINK("http://x","y")',
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "a|b",
    "Glädje 🎉 och 👩‍👩‍👧 familj",
    "A\u030aterhämtning med sönderdelat a\u030a",
    "- inte en lista",
    "1. inte numrerad",
    "# inte en rubrik",
    "+46 70 123 45 67",
    "@SUM(A1:A3)",
    "-1+2",
    "*fet* _kursiv_ `kod` ~~struken~~ **dubbel**",
    "> inte ett citat",
    "&amp; &lt;b&gt; &#65;",
    "Se http://example.se och www.example.se",
    "Snedstreck \\ och \\* stjärna",
    "Första raden\n- andra raden\n\n1. ett nytt stycke\n   indraget",
    "---",
    "<script>alert(1)</script>",
]


def nfc(text: str) -> str:
    """What the server keeps of a text: NFC-normalised and trimmed."""
    return unicodedata.normalize("NFC", text).strip()


def _play_hostile(url: str) -> dict[str, Any]:
    """A workshop in English whose every text is hostile; left in phase `groups` (a draft)."""
    body = {"title": "Hostile | *test* " + HOSTILE[0], "date": "2024-03-05", "organisation": HOSTILE[2],
            "location": HOSTILE[1], "language": "en", "purpose": HOSTILE[17], "introduction": HOSTILE[12],
            "questions": HOSTILE[6:9], "facilitators": [HOSTILE[3], HOSTILE[5]], "anonymous_items": False,
            "votes_per_participant": 5}
    answer = requests.post(url + "/api/workshops", json=body, timeout=10)
    assert answer.status_code == 201, answer.text
    ws = answer.json()
    fac = SocketClient(url, {"code": ws["code"], "facilitator_token": ws["facilitator_token"]})
    people = [
        SocketClient(url, {"code": ws["code"], "name": HOSTILE[0], "organisation": HOSTILE[1], "table": HOSTILE[3]}),
        SocketClient(url, {"code": ws["code"], "name": HOSTILE[5], "organisation": HOSTILE[2], "table": "2"}),
        SocketClient(url, {"code": ws["code"], "organisation": HOSTILE[10]}),
    ]
    try:
        quadrants = ["strengths", "weaknesses", "opportunities", "threats"]
        items = [people[n % 3].ok("post_item", {"quadrant": quadrants[n % 4], "text": text})["item"]["id"]
                 for n, text in enumerate(HOSTILE)]
        fac.ok("add_quote", {"speaker": HOSTILE[0], "role": HOSTILE[3], "text": HOSTILE[17]})
        fac.ok("add_quote", {"speaker": HOSTILE[5], "text": HOSTILE[1]})
        fac.ok("add_quote", {"text": HOSTILE[2]})
        fac.ok("add_quote", {"text": HOSTILE[6]})
        fac.ok("set_phase", {"phase": "cluster"})
        first = fac.ok("create_theme", {"title": "# Theme | *one*", "item_ids": items[:10]})["theme"]["id"]
        second = fac.ok("create_theme", {"title": HOSTILE[0], "item_ids": items[10:]})["theme"]["id"]
        fac.ok("set_phase", {"phase": "vote"})
        for person in people:
            person.ok("vote", {"theme_id": second})
        people[0].ok("vote", {"theme_id": first})
        fac.ok("set_phase", {"phase": "groups"})
        groups = fac.ok("form_groups", {"top": 2})["groups"]
        fac.ok("rename_group", {"group_id": groups[1]["id"], "title": HOSTILE[2]})
        people[0].ok("join_group", {"group_id": groups[0]["id"]})
        people[1].ok("join_group", {"group_id": groups[0]["id"]})
        people[2].ok("join_group", {"group_id": groups[1]["id"]})
        for n, text in enumerate(HOSTILE):
            author = people[0] if n % 2 == 0 else people[1]
            author.ok("add_note", {"group_id": groups[0]["id"], "text": text})
        people[2].ok("add_note", {"group_id": groups[1]["id"], "text": HOSTILE[4]})
        people[0].ok("set_summary", {"group_id": groups[0]["id"], "text": HOSTILE[17] + "\n" + HOSTILE[0]})
        fac.ok("update_workshop", {"conclusion": HOSTILE[13] + "\n\n" + HOSTILE[8]})
    finally:
        for client in (fac, *people):
            client.close()
    return ws


class Played:
    """One live server holding the replayed Trygg hemgång workshop and the hostile one."""

    def __init__(self) -> None:
        folder = Path(tempfile.mkdtemp(prefix="record-"))
        self.server = LiveServer(folder)
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        self.server.start()
        atexit.register(self.server.stop)  # runs first: the server stops, then its folder goes
        scenario = replay.load(SCENARIO)
        report = replay.replay(scenario, self.server.url)
        assert not report.failed_steps and report.stopped is None, report.as_dict()
        self.scenario = scenario
        self.workshops = {
            "hemgang": {"code": report.code, "facilitator_token": report.facilitator_token},
            "hostile": _play_hostile(self.server.url),
        }
        self.engine = make_engine(f"sqlite:///{self.server.data_dir / 'facilitation.db'}")

    def record(self, name: str) -> dict[str, Any]:
        return self.record_of(self.workshops[name]["code"])

    def record_of(self, code: str) -> dict[str, Any]:
        with Session(self.engine) as session:
            built = record_model.build_for_code(session, code)
            session.rollback()
        return json.loads(json.dumps(built))  # a plain copy, as an exporter could be handed


@cache
def played() -> Played:
    return Played()


def scenario_facts(scenario: dict[str, Any]) -> dict[str, Any]:
    """What the Trygg hemgång scenario's steps leave behind, read from the steps themselves."""
    items: dict[str, tuple[str, str]] = {}  # ref -> (quadrant, text), in posting order
    themes: dict[str, dict[str, Any]] = {}
    quotes: list[dict[str, str]] = []
    for step in scenario["steps"]:
        args, ref = step.get("args", {}), step.get("ref")
        if step.get("expect"):
            continue
        if step["do"] == "post_item":
            items[ref] = (args["quadrant"], args["text"])
        elif step["do"] == "create_theme":
            themes[ref] = {"title": args["title"], "items": [i[1:] for i in args.get("item_ids", [])], "votes": 0}
        elif step["do"] == "vote":
            themes[args["theme_id"][1:]]["votes"] += 1
        elif step["do"] == "add_quote":
            quotes.append({"speaker": args.get("speaker", ""), "role": args.get("role", ""), "text": args["text"]})
    keys = [p["key"] for p in scenario["participants"]]
    joined = {s["as"]: int(s["args"]["group_id"].rsplit(".", 1)[1]) for s in scenario["steps"] if s["do"] == "join_group"}
    members: list[list[str]] = [[] for _ in scenario["expect"]["groups"]]  # named, then "n anonyma deltagare"
    unnamed = [0 for _ in scenario["expect"]["groups"]]
    for person in scenario["participants"]:
        if person["key"] in joined and not person.get("name"):
            unnamed[joined[person["key"]]] += 1
        elif person["key"] in joined:
            name, organisation = person["name"], person.get("organisation")
            members[joined[person["key"]]].append(f"{name} ({organisation})" if organisation else name)
    for names, count in zip(members, unnamed):
        names += [f"{count} anonym deltagare" if count == 1 else f"{count} anonyma deltagare"] if count else []
    order = list(items)
    for theme in themes.values():
        theme["texts"] = [items[r][1] for r in sorted(theme["items"], key=order.index)]
    ranked = sorted(themes.values(), key=lambda t: -t["votes"])  # stable: a tie keeps the older theme first
    return {"items": items, "themes": ranked, "quotes": quotes, "groups": scenario["expect"]["groups"], "members": members, "keys": keys,
            "participants": scenario["participants"], "workshop": scenario["workshop"]}
