"""The protocol from outside: creating a workshop over HTTP, connecting, snapshots, presence."""
from __future__ import annotations

import re

import pytest
import requests
import socketio

from .protocol_support import Room, fence, raw_connect, workshop_count

WORKSHOP_KEYS = {"code", "title", "date", "organisation", "location", "language", "purpose", "introduction",
                 "questions", "facilitators", "votes_per_participant", "max_votes_per_theme", "group_capacity",
                 "anonymous_items", "conclusion"}
SNAPSHOT_KEYS = {"workshop", "phase", "me", "items", "themes", "groups", "quotes", "participants", "online"}
ME_KEYS = {"id", "role", "name", "organisation", "table", "token", "votes_left", "votes", "group_id"}
LOOK_ALIKES = set("0O1IL")


def post(server, body=None, **kwargs) -> requests.Response:
    return requests.post(server.url + "/api/workshops", json=body, timeout=10, **kwargs)


def test_creating_a_workshop_answers_code_token_and_links(server, sockets):
    answers = [post(server, {"title": f"Workshop {n}"}) for n in range(12)]
    assert all(a.status_code == 201 for a in answers)
    created = [a.json() for a in answers]
    for ws in created:
        assert set(ws) >= {"code", "facilitator_token", "join_url", "console_url", "projector_url"}
        code = ws["code"]
        assert re.fullmatch(r"[A-Z0-9]{4,8}", code), code
        assert not set(code) & LOOK_ALIKES, code
        token = ws["facilitator_token"]
        assert re.fullmatch(r"[A-Za-z0-9_\-]+", token) and len(token) * 6 >= 128, token
        assert code in ws["join_url"] and code in ws["projector_url"] and code in ws["console_url"]
        assert ws["join_url"].startswith(server.url)
    assert len({ws["code"] for ws in created}) == len(created)
    assert len({ws["facilitator_token"] for ws in created}) == len(created)


def test_a_new_workshop_has_the_contracts_defaults(server, sockets):
    room = Room(server, sockets, title="Lotsen dagverksamhet")
    snapshot = room.facilitator().snapshot
    workshop = snapshot["workshop"]
    assert set(workshop) >= WORKSHOP_KEYS
    assert workshop["code"] == room.code and workshop["title"] == "Lotsen dagverksamhet"
    assert workshop["language"] == "sv"
    assert workshop["votes_per_participant"] == 3 and workshop["max_votes_per_theme"] == 3
    assert workshop["group_capacity"] is None
    assert workshop["anonymous_items"] is True
    assert snapshot["phase"] == "collect"
    assert snapshot["items"] == snapshot["themes"] == snapshot["groups"] == snapshot["quotes"] == []


def test_every_field_given_at_creation_is_kept(server, sockets):
    fields = {
        "title": "Samverkan kring äldre", "date": "2016-09-01", "organisation": "Göteborgs Stad",
        "location": "Lindholmen", "language": "en", "purpose": "Att hitta gemensamma behov.",
        "introduction": "Välkomna!\nVi börjar med SWOT.", "questions": ["Vad fungerar?", "Vad saknas?"],
        "facilitators": ["Anna Berg", "Olle Ek"], "votes_per_participant": 5, "max_votes_per_theme": 2,
        "group_capacity": 4, "anonymous_items": False,
    }
    room = Room(server, sockets, **fields)
    workshop = room.facilitator().snapshot["workshop"]
    assert {key: workshop[key] for key in fields} == fields


BAD_BODIES = [
    ("not json", {"data": "title=Hej", "headers": {"Content-Type": "application/x-www-form-urlencoded"}}, "bad_request"),
    ("broken json", {"data": "{\"title\": ", "headers": {"Content-Type": "application/json"}}, "bad_request"),
    ("a list", {"json": ["title"]}, "bad_request"),
    ("a string", {"json": "Hej"}, "bad_request"),
    ("no title", {"json": {"organisation": "Mini-Maria"}}, "bad_request"),
    ("empty title", {"json": {"title": "   "}}, "bad_request"),
    ("title not a string", {"json": {"title": 42}}, "bad_request"),
    ("votes as a string", {"json": {"title": "T", "votes_per_participant": "3"}}, "bad_request"),
    ("votes as a bool", {"json": {"title": "T", "max_votes_per_theme": True}}, "bad_request"),
    ("votes zero", {"json": {"title": "T", "votes_per_participant": 0}}, "bad_request"),
    ("capacity as text", {"json": {"title": "T", "group_capacity": "fyra"}}, "bad_request"),
    ("anonymous as text", {"json": {"title": "T", "anonymous_items": "yes"}}, "bad_request"),
    ("questions not a list", {"json": {"title": "T", "questions": "Vad?"}}, "bad_request"),
    ("questions of numbers", {"json": {"title": "T", "questions": [1, 2]}}, "bad_request"),
    ("unknown language", {"json": {"title": "T", "language": "de"}}, "bad_request"),
    ("not an ISO date", {"json": {"title": "T", "date": "1/9 2016"}}, "bad_request"),
    ("title too long", {"json": {"title": "x" * 201}}, "too_long"),
    ("organisation too long", {"json": {"title": "T", "organisation": "å" * 201}}, "too_long"),
    ("purpose too long", {"json": {"title": "T", "purpose": "p" * 10_001}}, "too_long"),
    ("unknown field", {"json": {"title": "T", "colour": "red"}}, "bad_request"),
    ("control character", {"json": {"title": "T\x00"}}, "bad_request"),
    ("lone surrogate", {"data": '{"title": "a\\ud800b"}', "headers": {"Content-Type": "application/json"}}, "bad_request"),
    ("nested too deep", {"data": "[" * 100_000 + "]" * 100_000, "headers": {"Content-Type": "application/json"}},
     "bad_request"),
]


