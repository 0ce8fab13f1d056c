"""Bad payloads: every event answers, nothing changes, the connection stays usable."""
from __future__ import annotations

import json
from typing import Any

import pytest

from .protocol_support import Room

EVENTS = ["post_item", "edit_item", "delete_item", "set_phase", "create_theme", "assign_items", "rename_theme",
          "delete_theme", "vote", "unvote", "reveal_tallies", "form_groups", "rename_group", "join_group",
          "leave_group", "add_note", "set_summary", "add_quote", "update_workshop"]
NOT_OBJECTS = ["text", 7, 2.5, True, [1, 2], ["post_item"]]
NO_SUCH = 10**9


class Board:
    """A workshop in phase `groups` with an item, a theme, a group with a member, a quote."""

    def __init__(self, server, sockets, **fields: Any) -> None:
        self.room = Room(server, sockets, **fields)
        self.facilitator = self.room.facilitator()
        self.phone = self.room.phone("Kerstin")
        self.item = self.phone.ok("post_item", {"quadrant": "strengths", "text": "Engagemang"})["item"]
        self.theme = self.facilitator.ok("create_theme", {"title": "Kraft", "item_ids": [self.item["id"]]})["theme"]
        self.facilitator.ok("set_phase", {"phase": "vote"})
        self.phone.ok("vote", {"theme_id": self.theme["id"]})
        self.group = self.facilitator.ok("form_groups", {"top": 1})["groups"][0]
        self.facilitator.ok("set_phase", {"phase": "groups"})
        self.phone.ok("join_group", {"group_id": self.group["id"]})
        self.facilitator.ok("add_quote", {"text": "Vi måste prata med varandra.", "speaker": "Panelen"})


def assert_still_usable(client, board: Board) -> None:
    """The connection is still open and a good event still works on it."""
    assert client.sio.connected
    text = "Fortfarande här"
    assert client.ok("add_note", {"group_id": board.group["id"], "text": text})["note"]["text"] == text


def test_every_event_answers_without_a_payload_or_with_one_that_is_not_an_object(server, sockets):
    board = Board(server, sockets)
    screen = board.room.screen()
    board.facilitator.ok("reveal_tallies")  # (answered ok without a payload below: already revealed, no change)
    before = board.room.state()
    for event in EVENTS:
        for client in (board.facilitator, board.phone, screen):
            answer = client.call(event)
            assert isinstance(answer, dict) and "ok" in answer, (event, answer)
            if not answer["ok"]:
                assert set(answer["error"]) >= {"code", "message"} and answer["error"]["message"], (event, answer)
            elif client is not board.phone or event != "leave_group":
                assert event in ("reveal_tallies", "update_workshop"), (event, answer)  # harmless without a payload
            for payload in NOT_OBJECTS:
                answer = client.call(event, payload)
                assert not answer["ok"] and answer["error"]["code"] in ("bad_request", "forbidden"), (event, payload, answer)
                if client is board.facilitator:
                    assert answer["error"]["code"] == "bad_request", (event, payload, answer)
        if event == "leave_group":
            board.phone.ok("join_group", {"group_id": board.group["id"]})
    assert board.room.state() == before
    assert_still_usable(board.facilitator, board)
    assert_still_usable(board.phone, board)


def bad_payloads(board: Board) -> list[tuple[str, Any]]:
    item, theme, group = board.item["id"], board.theme["id"], board.group["id"]
    text = {"quadrant": "strengths", "text": "Ny lapp"}
    return [
        ("post_item", {"quadrant": "north", "text": "x"}), ("post_item", {"quadrant": 1, "text": "x"}),
        ("post_item", {"quadrant": "strengths", "text": 5}), ("post_item", {"quadrant": "strengths"}),
        ("post_item", {"text": "x"}), ("post_item", {**text, "op_id": 5}), ("post_item", {**text, "op_id": "o" * 65}),
        ("post_item", {**text, "op_id": ""}), ("post_item", {**text, "op_id": ["a"]}),
        ("edit_item", {"item_id": "abc", "text": "x"}), ("edit_item", {"item_id": True, "text": "x"}),
        ("edit_item", {"item_id": -1, "text": "x"}), ("edit_item", {"item_id": 1.5, "text": "x"}),
        ("edit_item", {"item_id": None, "text": "x"}), ("edit_item", {"item_id": [item], "text": "x"}),
        ("edit_item", {"item_id": item, "text": None}), ("edit_item", {"item_id": item, "text": "x", "quadrant": "up"}),
        ("edit_item", {"item_id": 2**70, "text": "x"}), ("delete_item", {"item_id": {}}),
        ("set_phase", {"phase": "lunch"}), ("set_phase", {"phase": None}), ("set_phase", {"phase": ["vote"]}),
        ("create_theme", {"title": []}), ("create_theme", {"title": "T", "item_ids": str(item)}),
        ("create_theme", {"title": "T", "item_ids": [True]}), ("create_theme", {"title": "T", "item_ids": [{"id": item}]}),
        ("assign_items", {"item_ids": [item]}), ("assign_items", {"theme_id": "x", "item_ids": [item]}),
        ("assign_items", {"theme_id": theme, "item_ids": item}), ("assign_items", {"theme_id": theme, "item_ids": [0]}),
        ("rename_theme", {"theme_id": theme, "title": 5}), ("rename_theme", {"theme_id": theme}),
        ("delete_theme", {"theme_id": "one"}), ("delete_theme", {"theme_id": [theme]}),
        ("form_groups", {"top": "2"}), ("form_groups", {"top": 0}), ("form_groups", {"top": True}),
        ("form_groups", {"theme_ids": str(theme)}), ("form_groups", {"theme_ids": [theme, "x"]}),
        ("rename_group", {"group_id": group, "title": {}}), ("rename_group", {"group_id": "g", "title": "G"}),
        ("add_note", {"group_id": group, "text": 1}), ("add_note", {"group_id": group}),
        ("set_summary", {"group_id": group, "text": []}), ("set_summary", {"group_id": None, "text": "S"}),
        ("add_quote", {"text": 5}), ("add_quote", {"text": "Citat", "speaker": 3}), ("add_quote", {}),
        ("update_workshop", {"votes_per_participant": "3"}), ("update_workshop", {"anonymous_items": 1}),
        ("update_workshop", {"language": "fi"}), ("update_workshop", {"questions": "Vad?"}),
        ("update_workshop", {"title": ""}), ("update_workshop", {"colour": "red"}),
        ("update_workshop", {"date": "i morgon"}), ("update_workshop", {"group_capacity": -1}),
        ("update_workshop", {"title": "Ny titel", "votes_per_participant": "många"}),
    ]


