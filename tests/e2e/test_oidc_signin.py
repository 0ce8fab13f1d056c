"""Staff sign in through a real OpenID Connect provider (oidc-provider on Node, started here), in Chromium.

The provider requires PKCE of the client and checks the redirect address; the app checks state and
nonce. Only accounts in the group `workshop-staff` may create workshops."""
from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import requests

from ..support import LiveServer, free_port
from .browser_support import LAPTOP, Watched, assert_accessible

ROOT = Path(__file__).resolve().parent.parent.parent
PROVIDER = ROOT / "tests" / "oidc" / "provider.mjs"
CLIENT_ID, CLIENT_SECRET = "facilitation", "a-secret-only-the-tests-use"


@pytest.fixture(scope="module")
def app_port() -> int:
    return free_port()


@pytest.fixture(scope="module")
def identity_provider(app_port, tmp_path_factory):
    """oidc-provider on a free port, its one client sending browsers back to the app's callback."""
    node = shutil.which("node")
    if not node or not (ROOT / "node_modules" / "oidc-provider").is_dir():
        pytest.skip("node and node_modules/oidc-provider are needed (make test installs them with npm ci)")
    port = free_port()
    log = tmp_path_factory.mktemp("oidc") / "provider.log"
    with open(log, "wb") as output:
        process = subprocess.Popen([node, str(PROVIDER), str(port), CLIENT_ID, CLIENT_SECRET,
                                    f"http://127.0.0.1:{app_port}/staff/callback"],
                                   stdout=output, stderr=subprocess.STDOUT, cwd=ROOT)
    issuer = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            if requests.get(issuer + "/.well-known/openid-configuration", timeout=1).ok:
                break
        except requests.ConnectionError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the OpenID provider did not start: {log.read_text(errors='replace')}")
        time.sleep(0.1)
    yield issuer
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="module")
def staff_server(identity_provider, app_port, tmp_path_factory):
    """The app with only the organisation's sign-in: no passphrase, so nothing else creates a workshop."""
    live = LiveServer(tmp_path_factory.mktemp("staff"), port=app_port, env={
        "FACILITATION_OIDC_ISSUER": identity_provider,
        "FACILITATION_OIDC_CLIENT_ID": CLIENT_ID,
        "FACILITATION_OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "FACILITATION_OIDC_SCOPE": "openid email profile groups",
        "FACILITATION_OIDC_ALLOWED_GROUPS": "workshop-staff",
    })
    live.start()
    yield live
    live.stop()


def watched_locally(browser) -> Watched:
    """A laptop browser that reaches only this machine: the provider's development sign-in page
    asks for a web font from the internet, which is refused here before it leaves."""
    watched = Watched(browser, LAPTOP)
    watched.context.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/]).*"), lambda route: route.abort())
    return watched


def sign_in_at_the_provider(page, login: str) -> None:
    """From the app's sign-in page through the provider's sign-in form and consent, as a person would."""
    page.get_by_role("link", name="Sign in with your organisation's account").click()
    page.wait_for_url("**/interaction/**")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "whatever the provider's form takes")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()  # the provider asks to share e-mail, name and groups


def test_staff_sign_in_and_create_a_workshop(staff_server, browser):
    watched = watched_locally(browser)
    page = watched.page
    page.goto(staff_server.url + "/console/?lang=en")
    assert page.locator("h1").inner_text() == "Sign in to create a workshop"
    assert page.locator("input[name=title]").count() == 0
    assert_accessible(page, "staff sign-in page")

    sign_in_at_the_provider(page, "anna.karlsson")
    page.wait_for_url(staff_server.url + "/console/")
    watched.errors.clear()  # the provider's own pages (its font refused above, no favicon) are not ours
    assert "Signed in as Anna Karlsson." in page.locator(".signed-in").inner_text()
    page.fill("input[name=title]", "Trygghet i centrum")
    page.select_option("select[name=language]", "en")
    page.get_by_role("button", name="Create the workshop").click()
    page.wait_for_url("**/created")
    assert page.locator("h1").inner_text() == "The workshop is ready"
    page.get_by_role("link", name="Open the console").click()
    page.wait_for_url(re.compile(r".*/console/[A-Z0-9]{6}$"))  # the new workshop's console, signed in
    assert not watched.errors, watched.errors
    watched.close()


def test_an_account_outside_the_allowed_groups_is_refused(staff_server, browser):
    watched = watched_locally(browser)
    page = watched.page
    page.goto(staff_server.url + "/console/?lang=en")
    sign_in_at_the_provider(page, "olle.svensson")
    page.wait_for_url(staff_server.url + "/staff/callback**")
    assert "not among those that may create workshops" in page.locator("#sign-in-error").inner_text()
    page.goto(staff_server.url + "/console/")
    assert page.locator("input[name=title]").count() == 0  # still the sign-in page
    watched.close()


def test_without_sign_in_nothing_creates_a_workshop(staff_server):
    browser = requests.Session()
    page = browser.get(staff_server.url + "/console/?lang=en", timeout=10)
    assert page.status_code == 200 and 'name="title"' not in page.text and 'href="/staff/sign-in"' in page.text
    refused = browser.post(staff_server.url + "/api/workshops", json={"title": "Utan inloggning"}, timeout=10)
    assert refused.status_code == 401
    imported = browser.post(staff_server.url + "/api/workshops/import", json={"schema_version": 1}, timeout=10)
    assert imported.status_code == 401


def test_a_callback_that_the_app_did_not_start_is_refused(staff_server, identity_provider):
    """A forged or replayed answer (its state unknown to this browser) signs no one in."""
    browser = requests.Session()
    browser.get(staff_server.url + "/console/?lang=en", timeout=10)
    browser.get(staff_server.url + "/staff/sign-in", allow_redirects=False, timeout=10)  # a real state in the session
    forged = browser.get(staff_server.url + "/staff/callback?code=stolen&state=guessed"
                         f"&iss={identity_provider}", timeout=10)
    assert forged.status_code == 400 and "The sign-in was not completed." in forged.text
    assert 'name="title"' not in browser.get(staff_server.url + "/console/", timeout=10).text
