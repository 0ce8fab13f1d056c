"""Closed to guessing (issue 8): unknown codes are counted on every route and slow the guesser,
never the room behind the same address. A live server with its rate limits on, behind one
trusted proxy hop, so that each test can speak from the addresses it needs (X-Forwarded-For)."""
from __future__ import annotations

import itertools
import re
import secrets
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from facilitation.operations.access import CODE_ALPHABET
from facilitation.ratelimit import LIMITS

from .e2e.protocol_support import raw_connect
from .support import LiveServer

MISSES = LIMITS["code_miss"][0]
_addresses = (f"10.8.{n // 250}.{n % 250 + 1}" for n in itertools.count())


@pytest.fixture(scope="module")
def limited(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("limited"),
                        env={"FACILITATION_RATE_LIMITS": "1", "FACILITATION_PROXY_HOPS": "1"})
    server.start()
    yield server
    server.stop()


def guess() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def get(server: LiveServer, address: str, path: str, **kwargs) -> requests.Response:
    return requests.get(server.url + path, headers={"X-Forwarded-For": address}, timeout=10, **kwargs)


def connect(server: LiveServer, address: str, auth: dict) -> tuple[str, dict]:
    """("snapshot", snapshot) or ("connect_error", refusal) for a socket connect from `address`."""
    return raw_connect(server.url, auth, headers=[f"X-Forwarded-For: {address}"])


def create(server: LiveServer, address: str) -> dict:
    answer = requests.post(server.url + "/api/workshops", json={"title": "Gissningsskydd"},
                           headers={"X-Forwarded-For": address}, timeout=10)
    assert answer.status_code == 201, answer.text
    return answer.json()


def use_up_misses(server: LiveServer, address: str) -> None:
    statuses = [get(server, address, f"/j/{guess()}").status_code for _ in range(MISSES)]
    assert statuses == [404] * MISSES


def assert_slowed(answer: requests.Response) -> None:
    assert answer.status_code == 429, answer.text
    assert int(answer.headers["Retry-After"]) >= 1


def assert_refused_connect(outcome: tuple[str, dict]) -> None:
    event, refusal = outcome
    assert event == "connect_error" and refusal["code"] == "rate_limited", outcome
    assert refusal["retry_after"] >= 1 and refusal["data"]["retry_after"] == refusal["retry_after"]


def test_a_guesser_is_slowed_while_the_room_on_its_address_gets_in(limited):
    venue, office = next(_addresses), next(_addresses)
    room = create(limited, office)
    first = connect(limited, venue, {"code": room["code"], "name": "Först"})
    assert first[0] == "snapshot"  # the venue's address has been admitted to the room's code
    use_up_misses(limited, venue)

    def guesser(n: int) -> str:
        """Unknown codes at full speed, over HTTP and sockets, with and without a made-up token."""
        if n % 3 == 0:
            return str(get(limited, venue, f"/j/{guess()}").status_code)
        auth = {"code": guess(), **({"participant_token": secrets.token_urlsafe(24)} if n % 3 == 1 else {"name": "G"})}
        event, refusal = connect(limited, venue, auth)
        return refusal.get("code", event)

    def newcomer(n: int) -> str:
        return connect(limited, venue, {"code": room["code"], "name": f"Deltagare {n}"})[0]

    def comeback(_n: int) -> str:
        return connect(limited, venue, {"code": room["code"], "participant_token": first[1]["me"]["token"]})[0]

    with ThreadPoolExecutor(6) as pool:
        guesses = pool.map(guesser, range(90))
        joins = pool.map(newcomer, range(30))
        returns = pool.map(comeback, range(10))
        guesses, joins, returns = list(guesses), list(joins), list(returns)
    assert joins == ["snapshot"] * 30 and returns == ["snapshot"] * 10
    assert guesses.count("429") + guesses.count("rate_limited") >= 85, guesses  # a refill or two at most
    # The room's code still opens its pages from the venue; the screen and the facilitator connect.
    assert get(limited, venue, f"/j/{room['code']}").status_code == 200
    assert connect(limited, venue, {"code": room["code"], "role": "screen", "screen_key": room["screen_key"]})[0] == "snapshot"
    assert connect(limited, venue, {"code": room["code"], "facilitator_token": room["facilitator_token"]})[0] == "snapshot"
    assert connect(limited, office, {"code": room["code"], "facilitator_token": "wrong"})[1]["code"] == "forbidden"
    assert get(limited, next(_addresses), f"/j/{guess()}").status_code == 404  # other addresses are not slowed


