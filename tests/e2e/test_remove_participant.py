"""The facilitator removes a participant (issue 8): their connections are closed, their token stops
working, their dots are given back, and what they wrote is deleted or kept as the facilitator chose."""
from __future__ import annotations

import re
import time

import pytest
import socketio
from playwright.sync_api import expect

from .browser_support import LAPTOP, PHONE, Watched
from .protocol_support import Room, fence


def played(server, sockets) -> tuple[Room, dict]:
    """A workshop in `groups`: Kerstin (two phones) wrote two items, one in a theme with Bo's, put two
    dots on it, joined its group and wrote a note there; Bo wrote one item and put one dot on it."""
    room = Room(server, sockets, anonymous_items=False, votes_per_participant=3)
    w = {"facilitator": room.facilitator(), "kerstin": room.phone("Kerstin", organisation="Mini-Maria"),
         "bo": room.phone("Bo"), "screen": room.screen()}
    w["kerstin2"] = room.rejoin(w["kerstin"])
    fac, kerstin, bo = w["facilitator"], w["kerstin"], w["bo"]
    w["k1"] = kerstin.ok("post_item", {"quadrant": "threats", "text": "Olämpligt inlägg"})["item"]
    w["k2"] = kerstin.ok("post_item", {"quadrant": "weaknesses", "text": "Ännu ett"})["item"]
    w["b1"] = bo.ok("post_item", {"quadrant": "strengths", "text": "Bra samarbete"})["item"]
    w["theme"] = fac.ok("create_theme", {"title": "Samarbete", "item_ids": [w["k1"]["id"], w["b1"]["id"]]})["theme"]
    fac.ok("set_phase", {"phase": "vote"})
    for _ in range(2):
        kerstin.ok("vote", {"theme_id": w["theme"]["id"]})
    bo.ok("vote", {"theme_id": w["theme"]["id"]})
    fac.ok("set_phase", {"phase": "groups"})
    w["group"] = fac.ok("form_groups", {"theme_ids": [w["theme"]["id"]]})["groups"][0]
    kerstin.ok("join_group", {"group_id": w["group"]["id"]})
    kerstin.ok("add_note", {"group_id": w["group"]["id"], "text": "Min anteckning"})
    return room, w


def gone(client) -> bool:
    deadline = time.monotonic() + 5
    while client.sio.connected and time.monotonic() < deadline:
        time.sleep(0.05)
    return not client.sio.connected


def test_removed_with_what_they_wrote(server, sockets):
    room, w = played(server, sockets)
    fac, kerstin, screen = w["facilitator"], w["kerstin"], w["screen"]
    kerstin_id = kerstin.snapshot["me"]["id"]
    people = fac.ok("list_participants")["participants"]
    assert [(p["name"], p["organisation"], p["items"], p["online"]) for p in people] == [
        ("Kerstin", "Mini-Maria", 2, True), ("Bo", "", 1, True)]
    for client in (w["bo"], screen):
        client.refused("remove_participant", {"participant_id": kerstin_id}, "forbidden")
        client.refused("list_participants", None, "forbidden")
    fac.refused("remove_participant", {"participant_id": fac.snapshot["me"]["id"]}, "bad_request")
    fac.refused("remove_participant", {"participant_id": 10**9}, "not_found")
    fac.refused("remove_participant", {"participant_id": Room(server, sockets).phone("Annan").snapshot["me"]["id"]},
                "not_found")
    fac.refused("remove_participant", {"participant_id": kerstin_id, "remove_items": "yes"}, "bad_request")

    answer = fac.ok("remove_participant", {"participant_id": kerstin_id, "remove_items": True})
    assert answer == {"ok": True, "participant_id": kerstin_id, "item_ids": [w["k1"]["id"], w["k2"]["id"]]}
    for phone in (kerstin, w["kerstin2"]):
        phone.wait_for("removed")
        assert gone(phone)
    with pytest.raises(socketio.exceptions.ConnectionError):
        sockets(server.url, {"code": room.code, "participant_token": kerstin.snapshot["me"]["token"]})
    for event, check in (("item_deleted", lambda d: d["id"] == w["k2"]["id"]),
                         ("theme_updated", lambda d: d["item_ids"] == [w["b1"]["id"]]),
                         ("tally", lambda d: d == {str(w["theme"]["id"]): 1}),
                         ("group_updated", lambda d: d["members"] == [] and d["notes"] == [])):
        screen.wait_for(event, check)
    state = room.state()
    assert [i["id"] for i in state["items"]] == [w["b1"]["id"]]
    assert state["themes"][0]["votes"] == 1 and state["participants"] == 1
    assert state["groups"][0]["members"] == [] and state["groups"][0]["notes"] == []
    assert [p["name"] for p in fac.ok("list_participants")["participants"]] == ["Bo"]
    assert w["bo"].ok("leave_group")["ok"]  # the others go on as before