def test_wrong_types_are_bad_requests_that_change_nothing(server, sockets):
    board = Board(server, sockets)
    before = board.room.state()
    for event, payload in bad_payloads(board):
        board.facilitator.refused(event, payload, "bad_request")
    for event, payload in [("join_group", {"group_id": "x"}), ("join_group", {}),
                           ("add_note", {"group_id": False, "text": "x"}), ("set_summary", {"group_id": 0, "text": "x"})]:
        board.phone.refused(event, payload, "bad_request")
    assert board.room.state() == before
    assert_still_usable(board.phone, board)
    board.facilitator.ok("set_phase", {"phase": "vote"})
    voting = board.room.state()
    for payload in ({"theme_id": "x"}, {"theme_id": None}, {"theme_id": True}, {}, {"theme_id": board.theme["id"], "op_id": 1}):
        board.phone.refused("vote", payload, "bad_request")
        board.phone.refused("unvote", payload, "bad_request")
    assert board.room.state() == voting


def test_unknown_ids_and_ids_of_another_workshop_are_not_found(server, sockets):
    mine, other = Board(server, sockets), Board(server, sockets)
    before, other_before = mine.room.state(), other.room.state()
    facilitator = mine.facilitator
    for item, theme, group in ((NO_SUCH, NO_SUCH, NO_SUCH), (other.item["id"], other.theme["id"], other.group["id"])):
        for event, payload in [
            ("edit_item", {"item_id": item, "text": "Kapat"}), ("delete_item", {"item_id": item}),
            ("create_theme", {"title": "Stulen", "item_ids": [item]}),
            ("assign_items", {"theme_id": mine.theme["id"], "item_ids": [item]}),
            ("assign_items", {"theme_id": theme, "item_ids": [mine.item["id"]]}),
            ("assign_items", {"theme_id": mine.theme["id"], "item_ids": [mine.item["id"], item]}),
            ("rename_theme", {"theme_id": theme, "title": "Kapat"}), ("delete_theme", {"theme_id": theme}),
            ("form_groups", {"theme_ids": [mine.theme["id"], theme]}), ("rename_group", {"group_id": group, "title": "K"}),
            ("add_note", {"group_id": group, "text": "Kapat"}), ("set_summary", {"group_id": group, "text": "Kapat"}),
        ]:
            facilitator.refused(event, payload, "not_found")
        mine.phone.refused("join_group", {"group_id": group}, "not_found")
        mine.phone.refused("edit_item", {"item_id": item, "text": "Kapat"}, "not_found")
    facilitator.ok("set_phase", {"phase": "vote"})
    for theme in (NO_SUCH, other.theme["id"]):
        mine.phone.refused("vote", {"theme_id": theme}, "not_found")
        mine.phone.refused("unvote", {"theme_id": theme}, "not_found")
    facilitator.ok("set_phase", {"phase": "groups"})
    assert mine.room.state() == before
    assert other.room.state() == other_before


LIMITS = [  # (event, payload builder, limit)
    ("post_item", lambda b, t: {"quadrant": "threats", "text": t}, 500),
    ("edit_item", lambda b, t: {"item_id": b.item["id"], "text": t}, 500),
    ("add_note", lambda b, t: {"group_id": b.group["id"], "text": t}, 2000),
    ("add_quote", lambda b, t: {"text": t}, 2000),
    ("set_summary", lambda b, t: {"group_id": b.group["id"], "text": t}, 10_000),
    ("update_workshop", lambda b, t: {"purpose": t}, 10_000),
    ("update_workshop", lambda b, t: {"title": t}, 200),
    ("create_theme", lambda b, t: {"title": t}, 200),
    ("rename_theme", lambda b, t: {"theme_id": b.theme["id"], "title": t}, 200),
    ("rename_group", lambda b, t: {"group_id": b.group["id"], "title": t}, 200),
    ("add_quote", lambda b, t: {"text": "Citat", "speaker": t}, 200),
]


