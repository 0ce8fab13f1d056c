"""Issue 10, part C: the console for a real room at 1440x900. A 300-note workshop (30 people, near-identical
notes among them) clustered by keyboard alone; near-identical notes one card, merged in one step; filters,
search and orders; errors beside what caused them; one next step per phase and only its panels; the home page's
two choices; English chosen on the form for a new workshop; joining a workshop closed meanwhile."""
from __future__ import annotations

import random
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import requests

from .browser_support import LAPTOP, PHONE, Watched, assert_accessible, screenshot

expect = pytest.importorskip("playwright.sync_api").expect

SHOTS = Path("/tmp/shots-h10")
QUADRANTS = ("strengths", "weaknesses", "opportunities", "threats")
NOTES = {
    "strengths": ["Kort väg mellan förvaltningarna", "Engagerad personal som känner brukarna", "Bra samarbete med skolan",
                  "Tydliga rutiner vid utskrivning", "Stark lokal förankring", "Många frivilliga i föreningslivet",
                  "Gemensam matlagning ger struktur", "Snabb kontakt med socialtjänsten", "Kompetent första linje",
                  "Lång erfarenhet av samverkan"],
    "weaknesses": ["Brist på personal på kvällar och helger", "Samverkan saknar systematik", "För lite tid för uppföljning",
                   "Svårt att nå unga vuxna", "Olika journalsystem som inte pratar med varandra", "Hög personalomsättning",
                   "Otydligt vem som äger frågan", "Långa väntetider till psykiatrin", "Lokalerna är för trånga",
                   "Informationen når inte fram till anhöriga"],
    "opportunities": ["Digitala vårdmöten i glesbygden", "Gemensam utbildning för alla förvaltningar", "Fler arbetsträningsplatser",
                      "Ta tillvara brukarnas erfarenheter", "Samlokalisering av mottagningar", "Statliga medel för psykisk hälsa",
                      "Nätverk med grannkommunerna", "Förebyggande arbete i skolan", "Stöd från personer med egen erfarenhet",
                      "Gemensam handlingsplan med regionen"],
    "threats": ["Korta projekt utan fortsättning", "Minskade statsbidrag", "Ökad psykisk ohälsa bland unga",
                "Svårt att rekrytera sjuksköterskor", "Ny lagstiftning som ändrar ansvaret", "Ökande kostnader för placeringar",
                "Tystnadsplikten hindrar samarbete", "Personal som går i pension", "Polarisering i debatten",
                "Droger som blir lättare att få tag på"],
}
# How people type the same thought again: other case, a full stop, an exclamation, a space too many.
RETYPED = (str.lower, lambda s: s + ".", lambda s: s + "!", str.upper, lambda s: s.replace(" ", "  ", 1))
ADDED = ("i hela kommunen", "för alla åldrar", "och det märks", "särskilt på vintern")


def room_notes(count: int) -> list[tuple[str, str]]:
    """`count` notes as a room writes them: every thought once, then the popular ones again and again."""
    rng = random.Random(10)
    notes = [(q, text) for q in QUADRANTS for text in NOTES[q]]
    while len(notes) < count:
        q = rng.choice(QUADRANTS)
        text = rng.choice(NOTES[q][:5])
        notes.append((q, rng.choice(RETYPED)(text) if len(notes) % 4 else f"{text} {rng.choice(ADDED)}"))
    return notes[:count]


def seeded(server, sockets, count: int, phase: str = "cluster", **fields: Any) -> dict[str, Any]:
    """A workshop with 30 people who wrote `count` notes, in `phase`; its facilitator's socket in ["fac"]."""
    ws = server.create_workshop(title="Psykisk hälsa och beroende – länsgemensam workshop", organisation="Region Gävleborg",
                                questions=["Hur ser samverkan ut i dag?"], **fields)
    ws["server"] = server.url
    people = [sockets(server.url, {"code": ws["code"], "name": f"Person {n}" if n % 3 else "", "organisation": "Kommunen"})
              for n in range(30)]
    for n, (quadrant, text) in enumerate(room_notes(count)):
        people[n % 30].ok("post_item", {"quadrant": quadrant, "text": text})
    facilitating(ws, sockets)
    if phase != "collect":
        ws["fac"].ok("set_phase", {"phase": phase})
    ws["people"] = people
    return ws


