"""The record page in a real browser: from the console, edited after the workshop, printed to PDF."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from facilitation import replay

from ..record_support import SCENARIO
from ..support import SocketClient
from .browser_support import LAPTOP, SCREENSHOTS, Watched, assert_accessible, screenshot

expect = pytest.importorskip("playwright.sync_api").expect


@pytest.fixture(scope="module")
def hemgang(server):
    """The Trygg hemgång scenario played on the module's server: a closed workshop with everything in it."""
    report = replay.replay(replay.load(SCENARIO), server.url)
    assert not report.failed_steps and report.stopped is None, report.as_dict()
    return report


def poppler(tool: str, *args: str) -> str:
    """Run one of poppler's tools (`make test` installs poppler-utils); skip where it is missing."""
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    return subprocess.run([tool, *args], check=True, timeout=60, capture_output=True, text=True).stdout


def pdf_pages(pdf: bytes, name: str) -> list[str]:
    """The PDF's pages as PNG files in screenshots/ (to look at)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.pdf"
    path.write_bytes(pdf)
    for old in SCREENSHOTS.glob(f"{name}-*.png"):
        old.unlink()
    poppler("pdftoppm", "-png", "-r", "70", str(path), str(SCREENSHOTS / name))
    return sorted(p.name for p in SCREENSHOTS.glob(f"{name}-*.png"))


def open_record(browser, server, ws: dict) -> Watched:
    fac = Watched(browser, LAPTOP)
    fac.page.goto(f"{server.url}/console/{ws['code']}?key={ws['facilitator_token']}")
    fac.page.goto(f"{server.url}/console/{ws['code']}/record")
    return fac


def test_the_record_page_from_the_console_edited_when_closed_and_printed(server, browser, hemgang):
    fac = Watched(browser, LAPTOP)
    console = fac.page
    console.goto(f"{server.url}/console/{hemgang.code}?key={hemgang.facilitator_token}")
    expect(console.locator("#conn")).to_have_attribute("data-state", "online")
    record = fac.new_page()
    record.goto(console.url)
    record.locator("#record-link").click()
    expect(record.locator("h1")).to_have_text("Dokumentation workshop 2023-03-21 Trygg hemgång – samverkan efter sjukhusvistelse")
    assert record.url.endswith(f"/console/{hemgang.code}/record")
    expect(record.locator("#draft-mark")).to_have_count(0)  # the replayed workshop is closed
    expect(record.locator("main h2")).to_have_text(["Inledning", "Dagens frågeställningar", "Reflekterande team",
                                                    "Samtalsrundor med SWOT och prioriteringar", "Möjliga vägar framåt",
                                                    "Bilaga: lappar utan tema"])
    expect(record.locator("#print-record")).to_be_visible()
    assert_accessible(record, "record page")
    policy = [csp for url, csp in fac.documents if url.endswith("/record")][-1]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "unsafe-inline" not in policy
    screenshot(record, "record-screen")

    # Edit mode, in phase closed: the closing text and the second group's summary.
    record.get_by_role("link", name="Redigera texterna").click()
    expect(record.locator("h1")).to_have_text("Redigera dokumentationens texter")
    assert_accessible(record, "record edit")
    screenshot(record, "record-edit")
    record.fill("#conclusion", "Tack för i dag!\n\nNästa träff blir i mars.")
    record.locator("fieldset", has_text="Tema 2: Personal och kontinuitet").get_by_label("Sammanfattning").fill(
        "Gruppen vill ha treåriga avtal <b>och</b> en plan för nyanställda.")
    record.get_by_role("button", name="Spara texterna").click()
    expect(record.locator("[role=status]")).to_have_text("Dokumentationens texter är sparade.")
    expect(record.locator("#closing p")).to_have_text(["Tack för i dag!", "Nästa träff blir i mars."])
    group = record.locator("#ways-forward article").nth(1)
    expect(group.locator(".summary p")).to_have_text("Gruppen vill ha treåriga avtal <b>och</b> en plan för nyanställda.")
    # The console that stayed open got the changes live.
    expect(console.locator("#conclusion")).to_have_value("Tack för i dag!\n\nNästa träff blir i mars.")
    expect(console.locator("#group-admin")).to_contain_text("en plan för nyanställda")

    # The print button opens the browser's print dialog (stubbed here: headless has none).
    record.evaluate("() => { window.print = () => { window.__printed = true; }; }")
    record.locator("#print-record").click()
    assert record.evaluate("() => window.__printed === true")

    # On paper: no navigation, buttons or links to downloads; the document itself stays.
    record.emulate_media(media="print")
    for hidden in (".record-bar", "#print-record", "#edit-record", ".downloads", "[role=status]"):
        expect(record.locator(hidden)).to_be_hidden()
    for kept in ("ol.ranked", "#unthemed"):  # the themes with their notes; the notes in no theme, in the appendix
        expect(record.locator(kept)).to_be_visible()
        assert record.evaluate(f"() => document.querySelector('{kept}').getBoundingClientRect().right <= window.innerWidth")
    screenshot(record, "record-print")
    pdf = record.pdf(format="A4", print_background=True)
    record.emulate_media(media="screen")
    expect(record.locator("#print-record")).to_be_visible()
    assert not fac.errors and not fac.dialogs
    assert all(url.startswith((server.url, server.url.replace("http", "ws"))) for url in fac.requests)
    fac.close()
    assert len(pdf_pages(pdf, "record-pdf")) >= 2


def test_a_long_draft_prints_every_item_across_its_pages(server, browser):
    ws = server.create_workshop(title="Lång lista", date="2024-05-02")
    writer = SocketClient(server.url, {"code": ws["code"], "name": "Skribent"})
    quadrants = ("strengths", "weaknesses", "opportunities", "threats")
    for n in range(90):
        writer.ok("post_item", {"quadrant": quadrants[n % 7 % 4],
                                "text": f"S{n:03d} är en synpunkt om samverkan, lång nog att ta två rader i tabellen"})
    writer.close()
    fac = open_record(browser, server, ws)
    fac.page.emulate_media(media="print")
    expect(fac.page.locator("#draft-mark")).to_be_visible()
    expect(fac.page.locator("table.swot")).to_have_class("swot")  # too long to keep on one page: it flows on
    pdf = fac.page.pdf(format="A4")
    fac.close()
    pages = pdf_pages(pdf, "record-long-pdf")
    text = poppler("pdftotext", str(SCREENSHOTS / "record-long-pdf.pdf"), "-")
    assert sorted(set(re.findall(r"S(\d{3}) är", text))) == [f"{n:03d}" for n in range(90)]
    assert text.split("\f")[0].lstrip().startswith("Utkast: Workshopen är inte avslutad")
    assert len(pages) >= 3
