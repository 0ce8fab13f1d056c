"""The privacy notice on a phone of 390 px: shown before joining, opened with one tap, nothing from elsewhere."""
from __future__ import annotations

from urllib.parse import urlsplit

from .browser_support import PHONE, Watched, assert_accessible, no_horizontal_scroll, screenshot


def test_the_notice_is_read_on_a_phone_before_joining(server, browser):
    workshop = server.create_workshop(title="Trygghet i centrum")
    watched = Watched(browser, PHONE, is_mobile=True, has_touch=True)
    page = watched.page
    page.goto(workshop["join_url"])
    notice = page.locator("#privacy-notice")
    assert notice.is_visible() and not page.locator("#privacy-notice p").first.is_visible()  # folded: one line
    notice_box, join_box = notice.bounding_box(), page.get_by_role("button", name="Gå med").bounding_box()
    assert notice_box["y"] < join_box["y"]  # above the join button
    page.get_by_text("Om dina uppgifter", exact=True).tap()
    texts = page.locator("#privacy-notice p").all_inner_texts()
    assert texts[0].startswith("Vad som sparas:") and "30 dagar" in texts[2]
    assert all(page.locator("#privacy-notice p").nth(i).is_visible() for i in range(len(texts)))
    assert no_horizontal_scroll(page)
    width = page.evaluate("() => document.querySelector('#privacy-notice').getBoundingClientRect().right")
    assert width <= PHONE["width"]
    assert_accessible(page, "join page with the privacy notice open")
    screenshot(page, "phone-privacy-notice")
    page.get_by_label("Ditt namn (frivilligt)").fill("Anna")
    page.get_by_role("button", name="Gå med").click()
    page.wait_for_selector("#app:not([hidden])")
    assert {urlsplit(url).netloc for url in watched.requests} == {urlsplit(server.url).netloc}  # nothing from elsewhere
    assert not watched.errors, watched.errors
    watched.close()