def test_removed_and_what_they_wrote_kept_without_them(server, sockets):
    room, w = played(server, sockets)
    fac, kerstin, screen = w["facilitator"], w["kerstin"], w["screen"]
    answer = fac.ok("remove_participant", {"participant_id": kerstin.snapshot["me"]["id"]})
    assert answer["item_ids"] == []
    kerstin.wait_for("removed")
    screen.wait_for("item_updated", lambda d: d["id"] == w["k2"]["id"] and d["author"]["name"] != "Kerstin")
    fence(fac, screen)
    state = room.state()
    assert sorted(i["text"] for i in state["items"]) == ["Bra samarbete", "Olämpligt inlägg", "Ännu ett"]
    assert "Kerstin" not in str(state)
    assert state["groups"][0]["notes"][0]["text"] == "Min anteckning" and state["themes"][0]["votes"] == 1
    assert screen.received("item_deleted") == []
    fac.ok("set_phase", {"phase": "closed"})
    fac.refused("remove_participant", {"participant_id": w["bo"].snapshot["me"]["id"]}, "wrong_phase")


def test_the_console_removes_someone_after_a_confirmation(server, browser, sockets):
    room = Room(server, sockets, anonymous_items=False)
    bo = room.phone("Bo")
    bo.ok("post_item", {"quadrant": "strengths", "text": "Stannar kvar"})
    person = Watched(browser, PHONE)
    phone = person.page
    phone.goto(room.created["join_url"])
    phone.fill("#name", "Troll")
    phone.click("#submit")
    expect(phone.locator("#conn")).to_have_attribute("data-state", "online")
    phone.click("label[for=q-threats]")
    phone.fill("#post-text", "Spam spam spam")
    phone.click("#post-form button[type=submit]")
    expect(phone.locator("#my-items li")).to_contain_text(["Spam spam spam"])

    fac = Watched(browser, LAPTOP)
    console = fac.page
    console.goto(room.created["console_url"])
    expect(console.locator("#note-cards li.item").filter(has_text="Spam spam spam")).to_have_count(1)
    console.get_by_text("Deltagare i workshopen").click()
    troll = console.locator("#people-list li").filter(has_text="Troll")
    expect(troll).to_contain_text("1 skrivna")
    troll.get_by_role("button", name="Ta bort Troll").click()
    expect(troll).to_contain_text("Ta bort Troll från workshopen?")
    troll.get_by_label("Ta också bort det hen har skrivit (1)").check()
    troll.get_by_role("button", name="Ja, ta bort").click()
    expect(console.locator("#flash")).to_have_text("Troll togs bort.")
    expect(console.locator("#people-list li")).to_have_count(1)
    expect(console.locator("#people-list li")).to_contain_text("Bo")
    expect(console.locator("#note-cards li.item")).to_have_text([re.compile("Stannar kvar")])
    expect(phone.locator("#rejoin-notice")).to_have_text("Processledaren har tagit bort dig från workshopen.")
    expect(phone.locator("#app")).to_be_hidden()
    assert phone.evaluate(f"() => localStorage.getItem('facilitation:participant:{room.code}')") is None
    assert [i["text"] for i in room.state()["items"]] == ["Stannar kvar"]
    assert not fac.errors and not fac.dialogs, (fac.errors, fac.dialogs)
    fac.close()
    person.close()
