"""Phases: participants act in their phase only; the facilitator in every phase but `closed`."""
from __future__ import annotations

import itertools

import pytest
import socketio

from .protocol_support import Room, fence

PHASES = ["collect", "cluster", "vote", "groups", "closed"]
TEXTS = {"title": "Samverkan 2027", "organisation": "Göteborgs Stad", "location": "Lindholmen",
         "purpose": "Gemensamma behov", "introduction": "Välkomna", "conclusion": "Vi ses i vår.",
         "questions": ["Vad nu?"], "facilitators": ["Anna Berg"], "date": "2027-03-01"}
SETTINGS = {"votes_per_participant": 5, "max_votes_per_theme": 1, "group_capacity": 2, "anonymous_items": False,
            "language": "en"}


def prepared(server, sockets):
    """A workshop with an item, a theme and a group, and a phone that may act in any phase."""
    room = Room(server, sockets, votes_per_participant=10, max_votes_per_theme=10)
    facilitator, phone = room.facilitator(), room.phone("Kerstin")
    item = phone.ok("post_item", {"quadrant": "strengths", "text": "Engagemang"})["item"]
    theme = facilitator.ok("create_theme", {"title": "Kraft", "item_ids": [item["id"]]})["theme"]
    group = facilitator.ok("form_groups", {"theme_ids": [theme["id"]]})["groups"][0]
    return room, facilitator, phone, item, theme, group


def test_participants_act_only_in_their_phase(server, sockets):
    room, facilitator, phone, item, theme, group = prepared(server, sockets)
    actions = {
        "collect": [("post_item", {"quadrant": "threats", "text": "Ny"}),
                    ("edit_item", {"item_id": item["id"], "text": "Engagemang!"})],
        "vote": [("vote", {"theme_id": theme["id"]}), ("unvote", {"theme_id": theme["id"]})],
        "groups": [("join_group", {"group_id": group["id"]}), ("add_note", {"group_id": group["id"], "text": "Not"}),
                   ("set_summary", {"group_id": group["id"], "text": "Sammanfattning"}), ("leave_group", None)],
    }
    for phase in PHASES:
        facilitator.ok("set_phase", {"phase": phase})
        for own_phase, attempts in actions.items():
            for event, payload in attempts:
                if own_phase == phase:
                    phone.ok(event, payload)
                else:
                    phone.refused(event, payload, "wrong_phase")
    phone.refused("delete_item", {"item_id": item["id"]}, "wrong_phase")


def test_the_facilitator_does_everything_in_every_phase_but_closed(server, sockets):
    room, facilitator, phone, item, theme, group = prepared(server, sockets)
    for phase in PHASES[:-1]:
        facilitator.ok("set_phase", {"phase": phase})
        posted = facilitator.ok("post_item", {"quadrant": "threats", "text": f"Lapp i {phase}"})["item"]
        facilitator.ok("edit_item", {"item_id": posted["id"], "text": f"Ändrad i {phase}"})
        extra = facilitator.ok("create_theme", {"title": f"Tema i {phase}", "item_ids": [posted["id"]]})["theme"]
        facilitator.ok("assign_items", {"theme_id": theme["id"], "item_ids": [posted["id"]]})
        facilitator.ok("rename_theme", {"theme_id": extra["id"], "title": f"Omdöpt i {phase}"})
        facilitator.ok("delete_theme", {"theme_id": extra["id"]})
        facilitator.ok("delete_item", {"item_id": posted["id"]})
        facilitator.ok("reveal_tallies")
        group = facilitator.ok("form_groups", {"theme_ids": [theme["id"]], "replace": True})["groups"][0]
        facilitator.ok("rename_group", {"group_id": group["id"], "title": f"Grupp i {phase}"})
        facilitator.ok("add_note", {"group_id": group["id"], "text": f"Not i {phase}"})
        facilitator.ok("set_summary", {"group_id": group["id"], "text": f"Summering i {phase}"})
        facilitator.ok("add_quote", {"text": f"Citat i {phase}"})
        facilitator.ok("update_workshop", {"votes_per_participant": 10, "purpose": f"Syfte i {phase}"})
    assert room.state()["groups"][0]["summary"] == "Summering i groups"


