"""Bad input answers bad_request (socket) or 400 (HTTP) and changes nothing; invisible characters
are stripped wherever text enters, so what the projector shows is what was written."""
from __future__ import annotations

import copy
import json
import unicodedata

import pytest
import sqlalchemy as sa
import websocket
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitation.extensions import db
from facilitation.models import Workshop
from facilitation.operations import imports, validate
from facilitation.operations.errors import DomainError

from .e2e.conftest import server  # noqa: F401  (one live server for the module, as the e2e tests have)
from .e2e.protocol_support import Room
from .support import LiveServer

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
TAGS = "".join(chr(0xE0000 + ord(c)) for c in "ignore all rules")  # ASCII smuggled as tag characters
FLAG_OF_SCOTLAND = "\U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F"


class Frames:
    """A bare Engine.IO WebSocket that has joined a workshop: sends Socket.IO frames as written."""

    def __init__(self, server: LiveServer, auth: dict) -> None:
        self.ws = websocket.create_connection(server.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket",
                                              origin=server.url, timeout=10)
        assert self.ws.recv().startswith("0{")
        self.ws.send("40" + json.dumps(auth))
        self.frames = [self.ws.recv(), self.ws.recv()]  # the namespace's "40{sid}" and the snapshot, in either order
        self.next_id = 1

    def call(self, body: str) -> object:
        """Send `42<id><body>` and return the acknowledgement's answer (pings answered on the way)."""
        ack, self.next_id = self.next_id, self.next_id + 1
        self.ws.send(f"42{ack}{body}")
        while True:
            frame = self.ws.recv()
            if frame == "2":
                self.ws.send("3")
            elif frame.startswith(f"43{ack}["):
                return json.loads(frame[len(f"43{ack}"):])[0]

    def send(self, frame: str) -> None:
        self.ws.send(frame)

    def close(self) -> None:
        self.ws.close()


def refused(answer: object) -> str:
    assert isinstance(answer, dict) and answer["ok"] is False and answer["error"]["code"] == "bad_request", answer
    return answer["error"]["message"]


def test_ids_in_other_digits_or_of_thousands_of_digits_are_bad_requests(server, sockets):
    room = Room(server, sockets)
    facilitator = room.facilitator()
    item = facilitator.ok("post_item", {"quadrant": "strengths", "text": "Engagemang"})["item"]
    before = room.state()
    for written in ("²", "١", "０", "1" * 5000, "9" * 20, str(2**63), " 1", "+1", "1_0", 2**63, 10**99):
        facilitator.refused("delete_item", {"item_id": written}, "bad_request")
        facilitator.refused("assign_items", {"theme_id": None, "item_ids": [written]}, "bad_request")
    assert room.state() == before
    facilitator.ok("edit_item", {"item_id": str(item["id"]), "text": "Samma lapp"})  # ASCII digits still do


def test_an_op_id_with_a_lone_surrogate_or_a_control_character_is_a_bad_request(server, sockets):
    room = Room(server, sockets)
    phone = room.phone("Kerstin")
    before = room.state()
    for op_id in ("a\ud800", "\udfff", "ring\x07", "tab\tbed", "noll\u200bbredd"):
        phone.refused("post_item", {"quadrant": "strengths", "text": "Lapp", "op_id": op_id}, "bad_request")
    assert room.state() == before
    first = phone.ok("post_item", {"quadrant": "strengths", "text": "Lapp", "op_id": "op-1 ü"})["item"]
    assert phone.ok("post_item", {"quadrant": "strengths", "text": "Lapp", "op_id": "op-1 ü"})["item"] == first


UNREADABLE = [  # (what the client sends after `42<id>`, what the answer's message says)
    ('["post_item",' + "[" * 100_000 + "]" * 100_000 + "]", "nested too deeply"),
    ('["delete_item",{"item_id":' + "1" * 5000 + "}]", "100 digits"),
    ('["post_item",{"quadrant":"strengths","text":"x"', "not JSON"),
    ('["post_item",{"quadrant":"strengths","text":"Lapp","op_id":"a\\ud800"}]', "lone surrogate"),
    ('["post_item",{"quadrant":"strengths","text":"\\udc00Lapp"}]', "lone surrogate"),
    ('{"event":"post_item"}', "starts with the event's name"),
    ("[]", "starts with the event's name"),
    ("[7]", "starts with the event's name"),
    ("", "starts with the event's name"),
]


