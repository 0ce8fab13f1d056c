"""The pages' security: CSP on every page, the console key kept out of the address, CSRF on forms."""
import re

import requests


def csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_every_page_sets_a_strict_content_security_policy(server):
    ws = server.create_workshop(title="CSP")
    code = ws["code"]
    pages = ["/", "/?lang=en", f"/j/{code}", f"/screen/{code}", ws["projector_url"].removeprefix(server.url),
             f"/screen/{code}/qr.svg", "/console/",
             f"/console/{code}", f"/console/{code}?key=wrong", "/j/NOSUCH", "/screen/NOSUCH", "/no/such/page",
             "/static/css/base.css", "/static/js/phone.js"]
    for path in pages:
        answer = requests.get(server.url + path, allow_redirects=False, timeout=10)
        policy = answer.headers.get("Content-Security-Policy", "")
        assert "default-src 'self'" in policy and "script-src 'self'" in policy and "style-src 'self'" in policy, path
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, path
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.headers["Referrer-Policy"] == "no-referrer"
    projector = ws["projector_url"].removeprefix(server.url)  # with its key: the page itself, not its 403
    for path in (f"/j/{code}", projector, "/console/"):
        html = requests.Session().get(server.url + path, timeout=10).text
        assert " style=" not in html and "<script>" not in html and "javascript:" not in html, path
        assert re.findall(r"<script[^>]*>", html) == [
            '<script type="application/json" id="messages">', *re.findall(r'<script type="module" src="/static/js/[\w-]+\.js">', html)]
    assert requests.get(server.url + "/j/NOSUCH", timeout=10).status_code == 404


def test_console_key_is_taken_once_and_dropped_from_the_address(server):
    ws = server.create_workshop(title="Nyckel")
    code, token = ws["code"], ws["facilitator_token"]
    browser = requests.Session()
    answer = browser.get(ws["console_url"], allow_redirects=False, timeout=10)
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/console/{code}")
    page = browser.get(server.url + f"/console/{code}", timeout=10)
    assert page.status_code == 200 and token not in page.text  # the console connects with its session
    assert page.headers["Cache-Control"] == "no-store"
    stranger = requests.Session()
    refused = stranger.get(server.url + f"/console/{code}", timeout=10)
    assert refused.status_code == 403 and token not in refused.text and "konsollänken" in refused.text
    assert stranger.get(server.url + f"/console/{code}?key=wrong", allow_redirects=False, timeout=10).status_code == 403
    assert stranger.get(server.url + f"/console/{code}", timeout=10).status_code == 403
    assert stranger.get(server.url + f"/console/NOSUCH?key={token}", timeout=10).status_code == 404
    other = server.create_workshop(title="Annan")
    assert browser.get(server.url + f"/console/{other['code']}", timeout=10).status_code == 403


def test_forms_need_their_csrf_token(server):
    browser = requests.Session()
    form = {"title": "Utan token", "language": "sv", "votes_per_participant": "3", "max_votes_per_theme": "3"}
    assert browser.post(server.url + "/console/", data=form, allow_redirects=False, timeout=10).status_code == 400
    form["csrf_token"] = csrf_token(browser.get(server.url + "/console/", timeout=10).text)
    created = browser.post(server.url + "/console/", data=form, allow_redirects=False, timeout=10)
    assert created.status_code == 302 and re.search(r"/console/\w+/created$", created.headers["Location"])
    links = browser.get(server.url + created.headers["Location"], timeout=10).text
    code = re.search(r"/console/(\w+)\?key=", links).group(1)
    assert browser.post(server.url + f"/j/{code}", data={"name": "Utan token"}, timeout=10).status_code == 400
    assert browser.post(server.url + "/", data={"code": code}, timeout=10).status_code == 400


def test_create_form_refuses_bad_input_and_changes_nothing(server):
    browser = requests.Session()
    token = csrf_token(browser.get(server.url + "/console/", timeout=10).text)
    bad = {"csrf_token": token, "title": "", "votes_per_participant": "0", "max_votes_per_theme": "3", "language": "sv"}
    page = browser.post(server.url + "/console/", data=bad, allow_redirects=False, timeout=10)
    assert page.status_code == 200 and "Ge workshopen en rubrik." in page.text and 'aria-invalid="true"' in page.text


def test_join_by_code_and_by_form(server, sockets):
    ws = server.create_workshop(title="Koden")
    code = ws["code"]
    browser = requests.Session()
    home = browser.get(server.url + "/", timeout=10).text
    typed = f"{code[:3].lower()} {code[3:].lower()}"
    found = browser.post(server.url + "/", data={"csrf_token": csrf_token(home), "code": typed}, allow_redirects=False, timeout=10)
    assert found.headers["Location"].endswith(f"/j/{code}")
    missing = browser.post(server.url + "/", data={"csrf_token": csrf_token(home), "code": "XXXXXX"}, timeout=10)
    assert "Ingen workshop har den koden" in missing.text
    join = browser.get(server.url + f"/j/{code}", timeout=10).text
    too_long = browser.post(server.url + f"/j/{code}", data={"csrf_token": csrf_token(join), "name": "x" * 201}, timeout=10)
    assert too_long.status_code == 200 and 'aria-invalid="true"' in too_long.text
    screen = sockets(server.url, {"code": code, "role": "screen", "screen_key": ws["screen_key"]})
    assert screen.snapshot["participants"] == 0
    joined = browser.post(server.url + f"/j/{code}", data={"csrf_token": csrf_token(join), "name": "Kerstin"}, timeout=10)
    token = re.search(r'data-token="([^"]+)"', joined.text).group(1)
    me = sockets(server.url, {"code": code, "participant_token": token}).snapshot["me"]
    assert me["name"] == "Kerstin"
    facilitator = sockets(server.url, {"code": code, "facilitator_token": ws["facilitator_token"]})
    facilitator.ok("set_phase", {"phase": "closed"})
    late = requests.Session()
    page = late.get(server.url + f"/j/{code}", timeout=10).text  # closed: a thank-you, no join form
    assert "ingen kan gå med längre" in page and 'name="csrf_token"' not in page