@pytest.mark.parametrize("why,request_args,code", BAD_BODIES, ids=[b[0] for b in BAD_BODIES])
def test_a_bad_body_is_a_json_400_and_creates_nothing(server, why, request_args, code):
    before = workshop_count(server)
    answer = requests.post(server.url + "/api/workshops", timeout=10, **request_args)
    assert answer.status_code == 400, answer.text
    assert answer.headers["Content-Type"].startswith("application/json")
    error = answer.json()["error"]
    assert error["code"] == code and isinstance(error["message"], str) and error["message"]
    assert workshop_count(server) == before


def test_a_wrong_method_is_a_json_error_too(server):
    answer = requests.get(server.url + "/api/workshops", timeout=10)
    assert answer.status_code == 405
    assert set(answer.json()["error"]) >= {"code", "message"}


def test_a_title_of_200_decomposed_letters_is_accepted(server, sockets):
    room = Room(server, sockets, title="a\u030a" * 200)
    assert room.facilitator().snapshot["workshop"]["title"] == "å" * 200


def test_participants_join_named_anonymous_and_with_organisation_and_table(server, sockets):
    room = Room(server, sockets)
    kerstin = room.phone("Kerstin Nordin", organisation="Mini-Maria", table="3")
    snapshot = kerstin.snapshot
    assert set(snapshot) >= SNAPSHOT_KEYS
    me = snapshot["me"]
    assert set(me) >= ME_KEYS
    assert me["role"] == "participant" and isinstance(me["id"], int)
    assert (me["name"], me["organisation"], me["table"]) == ("Kerstin Nordin", "Mini-Maria", "3")
    assert isinstance(me["token"], str) and len(me["token"]) * 6 >= 128
    assert me["votes_left"] == 3 and me["votes"] == {} and me["group_id"] is None
    first, second = room.phone(), room.phone()
    labels = [first.snapshot["me"]["name"], second.snapshot["me"]["name"]]
    assert all(isinstance(label, str) and label.strip() for label in labels)
    assert labels[0] != labels[1] and "Kerstin" not in labels[0]
    assert first.snapshot["me"]["organisation"] in ("", None)
    assert len({me["token"], first.snapshot["me"]["token"], second.snapshot["me"]["token"]}) == 3
    decomposed = room.phone("a\u030a" * 200, organisation="o\u0308" * 200, table="T" * 200).snapshot["me"]
    assert (decomposed["name"], decomposed["organisation"]) == ("å" * 200, "ö" * 200)
    assert room.rejoin(kerstin).snapshot["me"]["token"] == me["token"]


def test_facilitator_and_screen_get_their_own_me(server, sockets):
    room = Room(server, sockets)
    facilitator = room.facilitator().snapshot
    screen = room.screen().snapshot
    for snapshot, role in ((facilitator, "facilitator"), (screen, "screen")):
        assert set(snapshot) >= SNAPSHOT_KEYS
        assert set(snapshot["me"]) >= ME_KEYS
        assert snapshot["me"]["role"] == role
        assert snapshot["me"]["group_id"] is None
        assert snapshot["workshop"]["code"] == room.code


@pytest.mark.parametrize("typed", ["{code}", "{lower}", " {lower} ", "{a} {b}", "{a}-{b}", "{lower_a} {b}"])
def test_a_code_typed_on_a_phone_works(server, sockets, typed):
    room = Room(server, sockets)
    code = room.code
    text = typed.format(code=code, lower=code.lower(), a=code[:3], b=code[3:], lower_a=code[:3].lower())
    phone = sockets(server.url, {"code": text, "name": "Lars"})
    assert phone.snapshot["workshop"]["code"] == code


def refusal(server, sockets, auth, transports=None):
    client = sockets(server.url, auth, connect=False, transports=transports)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect()
    assert not client.sio.connected
    return client.connect_error


