"""The projector, read from the back row (issue 10): a room of 30 people and 60 notes at 1920×1080 and
1280×720. No visible text below 28 px at 1080p (the same share of the height at 720p); what does not
fit turns in pages; counts, a legend, voting progress, the spotlight; words break at soft hyphens only."""
import re

import pytest

from facilitation.quadrant_colours import INK

from .browser_support import LAPTOP, PROJECTOR, Watched, assert_accessible, screenshot
from .projector_support import MID_WORD_BREAKS, NOTES, QUADRANTS, VISIBLE_TEXT, make_themes, play_room
from .protocol_support import Room

expect = pytest.importorskip("playwright.sync_api").expect

SIZES = {"1080p": {"width": 1920, "height": 1080}, "720p": {"width": 1280, "height": 720}}
TURN = 12_000  # ms: a page turns every 8 s

# A card or note in one piece (never split across columns), and counts on one line.
WHOLE = "sel => [...document.querySelectorAll(sel)].filter(e => e.checkVisibility()).every(e => e.getClientRects().length === 1)"
ONE_LINE = """sel => [...document.querySelectorAll(sel)].filter(e => e.checkVisibility()).every(e => {
    const r = e.getBoundingClientRect(); return r.height < 2 * parseFloat(getComputedStyle(e).lineHeight); })"""


def smallest_text(page) -> tuple[float, dict]:
    texts = page.evaluate(VISIBLE_TEXT)
    assert texts, "nothing readable on the projector"
    least = min(texts, key=lambda t: t["size"])
    return least["size"], least


def assert_back_row(page, viewport, where: str) -> None:
    """Nothing smaller than 28 px at 1080p (scaled to the screen's height), no word broken but at a soft hyphen."""
    floor = 28 * viewport["height"] / 1080
    size, least = smallest_text(page)
    assert size >= floor - 0.01, f"{where}: '{least['text']}' ({least['tag']}.{least['cls']}) is {size:.1f}px, below {floor:.1f}px"
    assert page.evaluate(MID_WORD_BREAKS, "main") == [], where
    assert page.evaluate(ONE_LINE, ".count, .page-of"), f"{where}: a count wraps"


def first_note(page, quadrant: str) -> str:
    return page.locator(f"#notes-{quadrant} > li:visible").first.inner_text().replace("\u00ad", "")