@pytest.mark.parametrize("event,build,limit", LIMITS, ids=[f"{e}-{n}" for n, (e, _, _) in enumerate(LIMITS)])
def test_text_limits_count_code_points_after_nfc(server, sockets, event, build, limit):
    board = Board(server, sockets)
    before = board.room.state()
    for text in ("x" * (limit + 1), "a\u030a" * (limit + 1), "😀" * (limit + 1)):
        board.facilitator.refused(event, build(board, text), "too_long")
    assert board.room.state() == before
    for text, stored in (("a\u030a" * limit, "å" * limit), ("😀" * limit, "😀" * limit)):
        board.facilitator.ok(event, build(board, text))
        assert stored in json.dumps(board.room.state(), ensure_ascii=False)


def test_items_of_exactly_500_decomposed_letters_are_accepted_and_501_refused(server, sockets):
    room = Room(server, sockets)
    phone = room.phone("Kerstin")
    item = phone.ok("post_item", {"quadrant": "strengths", "text": "a\u030a" * 500})["item"]
    assert item["text"] == "å" * 500 and len(item["text"]) == 500
    phone.refused("post_item", {"quadrant": "strengths", "text": "a\u030a" * 501}, "too_long")
    phone.refused("edit_item", {"item_id": item["id"], "text": "x" * 501}, "too_long")
    assert [i["text"] for i in room.state()["items"]] == ["å" * 500]


@pytest.mark.parametrize("text", ["", "   ", "\n\t ", "a\x00b", "Larm\x07", "\x1b[31mRött", "rad\x85slut", "del\x7f",
                                  "ensam \ud800 surrogat"])
def test_empty_texts_and_control_characters_are_bad_requests(server, sockets, text):
    board = Board(server, sockets)
    before = board.room.state()
    board.facilitator.ok("set_phase", {"phase": "collect"})
    board.phone.refused("post_item", {"quadrant": "strengths", "text": text}, "bad_request")
    board.phone.refused("edit_item", {"item_id": board.item["id"], "text": text}, "bad_request")
    board.facilitator.ok("set_phase", {"phase": "groups"})
    for event, payload in [("add_note", {"group_id": board.group["id"], "text": text}), ("add_quote", {"text": text}),
                           ("create_theme", {"title": text}), ("rename_group", {"group_id": board.group["id"], "title": text})]:
        board.facilitator.refused(event, payload, "bad_request")
    assert board.room.state() == before
    assert_still_usable(board.phone, board)


def test_newlines_and_tabs_are_kept(server, sockets):
    room = Room(server, sockets)
    text = "Rad ett\nRad två\tmed tab"
    assert room.phone("Kerstin").ok("post_item", {"quadrant": "threats", "text": text})["item"]["text"] == text


def test_an_unknown_event_is_answered_and_screens_change_nothing(server, sockets):
    board = Board(server, sockets)
    screen = board.room.screen()
    before = board.room.state()
    for client in (board.facilitator, board.phone, screen):
        answer = client.call("make_coffee", {"strength": "stark"})
        assert not answer["ok"] and answer["error"]["code"] == "bad_request" and answer["error"]["message"]
        assert client.call("make_coffee") == answer
    for event, payload in [("post_item", {"quadrant": "threats", "text": "Skärm"}), ("set_phase", {"phase": "closed"}),
                           ("add_quote", {"text": "Skärm"}), ("join_group", {"group_id": board.group["id"]}),
                           ("update_workshop", {"title": "Skärm"}), ("delete_theme", {"theme_id": board.theme["id"]})]:
        screen.refused(event, payload, "forbidden")
    assert board.room.state() == before
    assert_still_usable(board.facilitator, board)


def test_events_named_connect_or_disconnect_are_unknown_events(server, sockets):
    room, elsewhere = Room(server, sockets), Room(server, sockets)
    facilitator, phone = room.facilitator(), room.phone("Kerstin")
    for event, data in [("disconnect", None), ("disconnect", "client disconnect"), ("connect", None),
                        ("connect", {"code": elsewhere.code, "name": "Inkräktare"}),
                        ("connect", ({}, {"code": elsewhere.code, "name": "Inkräktare"}))]:
        answer = phone.call(event, data)
        assert answer["ok"] is False and answer["error"]["code"] == "bad_request", (event, data, answer)
    assert phone.sio.connected
    state = room.state()
    assert (state["participants"], state["online"]) == (1, 1)
    assert elsewhere.state()["participants"] == 0
    item = phone.ok("post_item", {"quadrant": "strengths", "text": "Fortfarande med"})["item"]
    assert facilitator.wait_for("item_added", lambda i: i["id"] == item["id"])["text"] == "Fortfarande med"
