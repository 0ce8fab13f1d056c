"""A short workshop played in a real browser: the console, the projector and three phones."""
import re

import pytest

from .browser_support import LAPTOP, PHONE, PROJECTOR, Watched, assert_accessible, screenshot

expect = pytest.importorskip("playwright.sync_api").expect

HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
QUICK = 2000  # ms: what a phone posts is on the projector within 2 s


def post(page, quadrant, text):
    page.click(f"label[for=q-{quadrant}]")
    page.fill("#post-text", text)
    page.click("#post-form button[type=submit]")


def on_board(projector, quadrant, text):
    return projector.locator(f'.notes-board[data-quadrant="{quadrant}"] .note').get_by_text(text, exact=True)


def tick(console, text):
    console.locator("li.item", has_text=text).locator("label").click()


def theme_id(console, title):
    return console.locator("#theme-list > li", has=console.locator("h4", has_text=title)).get_attribute("data-theme-id")


def check_all(screens, name):
    """axe on every screen as it is now, and a screenshot of each."""
    for label, watched in screens.items():
        assert_accessible(watched.page, f"{name} {label}")
        screenshot(watched.page, f"{name}-{label}")


def create_workshop(console):
    console.fill("#title", "Lotsen – samverkan kring dagverksamhet")
    console.fill("#date", "2021-09-14")
    console.fill("#organisation", "Linköpings kommun")
    console.fill("#location", "Apotekaregatan 13")
    console.fill("#purpose", "Samla erfarenheter inför förlängningen av uppdraget.")
    console.fill("#questions", "Hur ser samverkan ut i dag?\nVilka områden vill vi fokusera på?")
    console.fill("#facilitators", "Linda Ljungqvist")
    console.fill("#max_votes_per_theme", "2")
    console.fill("#group_capacity", "2")
    console.click("#submit")


