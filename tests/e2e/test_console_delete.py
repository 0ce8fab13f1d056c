"""The facilitator deletes a workshop from the console: what will be lost is named, the downloads are
offered, a tick confirms; phones and the projector still open then show only that it was deleted."""
import pytest
import requests

from .browser_support import LAPTOP, PHONE, PROJECTOR, Watched, assert_accessible, screenshot

expect = pytest.importorskip("playwright.sync_api").expect


def test_the_facilitator_deletes_the_workshop_and_every_open_screen_is_told(server, browser):
    ws = server.create_workshop(title="Rensas bort")
    console = Watched(browser, LAPTOP)
    phone = Watched(browser, PHONE, is_mobile=True, has_touch=True)
    projector = Watched(browser, PROJECTOR)
    phone.page.goto(ws["join_url"])
    phone.page.fill("#name", "Kerstin")
    phone.page.click("#submit")
    expect(phone.page.locator("#conn")).to_have_attribute("data-state", "online")
    phone.page.click("label[for=q-threats]")
    phone.page.fill("#post-text", "Ingen vet vem som bär ansvaret")
    phone.page.click("#post-form button[type=submit]")
    projector.page.goto(ws["projector_url"])
    expect(projector.page.locator(".note")).to_contain_text(["Ingen vet vem som bär ansvaret"])

    page = console.page
    page.goto(ws["console_url"])
    expect(page.locator("#conn")).to_have_attribute("data-state", "online")  # connected with its session
    assert ws["facilitator_token"] not in page.content() and "key=" not in page.url
    page.click("#data-link")
    expect(page.locator("#held")).to_contain_text("1 deltagare")
    expect(page.locator("#held")).to_contain_text("1 lapp på SWOT-tavlan")
    expect(page.locator(".downloads a")).to_have_count(4)
    expect(page.locator("#delete-warning")).to_contain_text("går inte att ångra")
    assert_accessible(page, "data page")
    screenshot(page, "console-data-page")
    page.click("text=Radera workshopen >> nth=-1")
    expect(page.locator(".error")).to_contain_text("Kryssa i rutan")
    expect(phone.page.locator("#conn")).to_have_attribute("data-state", "online")  # nothing happened yet
    page.check("#confirm")
    page.click("button:has-text('Radera workshopen'), input[value='Radera workshopen']")
    expect(page.locator("h1")).to_have_text("Workshopen är raderad")

    for other in (phone.page, projector.page):
        expect(other.locator("[role=alert] h1")).to_have_text("Den här workshopen har raderats")
        expect(other.locator("body")).not_to_contain_text("Ingen vet vem som bär ansvaret")
        expect(other.locator("body")).not_to_contain_text("Rensas bort")  # not even the title stays
    screenshot(phone.page, "phone-workshop-deleted")
    assert_accessible(phone.page, "phone after deletion")
    for watched in (console, phone, projector):
        assert watched.errors == [], (watched.page.url, watched.errors)
    assert requests.get(f"{server.url}/j/{ws['code']}", timeout=10).status_code == 404
    later = phone.new_page()
    later.goto(ws["join_url"])
    expect(later.locator("h1")).to_have_text("Ingen workshop här")
    for watched in (console, phone, projector):
        watched.close()


def test_a_new_console_link_closes_the_old_console(server, browser):
    ws = server.create_workshop(title="Ny nyckel")
    old = Watched(browser, LAPTOP)
    old.page.goto(ws["console_url"])
    expect(old.page.locator("#conn")).to_have_attribute("data-state", "online")
    new = Watched(browser, LAPTOP)
    page = new.page
    page.goto(ws["console_url"])
    page.goto(f"{server.url}/console/{ws['code']}/data")
    page.click("text=Skapa en ny konsollänk")
    link = page.locator("#console-link")
    expect(link).to_contain_text(f"/console/{ws['code']}?key=")
    assert ws["facilitator_token"] not in link.inner_text()
    expect(old.page.locator("#conn")).to_have_attribute("data-state", "refused")
    page.goto(link.inner_text())
    expect(page.locator("#conn")).to_have_attribute("data-state", "online")
    old.page.goto(ws["console_url"])
    expect(old.page.locator("h1")).to_have_text("Öppna konsolen med dess länk")
    old.close()
    new.close()