def test_bad_codes_and_tokens_are_refused_at_connect(server, sockets):
    room, other = Room(server, sockets), Room(server, sockets)
    phone = room.phone("Kerstin")
    stranger = other.phone("Stina")
    cases = [
        ({"code": "QQQQQQ", "name": "Lars"}, "not_found"),
        ({"name": "Lars"}, "not_found"),
        ({"code": 123456}, "not_found"),
        (None, "bad_request"),
        ({"code": room.code, "facilitator_token": "not-the-token"}, "forbidden"),
        ({"code": room.code, "facilitator_token": other.token}, "forbidden"),
        ({"code": room.code, "facilitator_token": 42}, "forbidden"),
        ({"code": room.code, "participant_token": "not-a-token"}, "forbidden"),
        ({"code": room.code, "participant_token": stranger.snapshot["me"]["token"]}, "forbidden"),
        ({"code": other.code, "participant_token": phone.snapshot["me"]["token"]}, "forbidden"),
        ({"code": room.code, "role": "admin"}, "bad_request"),
        ({"code": room.code, "name": "n" * 201}, "too_long"),
        ({"code": room.code, "organisation": "a\u030a" * 201}, "too_long"),
        ({"code": room.code, "table": "t" * 201}, "too_long"),
        ({"code": room.code, "name": 7}, "bad_request"),
        ({"code": room.code, "name": "Kerstin\x00"}, "bad_request"),
    ]
    for auth, code in cases:
        event, error = raw_connect(server.url, auth)
        assert event == "connect_error" and error["code"] == code, (auth, error)
        assert isinstance(error["message"], str) and error["message"], (auth, error)
    # And as the python-socketio client sees it: its connect_error handler gets code and message.
    error = refusal(server, sockets, {"code": room.code, "participant_token": "x"}, transports=["websocket"])
    assert error["code"] == "forbidden" and error["message"]
    assert room.state()["participants"] == 1  # no refused attempt became a participant


def test_participants_and_online_are_counted_and_presence_is_broadcast(server, sockets):
    room = Room(server, sockets)
    facilitator = room.facilitator()
    screen = room.screen()
    assert (facilitator.snapshot["participants"], facilitator.snapshot["online"]) == (0, 0)
    kerstin = room.phone("Kerstin")
    assert (kerstin.snapshot["participants"], kerstin.snapshot["online"]) == (1, 1)
    facilitator.wait_for("presence", lambda p: p == {"participants": 1, "online": 1})
    lars = room.phone("Lars")
    for client in (facilitator, screen, kerstin):
        client.wait_for("presence", lambda p: p == {"participants": 2, "online": 2})
    again = room.rejoin(lars)  # a second tab of the same person is not a second participant
    assert (again.snapshot["participants"], again.snapshot["online"]) == (2, 2)
    fence(facilitator, facilitator)  # every presence sent so far has arrived
    seen = len(facilitator.received("presence"))
    again.close()  # one of two tabs closes: the person is still online
    facilitator.wait_for("presence", lambda _p: len(facilitator.received("presence")) > seen)
    assert facilitator.received("presence")[-1] == {"participants": 2, "online": 2}
    lars.close()
    for client in (facilitator, screen, kerstin):
        client.wait_for("presence", lambda p: p == {"participants": 2, "online": 1})
    assert (room.state()["participants"], room.state()["online"]) == (2, 1)


def test_a_participant_comes_back_with_the_token_after_a_restart(live_server, sockets):
    room = Room(live_server, sockets, anonymous_items=True, group_capacity=5)
    facilitator = room.facilitator()
    phone = room.phone("Kerstin Nordin", organisation="Mini-Maria", table="3")
    item = phone.ok("post_item", {"quadrant": "threats", "text": "Ekonomin"})["item"]
    theme = facilitator.ok("create_theme", {"title": "Pengar", "item_ids": [item["id"]]})["theme"]
    facilitator.ok("set_phase", {"phase": "vote"})
    phone.ok("vote", {"theme_id": theme["id"]})
    phone.ok("vote", {"theme_id": theme["id"]})
    group = facilitator.ok("form_groups", {"top": 1})["groups"][0]
    facilitator.ok("set_phase", {"phase": "groups"})
    phone.ok("join_group", {"group_id": group["id"]})
    before = phone.snapshot["me"]

    live_server.restart()
    back = room.rejoin(phone)
    me = back.snapshot["me"]
    assert (me["id"], me["name"], me["organisation"], me["table"]) == (before["id"], "Kerstin Nordin", "Mini-Maria", "3")
    assert me["votes_left"] == 1 and me["votes"] == {str(theme["id"]): 2}
    assert me["group_id"] == group["id"]
    mine = [i for i in back.snapshot["items"] if i["id"] == item["id"]]
    assert mine and mine[0]["author"] == {"id": me["id"], "name": "Kerstin Nordin"}
    assert back.snapshot["participants"] == 1 and back.snapshot["online"] == 1
    assert [m["id"] for m in back.snapshot["groups"][0]["members"]] == [me["id"]]
    back.ok("add_note", {"group_id": group["id"], "text": "Efter omstarten"})


def test_op_id_is_not_a_field_of_a_new_workshop(server):
    before = workshop_count(server)
    answer = requests.post(server.url + "/api/workshops", json={"title": "X", "op_id": "a1"}, timeout=10)
    assert answer.status_code == 400 and "op_id" in answer.json()["error"]["message"]
    assert workshop_count(server) == before