def test_a_short_workshop_on_every_screen(server, browser):
    fac = Watched(browser, LAPTOP)
    console = fac.page
    console.goto(server.url + "/console/")
    assert_accessible(console, "console start")
    screenshot(console, "00-console-start")
    create_workshop(console)
    expect(console.locator("h1")).to_have_text("Workshopen är klar")
    console_url = console.locator("#console-link").get_attribute("href")
    projector_url = console.locator("#projector-link").get_attribute("href")
    join_url = console.locator("#join-link").get_attribute("href")
    code = join_url.rsplit("/", 1)[1]
    assert re.search(rf"/console/{code}\?key=.{{20,}}", console_url)
    assert_accessible(console, "console created")
    screenshot(console, "00-console-created")
    console.get_by_role("link", name="Öppna konsolen").click()
    expect(console.locator("#conn")).to_have_attribute("data-state", "online")
    assert "key=" not in console.url and console.url.endswith(f"/console/{code}")

    proj = Watched(browser, PROJECTOR)
    projector = proj.page
    projector.goto(projector_url)
    expect(projector.locator("#join-code")).to_have_text(code)
    expect(projector.locator(".join-url")).to_have_text(join_url.split("://", 1)[1])
    expect(projector.locator("#conn")).to_have_attribute("data-state", "online")
    assert projector.evaluate("() => document.querySelector('.qr').naturalWidth") > 100

    phones = []
    for n, (name, organisation) in enumerate([("Kerstin Nordin", "Mini-Maria"), ("Rickard Larsson", "Behandlingsgrupperna"), ("", "")]):
        phone = Watched(browser, PHONE, is_mobile=True, has_touch=True)
        phone.page.goto(join_url)
        expect(phone.page.locator("#join-heading")).to_have_text("Gå med i workshopen")
        if n == 0:
            assert_accessible(phone.page, "phone join")
            screenshot(phone.page, "00-phone-join")
        phone.page.fill("#name", name)
        phone.page.fill("#organisation", organisation)
        phone.page.click("#submit")
        expect(phone.page.locator("#phase-name")).to_have_text("Samla")
        expect(phone.page.locator("#conn")).to_have_attribute("data-state", "online")
        phones.append(phone)
    p1, p2, p3 = (p.page for p in phones)
    expect(projector.locator("#people")).to_have_text("3 deltagare")
    expect(console.locator("#presence")).to_have_text("3 deltagare · 3 anslutna")
    screens = {"console": fac, "projector": proj, "phone1": phones[0], "phone3": phones[2]}

    # Collect: items reach the projector within two seconds; hostile text stays text.
    posts = [(p1, "strengths", "Personalen känner deltagarna väl"), (p2, "strengths", "Gemensam matlagning ger struktur"),
             (p3, "weaknesses", "Samverkan saknar systematik"), (p1, "opportunities", "Fler arbetsträningsplatser"),
             (p2, "threats", "Korta projekt utan fortsättning"), (p3, "threats", HOSTILE)]
    for page, quadrant, text in posts:
        post(page, quadrant, text)
        expect(on_board(projector, quadrant, text)).to_be_visible(timeout=QUICK)
        expect(page.locator("#my-items")).to_contain_text(text)
    expect(projector.locator('[data-count="strengths"]')).to_have_text("2")
    expect(projector.locator('[data-count="threats"]')).to_have_text("2")
    expect(console.locator("#note-cards li.item")).to_have_count(6)
    expect(console.locator("#note-cards").get_by_text(HOSTILE, exact=True)).to_be_visible()
    post(p1, "weaknesses", "Dubblett")
    expect(on_board(projector, "weaknesses", "Dubblett")).to_be_visible(timeout=QUICK)
    post(p2, "threats", "Fel ruta")
    expect(on_board(projector, "threats", "Fel ruta")).to_be_visible(timeout=QUICK)
    card = p2.locator("#my-items li", has_text="Fel ruta")
    card.get_by_role("button", name="Ta bort").click()
    p2.locator("#my-items .button.danger").click()
    expect(on_board(projector, "threats", "Fel ruta")).to_have_count(0)
    p2.locator("#my-items li", has_text="Gemensam matlagning").get_by_role("button", name="Ändra").click()
    p2.locator("#my-items textarea").fill("Gemensam matlagning ger struktur och samvaro")
    p2.get_by_role("button", name="Spara").click()
    expect(on_board(projector, "strengths", "Gemensam matlagning ger struktur och samvaro")).to_be_visible(timeout=QUICK)
    console.fill("#timer-minutes", "2")
    console.get_by_role("button", name="Starta timern").click()
    for page in (projector, p1, console):
        expect(page.locator("#timer .timer-value")).to_have_text(re.compile(r"^(2:00|1:[0-5]\d)$"))
    console.fill("#quote-text", "Vi har olika glasögon på oss")
    console.fill("#quote-speaker", "Kerstin Nordin")
    console.fill("#quote-role", "Mini-Maria")
    console.get_by_role("button", name="Spara citatet").click()
    expect(console.locator("#quote-list")).to_contain_text("Vi har olika glasögon på oss – Kerstin Nordin, Mini-Maria")
    expect(console.locator("#quote-text")).to_have_value("")
    check_all(screens, "01-collect")

    # Cluster: tick with the mouse and the keyboard, make themes, merge, rename, move, drag, hide.
    console.click("[data-set-phase=cluster]")
    expect(p1.locator("#phase-name")).to_have_text("Teman")
    expect(projector.locator("#s-cluster")).to_be_visible()
    tick(console, "Personalen känner deltagarna väl")
    tick(console, "Samverkan saknar systematik")
    expect(console.locator("#selected-count")).to_have_text("2 markerade")
    console.fill("#theme-title", "Samverkan")
    console.get_by_role("button", name="Gör ett tema av de markerade lapparna").click()
    expect(projector.locator(".theme-card h2", has_text="Samverkan")).to_be_visible(timeout=QUICK)
    console.locator("li.item", has_text="Gemensam matlagning").locator("input[type=checkbox]").focus()
    console.keyboard.press("Space")
    console.fill("#theme-title", "Struktur")
    console.keyboard.press("Enter")
    tick(console, "Fler arbetsträningsplatser")
    console.fill("#theme-title", "Samarbete")
    console.keyboard.press("Enter")
    expect(console.locator("#theme-list > li")).to_have_count(3)
    merged = theme_id(console, "Samarbete")
    console.locator(f"[data-focus='do-merge-{merged}']").click()  # the themes to merge into, in a list to choose from
    console.locator("dialog.picker-dialog").get_by_role("button", name="Samverkan").click()
    expect(console.locator("#theme-list > li")).to_have_count(2)
    structure = theme_id(console, "Struktur")
    console.locator(f"[data-focus='ren-{structure}']").click()
    console.fill(f"#rename-{structure}", "Struktur och vardag")
    console.keyboard.press("Enter")
    expect(projector.locator(f'.theme-card[data-theme-id="{structure}"] h2')).to_contain_text("Struktur och vardag", timeout=QUICK)
    tick(console, "Fler arbetsträningsplatser")
    console.locator(f"[data-focus='move-{structure}']").click()
    expect(projector.locator(f'.theme-card[data-theme-id="{structure}"]')).to_contain_text("Fler arbetsträningsplatser", timeout=QUICK)
    dragged = console.locator("#note-cards li.item", has_text="Korta projekt").locator(".item-text")
    dragged.hover()
    console.mouse.down()
    console.locator(f'#theme-list > li[data-theme-id="{structure}"] h4').hover()
    console.locator(f'#theme-list > li[data-theme-id="{structure}"] h4').hover()
    console.mouse.up()
    expect(projector.locator(f'.theme-card[data-theme-id="{structure}"]')).to_contain_text("Korta projekt", timeout=QUICK)
    tick(console, HOSTILE)
    console.get_by_role("button", name="Dölj / visa").click()  # what to do with the ticked notes, beside the themes
    expect(projector.locator("#s-cluster").get_by_text(HOSTILE, exact=True)).to_have_count(0, timeout=QUICK)
    expect(p3.locator("#theme-list")).to_contain_text("Struktur och vardag")
    tick(console, "Dubblett")
    console.get_by_role("button", name="Ta bort …").click()
    console.locator("dialog.confirm-dialog").get_by_role("button", name="Ta bort").click()  # it cannot be undone: asked first
    expect(projector.locator("#s-cluster").get_by_text("Dubblett")).to_have_count(0, timeout=QUICK)
    expect(p1.locator("#my-items")).not_to_contain_text("Dubblett")
    samverkan = theme_id(console, "Samverkan")
    expect(projector.locator(f'.theme-card[data-theme-id="{samverkan}"] .theme-items li')).to_have_count(2)
    check_all(screens, "02-cluster")

    # Vote: dots with exact budgets; the projector shows no tallies until they are revealed.
    console.click("[data-set-phase=vote]")
    card = lambda page, tid: page.locator(f'#vote-cards li[data-theme-id="{tid}"]')  # noqa: E731
    expect(p1.locator("#votes-left")).to_have_text("Prickar kvar: 3 av 3")
    for _ in range(2):
        card(p1, samverkan).get_by_role("button", name="Lägg en prick").click()
    expect(card(p1, samverkan)).to_contain_text("Högst 2 prickar på ett tema.")
    expect(card(p1, samverkan).get_by_role("button", name="Lägg en prick")).to_be_disabled()
    card(p1, structure).get_by_role("button", name="Lägg en prick").click()
    expect(p1.locator("#votes-left")).to_have_text("Du har använt alla dina prickar. Ta tillbaka en om du vill flytta den.")
    card(p1, structure).get_by_role("button", name="Ta tillbaka en prick").click()
    expect(p1.locator("#votes-left")).to_have_text("Prickar kvar: 1 av 3")
    for _ in range(2):
        card(p2, structure).get_by_role("button", name="Lägg en prick").click()
    card(p3, samverkan).get_by_role("button", name="Lägg en prick").click()
    expect(p3.locator("#votes-left")).to_have_text("Prickar kvar: 2 av 3")
    expect(console.locator("#tally-list li").first).to_have_text("Samverkan: 3 prickar")
    expect(projector.locator("#vote-lead")).to_have_text("Sätt dina prickar i mobilen")  # the room's wording, not the facilitator's
    expect(projector.locator("#results")).to_be_hidden()
    check_all(screens, "03-vote")
    console.get_by_role("button", name="Visa resultatet på projektorn").click()
    expect(projector.locator("#results .result")).to_have_count(2, timeout=QUICK)
    expect(projector.locator("#results .result").first).to_contain_text("Samverkan")
    expect(projector.locator("#results .result").first).to_contain_text("3 prickar")
    expect(projector.locator("#results .result").nth(1)).to_contain_text("2 prickar")
    check_all({"projector": proj}, "03-vote-revealed")

    # Groups: the top two themes; capacity 2; notes live, a summary.
    console.click("[data-set-phase=groups]")
    console.locator("#groups-pick label", has_text="Struktur och vardag").click()
    console.get_by_role("button", name="Bilda grupper av de valda temana").click()
    expect(p1.locator("#group-list > li")).to_have_count(1)
    expect(p1.locator("#group-list")).to_contain_text("Struktur och vardag")
    console.fill("#groups-top", "2")
    console.get_by_role("button", name="Bilda grupperna").click()
    expect(p1.locator("#group-list > li")).to_have_count(2)
    first = p1.locator("#group-list > li").first.get_attribute("data-group-id")
    group = lambda page, gid: page.locator(f'#group-list > li[data-group-id="{gid}"]')  # noqa: E731
    group(p1, first).get_by_role("button", name="Gå med i gruppen").click()
    group(p2, first).get_by_role("button", name="Gå med i gruppen").click()
    expect(group(p3, first).get_by_role("button", name="Full")).to_be_disabled()
    p3.locator("#group-list > li").nth(1).get_by_role("button", name="Gå med i gruppen").click()
    expect(projector.locator(f'.group-card[data-group-id="{first}"] .members')).to_contain_text("Kerstin Nordin · Mini-Maria")
    expect(projector.locator(f'.group-card[data-group-id="{first}"]')).to_contain_text("2 av 2 platser tagna")
    expect(projector.locator(".group-card").nth(1)).to_contain_text("Deltagare 3")
    p1.fill("#note-text", "Vi behöver gemensamma rutiner vid utskrivning")
    p1.locator("[data-focus=note-send]").click()
    expect(p2.locator("#group-notes")).to_contain_text("Vi behöver gemensamma rutiner vid utskrivning", timeout=QUICK)
    p2.fill("#summary-text", "Samverkan kräver tydliga rutiner.")
    p2.locator("[data-focus=summary-save]").click()
    expect(console.locator(f'#group-admin li[data-group-id="{first}"]')).to_contain_text("Samverkan kräver tydliga rutiner.")
    expect(p1.locator("#summary-text")).to_have_value("Samverkan kräver tydliga rutiner.")
    console.locator(f"[data-focus='group-ren-{first}']").click()
    console.fill(f"#group-rename-{first}", "Samverkan vid utskrivning")
    console.keyboard.press("Enter")
    expect(projector.locator(f'.group-card[data-group-id="{first}"] h2')).to_have_text("Samverkan vid utskrivning", timeout=QUICK)
    expect(p1.locator("#my-group-title")).to_have_text("Samverkan vid utskrivning")
    check_all({**screens, "phone2": phones[1]}, "04-groups")

    # Close.
    console.click("[data-set-phase=closed]")
    console.get_by_role("button", name="Avsluta workshopen").click()  # closing asks first
    expect(p1.locator("#phase-closed")).to_be_visible()
    expect(projector.locator(".closed-thanks")).to_have_text("Tack för i dag!")
    expect(projector.locator("#main .note, #main .theme-card, #main .group-card")).to_have_count(0)  # a thank-you (the colour legend stays)
    console.fill("#conclusion", "Nästa steg: gemensamma rutiner.")
    console.get_by_role("button", name="Spara avslutningen").click()
    expect(console.locator("#flash")).to_have_text("Sparat.")
    check_all(screens, "05-closed")
    record = console.request.get(server.url + console.get_by_role("link", name="Markdown").get_attribute("href"))
    assert record.ok
    text = record.text()
    for expected in ("Tema 1: Samverkan vid utskrivning", "Vi behöver gemensamma rutiner vid utskrivning",
                     "Samverkan kräver tydliga rutiner.", "Vi har olika glasögon på oss", "Nästa steg: gemensamma rutiner."):
        assert expected in text, expected

    everyone = [fac, proj, *phones]
    for watched in everyone:
        for page in watched.context.pages:
            assert page.evaluate("() => window.__pwned") is None
        assert not watched.dialogs, watched.dialogs
        assert not watched.errors, watched.errors
        own = (server.url + "/", server.url.replace("http://", "ws://") + "/")
        strays = [url for url in watched.requests if not url.startswith(own)]
        assert not strays, f"requests outside the server: {strays}"
        for url, policy in watched.documents:
            assert "script-src 'self'" in policy and "unsafe-inline" not in policy, (url, policy)
        watched.close()

