"""The SWOT round's question reaches the phones (issue 10: phones with context): in the snapshot
and on the phone, first among the questions; nothing of it once the workshop is closed."""
import pytest

from .browser_support import PHONE, Watched
from .protocol_support import Room

expect = pytest.importorskip("playwright.sync_api").expect

ROUND = "Vad fungerar i övergången från slutenvård till hemmet, och vad inte?"


def test_the_round_s_question_is_in_the_snapshot_and_first_on_the_phone(server, browser, sockets):
    room = Room(server, sockets, title="Trygg hemgång", round_question=ROUND, questions=["Vad gör vi nästa år?"])
    assert room.phone("Kerstin").snapshot["workshop"]["round_question"] == ROUND
    phone = Watched(browser, PHONE, is_mobile=True, has_touch=True)
    phone.page.goto(room.created["join_url"])
    phone.page.fill("#name", "Lars")
    phone.page.click("#submit")
    expect(phone.page.locator("#context-first")).to_have_text(f"1. {ROUND}")
    facilitator = room.facilitator()
    facilitator.ok("set_phase", {"phase": "closed"})
    assert room.screen().snapshot["workshop"]["round_question"] == ""
    assert phone.errors == []