def test_an_existing_code_is_refused_to_the_guesser_like_an_unknown_one(limited):
    guesser, office = next(_addresses), next(_addresses)
    other = create(limited, office)
    use_up_misses(limited, guesser)
    for path in (f"/j/{other['code']}", f"/j/{guess()}"):
        answer = get(limited, guesser, path)
        assert_slowed(answer)
        assert "Too many wrong codes" in answer.text or "För många felaktiga koder" in answer.text
    for code in (other["code"], guess()):
        assert_refused_connect(connect(limited, guesser, {"code": code, "name": "G"}))
        assert_refused_connect(connect(limited, guesser, {"code": code, "participant_token": "made-up"}))
        assert_refused_connect(connect(limited, guesser, {"code": code, "role": "screen", "screen_key": "made-up"}))
    # A valid key or token is never refused: the projector and the facilitator get in from there.
    assert connect(limited, guesser, {"code": other["code"], "role": "screen", "screen_key": other["screen_key"]})[0] == "snapshot"
    assert get(limited, guesser, f"/j/{other['code']}").status_code == 200  # known to that address from now on


@pytest.mark.parametrize("holder", ["console link", "console session", "projector link", "export token", "phone session"])
def test_a_valid_key_or_token_opens_its_page_from_an_address_out_of_misses(limited, holder):
    """The facilitator, the projector and a phone that moved onto the guesser's network: each
    brings what cannot be guessed, so none of them waits for the guesser's misses to come back."""
    room = create(limited, next(_addresses))
    browser = requests.Session()
    if holder == "phone session":  # joined elsewhere, then came onto the venue's Wi-Fi
        home = browser.get(f"{limited.url}/j/{room['code']}", headers={"X-Forwarded-For": next(_addresses)}, timeout=10)
        csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', home.text).group(1)
        browser.post(f"{limited.url}/j/{room['code']}", data={"csrf_token": csrf, "name": "Flyttad"},
                     headers={"X-Forwarded-For": next(_addresses)}, timeout=10)
    address = next(_addresses)
    browser.headers["X-Forwarded-For"] = address
    use_up_misses(limited, address)
    assert_slowed(get(limited, address, f"/j/{room['code']}"))  # without anything: slowed like a guess
    if holder == "console link":
        answer = browser.get(room["console_url"], timeout=10)
    elif holder == "console session":
        signed_in = requests.Session()
        signed_in.get(room["console_url"], headers={"X-Forwarded-For": next(_addresses)}, timeout=10)
        signed_in.headers["X-Forwarded-For"] = address
        answer = signed_in.get(f"{limited.url}/console/{room['code']}/data", timeout=10)
    elif holder == "projector link":
        answer = browser.get(room["projector_url"], timeout=10)
    elif holder == "export token":
        answer = browser.get(f"{limited.url}/api/workshops/{room['code']}/export.json",
                             headers={"Authorization": f"Bearer {room['facilitator_token']}"}, timeout=30)
    else:
        answer = browser.get(f"{limited.url}/j/{room['code']}", timeout=10)
        assert 'data-token="' in answer.text and 'data-token=""' not in answer.text
    assert answer.status_code == 200, (holder, answer.status_code, answer.text[:300])


@pytest.mark.parametrize("route", ["join page", "projector", "QR code", "export", "console", "console data", "API delete",
                                   "code form", "socket"])
def test_every_route_counts_unknown_codes_and_answers_429_with_retry_after(limited, route):
    address = next(_addresses)
    session = requests.Session()
    session.headers["X-Forwarded-For"] = address

    def ask(code: str):
        if route == "socket":
            return connect(limited, address, {"code": code, "name": "G"})
        if route == "code form":
            home = session.get(limited.url + "/", timeout=10).text
            csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', home).group(1)
            return session.post(limited.url + "/", data={"csrf_token": csrf, "code": code}, timeout=10)
        if route == "API delete":
            return session.delete(f"{limited.url}/api/workshops/{code}", headers={"Authorization": "Bearer x"}, timeout=10)
        path = {"join page": f"/j/{code}", "projector": f"/screen/{code}", "QR code": f"/screen/{code}/qr.svg",
                "export": f"/api/workshops/{code}/export.md", "console": f"/console/{code}?key=x",
                "console data": f"/console/{code}/data"}[route]
        return session.get(limited.url + path, timeout=10, allow_redirects=False)

    for _ in range(MISSES):
        answer = ask(guess())
        if route == "socket":
            assert answer[1]["code"] == "not_found"
        else:
            assert answer.status_code == (200 if route == "code form" else 404)
    answer = ask(guess())
    if route == "socket":
        return assert_refused_connect(answer)
    assert_slowed(answer)
    if route in ("export", "API delete"):
        assert answer.json()["error"]["code"] == "rate_limited" and answer.json()["error"]["retry_after"] >= 1
