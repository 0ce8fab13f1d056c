"""The deployment of docs/deploy.md, played through: Debian's nginx with the shipped site in front
of two `facilitation serve` processes on PostgreSQL and Redis, set up as the shipped environment
file says (the schema upgraded once beforehand, as facilitation-migrate.service does)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import socketio

from ..support import LiveServer, SocketClient
from .deploy_support import STICKY, Nginx, env_file_settings

pytestmark = pytest.mark.live


class BrowserSocket(SocketClient):
    """A Socket.IO client that goes through the proxy as a browser does: with its cookies and its
    trust in the site's certificate (the requests `session`)."""

    def __init__(self, url: str, auth: dict, session: requests.Session, transports: list[str]) -> None:
        super().__init__(url, auth, transports=transports, connect=False)
        for attempt in range(3):  # as a browser reconnects: python-engineio's client now and then fails
            self.sio = socketio.Client(reconnection=False, http_session=session)  # to open wss:// (issue 461)
            self.sio.on("*", self._record)
            self.sio.on("connect_error", self._refused)
            try:
                self.connect()
                return
            except socketio.exceptions.ConnectionError:
                if self.connect_error is not None or attempt == 2:  # refused by the server: no second try
                    raise


@pytest.fixture
def site(tmp_path, postgres_url, redis_url):
    """nginx on a free HTTPS port in front of two server processes sharing one data folder."""
    env = env_file_settings()
    # The site's own name is not this machine's: links then follow the forwarded Host and Proto.
    env.pop("FACILITATION_BASE_URL")
    env.pop("FACILITATION_DATA_DIR")  # each LiveServer is given the test's own folder
    env.update(DATABASE_URL=postgres_url, REDIS_URL=redis_url, FACILITATION_ALLOWED_HOSTS="127.0.0.1")
    data = tmp_path / "data"
    servers = [LiveServer(data, env=env) for _ in range(2)]
    upgraded = subprocess.run([sys.executable, "-m", "facilitation", "db", "upgrade"], capture_output=True, text=True,
                              env={**os.environ, **env, "FACILITATION_DATA_DIR": str(data)}, timeout=120)
    assert upgraded.returncode == 0, upgraded.stderr
    (tmp_path / "nginx").mkdir()
    nginx = Nginx(tmp_path / "nginx", [s.port for s in servers])
    try:
        with ThreadPoolExecutor(len(servers)) as starting:
            list(starting.map(LiveServer.start, servers))
        nginx.start()
        yield nginx, servers
    finally:
        nginx.stop()
        for server in servers:
            server.stop()


def browser(nginx: Nginx, node: str | None = None) -> requests.Session:
    """A browser's requests: trusts the site's certificate; `node` presets the sticky cookie."""
    session = requests.Session()
    session.trust_env = False  # REQUESTS_CA_BUNDLE would otherwise win over `verify`
    session.verify = str(nginx.cert)
    if node is not None:
        session.cookies.set(STICKY, node, domain="127.0.0.1", path="/")
    return session


def upstream_of(nginx: Nginx, node: str) -> str:
    """Which server process answers the browser whose sticky cookie is `node` (read off the access log)."""
    before = len(nginx.access_lines())
    answer = browser(nginx, node).get(nginx.url + "/healthz", timeout=10)
    assert answer.status_code == 200, answer.text
    line = nginx.logged(lambda lines: len(lines) > before)[before]
    assert '"GET /healthz ' in line
    return upstream(line)


def upstream(line: str) -> str:
    """The server process that answered the request an access log line records."""
    return re.search(r"upstream=(\S+)", line).group(1)


def nodes_on_each_process(nginx: Nginx, servers: list[LiveServer]) -> tuple[str, str]:
    """A sticky cookie value that lands on the first process and one that lands on the second."""
    found: dict[str, str] = {}
    for n in range(64):
        found.setdefault(upstream_of(nginx, f"n{n}"), f"n{n}")
        if len(found) == 2:
            break
    return found[f"127.0.0.1:{servers[0].port}"], found[f"127.0.0.1:{servers[1].port}"]