@pytest.mark.parametrize("size", SIZES)
def test_the_projector_is_readable_from_the_back_row(server, browser, sockets, size):
    viewport = SIZES[size]
    room = Room(server, sockets, title="Samverkan kring psykisk hälsa och beroende i Gävleborg",
                organisation="Region Gävleborg", date="2025-03-18", votes_per_participant=5)
    played = play_room(room)
    facilitator, phones, items = played["facilitator"], played["phones"], played["items"]
    proj = Watched(browser, viewport)
    projector = proj.page
    projector.goto(room.created["projector_url"])
    for quadrant in QUADRANTS:
        expect(projector.locator(f'[data-count="{quadrant}"]')).to_have_text("15")
    expect(projector.locator("#conn")).to_have_attribute("data-state", "online")

    # Collect: each box shows what fits at the size, the newest first, and turns its pages.
    for quadrant in QUADRANTS:
        expect(projector.locator(f'[data-page-of="notes-{quadrant}"]')).to_have_text(re.compile(r"^1/[2-9]$"))
        assert first_note(projector, quadrant) == NOTES[quadrant][-1]
        assert 2 <= projector.locator(f"#notes-{quadrant} > li:visible").count() < 15
    assert_back_row(projector, viewport, "collect")
    assert projector.evaluate(WHOLE, ".note"), "a note is split across columns"
    assert projector.evaluate("() => document.documentElement.scrollHeight <= innerHeight")
    screenshot(projector, f"10-projector-collect-{size}")
    expect(projector.locator('[data-page-of="notes-strengths"]')).to_have_text(re.compile(r"^2/"), timeout=TURN)
    assert first_note(projector, "strengths") != NOTES["strengths"][-1]
    assert_back_row(projector, viewport, "collect, page 2")

    # Clustering: the themes with their counts, whole cards, the legend of the colours.
    make_themes(facilitator, items)
    facilitator.ok("set_phase", {"phase": "cluster"})
    expect(projector.locator("#theme-board .theme-card")).to_have_count(9)  # eight themes and the notes in none
    expect(projector.locator("#theme-board .theme-card.unsorted .count")).to_have_text("29")
    expect(projector.locator(".legend li")).to_have_text(["Styrkor", "Svagheter", "Möjligheter", "Hot"])
    swatches = projector.evaluate("() => [...document.querySelectorAll('.legend .swatch')].map(s => getComputedStyle(s).backgroundColor)")
    assert swatches == [f"rgb({int(INK[q][:2], 16)}, {int(INK[q][2:4], 16)}, {int(INK[q][4:], 16)})" for q in QUADRANTS]
    assert_back_row(projector, viewport, "cluster")
    assert projector.evaluate(WHOLE, ".theme-card"), "a theme card is split across columns"
    screenshot(projector, f"10-projector-cluster-{size}")

    # The spotlight: one note large, then a theme with its notes, then taken away.
    long_note = items["threats"][12]
    facilitator.ok("spotlight", {"kind": "item", "id": long_note})
    spot = projector.locator("#spotlight")
    expect(spot).to_be_visible()
    expect(projector.locator("#spotlight-title")).to_have_text("Hot")
    assert projector.locator("#spotlight-text").inner_text().replace("\u00ad", "") == NOTES["threats"][12]
    expect(projector.locator("#theme-board")).to_be_hidden()
    assert projector.evaluate("() => { const e = document.getElementById('spotlight-text'); return e.scrollHeight <= e.clientHeight + 1; }")
    assert_back_row(projector, viewport, "spotlight on a note")
    screenshot(projector, f"10-projector-spotlight-note-{size}")
    theme = room.state()["themes"][2]
    facilitator.ok("spotlight", {"kind": "theme", "id": theme["id"]})
    expect(projector.locator("#spotlight-list > li")).to_have_count(len(theme["item_ids"]))
    assert projector.locator("#spotlight-title").inner_text().replace("\u00ad", "") == theme["title"]
    assert_back_row(projector, viewport, "spotlight on a theme")
    facilitator.ok("spotlight", None)
    expect(spot).to_be_hidden()
    expect(projector.locator("#theme-board")).to_be_visible()

    # Voting: dots used of all dots and people done, as the room votes.
    facilitator.ok("set_phase", {"phase": "vote"})
    progress = projector.locator("#vote-progress")
    expect(progress).to_have_text("0 av 150 prickar · 0 av 30 klara")
    themes = [t["id"] for t in room.state()["themes"]]
    for n, phone in enumerate(phones[:10]):
        for k in range(5 if n < 4 else 2):
            phone.ok("vote", {"theme_id": themes[(n + k) % len(themes)]})
    expect(progress).to_have_text("32 av 150 prickar · 4 av 30 klara")
    assert_back_row(projector, viewport, "vote")
    screenshot(projector, f"10-projector-vote-{size}")
    assert_accessible(projector, f"projector {size}")
    assert not proj.errors, proj.errors
    proj.close()


def test_a_spotlight_shown_before_the_projector_opened_is_on_it(server, browser, sockets):
    room = Room(server, sockets)
    facilitator = room.facilitator()
    facilitator.ok("post_item", {"quadrant": "opportunities", "text": "Mobila team som kan åka ut på kvällar och helger"})
    facilitator.ok("spotlight", {"kind": "quadrant", "quadrant": "opportunities"})
    proj = Watched(browser, PROJECTOR)
    proj.page.goto(room.created["projector_url"])
    expect(proj.page.locator("#spotlight-title")).to_have_text("Möjligheter")
    expect(proj.page.locator("#spotlight-list > li")).to_have_text(["Mobila team som kan åka ut på kvällar och helger"])
    facilitator.ok("set_phase", {"phase": "cluster"})  # a new phase takes it away
    expect(proj.page.locator("#spotlight")).to_be_hidden()
    proj.close()