def facilitating(ws, sockets) -> None:
    """The facilitator's socket in ws["fac"], and ws["board"](): the notes as the server holds them now."""
    auth = {"code": ws["code"], "facilitator_token": ws["facilitator_token"]}
    ws["fac"] = sockets(ws["server"], auth)
    ws["board"] = lambda: sockets(ws["server"], auth).snapshot["items"]


def console_of(browser, ws):
    fac = Watched(browser, LAPTOP)
    fac.page.goto(ws["console_url"])
    expect(fac.page.locator("#conn")).to_have_attribute("data-state", "online")
    return fac


def shot(page, name: str) -> None:
    """A screenshot of the window (what the facilitator sees first) and of the whole page, kept for looking at."""
    path = screenshot(page, f"h10-{name}-full")
    page.screenshot(path=str(path.with_name(f"h10-{name}.png")))
    SHOTS.mkdir(exist_ok=True)
    for kept in (path, path.with_name(f"h10-{name}.png")):
        shutil.copy(kept, SHOTS / kept.name)


FOCUSED_CARD = "() => { const li = document.activeElement.closest('#note-cards > li.card'); " \
               "return li ? [[...li.parentElement.children].indexOf(li), li.querySelector('.item-text').textContent] : null; }"


def focused_card(page):
    return page.evaluate(FOCUSED_CARD)


def cards_shown(page) -> int:
    return page.locator("#note-cards > li.card").count()


def choose_box(keys, page, quadrant: str) -> None:
    """The box filter by keyboard: to the search field (/ unless already there), back to the radio group, arrows to the box."""
    if page.evaluate("() => document.activeElement.id") != "note-search":
        keys.press("/")
    keys.press("Shift+Tab")
    order = ["", *QUADRANTS]
    now = page.evaluate("() => document.activeElement.value")
    for _ in range((order.index(quadrant) - order.index(now)) % len(order)):
        keys.press("ArrowRight")
    expect(page.locator(f"#filter-{quadrant or 'all'}")).to_be_checked()


