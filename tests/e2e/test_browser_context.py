"""Issue 10 in the browser: phones with context (the question and purpose, a theme's notes, voting
closed once the results are shown, nothing cut when pasted) at 390x844, readable for a 60-year-old;
and the console at 1440x900 asking before what cannot be taken back (forming groups over people's
work, closing), undoing clustering by button and Ctrl+Z, mending quotes and group notes."""
from pathlib import Path

import pytest

from .browser_support import LAPTOP, PHONE, Watched, assert_accessible

expect = pytest.importorskip("playwright.sync_api").expect

SHOTS = Path("/tmp/shots-h8")
QUESTIONS = ["Hur ser samverkan kring dagverksamheten ut i dag, för deltagarna och för personalen?",
             "Vilka områden vill vi fokusera på under nästa år?"]
PURPOSE = "Samla erfarenheter inför förlängningen av uppdraget."

# Every visible piece of text and every control on the phone, measured as a reader and a thumb meet them.
SMALL_TEXT = """() => [...document.querySelectorAll('#app *')].filter(el => {
    const box = el.getBoundingClientRect(), style = getComputedStyle(el);
    const ownText = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    return ownText && box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && parseFloat(style.fontSize) < 16;
  }).map(el => `${el.tagName}.${el.className}: ${getComputedStyle(el).fontSize} "${el.textContent.trim().slice(0, 30)}"`)"""
SMALL_TARGETS = """() => [...document.querySelectorAll('#app button, #app summary, #app a, #app textarea, #app label.quadrant-choice')]
  .filter(el => { const b = el.getBoundingClientRect(); return b.width > 0 && (b.height < 44 || b.width < 44); })
  .map(el => `${el.tagName}#${el.id}.${el.className} ${Math.round(el.getBoundingClientRect().width)}x${Math.round(el.getBoundingClientRect().height)}`)"""


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def readable(page, label):
    """16 px text or more, 44 px targets, no sideways scrolling, and axe finds nothing serious."""
    assert page.evaluate(SMALL_TEXT) == [], label
    assert page.evaluate(SMALL_TARGETS) == [], label
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"), label
    assert_accessible(page, label)


def join(browser, url, name):
    phone = Watched(browser, PHONE, is_mobile=True, has_touch=True)
    phone.page.goto(url)
    phone.page.fill("#name", name)
    phone.page.click("#submit")
    expect(phone.page.locator("#conn")).to_have_attribute("data-state", "online")
    return phone