def test_the_facilitator_shows_a_box_a_note_and_a_theme_from_the_console_and_takes_it_away(server, browser, sockets):
    room = Room(server, sockets)
    phone = room.phone("Kerstin")
    for text in ("Hög personalomsättning", "Bostadsbristen gör att personer skrivs ut till ingenting"):
        phone.ok("post_item", {"quadrant": "threats", "text": text})
    note = phone.ok("post_item", {"quadrant": "strengths", "text": "Kort väg mellan förvaltningarna"})["item"]
    fac, proj = Watched(browser, LAPTOP), Watched(browser, PROJECTOR)
    console, projector = fac.page, proj.page
    console.goto(room.created["console_url"])
    projector.goto(room.created["projector_url"])
    for page in (console, projector):  # a busy machine may take a while to connect
        expect(page.locator("#conn")).to_have_attribute("data-state", "online", timeout=15_000)
    panel = console.locator("#spotlight-panel")
    expect(panel.locator("#spotlight-state")).to_have_text("Inget visas stort på projektorn.")
    expect(panel.locator("#spotlight-off")).to_be_disabled()

    panel.get_by_role("button", name="Hot").click()
    expect(projector.locator("#spotlight-title")).to_have_text("Hot")
    expect(projector.locator("#spotlight-list > li")).to_have_count(2)
    expect(projector.locator("#spotlight-list > li").first).to_have_text("Bostadsbristen gör att personer skrivs ut till ingenting")
    expect(panel.locator("#spotlight-state")).to_have_text("På projektorn nu: Hot")
    expect(panel.get_by_role("button", name="Hot")).to_have_attribute("aria-pressed", "true")

    panel.get_by_label("En lapp").select_option(str(note["id"]))
    panel.get_by_role("button", name="Visa lappen").click()
    expect(projector.locator("#spotlight-title")).to_have_text("Styrkor")
    assert projector.locator("#spotlight-text").inner_text().replace("\u00ad", "") == note["text"]
    expect(panel.locator("#spotlight-state")).to_have_text(f"På projektorn nu: {note['text']}")
    screenshot(console, "10-console-spotlight-panel")

    facilitator = room.facilitator()
    theme = facilitator.ok("create_theme", {"title": "Samverkan", "item_ids": [note["id"]]})["theme"]
    expect(panel.get_by_label("Ett tema med dess lappar").locator("option")).to_have_text(["Välj…", "Samverkan"])
    panel.get_by_label("Ett tema med dess lappar").select_option(str(theme["id"]))
    panel.get_by_role("button", name="Visa temat").click()
    expect(projector.locator("#spotlight-title")).to_have_text("Samverkan")
    expect(projector.locator(".legend")).to_be_visible()  # the theme's notes show their boxes' colours

    panel.get_by_role("button", name="Ta bort från projektorn").click()
    expect(projector.locator("#spotlight")).to_be_hidden()
    expect(panel.locator("#spotlight-state")).to_have_text("Inget visas stort på projektorn.")
    assert not fac.errors and not proj.errors, (fac.errors, proj.errors)
    fac.close()
    proj.close()


def test_a_board_of_300_items_turns_pages_and_never_shrinks(server, browser, sockets):
    ws = server.create_workshop(title="Trehundra lappar")
    facilitator = sockets(server.url, {"code": ws["code"], "facilitator_token": ws["facilitator_token"]})
    words = "samverkan boendestöd dagverksamhet personal deltagare struktur vardag arbete psykiatri kontinuitet".split()
    ids = []
    for n in range(300):
        text = " ".join(words[(n * 7 + k) % len(words)] for k in range(3 + n % 14)).capitalize()
        if n % 50 == 0:
            text = ("Ett långt inlägg som fortsätter " * 15)[:500]
        quadrant = QUADRANTS[n % 4]
        ids.append(facilitator.ok("post_item", {"quadrant": quadrant, "text": text})["item"]["id"])
    proj = Watched(browser, PROJECTOR)
    projector = proj.page
    projector.goto(ws["projector_url"])
    for quadrant in QUADRANTS:
        expect(projector.locator(f'[data-count="{quadrant}"]')).to_have_text("75")
    expect(projector.locator('[data-page-of="notes-threats"]')).to_have_text(re.compile(r"^1/\d\d?$"))
    assert_back_row(projector, PROJECTOR, "300 items")
    assert projector.evaluate("() => document.documentElement.scrollHeight <= innerHeight")
    screenshot(projector, "06-300-items-collect-projector")
    for k in range(30):
        facilitator.ok("create_theme", {"title": f"Tema {k + 1} om samverkan", "item_ids": ids[k * 10:(k + 1) * 10]})
    facilitator.ok("set_phase", {"phase": "cluster"})
    expect(projector.locator("#theme-board .theme-card")).to_have_count(30)  # every note is in a theme
    expect(projector.locator('[data-page-of="theme-board"]')).to_have_text(re.compile(r"^1/[2-9]$"))
    assert_back_row(projector, PROJECTOR, "30 themes")
    assert projector.evaluate(WHOLE, ".theme-card:not(.off-page)")
    screenshot(projector, "06-300-items-cluster-projector")
    assert_accessible(projector, "300 items")
    facilitator.ok("set_phase", {"phase": "vote"})
    facilitator.ok("reveal_tallies")
    expect(projector.locator("#results .result")).to_have_count(30)
    expect(projector.locator('[data-page-of="results"]')).to_have_text(re.compile(r"^1/[2-9]$"))  # rows that fit, never smaller
    assert 1 < projector.locator("#results .result:visible").count() < 30
    assert_back_row(projector, PROJECTOR, "30 results")
    proj.close()


