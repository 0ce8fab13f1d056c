"""A screen needs the projector link's key, and a closed workshop shows phones and screens no more
than a thank-you (issue 8): over sockets, over HTTP, and in a browser."""
from __future__ import annotations

import pytest
import requests
import socketio
from playwright.sync_api import expect

from .browser_support import LAPTOP, PROJECTOR, Watched
from .protocol_support import Room, raw_connect


def test_a_screen_s_key_must_be_its_workshop_s_and_the_contract_s_keyless_screen_sees_only_what_a_phone_sees(server, sockets):
    room = Room(server, sockets)
    other = Room(server, sockets)
    phone = room.phone("Kerstin")
    phone.ok("post_item", {"quadrant": "strengths", "text": "Synlig för alla", "op_id": "a"})
    keyless = sockets(server.url, {"code": room.code, "role": "screen"})
    assert keyless.snapshot["me"]["role"] == "screen"
    assert keyless.snapshot["items"] == room.phone("Lars").snapshot["items"]
    for auth in ({"code": room.code, "role": "screen", "screen_key": "x" * 22}, {"code": room.code, "role": "screen", "screen_key": None},
                 {"code": room.code, "role": "screen", "screen_key": other.created["screen_key"]},
                 {"code": room.code, "role": "screen", "screen_key": 7}):
        event, refusal = raw_connect(server.url, auth)
        assert (event, refusal["code"]) == ("connect_error", "forbidden"), auth
    snapshot = room.screen().snapshot
    assert snapshot["me"]["role"] == "screen" and snapshot["workshop"]["code"] == room.code
    assert room.created["projector_url"] == f"{server.url}/screen/{room.code}?k={room.created['screen_key']}"


def test_the_projector_page_takes_the_key_once_and_drops_it_from_the_address(server, sockets):
    room = Room(server, sockets)
    without = requests.get(f"{server.url}/screen/{room.code}", timeout=10)
    assert without.status_code == 403 and "Öppna projektorn med dess länk" in without.text
    assert room.created["screen_key"] not in without.text
    wrong = requests.get(f"{server.url}/screen/{room.code}?k=wrong", timeout=10)
    assert wrong.status_code == 403
    projector = requests.Session()
    taken = projector.get(room.created["projector_url"], allow_redirects=False, timeout=10)
    assert taken.status_code == 302 and taken.headers["Location"] == f"/screen/{room.code}"
    page = projector.get(f"{server.url}/screen/{room.code}", timeout=10)
    assert page.status_code == 200 and f'data-screen-key="{room.created["screen_key"]}"' in page.text
    assert page.headers["Cache-Control"] == "no-store"
    assert requests.get(f"{server.url}/screen/{room.code}/qr.svg", timeout=10).status_code == 200  # the join link only


def test_a_closed_workshop_shows_phones_and_screens_only_a_thank_you(server, sockets):
    room = Room(server, sockets, anonymous_items=False)
    facilitator, phone, screen = room.facilitator(), room.phone("Kerstin Nordin", organisation="Mini-Maria"), room.screen()
    item = phone.ok("post_item", {"quadrant": "strengths", "text": "Hemlig synpunkt"})["item"]
    theme = facilitator.ok("create_theme", {"title": "Hemligt tema", "item_ids": [item["id"]]})["theme"]
    facilitator.ok("add_quote", {"text": "Hemligt citat", "speaker": "Anna"})
    facilitator.ok("set_phase", {"phase": "groups"})
    group = facilitator.ok("form_groups", {"theme_ids": [theme["id"]]})["groups"][0]
    phone.ok("join_group", {"group_id": group["id"]})
    facilitator.ok("update_workshop", {"purpose": "Hemligt syfte", "facilitators": ["Linda Ljungqvist"]})
    projector = requests.Session()
    projector.get(room.created["projector_url"], timeout=10)
    facilitator.ok("set_phase", {"phase": "closed"})
    facilitator.ok("edit_record_summary", {"group_id": group["id"], "text": "Hemlig sammanfattning"})
    facilitator.ok("update_workshop", {"conclusion": "Hemlig avslutning"})
    screen.wait_for("workshop_updated", lambda w: w["purpose"] == "")  # after closing: the name, no texts
    assert all(g["summary"] != "Hemlig sammanfattning" for g in screen.received("group_updated"))
    secrets = ("Hemlig", "Kerstin", "Mini-Maria", "Anna", "Linda")
    for seen in (room.screen().snapshot, room.rejoin(phone).snapshot):
        assert (seen["phase"], seen["items"], seen["themes"], seen["groups"], seen["quotes"]) == ("closed", [], [], [], [])
        text = str({k: v for k, v in seen.items() if k != "me"})
        assert not [s for s in secrets if s in text], text
    for page in (projector.get(f"{server.url}/screen/{room.code}", timeout=10),
                 requests.get(f"{server.url}/j/{room.code}", timeout=10)):
        assert page.status_code == 200 and "Tack för i dag!" in page.text and "Testworkshop" in page.text
        assert not [s for s in secrets if s in page.text]
    everything = room.state()  # the facilitator still sees everything
    assert [i["text"] for i in everything["items"]] == ["Hemlig synpunkt"]
    assert everything["groups"][0]["summary"] == "Hemlig sammanfattning" and everything["quotes"][0]["text"] == "Hemligt citat"
    assert everything["workshop"]["conclusion"] == "Hemlig avslutning"
    facilitator.ok("set_phase", {"phase": "groups"})  # opened again: what a screen sees comes back
    assert [i["text"] for i in room.screen().snapshot["items"]] == ["Hemlig synpunkt"]
    with pytest.raises(socketio.exceptions.ConnectionError):
        sockets(server.url, {"code": room.code, "role": "screen", "screen_key": "not-the-key"})


def test_the_console_gives_the_projector_link_and_a_browser_without_it_sees_nothing(server, browser, sockets):
    room = Room(server, sockets)
    phone = room.phone("Kerstin")
    phone.ok("post_item", {"quadrant": "threats", "text": "Synlig på projektorn"})
    fac = Watched(browser, LAPTOP)
    fac.page.goto(room.created["console_url"])
    link = fac.page.get_by_role("link", name="Öppna projektorn")
    assert link.get_attribute("href") == room.created["projector_url"]
    proj = Watched(browser, PROJECTOR)
    projector = proj.page
    projector.goto(link.get_attribute("href"))
    expect(projector.locator("#conn")).to_have_attribute("data-state", "online")
    expect(projector.locator(".note")).to_have_text(["Synlig på projektorn"])
    assert projector.url == f"{server.url}/screen/{room.code}"  # the key is not left in the address bar
    assert projector.locator("#main").get_attribute("data-screen-key") is None
    stranger = Watched(browser, PROJECTOR)
    stranger.page.goto(f"{server.url}/screen/{room.code}")
    expect(stranger.page.locator("h1")).to_have_text("Öppna projektorn med dess länk")
    expect(stranger.page.locator(".note")).to_have_count(0)

    fac.page.click("[data-set-phase=closed]")
    fac.page.get_by_role("button", name="Avsluta workshopen").click()  # closing asks first
    expect(projector.locator(".closed-thanks")).to_be_visible()
    expect(projector.locator("#main .note")).to_have_count(0)  # (the quadrant legend stays)
    assert "Synlig på projektorn" not in projector.content()
    assert not fac.errors and not proj.errors, (fac.errors, proj.errors)  # the stranger's only error is its 403
    for watched in (fac, proj, stranger):
        watched.close()