def test_the_phone_shows_the_question_the_themes_notes_and_when_voting_is_closed(server, browser, sockets):
    ws = server.create_workshop(title="Lotsen", questions=QUESTIONS, purpose=PURPOSE, votes_per_participant=2)
    fac = sockets(server.url, {"code": ws["code"], "facilitator_token": ws["facilitator_token"]})
    phone = join(browser, ws["join_url"], "Kerstin")
    page = phone.page

    context = page.locator("#context")
    expect(context).to_be_visible()
    expect(context.locator("summary")).to_contain_text("Dagens frågor")
    expect(context.locator("summary")).to_contain_text(QUESTIONS[0])
    expect(page.get_by_text(QUESTIONS[1])).to_be_hidden()
    shot(page, "phone-collect-context-closed")
    context.locator("summary").click()
    expect(page.get_by_text(QUESTIONS[1])).to_be_visible()
    expect(context).to_contain_text(f"Syfte: {PURPOSE}")
    readable(page, "phone collect")
    shot(page, "phone-collect-context-open")

    # A pasted text over the limit stays whole; the count says how much to shorten, and nothing is sent.
    long_text = "Personalen känner deltagarna väl och " * 14  # 518 characters
    page.click("label[for=q-strengths]")
    page.fill("#post-text", long_text)
    assert len(page.input_value("#post-text")) == len(long_text)
    expect(page.locator("#post-count")).to_have_text(f"{len(long_text.strip()) - 500} tecken för mycket – korta texten")
    page.click("#post-form button[type=submit]")
    expect(page.locator("#post-error")).to_have_text("Texten är för lång.")
    expect(page.locator("#my-items li.empty")).to_be_visible()
    page.fill("#post-text", "Personalen känner deltagarna väl")
    page.click("#post-form button[type=submit]")
    expect(page.locator("#my-items")).to_contain_text("Personalen känner deltagarna väl")

    mine = page.locator("#my-items li[data-item-id]").first.get_attribute("data-item-id")  # sent, not pending
    other = fac.ok("post_item", {"quadrant": "threats", "text": "Korta projekt utan fortsättning"})["item"]
    third = fac.ok("post_item", {"quadrant": "weaknesses", "text": "Samverkan saknar systematik"})["item"]
    samverkan = fac.ok("create_theme", {"title": "Samverkan", "item_ids": [int(mine), third["id"]]})["theme"]
    projekt = fac.ok("create_theme", {"title": "Kontinuitet", "item_ids": [other["id"]]})["theme"]
    fac.ok("set_phase", {"phase": "vote"})

    card = page.locator(f'#vote-cards li[data-theme-id="{samverkan["id"]}"]')
    notes = card.locator("details.theme-notes")
    expect(notes.locator("summary")).to_have_text("Lappar i temat (2)")
    expect(card.get_by_text("Samverkan saknar systematik")).to_be_hidden()
    notes.locator("summary").click()
    expect(card.get_by_text("Samverkan saknar systematik")).to_be_visible()
    card.get_by_role("button", name="Lägg en prick").click()
    expect(page.locator("#votes-left")).to_have_text("Prickar kvar: 1 av 2")
    expect(card.get_by_text("Samverkan saknar systematik")).to_be_visible()  # still open after the redraw
    readable(page, "phone vote")
    shot(page, "phone-vote-theme-notes")

    fac.ok("reveal_tallies")
    expect(page.locator("#votes-left")).to_have_text("Röstningen är stängd. Resultatet visas på storskärmen.")
    for button in page.locator("#vote-cards button").all():
        expect(button).to_be_disabled()
    shot(page, "phone-vote-closed")
    fac.ok("reopen_voting")
    expect(page.locator("#votes-left")).to_have_text("Prickar kvar: 1 av 2")
    page.locator(f'#vote-cards li[data-theme-id="{projekt["id"]}"]').get_by_role("button", name="Lägg en prick").click()
    expect(page.locator("#votes-left")).to_contain_text("Du har använt alla dina prickar")

    fac.ok("set_phase", {"phase": "groups"})
    group = fac.ok("form_groups", {"theme_ids": [samverkan["id"], projekt["id"]]})["groups"][0]
    page.locator(f'#group-list > li[data-group-id="{group["id"]}"]').get_by_role("button", name="Gå med i gruppen").click()
    mine_box = page.locator(".my-group")
    expect(mine_box.locator("summary", has_text="Lappar i temat (2)")).to_be_visible()
    expect(mine_box.get_by_text("Samverkan saknar systematik")).to_be_visible()  # opened while voting: open still
    expect(page.locator("#context summary")).to_contain_text(QUESTIONS[0])  # the question in every phase
    readable(page, "phone groups")
    shot(page, "phone-groups-theme-notes")
    assert phone.errors == []
    phone.close()


def open_console(browser, ws):
    fac = Watched(browser, LAPTOP)
    fac.page.goto(ws["console_url"])
    expect(fac.page.locator("#conn")).to_have_attribute("data-state", "online")
    return fac


