"""The console says a text's limit and never cuts a pasted text (issue 10, problem 8): the
conclusion for the record and a quote's speaker, over their limits, stay whole, the count says
how much to shorten, and nothing is saved until they fit."""
import pytest

from .browser_support import LAPTOP, Watched
from .protocol_support import Room

expect = pytest.importorskip("playwright.sync_api").expect


def console_in(phase, server, browser, sockets):
    """A workshop in `phase`, its facilitator's socket, and its console open at 1440x900."""
    room = Room(server, sockets, title="Gränser")
    facilitator = room.facilitator()
    facilitator.ok("set_phase", {"phase": phase})
    fac = Watched(browser, LAPTOP)
    fac.page.goto(room.created["console_url"])
    expect(fac.page.locator("#conn")).to_have_attribute("data-state", "online")
    return room, facilitator, fac, fac.page


def test_a_pasted_conclusion_or_speaker_over_the_limit_stays_whole_and_is_not_saved(server, browser, sockets):
    room, facilitator, fac, console = console_in("groups", server, browser, sockets)

    pasted = "Vi fortsätter samverka. " * 417  # 10,008 characters, 10,007 trimmed: over the 10,000 of a workshop text
    console.fill("#conclusion", pasted)
    assert len(console.input_value("#conclusion")) == len(pasted)  # nothing cut
    expect(console.locator("#conclusion-count")).to_have_text("7 tecken för mycket – korta texten")
    expect(console.locator("#conclusion")).to_have_attribute("aria-invalid", "true")
    console.click("#conclusion-form button[type=submit]")
    expect(console.locator("#conclusion")).to_be_focused()
    assert room.state()["workshop"]["conclusion"] == ""  # nothing saved
    console.fill("#conclusion", pasted[:9_000])
    console.click("#conclusion-form button[type=submit]")
    facilitator.wait_for("workshop_updated", lambda w: w["conclusion"] == pasted[:9_000].strip())

    console.fill("#quote-text", "Vi har olika glasögon")
    console.fill("#quote-speaker", "K" * 205)
    assert len(console.input_value("#quote-speaker")) == 205
    console.click("#quote-form button[type=submit]")
    expect(console.locator("#quote-speaker")).to_be_focused()
    assert room.state()["quotes"] == []
    console.fill("#quote-speaker", "Kerstin Nordin")
    console.click("#quote-form button[type=submit]")
    assert facilitator.wait_for("quote_added")["speaker"] == "Kerstin Nordin"
    assert not fac.errors, fac.errors


def test_a_theme_title_over_the_limit_is_refused_beside_it_and_kept_whole(server, browser, sockets):
    room, _facilitator, _fac, console = console_in("cluster", server, browser, sockets)
    title = "Samverkan mellan förvaltningarna " * 7  # 231 characters: over a title's 200
    console.fill("#theme-title", title)
    console.press("#theme-title", "Enter")
    assert console.input_value("#theme-title") == title  # nothing cut
    expect(console.locator("#theme-form")).to_contain_text("Texten är för lång")  # the refusal, beside the field
    assert room.state()["themes"] == []
