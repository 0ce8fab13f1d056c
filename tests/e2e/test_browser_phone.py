"""The phone on a bad day: a lost connection, a reload, a forgotten place, 200% zoom (in English)."""
import pytest

from .browser_support import PHONE, Watched, assert_accessible, no_horizontal_scroll, screenshot

expect = pytest.importorskip("playwright.sync_api").expect

# 200% zoom on a 390 px wide phone: the page gets half the CSS pixels.
ZOOMED = {"width": 195, "height": 422}


def join(page, url, name=""):
    page.goto(url)
    page.fill("#name", name)
    page.click("#submit")
    expect(page.locator("#conn")).to_have_attribute("data-state", "online")


def test_a_post_written_offline_is_kept_and_sent_once(live_server, browser, sockets):
    ws = live_server.create_workshop(title="Dålig täckning")
    phone = Watched(browser, PHONE, is_mobile=True, has_touch=True)
    page = phone.page
    join(page, ws["join_url"], "Kerstin")
    live_server.stop()
    expect(page.locator("#conn")).to_have_attribute("data-state", "offline")
    expect(page.locator("#conn")).to_contain_text("Ingen anslutning")
    page.click("label[for=q-opportunities]")
    page.fill("#post-text", "Skrivet utan nät")
    page.click("#post-form button[type=submit]")
    pending = page.locator("#my-items li.is-pending")
    expect(pending).to_contain_text("Skrivet utan nät")
    expect(pending).to_contain_text("Väntar på att skickas")
    screenshot(page, "phone-offline-pending")
    assert_accessible(page, "phone offline")
    live_server.start()
    expect(page.locator("#conn")).to_have_attribute("data-state", "online", timeout=15000)
    expect(page.locator("#my-items li.is-pending")).to_have_count(0)
    expect(page.locator("#my-items li")).to_contain_text(["Skrivet utan nät"])
    page.reload()
    expect(page.locator("#join")).to_be_hidden()
    expect(page.locator("#my-items li")).to_have_count(1)
    expect(page.locator("#my-items li")).to_contain_text("Skrivet utan nät")
    screen = sockets(live_server.url, {"code": ws["code"], "role": "screen", "screen_key": ws["screen_key"]})
    assert [i["text"] for i in screen.snapshot["items"]] == ["Skrivet utan nät"]
    assert screen.snapshot["participants"] == 1
    phone.close()


def test_a_forgotten_place_asks_to_join_again(live_server, browser):
    ws = live_server.create_workshop(title="Glömd")
    phone = Watched(browser, PHONE)
    page = phone.page
    page.goto(ws["join_url"])
    page.evaluate(f"() => localStorage.setItem('facilitation:participant:{ws['code']}', 'not-a-token')")
    page.reload()
    expect(page.locator("#rejoin-notice")).to_be_visible()
    expect(page.locator("#join")).to_be_visible()
    join(page, ws["join_url"], "Ny igen")
    expect(page.locator("#phase-name")).to_have_text("Samla")
    phone.close()


def test_phone_at_200_percent_zoom_in_english(live_server, browser, sockets):
    ws = live_server.create_workshop(title="Zoomed in", language="en", votes_per_participant=2, max_votes_per_theme=1)
    facilitator = sockets(live_server.url, {"code": ws["code"], "facilitator_token": ws["facilitator_token"]})
    phone = Watched(browser, ZOOMED, device_scale_factor=4, is_mobile=True, has_touch=True)
    page = phone.page
    page.goto(ws["join_url"])
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#submit")).to_have_value("Join")

    def check(name):
        assert no_horizontal_scroll(page), f"{name}: the page scrolls sideways at 200% zoom"
        assert_accessible(page, f"zoom {name}")
        screenshot(page, f"phone-zoom-{name}")

    check("join")
    join(page, ws["join_url"], "Ann-Charlotte Lindqvist-Håkansson")
    long_word = "Samverkansöverenskommelseuppföljningsansvarig" * 2
    page.click("label[for=q-strengths]")
    page.fill("#post-text", f"{long_word} and a long sentence that has to wrap on a very narrow screen")
    page.click("#post-form button[type=submit]")
    expect(page.locator("#my-items li")).to_have_count(1)
    expect(page.locator("#phase-name")).to_have_text("Collect")
    check("collect")
    item_id = int(page.locator("#my-items li").get_attribute("data-item-id"))
    theme = facilitator.ok("create_theme", {"title": long_word, "item_ids": [item_id]})["theme"]
    facilitator.ok("create_theme", {"title": "Second theme"})
    facilitator.ok("set_phase", {"phase": "vote"})
    expect(page.locator("#vote-cards > li")).to_have_count(2)
    page.locator(f'#vote-cards li[data-theme-id="{theme["id"]}"]').get_by_role("button", name="Add a dot").click()
    expect(page.locator("#votes-left")).to_have_text("Dots left: 1 of 2")
    check("vote")
    facilitator.ok("set_phase", {"phase": "groups"})
    facilitator.ok("form_groups", {"theme_ids": [theme["id"]]})
    page.get_by_role("button", name="Join this group").click()
    expect(page.locator("#my-group-title")).to_have_text(long_word)
    check("groups")
    facilitator.ok("start_timer", {"seconds": 90})
    expect(page.locator("#timer")).to_be_visible()
    facilitator.ok("set_phase", {"phase": "closed"})
    expect(page.locator("#phase-closed")).to_be_visible()
    check("closed")
    assert not phone.errors and not phone.dialogs
    phone.close()