def test_the_console_asks_before_it_replaces_groups_or_closes_and_undoes_clustering(server, browser, sockets):
    ws = server.create_workshop(title="Lotsen", questions=QUESTIONS, purpose=PURPOSE)
    fac = open_console(browser, ws)
    console = fac.page
    screen = sockets(server.url, {"code": ws["code"], "role": "screen", "screen_key": ws["screen_key"]})
    kerstin = sockets(server.url, {"code": ws["code"], "name": "Kerstin"})
    items = [kerstin.ok("post_item", {"quadrant": "strengths", "text": text})["item"]["id"]
             for text in ("Personalen känner deltagarna väl", "Samverkan saknar systematik", "Korta projekt")]
    expect(console.locator("#groups-top-form")).to_be_hidden()  # no groups to form before the votes
    expect(console.locator("#undo")).to_have_attribute("aria-disabled", "true")

    # Clustering, then undone: Ctrl+Z where no text is typed, the button, after a reload too.
    console.click("[data-set-phase=cluster]")
    console.locator("li.item", has_text="Personalen känner").locator("label").click()
    console.locator("li.item", has_text="Samverkan saknar").locator("label").click()
    console.fill("#theme-title", "Samverkan")
    console.keyboard.press("Enter")
    expect(console.locator("#theme-list > li[data-theme-id]")).to_have_count(1)
    theme = console.locator("#theme-list > li").first.get_attribute("data-theme-id")
    console.locator(f"[data-focus='ren-{theme}']").click()
    console.fill(f"#rename-{theme}", "Samverkan i vardagen")
    console.keyboard.press("Enter")
    expect(console.locator("#undo-what")).to_have_text("Ångra: temat fick namnet ”Samverkan i vardagen”")
    screen.wait_for("theme_updated", lambda t: t["title"] == "Samverkan i vardagen")
    shot(console, "console-cluster-undo")
    console.reload()
    expect(console.locator("#conn")).to_have_attribute("data-state", "online")
    expect(console.locator("#undo-what")).to_have_text("Ångra: temat fick namnet ”Samverkan i vardagen”")
    console.locator(f"[data-focus='ren-{theme}']").focus()
    console.keyboard.press("Control+z")
    expect(console.locator(f"#theme-list > li[data-theme-id='{theme}'] h4")).to_contain_text("Samverkan")
    expect(console.locator(f"#theme-list > li[data-theme-id='{theme}'] h4")).not_to_contain_text("vardagen")
    screen.wait_for("theme_updated", lambda t: t["title"] == "Samverkan")
    assert console.evaluate("() => document.activeElement.dataset.focus") == f"ren-{theme}"  # focus stayed
    console.fill("#theme-title", "Ctrl+Z här ångrar skrivandet")
    console.locator("#theme-title").press("Control+z")
    expect(console.locator("#theme-list > li[data-theme-id]")).to_have_count(1)  # typing undone, not the theme
    console.fill("#theme-title", "")
    expect(console.locator("#undo-what")).to_have_text("Ångra: nytt tema ”Samverkan”")
    console.locator("#undo").click()
    expect(console.locator("#theme-list > li.empty")).to_have_text("Inga teman än.")
    expect(console.locator("#undo")).to_have_attribute("aria-disabled", "true")
    expect(console.locator("#undo")).to_be_focused()
    screen.wait_for("theme_deleted", lambda t: t["id"] == int(theme))
    facilitator = sockets(server.url, {"code": ws["code"], "facilitator_token": ws["facilitator_token"]})
    made = facilitator.ok("create_theme", {"title": "Samverkan", "item_ids": items[:2]})["theme"]

    # Voting: progress, and the results close it until reopened.
    console.click("[data-set-phase=vote]")
    expect(console.locator("#vote-progress")).to_have_text("0 av 3 prickar utlagda · 0 av 1 deltagare klara")
    kerstin.ok("vote", {"theme_id": made["id"]})
    expect(console.locator("#vote-progress")).to_have_text("1 av 3 prickar utlagda · 0 av 1 deltagare klara")
    console.get_by_role("button", name="Visa resultatet på projektorn").click()
    expect(console.locator("#reopen")).to_be_focused()
    expect(console.locator("#reveal-state")).to_contain_text("Resultatet visas och röstningen är stängd.")
    assert_accessible(console, "console vote revealed")
    shot(console, "console-vote-closed")
    kerstin.refused("vote", {"theme_id": made["id"]}, "voting_closed")
    console.locator("#reopen").click()
    expect(console.locator("#reveal")).to_be_focused()
    kerstin.ok("vote", {"theme_id": made["id"]})

    # Groups: a member and a note in them; forming again asks, naming what would be lost.
    console.click("[data-set-phase=groups]")
    console.fill("#groups-top", "1")
    console.get_by_role("button", name="Bilda grupperna").click()
    expect(console.locator("#group-admin > li[data-group-id]")).to_have_count(1)
    group = int(console.locator("#group-admin > li").first.get_attribute("data-group-id"))
    kerstin.ok("join_group", {"group_id": group})
    kerstin.ok("add_note", {"group_id": group, "text": "Brukarens namn, av misstag"})
    kerstin.ok("add_note", {"group_id": group, "text": "Gemensamma rutiner"})
    expect(console.locator("#group-admin")).to_contain_text("Brukarens namn, av misstag")
    console.get_by_role("button", name="Bilda grupperna").click()
    dialog = console.locator("dialog.confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("h2")).to_have_text("Ersätta grupperna?")
    expect(dialog).to_contain_text("Grupperna har redan 1 medlem och 2 anteckningar.")
    expect(dialog.get_by_role("button", name="Avbryt")).to_be_focused()
    assert_accessible(console, "console asks before replacing groups")
    shot(console, "console-confirm-groups")
    console.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(console.get_by_role("button", name="Bilda grupperna")).to_be_focused()
    assert len(kerstin.received("groups")) == 1  # nothing was replaced
    note = console.locator("#group-admin li.note-row", has_text="Brukarens namn")
    note.get_by_role("button", name="Ta bort").click()
    console.locator("#group-admin").get_by_role("button", name="Ta bort?").click()
    kerstin.wait_for("note_deleted")
    expect(console.locator("#group-admin")).not_to_contain_text("Brukarens namn")
    expect(console.locator("#group-admin li.note-row").get_by_role("button", name="Ta bort")).to_be_focused()
    console.get_by_role("button", name="Bilda grupperna").click()
    expect(dialog).to_contain_text("Grupperna har redan 1 medlem och 1 anteckning.")
    dialog.get_by_role("button", name="Ersätt grupperna").click()
    kerstin.wait_for("groups", lambda groups: groups[0]["id"] != group)
    expect(console.locator("#group-admin")).not_to_contain_text("Gemensamma rutiner")

    # Quotes mended.
    console.fill("#quote-text", "Vi har olka glasögon")
    console.get_by_role("button", name="Spara citatet").click()
    quote = console.locator("#quote-list li.quote").first
    quote.get_by_role("button", name="Ändra").click()
    quote_id = quote.get_attribute("data-quote-id")
    console.fill(f"#quote-text-{quote_id}", "Vi har olika glasögon på oss")
    console.fill(f"#quote-speaker-{quote_id}", "Kerstin Nordin")
    console.get_by_role("button", name="Spara", exact=True).click()
    expect(quote).to_contain_text("Vi har olika glasögon på oss – Kerstin Nordin")
    assert screen.wait_for("quote_updated")["text"] == "Vi har olika glasögon på oss"
    expect(quote.get_by_role("button", name="Ändra")).to_be_focused()
    quote.get_by_role("button", name="Ta bort").click()
    quote.get_by_role("button", name="Ta bort?").click()
    expect(console.locator("#quote-list li")).to_have_count(0)
    screen.wait_for("quote_deleted")
    assert_accessible(console, "console groups")
    shot(console, "console-groups")

    # Closing asks first: late joiners can no longer join.
    console.click("[data-set-phase=closed]")
    expect(dialog.locator("h2")).to_have_text("Avsluta workshopen?")
    expect(dialog).to_contain_text("ingen mer gå med")
    shot(console, "console-confirm-close")
    dialog.get_by_role("button", name="Avbryt").click()
    expect(console.locator("[data-set-phase=groups]")).to_have_attribute("aria-pressed", "true")
    console.click("[data-set-phase=closed]")
    dialog.get_by_role("button", name="Avsluta workshopen").click()
    expect(console.locator("[data-set-phase=closed]")).to_have_attribute("aria-pressed", "true")
    kerstin.wait_for("phase", lambda p: p["phase"] == "closed")
    expect(console.locator("#groups-top-form")).to_be_hidden()
    expect(console.locator("#undo")).to_have_attribute("aria-disabled", "true")
    shot(console, "console-closed")
    assert fac.errors == [] and fac.dialogs == []
    fac.close()