def test_packets_the_server_cannot_read_are_answered_and_the_connection_goes_on(server, sockets):
    room = Room(server, sockets)
    before = room.state()
    phone = Frames(server, {"code": room.code, "name": "Kerstin"})
    try:
        for body, says in UNREADABLE:
            assert says in refused(phone.call(body)), body[:40]
        # A packet python-socketio cannot even take apart (an unknown packet type) is dropped; the
        # connection stays open and its next event is answered.
        phone.send("49garbage")
        answer = phone.call('["post_item",{"quadrant":"strengths","text":"Fortfarande här"}]')
        assert answer["ok"] is True and answer["item"]["text"] == "Fortfarande här"
    finally:
        phone.close()
    after = room.state()
    assert [i["text"] for i in after["items"]] == ["Fortfarande här"]
    assert after["workshop"] == before["workshop"]


def test_a_connect_whose_auth_cannot_be_read_is_refused_with_bad_request(server, sockets):
    room = Room(server, sockets)
    before = room.state()
    for auth in ("[" * 100_000 + "]" * 100_000, '{"code":"%s","name":"Anna\\ud800"}' % room.code):
        ws = websocket.create_connection(server.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket",
                                         origin=server.url, timeout=10)
        try:
            assert ws.recv().startswith("0{")
            ws.send("40" + auth)
            frame = ws.recv()
        finally:
            ws.close()
        assert frame.startswith("44") and json.loads(frame[2:])["code"] == "bad_request", frame
    assert room.state() == before


# ---- invisible characters: stripped where text enters, seen stripped on the projector ----

def test_the_projector_shows_texts_and_names_without_bidi_zero_width_or_tag_characters(server, sockets):
    room = Room(server, sockets, anonymous_items=False)
    screen = room.screen()
    phone = room.phone(f"Anna{BIDI[4]}{ZERO_WIDTH[0]}", organisation=f"{TAGS}Kommunen{ZERO_WIDTH}")
    assert phone.snapshot["me"]["name"] == "Anna"
    spoof = f"Budget{BIDI[4]} 0001 {BIDI[5]}kr{ZERO_WIDTH[4]}{TAGS}"
    item = phone.ok("post_item", {"quadrant": "threats", "text": spoof})["item"]
    shown = screen.wait_for("item_added", lambda i: i["id"] == item["id"])
    assert shown["text"] == item["text"] == "Budget 0001 kr"
    assert shown["author"]["name"] == "Anna"
    emoji = phone.ok("post_item", {"quadrant": "strengths", "text": f"👩‍💻 och 🏳️‍🌈 och {FLAG_OF_SCOTLAND}"})["item"]
    assert screen.wait_for("item_added", lambda i: i["id"] == emoji["id"])["text"] == \
        f"👩‍💻 och 🏳️‍🌈 och {FLAG_OF_SCOTLAND}"  # joiners, variation selector and flag tags with a visible use stay
    facilitator = room.facilitator()
    quote = facilitator.ok("add_quote", {"text": f"{BIDI[1]}Vi{ZERO_WIDTH[3]} ses", "speaker": f"{BIDI}Panelen"})["quote"]
    shown = screen.wait_for("quote_added", lambda q: q["id"] == quote["id"])
    assert (shown["text"], shown["speaker"]) == ("Vi ses", "Panelen")
    snapshot = room.sockets(server.url, room.screen_auth).snapshot  # a projector that connects later
    assert {i["text"] for i in snapshot["items"]} == {"Budget 0001 kr", emoji["text"]}
    assert "\u202e" not in json.dumps(snapshot, ensure_ascii=False)


def test_a_text_of_only_invisible_characters_is_empty_and_the_limit_counts_what_is_visible(server, sockets):
    room = Room(server, sockets)
    phone = room.phone("Kerstin")
    before = room.state()
    for text in (BIDI, ZERO_WIDTH, TAGS, f" {ZERO_WIDTH} \n {BIDI} "):
        assert "must not be empty" in phone.refused("post_item", {"quadrant": "strengths", "text": text}, "bad_request")["message"]
    assert room.state() == before
    item = phone.ok("post_item", {"quadrant": "strengths", "text": "x" * 500 + ZERO_WIDTH * 20})["item"]
    assert item["text"] == "x" * 500


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=("Cc", "Cs")))
       | st.text(alphabet=BIDI + ZERO_WIDTH + TAGS + FLAG_OF_SCOTLAND + "a é👩💻\ufe0f\u0645\u06cc\u0308"))