def test_the_join_code_and_link_fit_their_panel_whatever_the_letters(server, browser):
    ws = server.create_workshop(title="Kod")
    proj = Watched(browser, PROJECTOR)
    projector = proj.page
    projector.goto(ws["projector_url"])
    expect(projector.locator("#join-code")).to_have_text(ws["code"])
    expect(projector.locator("#conn")).to_have_attribute("data-state", "online")  # the live board has rendered
    projector.evaluate("() => document.fonts.ready")
    panel = projector.evaluate("() => document.querySelector('.join-panel').clientWidth")
    for widest in ("WWWWWW", "MWMWMW", "4A7TMF"):
        width = projector.evaluate("t => { const e = document.getElementById('join-code'); e.textContent = t; return e.scrollWidth; }", widest)
        assert width <= panel, (widest, width, panel)
    # A long address breaks before the code, never inside it.
    code_part = projector.locator(".join-url .code-part")
    expect(code_part).to_have_text(ws["code"])
    assert projector.evaluate("() => document.querySelector('.join-url .code-part').getClientRects().length") == 1
    proj.close()


def test_revealed_results_stay_large_with_many_themes_and_two_digit_counts(server, browser, sockets):
    ws = server.create_workshop(title="Många teman", votes_per_participant=20, max_votes_per_theme=20)
    facilitator = sockets(server.url, {"code": ws["code"], "facilitator_token": ws["facilitator_token"]})
    phone = sockets(server.url, {"code": ws["code"], "name": "Kerstin"})
    facilitator.ok("set_phase", {"phase": "cluster"})
    titles = ["Integrerad vård vid samsjuklighet", "Samordnad individuell plan (SIP) i tid", "Brukar- och anhörigmedverkan",
              "Långsiktighet och kompetens", "Boende, arbete och försörjning", "Unga och tidiga insatser"]
    themes = [facilitator.ok("create_theme", {"title": title})["theme"]["id"] for title in titles]
    facilitator.ok("set_phase", {"phase": "vote"})
    for _ in range(12):
        phone.ok("vote", {"theme_id": themes[0]})
    for theme in themes[1:]:
        phone.ok("vote", {"theme_id": theme})
    facilitator.ok("reveal_tallies")
    proj = Watched(browser, PROJECTOR)
    projector = proj.page
    projector.goto(ws["projector_url"])
    expect(projector.locator("#results .result")).to_have_count(6)
    expect(projector.locator("#results .result-votes").first).to_have_text("12 prickar")
    size = projector.evaluate("() => parseFloat(getComputedStyle(document.querySelector('#results .result-title')).fontSize)")
    assert size >= 30, f"result titles shrank to {size}px"  # readable from the back row at 1920x1080
    assert_back_row(projector, PROJECTOR, "results")
    expect(projector.locator("#vote-progress")).to_be_hidden()  # voting is closed once the results are shown
    screenshot(projector, "07-many-themes-results-projector")
    proj.close()