def test_a_300_note_workshop_is_clustered_by_keyboard_alone(server, browser, sockets):
    ws = seeded(server, sockets, 300)
    fac = console_of(browser, ws)
    page, keys = fac.page, fac.page.keyboard
    expect(page.locator("#notes-summary")).to_contain_text("300 lappar")
    cards = cards_shown(page)
    assert cards < 150, "near-identical notes are one card"  # 300 notes, fewer than half as many cards
    assert_accessible(page, "console with 300 notes")
    shot(page, "cluster-300-start")

    # Only the notes not in a theme yet: Tab from the search field to "Visa", Down to its second choice.
    keys.press("/")
    keys.press("Tab")
    keys.press("ArrowDown")
    expect(page.locator("#note-place")).to_have_value("loose")

    titles = []
    for q in QUADRANTS:
        choose_box(keys, page, q)
        keys.press("Tab")  # the search field
        keys.press("ArrowDown")  # the first card
        shown = cards_shown(page)
        for _ in range(shown // 2):  # tick the first half, card by card
            keys.press("Space")
            keys.press("ArrowRight")
        here = focused_card(page)
        keys.press("n")
        expect(page.locator("#theme-title")).to_be_focused()
        title = f"{page.locator(f'label[for=filter-{q}]').inner_text().split()[0]}: första delen"
        keys.type(title)
        keys.press("Enter")
        titles.append(title)
        expect(page.locator("#theme-list > li.theme")).to_have_count(len(titles))
        # The ticked notes left this view; the focus is still on the card it was on, now first.
        expect(page.locator("#note-cards > li.card")).to_have_count(shown - shown // 2)
        expect(page.locator("#note-cards > li.card").first.locator("input")).to_be_focused()
        assert focused_card(page) == [0, here[1]]
        keys.press("a")  # tick the rest shown
        expect(page.locator("#selected-count")).not_to_have_text("0 markerade")
        keys.press("t")  # the theme picker: type to narrow, Enter takes the first
        expect(page.locator("#picker-filter")).to_be_focused()
        if q == "strengths":
            assert_accessible(page, "the theme picker")
            shot(page, "theme-picker")
        keys.type(title.split(":")[0])
        keys.press("Enter")
        expect(page.locator("#note-cards > li.card")).to_have_count(0)
        expect(page.locator("#note-cards")).to_contain_text("Inga lappar passar")

    # Every note is in a theme now; four themes hold the whole room.
    choose_box(keys, page, "")
    expect(page.locator("#notes-summary")).to_contain_text("0 lappar är inte i något tema än")
    assert all(item["theme_id"] for item in ws["board"]())

    # Another view: all notes, by box. A digit moves the focused card; the focus stays at its place.
    keys.press("/")
    keys.press("Tab")
    keys.press("ArrowUp")  # "Alla lappar"
    expect(page.locator("#note-place")).to_have_value("all")
    keys.press("Tab")
    keys.press("ArrowDown")  # "Nyaste först"
    expect(page.locator("#note-sort")).to_have_value("newest")
    keys.press("Tab")  # the first card
    keys.press("ArrowRight")
    keys.press("ArrowRight")
    at = focused_card(page)[0]
    keys.press("2")
    expect(page.locator("#flash")).to_contain_text(re.compile(f"flyttade? till ”{titles[1]}”"))
    assert focused_card(page)[0] == at, "a card moved to another theme keeps its place in 'newest first', and the focus too"
    expect(page.locator(f"#note-cards > li.card >> nth={at}")).to_contain_text(f"I ”{titles[1]}”")

    # Delete hides the card (undone by Ctrl+Z); the focus stays on it.
    keys.press("Delete")
    expect(page.locator(f"#note-cards > li.card >> nth={at}")).to_have_class(re.compile("is-hidden"))
    assert focused_card(page)[0] == at
    keys.press("Control+z")
    expect(page.locator(f"#note-cards > li.card >> nth={at}")).not_to_have_class(re.compile("is-hidden"))
    assert focused_card(page)[0] == at

    # R renames the theme of the card the focus is on; Enter saves and the focus comes back to the card.
    keys.press("r")
    rename = page.locator("#theme-list input[id^=rename-]")
    expect(rename).to_be_focused()
    keys.press("Control+a")
    keys.type("Personal och samverkan")
    keys.press("Enter")
    expect(page.locator("#theme-list")).to_contain_text("Personal och samverkan")
    assert focused_card(page)[0] == at

    # The themes: Shift+Tab from the cards' filters reaches the list (one tab stop), arrows move, Delete removes one.
    choose_box(keys, page, "")
    keys.press("Shift+Tab")
    expect(page.locator("#theme-list [data-focus^=move-]").first).to_be_focused()
    keys.press("ArrowDown")
    keys.press("ArrowDown")
    third = page.locator("#theme-list > li.theme").nth(2)
    expect(third.locator("[data-focus^=move-]")).to_be_focused()
    gone = third.locator("h4").inner_text()
    keys.press("Delete")  # no dots on it: removed at once, undoable
    expect(page.locator("#theme-list > li.theme")).to_have_count(3)
    expect(page.locator("#theme-list > li.theme").nth(2).locator("[data-focus^=move-]")).to_be_focused()  # the next one
    keys.press("Control+z")
    expect(page.locator("#theme-list > li.theme")).to_have_count(4)
    expect(page.locator("#theme-list")).to_contain_text(gone.split(" ")[0])

    # ? lists the keys; Escape closes it and the focus is back.
    keys.press("?")
    expect(page.locator("dialog.keys-dialog")).to_be_visible()
    assert_accessible(page, "the shortcuts")
    shot(page, "shortcuts")
    keys.press("Escape")
    expect(page.locator("dialog")).to_have_count(0)
    assert all(item["theme_id"] for item in ws["board"]())
    shot(page, "cluster-300-done")
    assert not fac.errors, fac.errors


def test_near_identical_notes_are_one_card_and_merge_in_one_step(server, browser, sockets):
    ws = server.create_workshop(title="Lika lappar")
    people = [sockets(server.url, {"code": ws["code"], "name": f"P{n}"}) for n in range(7)]
    copies = ["Kort väg mellan förvaltningarna", "kort väg mellan förvaltningarna", "Kort väg mellan förvaltningarna!",
              "KORT VÄG MELLAN FÖRVALTNINGARNA", "Kort väg  mellan förvaltningarna.", "Korta vägar mellan förvaltningarna",
              "kort väg mellan förvaltningarna"]
    for person, text in zip(people, copies):
        person.ok("post_item", {"quadrant": "strengths", "text": text})
    people[0].ok("post_item", {"quadrant": "strengths", "text": "Inte kort väg mellan förvaltningarna"})
    people[1].ok("post_item", {"quadrant": "weaknesses", "text": "Kort väg mellan förvaltningarna"})
    ws["server"] = server.url
    facilitating(ws, sockets)
    ws["fac"].ok("set_phase", {"phase": "cluster"})
    theme = ws["fac"].ok("create_theme", {"title": "Samverkan", "item_ids": []})["theme"]
    fac = console_of(browser, ws)
    page, keys = fac.page, fac.page.keyboard

    card = page.locator("#note-cards > li.card", has=page.locator(".copies"))
    expect(card).to_have_count(1)
    expect(card.locator(".copies")).to_contain_text("×7")
    expect(card.locator(".copies")).to_have_attribute("title", "7 nästan likadana lappar")
    expect(page.locator("#note-cards > li.card")).to_have_count(3)  # the negation and the other box stay apart
    shot(page, "near-identical")

    card.locator("input").focus()
    keys.press("Space")
    keys.press("1")  # one action: all seven into the theme, one undo step
    expect(page.locator("#theme-list h4")).to_contain_text("7 lappar")
    assert sorted(i["text"] for i in ws["board"]() if i["theme_id"]) == sorted(copies)
    expect(page.locator("#undo-what")).to_have_text("Ångra: lappar flyttade till ”Samverkan”")
    keys.press("Control+z")
    expect(page.locator("#theme-list h4")).to_contain_text("0 lappar")
    assert not any(i["theme_id"] for i in ws["board"]())

    # Keep one (M): the oldest stays, six copies hidden, so the record has the note once; the card still counts 7.
    card.locator("input").focus()
    keys.press("m")
    expect(page.locator("#flash")).to_have_text("6 kopior dolda; den äldsta lappen är kvar.")
    expect(card.locator(".item-flag")).to_have_text("6 dolda")
    assert sorted(i["text"] for i in ws["board"]() if i["hidden"]) == sorted(copies[1:])
    assert copies[0] in [i["text"] for i in ws["board"]() if not i["hidden"]]

    # A copy that comes after the card went into a theme shows where the others are, and joins them by one key.
    ws["fac"].ok("assign_items", {"theme_id": theme["id"], "item_ids": [i["id"] for i in ws["board"]()
                                                                       if i["quadrant"] == "strengths" and "Inte" not in i["text"]]})
    ws["fac"].ok("post_item", {"quadrant": "strengths", "text": "Kort väg mellan förvaltningarna!!"})  # (sorting: the facilitator writes)
    late = page.locator("#note-cards > li.card", has_text="Kort väg mellan förvaltningarna!!")
    expect(late.locator(".item-elsewhere")).to_have_text("7 till i ”Samverkan”")
    late.locator("input").focus()
    keys.press("1")
    expect(page.locator("#note-cards > li.card", has=page.locator(".copies"))).to_contain_text("×8")
    assert not fac.errors, fac.errors


def test_boxes_search_views_and_orders_are_instant(server, browser, sockets):
    ws = seeded(server, sockets, 60)
    fac = console_of(browser, ws)
    page = fac.page
    expect(page.locator("[data-filter-count='']")).to_have_text("(60)")
    expect(page.locator("[data-filter-count=threats]")).to_have_text(f"({sum(q == 'threats' for q, _ in room_notes(60))})")
    shot(page, "cluster-60")
    assert_accessible(page, "console with 60 notes")

    page.locator("label[for=filter-threats]").click()
    assert set(page.locator("#note-cards .chip").all_inner_texts()) == {"Hot"}
    page.locator("label[for=filter-all]").click()
    page.fill("#note-search", "forvaltning")  # accents folded: finds "förvaltningarna" and "förvaltningar"
    texts = page.locator("#note-cards .item-text").all_inner_texts()
    assert texts and all("förvaltning" in t.lower() for t in texts)
    page.fill("#note-search", "")
    page.select_option("#note-sort", "newest")
    newest = room_notes(60)[-1][1]
    expect(page.locator("#note-cards .item-text").first).to_have_text(newest)
    page.select_option("#note-sort", "quadrant")
    expect(page.locator("#note-cards .chip").first).to_have_text("Styrkor")
    expect(page.locator("#note-cards .chip").last).to_have_text("Hot")

    # A theme's notes: its "Visa lapparna" shows only them.
    ws["fac"].ok("create_theme", {"title": "Personal", "item_ids": [i["id"] for i in ws["board"]() if "personal" in i["text"].lower()]})
    theme = page.locator("#theme-list > li.theme", has_text="Personal")
    theme.get_by_role("button", name="Visa lapparna").click()
    expect(page.locator("#note-place")).to_have_value(theme.get_attribute("data-theme-id"))
    assert all("personal" in t.lower() for t in page.locator("#note-cards .item-text").all_inner_texts())
    assert not fac.errors, fac.errors


def near(page, error, control) -> bool:
    """The error is shown right by its control: within 150 px, and inside the window."""
    e, c = error.bounding_box(), control.bounding_box()
    return abs(e["y"] - (c["y"] + c["height"])) < 150 and 0 <= e["y"] < page.viewport_size["height"]


def test_errors_sit_beside_what_caused_them(server, browser, sockets):
    ws = seeded(server, sockets, 60)
    ws["fac"].ok("create_theme", {"title": "Samverkan", "item_ids": []})
    fac = console_of(browser, ws)
    page = fac.page
    theme = page.locator("#theme-list > li.theme").first

    move = theme.locator("[data-focus^=move-]")
    move.click(force=True)  # nothing ticked (aria-disabled, which Playwright would wait out; a person clicks it)
    error = theme.locator(".inline-error")
    expect(error).to_have_text("Markera en eller flera lappar först (mellanslag).")
    assert near(page, error, move)
    expect(page.locator("#flash")).to_have_text("")

    # Refused by the server: a theme title of only spaces, shown at the rename form (scrolled far down, too).
    page.mouse.wheel(0, 1500)
    theme.get_by_role("button", name="Byt namn").click()
    field = theme.locator("input[id^=rename-]")
    field.fill("   ")
    field.press("Enter")
    error = theme.locator(".inline-error")
    expect(error).to_have_text("Det gick inte. Kontrollera det du skrev och försök igen.")
    assert near(page, error, field)
    expect(page.locator("#flash")).to_have_text("")

    # A key with no theme behind it: said beside the card the focus is on.
    card = page.locator("#note-cards > li.card").nth(5)
    card.locator("input").focus()
    page.keyboard.press("7")
    expect(card.locator(".inline-error")).to_have_text("Det finns inget tema 7 än.")
    shot(page, "error-beside-card")
    assert not fac.errors, fac.errors


PRIMARY = "() => [...document.querySelectorAll('.controls .button.primary')].filter(b => b.offsetParent).map(b => b.textContent.trim())"
PANELS = "() => [...document.querySelectorAll('#phase-panels > section')].filter(s => !s.hidden).map(s => s.id)"


def test_one_next_step_per_phase_only_its_panels_and_downloads_first_once_closed(server, browser, sockets):
    ws = seeded(server, sockets, 60, phase="collect", votes_per_participant=2)
    fac = console_of(browser, ws)
    page = fac.page

    def step(name, primary, panels):
        expect(page.locator("#phase-now")).to_have_text(f"Nu: {name}")
        assert page.evaluate(PRIMARY) == ([primary] if primary else []), name
        assert page.evaluate(PANELS) == panels, name
        assert_accessible(page, f"console, {name}")
        shot(page, f"phase-{name.lower()}")

    step("Samla", "Nästa: sortera lapparna i teman →", ["board-panel", "spotlight-panel", "quotes-panel", "people-section"])
    page.locator("#next-step").click()
    step("Teman", "Nästa: låt alla rösta →", ["board-panel", "spotlight-panel", "quotes-panel", "people-section"])
    themes = [ws["fac"].ok("create_theme", {"title": title, "item_ids": [i["id"] for i in ws["board"]()
                                                                         if title.lower() in i["text"].lower()]})["theme"]
              for title in ("Personal", "Samverkan")]
    page.locator("#next-step").click()
    expect(page.locator("#reveal")).to_be_focused()  # the next step while voting: showing the results
    for person in ws["people"][:10]:
        person.ok("vote", {"theme_id": themes[0]["id"]})
    step("Rösta", "Visa resultatet på projektorn", ["groups-panel", "spotlight-panel", "board-panel", "quotes-panel", "people-section"])
    expect(page.locator("#vote-progress")).to_contain_text("10 av 60 prickar utlagda")
    page.locator("#reveal").click()
    expect(page.locator("#next-step")).to_have_text("Nästa: bilda temagrupperna →")
    page.locator("#next-step").click()
    # In groups the next step is to form them (the panel's primary button), and only then to close.
    form = page.get_by_role("button", name="Bilda grupperna")
    expect(form).to_be_focused()
    expect(form).to_have_class(re.compile("primary"))
    step("Grupper", None, ["groups-panel", "spotlight-panel", "conclusion-panel", "quotes-panel", "people-section"])
    page.fill("#groups-top", "2")
    form.click()
    expect(page.locator("#group-admin > li[data-group-id]")).to_have_count(2)
    expect(form).to_have_class(re.compile("secondary"))
    assert page.evaluate(PRIMARY) == ["Nästa: avsluta och dokumentera →"]
    page.locator("#next-step").click()
    page.locator("dialog.confirm-dialog").get_by_role("button", name="Avsluta workshopen").click()  # asked first
    expect(page.locator("#phase-now")).to_have_text("Nu: Avslutad")
    expect(page.locator("#record-page-link")).to_be_focused()
    assert page.evaluate(PANELS) == ["record-panel", "conclusion-panel", "groups-panel", "quotes-panel"]
    downloads = page.locator("#record-panel .downloads a")
    expect(downloads).to_have_count(4)
    assert downloads.last.bounding_box()["y"] + downloads.last.bounding_box()["height"] < LAPTOP["height"], "downloads in the first screen"
    assert page.evaluate(PRIMARY) == []
    assert_accessible(page, "console, closed")
    shot(page, "phase-avslutad")
    assert requests.get(server.url + downloads.first.get_attribute("href"), timeout=10).status_code in (401, 403)  # needs the session
    assert not fac.errors, fac.errors


def test_the_home_page_offers_joining_and_creating_alike(server, browser):
    for viewport in (PHONE, LAPTOP):
        visitor = Watched(browser, viewport)
        page = visitor.page
        page.goto(server.url + "/")
        join, create = page.locator("#join-h"), page.locator("#lead-h")
        expect(join).to_have_text("Gå med i en workshop")
        expect(create).to_have_text("Led en workshop")
        go, make = page.get_by_role("button", name="Gå till workshopen"), page.get_by_role("link", name="Skapa en workshop")
        assert go.evaluate("b => getComputedStyle(b).fontSize") == make.evaluate("b => getComputedStyle(b).fontSize")
        assert abs(go.bounding_box()["height"] - make.bounding_box()["height"]) < 2
        if viewport is LAPTOP:  # side by side, the same height
            assert abs(join.bounding_box()["y"] - create.bounding_box()["y"]) < 2
        assert_accessible(page, f"home {viewport['width']}")
        shot(page, f"home-{viewport['width']}")
        make.click()
        expect(page.locator("h1")).to_have_text("Ny workshop")
        visitor.close()


def test_english_on_the_new_workshop_form_gives_an_english_workshop_and_console(server, browser):
    for how in ("the page in English", "English chosen on the Swedish page"):
        fac = Watched(browser, LAPTOP)
        page = fac.page
        if how == "the page in English":
            page.goto(server.url + "/console/?lang=en")
            expect(page.locator("#language")).to_have_value("en")  # the page's language is the workshop's
        else:
            page.goto(server.url + "/console/?lang=sv")
            expect(page.locator("#language")).to_have_value("sv")
            page.select_option("#language", "en")
        page.fill("#title", "Safe discharge")
        page.locator("#submit").click()
        expect(page.locator("h1")).to_have_text("The workshop is ready")
        page.get_by_role("link", name="Open the console").click()
        expect(page.locator("#conn")).to_have_attribute("data-state", "online")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.locator("#board-h")).to_have_text("Notes and themes")
        expect(page.locator("#next-step")).to_have_text("Next: sort the notes into themes →")
        fac.close()


def test_joining_a_workshop_closed_meanwhile_says_so_at_once(server, browser, sockets):
    ws = server.create_workshop(title="Sent påkommen")
    phone = Watched(browser, PHONE, is_mobile=True, has_touch=True)
    page = phone.page
    page.goto(ws["join_url"])
    page.fill("#name", "Kerstin")
    sockets(server.url, {"code": ws["code"], "facilitator_token": ws["facilitator_token"]}).ok("set_phase", {"phase": "closed"})
    page.click("#submit")
    expect(page.locator("h1")).to_have_text("Tack för i dag!")  # the thank-you, not an error on the name field
    expect(page.locator("#name")).to_have_count(0)
