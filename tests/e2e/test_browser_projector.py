"""The projector with a full board: 300 items still fit at 1920x1080 (the type shrinks, nothing is clipped)."""
import pytest

from .browser_support import PROJECTOR, Watched, assert_accessible, screenshot

expect = pytest.importorskip("playwright.sync_api").expect


FITS = """sel => [...document.querySelectorAll(sel)].every(el =>
    el.scrollHeight <= el.clientHeight + 1 && el.scrollWidth <= el.clientWidth + 1)"""


def test_a_board_of_300_items_fits_the_projector(server, browser, sockets):
    ws = server.create_workshop(title="Trehundra lappar")
    facilitator = sockets(server.url, {"code": ws["code"], "facilitator_token": ws["facilitator_token"]})
    words = "samverkan boendestöd dagverksamhet personal deltagare struktur vardag arbete psykiatri kontinuitet".split()
    ids = []
    for n in range(300):
        text = " ".join(words[(n * 7 + k) % len(words)] for k in range(3 + n % 14)).capitalize()
        if n % 50 == 0:
            text = ("Ett långt inlägg som fortsätter " * 15)[:500]
        quadrant = ("strengths", "weaknesses", "opportunities", "threats")[n % 4]
        ids.append(facilitator.ok("post_item", {"quadrant": quadrant, "text": text})["item"]["id"])
    proj = Watched(browser, PROJECTOR)
    projector = proj.page
    projector.goto(ws["projector_url"])
    for quadrant, count in (("strengths", "75"), ("threats", "75")):
        expect(projector.locator(f'[data-count="{quadrant}"]')).to_have_text(count)
    expect(projector.locator(".note")).to_have_count(300)
    assert projector.evaluate(FITS, ".notes-board"), "a quadrant clips its notes"
    assert projector.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.note')).fontSize)") >= 4.5
    assert projector.evaluate("() => document.documentElement.scrollHeight <= innerHeight")
    screenshot(projector, "06-300-items-collect-projector")
    for k in range(8):
        facilitator.ok("create_theme", {"title": f"Tema {k + 1}", "item_ids": ids[k * 35:(k + 1) * 35]})
    facilitator.ok("set_phase", {"phase": "cluster"})
    expect(projector.locator(".theme-card")).to_have_count(9)
    expect(projector.locator(".theme-items li")).to_have_count(300)
    assert projector.evaluate(FITS, ".theme-board"), "the theme board clips"
    screenshot(projector, "06-300-items-cluster-projector")
    assert_accessible(projector, "300 items")
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
    assert projector.evaluate(FITS, "#results")
    screenshot(projector, "07-many-themes-results-projector")
    proj.close()