def test_what_visible_keeps_is_stable_and_free_of_spoofing_characters(text):
    kept = validate.visible(text)
    assert validate.visible(kept) == kept and len(kept) <= len(text)
    assert not set(kept) & set(BIDI + "\u200b\u2060\ufeff\u00ad")
    assert all(not 0xE0000 <= ord(c) <= 0xE007F for c in kept.replace(FLAG_OF_SCOTLAND, ""))  # tags only in a flag
    stored = validate.text(text, "text", 10**6, required=False)
    assert stored == unicodedata.normalize("NFC", stored) == validate.visible(stored)


# ---- HTTP: imports with fields of the wrong type ----

ARCHIVE = {
    "schema_version": 1, "kind": "facilitation.workshop", "phase": "groups",
    "workshop": {"title": "Import", "language": "sv", "votes_per_participant": 3, "anonymous_items": False},
    "participants": [{"id": 1, "number": 1, "name": "Anna", "organisation": "", "table": "1"},
                     {"id": 2, "number": 2, "name": "Bo", "organisation": "", "table": "2"}],
    "themes": [{"id": 10, "title": "Kraft", "votes": 2}],
    "items": [{"id": 20, "quadrant": "strengths", "text": "Engagemang", "author_id": 1, "theme_id": 10,
               "created_at": "2024-03-05T10:00:00Z"}],
    "groups": [{"id": 30, "theme_id": 10, "title": "Kraft", "capacity": None, "summary": "", "member_ids": [1, 2],
                "notes": [{"id": 40, "text": "Vi hörs", "author_id": 2}]}],
    "quotes": [{"id": 50, "speaker": "Panelen", "role": "", "text": "Prata mer"}],
}


def places(data, path=()):
    """Every place in the archive a value sits, as a path of keys and indexes."""
    if path:
        yield path
    children = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in children:
        yield from places(value, (*path, key))


def put(data, path, value):
    data = copy.deepcopy(data)
    holder = data
    for key in path[:-1]:
        holder = holder[key]
    holder[path[-1]] = value
    return data


def workshop_count() -> int:
    with db.read() as session:
        return session.scalar(sa.select(sa.func.count(Workshop.id)))


WRONG = [[], {}, [1], 1.0, True, "1", "\ud800", 10**30]
PLACES = [("items.0.theme_id", "items[0].theme_id"), ("items.0.author_id", "items[0].author_id"),
          ("groups.0.theme_id", "groups[0].theme_id"), ("groups.0.member_ids.0", "groups[0].member_ids"),
          ("groups.0.notes.0.author_id", "groups[0].notes[0].author_id"), ("items.0.created_at", "items[0].created_at")]


def path_of(where: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in where.split("."))


@pytest.mark.parametrize("where, named", PLACES, ids=[w for w, _ in PLACES])
def test_a_field_of_the_wrong_type_is_refused_naming_its_place(where, named):
    for value in WRONG:
        with pytest.raises(DomainError) as refusal:
            imports.check(put(ARCHIVE, path_of(where), value))
        assert refusal.value.code == "bad_request" and named in refusal.value.message, value


def test_the_import_route_answers_400_for_fields_of_the_wrong_type_and_creates_nothing(client):
    """Each of these answered 500 (`internal`) before: unhashable references, a time out of range."""
    for where, value in (("items.0.theme_id", [1]), ("groups.0.member_ids.0", {"id": 1}),
                         ("groups.0.notes.0.author_id", []), ("items.0.created_at", "0001-01-01T00:00:00+01:00")):
        answer = client.post("/api/workshops/import", json=put(ARCHIVE, path_of(where), value))
        assert answer.status_code == 400, (where, answer.get_data(as_text=True))
        error = answer.get_json()["error"]
        assert error["code"] == "bad_request" and dict(PLACES)[where] in error["message"], error
    assert workshop_count() == 0
    assert client.post("/api/workshops/import", json=ARCHIVE).status_code == 201
    assert workshop_count() == 1


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                    max_leaves=6)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(where=st.sampled_from(list(places(ARCHIVE))), value=JSON)
def test_any_json_value_anywhere_in_an_archive_is_checked_or_refused_never_a_crash(where, value):
    try:
        imports.check(put(ARCHIVE, where, value))
    except DomainError as error:
        assert error.code in ("bad_request", "too_long") and error.message


def test_the_archive_used_above_is_a_good_one():
    assert imports.check(ARCHIVE)["items"][0]["text"] == "Engagemang"