def test_in_closed_only_the_records_texts_change(server, sockets):
    room, facilitator, phone, item, theme, group = prepared(server, sockets)
    screen = room.screen()
    facilitator.ok("set_phase", {"phase": "closed"})
    before = room.state()
    for event, payload in [
        ("post_item", {"quadrant": "threats", "text": "Sent"}), ("edit_item", {"item_id": item["id"], "text": "Sent"}),
        ("delete_item", {"item_id": item["id"]}), ("create_theme", {"title": "Sent"}),
        ("assign_items", {"theme_id": None, "item_ids": [item["id"]]}),
        ("rename_theme", {"theme_id": theme["id"], "title": "Sent"}), ("delete_theme", {"theme_id": theme["id"]}),
        ("reveal_tallies", None), ("form_groups", {"top": 1}), ("rename_group", {"group_id": group["id"], "title": "S"}),
        ("add_note", {"group_id": group["id"], "text": "Sent"}), ("set_summary", {"group_id": group["id"], "text": "S"}),
        ("add_quote", {"text": "Sent"}), ("undo", None), ("reopen_voting", None),
    ] + [("update_workshop", {name: value}) for name, value in SETTINGS.items()] + [
        ("update_workshop", {"conclusion": "Tack!", "votes_per_participant": 4}),  # a setting spoils the lot
    ]:
        facilitator.refused(event, payload, "wrong_phase")
    for event, payload in [("vote", {"theme_id": theme["id"]}), ("join_group", {"group_id": group["id"]}),
                           ("leave_group", None), ("add_note", {"group_id": group["id"], "text": "Sent"})]:
        phone.refused(event, payload, "wrong_phase")
    assert room.state() == before

    workshop = facilitator.ok("update_workshop", TEXTS)["workshop"]
    assert {key: workshop[key] for key in TEXTS} == TEXTS
    shown = screen.wait_for("workshop_updated", lambda w: w["title"] == "Samverkan 2027")  # closed: the name, no texts
    assert (shown["conclusion"], shown["purpose"], shown["questions"], shown["facilitators"]) == ("", "", [], [])
    after = room.state()
    assert after["workshop"] == {**before["workshop"], **TEXTS}
    assert {k: v for k, v in after.items() if k != "workshop"} == {k: v for k, v in before.items() if k != "workshop"}


def test_a_closed_workshop_takes_no_new_participants_but_knows_its_own(server, sockets):
    room, facilitator, phone, item, theme, group = prepared(server, sockets)
    facilitator.ok("set_phase", {"phase": "closed"})
    late = sockets(server.url, {"code": room.code, "name": "Sen"}, connect=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        late.connect()
    assert late.connect_error["code"] == "wrong_phase"
    assert room.rejoin(phone).snapshot["phase"] == "closed"
    assert room.screen().snapshot["phase"] == "closed"


def test_the_facilitator_moves_from_any_phase_to_any_phase(server, sockets):
    room = Room(server, sockets)
    facilitator, phone, screen = room.facilitator(), room.phone("Kerstin"), room.screen()
    phone.refused("set_phase", {"phase": "vote"}, "forbidden")
    screen.refused("set_phase", {"phase": "vote"}, "forbidden")
    current, sent = "collect", []
    for source, target in itertools.permutations(PHASES, 2):
        for phase in (source, target):
            if phase != current:
                assert facilitator.ok("set_phase", {"phase": phase})["phase"] == phase
                sent.append(phase)
                current = phase
    assert current == "groups"
    fence(facilitator, phone, screen)
    for client in (phone, screen, facilitator):
        assert [p["phase"] for p in client.received("phase")] == sent
    assert room.state()["phase"] == room.seen_by(phone)["phase"] == "groups"