def test_a_workshop_through_nginx_on_two_processes(site):
    nginx, servers = site
    on_a, on_b = nodes_on_each_process(nginx, servers)
    health = browser(nginx).get(nginx.url + "/healthz", timeout=10).json()
    assert (health["status"], health["database"], health["schema"], health["redis"]) == ("ok", "ok", "current", "ok")

    made = browser(nginx).post(nginx.url + "/api/workshops", timeout=10, json={
        "title": "Trygg hemgång", "votes_per_participant": 3, "max_votes_per_theme": 3, "anonymous_items": False})
    assert made.status_code == 201, made.text
    ws = made.json()
    code, key, screen_key = ws["code"], ws["facilitator_token"], ws["screen_key"]
    # The app saw HTTPS and the site's address through the forwarded headers.
    assert ws["join_url"] == f"{nginx.url}/j/{code}"

    # The facilitator opens the console link; nginx gives the new browser its sticky cookie.
    laptop = browser(nginx)
    console = laptop.get(f"{nginx.url}/console/{code}?key={key}", timeout=10)
    assert console.status_code == 200 and console.url == f"{nginx.url}/console/{code}"
    assert laptop.cookies.get(STICKY)
    facilitator = BrowserSocket(nginx.url, {"code": code, "facilitator_token": key}, laptop, ["websocket"])

    projector_browser = browser(nginx, on_b)
    assert projector_browser.get(f"{nginx.url}/screen/{code}?k={screen_key}", timeout=10).status_code == 200
    projector = BrowserSocket(nginx.url, {"code": code, "role": "screen", "screen_key": screen_key},
                              projector_browser, ["websocket"])
    # The phones long-poll (the WebSockets are the console's and the projectors'): python-engineio's
    # client now and then loses an answer over wss:// when its reader and writer threads meet on
    # the one TLS socket (python-engineio issue 461); browsers have no such race.
    phones = [
        BrowserSocket(nginx.url, {"code": code, "name": "Aino Lindholm"}, browser(nginx, on_a), ["polling"]),
        BrowserSocket(nginx.url, {"code": code, "name": "Bertil Ek"}, browser(nginx, on_b), ["polling"]),
        BrowserSocket(nginx.url, {"code": code, "name": "Cecilia Ruiz"}, browser(nginx), ["polling"]),
    ]
    clients = [facilitator, projector, *phones]
    try:
        # A phone on process A posts; the projector on process B shows it, and back.
        first = phones[0].ok("post_item", {"quadrant": "strengths", "text": "Vi känner patienterna"})["item"]
        assert projector.wait_for("item_added", lambda d: d["id"] == first["id"])["text"] == "Vi känner patienterna"
        second = phones[1].ok("post_item", {"quadrant": "threats", "text": "Utskrivning på fredagar"})["item"]
        assert phones[0].wait_for("item_added", lambda d: d["id"] == second["id"])["text"] == "Utskrivning på fredagar"
        assert phones[2].wait_for("item_added", lambda d: d["id"] == second["id"])

        theme = facilitator.ok("create_theme", {"title": "Hemgången", "item_ids": [first["id"], second["id"]]})["theme"]
        facilitator.ok("set_phase", {"phase": "vote"})
        for phone in phones:
            phone.wait_for("phase", lambda d: d["phase"] == "vote")

        # Every phone taps four times at once: three dots each, the fourth refused.
        answers: list[dict] = []
        start = threading.Barrier(len(phones) * 4)

        def vote(phone):
            start.wait()
            answers.append(phone.call("vote", {"theme_id": theme["id"]}))

        threads = [threading.Thread(target=vote, args=(p,)) for p in phones for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sum(a["ok"] for a in answers) == 9
        assert [a["error"]["code"] for a in answers if not a["ok"]] == ["vote_budget"] * 3
        assert facilitator.wait_for("tally", lambda d: d.get(str(theme["id"])) == 9)
        facilitator.ok("reveal_tallies")
        assert projector.wait_for("tally", lambda d: d.get(str(theme["id"])) == 9)
        # Seen afresh from either process, every dot is spent.
        for phone, node in zip(phones, (on_b, on_a, on_b)):
            again = BrowserSocket(nginx.url, {"code": code, "participant_token": phone.snapshot["me"]["token"]},
                                  browser(nginx, node), ["websocket"])
            clients.append(again)
            assert again.snapshot["me"]["votes_left"] == 0
    finally:
        for client in clients:
            client.close()

    websockets = sum(1 for c in clients if c.transports == ["websocket"])
    lines = nginx.logged(lambda lines: sum('" 101 ' in line for line in lines) >= websockets)
    log = "\n".join(lines)
    assert key not in log and screen_key not in log and "?" not in log  # no query string at all
    assert f'"GET /console/{code} ' in log and f'"GET /screen/{code} ' in log  # logged, without their keys
    polls = [line for line in lines if re.search(r'"(GET|POST) /socket\.io/ .*" 200 ', line)]
    upgrades = [line for line in lines if re.search(r'"GET /socket\.io/ .*" 101 ', line)]
    assert polls and len(upgrades) == websockets
    # Long-polling is sticky: a poll that reached the other process would be refused (400).
    assert not [line for line in lines if "/socket.io/" in line and '" 400 ' in line]
    assert {upstream(line) for line in upgrades} == {f"127.0.0.1:{server.port}" for server in servers}


def test_plain_http_goes_to_https_and_a_new_browser_stays_on_one_process(site):
    nginx, _servers = site
    plain = requests.get(f"http://127.0.0.1:{nginx.http_port}/j/ABCDEF?lang=en", allow_redirects=False, timeout=10)
    assert plain.status_code == 301
    assert plain.headers["Location"] == "https://127.0.0.1/j/ABCDEF?lang=en"  # port 443 on a real site

    # certbot's HTTP challenge is answered from the webroot, over plain HTTP (renewals).
    challenge = nginx.folder / "acme" / ".well-known" / "acme-challenge"
    challenge.mkdir(parents=True)
    (challenge / "token-123").write_text("token-123.thumbprint")
    answer = requests.get(f"http://127.0.0.1:{nginx.http_port}/.well-known/acme-challenge/token-123", timeout=10)
    assert answer.status_code == 200 and answer.text == "token-123.thumbprint"

    newcomer = browser(nginx)
    first = newcomer.get(nginx.url + "/healthz", timeout=10)
    assert first.status_code == 200 and first.json()["status"] == "ok"
    cookie = next(c for c in newcomer.cookies if c.name == STICKY)
    assert cookie.secure and cookie.path == "/" and cookie.has_nonstandard_attr("HttpOnly")
    for _ in range(6):
        newcomer.get(nginx.url + "/healthz", timeout=10)
    lines = nginx.logged(lambda lines: sum('"GET /healthz ' in line for line in lines) == 7)
    assert len({upstream(line) for line in lines if '"GET /healthz ' in line}) == 1
    assert first.headers["Strict-Transport-Security"] == "max-age=31536000"
