"""The wheel, as an IT department installs it: built from this checkout, installed with the locked
versions into a new virtual environment, started from another folder, and used like a workshop."""
from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import venv
import zipfile
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests

from facilitation import __version__

from .support import LiveServer, SocketClient

ROOT = Path(__file__).resolve().parent.parent
CONSTRAINTS = ROOT / "requirements" / "constraints.txt"

pytestmark = [pytest.mark.wheel, pytest.mark.live]


def run(*command: str | Path, cwd: Path | None = None) -> str:
    done = subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, f"{command} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel built from this checkout (pip runs the build backend, hatchling)."""
    dist = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", dist, ROOT)
    return next(dist.glob(f"facilitation-{__version__}-*.whl"))


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A new virtual environment with nothing but the wheel and its locked dependencies; its bin folder."""
    where = tmp_path_factory.mktemp("venv")
    venv.create(where / "venv", with_pip=True)
    bin_dir = where / "venv" / "bin"
    run(bin_dir / "python", "-m", "pip", "install", "--quiet", "--constraint", CONSTRAINTS, wheel)
    return bin_dir


@pytest.fixture(scope="module")
def server(installed, tmp_path_factory):
    """`facilitation serve` of the installed wheel, started from a folder with no checkout in it."""
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    live = LiveServer(elsewhere / "data", command=[str(installed / "facilitation")], cwd=elsewhere)
    live.start()
    yield live
    live.stop()
    assert "Traceback" not in live.log(), live.log()


def test_the_wheel_holds_the_folders_and_licences_the_app_needs(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("facilitation/templates/base.html", "facilitation/templates/console/run.html",
                 "facilitation/static/vendor/socket.io.esm.min.js", "facilitation/static/js/realtime.js",
                 "facilitation/exports/record.md.j2", "facilitation/translations/sv/LC_MESSAGES/messages.mo",
                 "facilitation/migrations/env.py", "facilitation/scenarios/demo-samverkan.json",
                 f"facilitation-{__version__}.dist-info/licenses/LICENSE",
                 f"facilitation-{__version__}.dist-info/licenses/static/vendor/socket.io-client.LICENSE"):
        assert name in names
    assert not any(name.startswith(("tests/", "node_modules/", "benchmarks/")) for name in names)


def test_the_installed_command_names_its_version_and_uses_its_own_files(installed, tmp_path):
    assert run(installed / "facilitation", "--version", cwd=tmp_path).strip() == f"facilitation {__version__}"
    where = run(installed / "python", "-c", "from facilitation import config; print(config.ROOT)", cwd=tmp_path)
    assert "site-packages" in where and Path(where.strip()).name == "facilitation"


def test_every_page_of_a_workshop_works_from_the_installed_wheel(server):
    facilitator = requests.Session()
    home = facilitator.get(server.url + "/")
    assert home.status_code == 200 and 'name="code"' in home.text
    start = facilitator.get(server.url + "/console/")
    assert start.status_code == 200
    created = facilitator.post(server.url + "/console/", data={
        "csrf_token": csrf_token(start.text), "title": "Hjulet rullar", "language": "sv",
        "votes_per_participant": "3", "max_votes_per_theme": "3", "anonymous_items": "y"})
    assert created.status_code == 200 and created.url.endswith("/created"), created.text
    code = urlsplit(created.url).path.split("/")[2]
    token = re.search(r"key=([\w-]+)", created.text).group(1)
    console = facilitator.get(f"{server.url}/console/{code}")
    projector_link = re.search(r'id="projector-link" href="([^"]+)"', created.text).group(1)
    projector = requests.Session().get(projector_link.replace("&amp;", "&"))
    qr = requests.get(f"{server.url}/screen/{code}/qr.svg")
    assert console.status_code == projector.status_code == qr.status_code == 200
    assert qr.headers["Content-Type"].startswith("image/svg+xml")

    phone = requests.Session()
    found = phone.post(server.url + "/", data={"csrf_token": csrf_token(phone.get(server.url + "/").text), "code": code})
    assert found.status_code == 200 and found.url.endswith(f"/j/{code}")
    joined = phone.post(found.url, data={"csrf_token": csrf_token(found.text), "name": "Kerstin Nordin"})
    assert joined.status_code == 200
    participant_token = re.search(r'data-token="([\w-]+)"', joined.text).group(1)

    facilitator_socket = SocketClient(server.url, {"code": code, "facilitator_token": token})
    device = SocketClient(server.url, {"code": code, "participant_token": participant_token},
                          transports=["polling", "websocket"])
    try:
        item = device.ok("post_item", {"quadrant": "strengths", "text": "Korta beslutsvägar"})["item"]
        assert facilitator_socket.wait_for("item_added", lambda d: d["id"] == item["id"])["text"] == "Korta beslutsvägar"
    finally:
        device.close()
        facilitator_socket.close()

    record = facilitator.get(f"{server.url}/console/{code}/record")
    assert record.status_code == 200 and "Korta beslutsvägar" in record.text
    for page in (home, start, created, console, projector, found, joined, record):
        assert_assets_load(server.url, page)


def test_the_record_downloads_in_every_format(server):
    made = server.create_workshop(title="Exporten")
    device = SocketClient(server.url, {"code": made["code"], "name": "Ali"})
    try:
        device.ok("post_item", {"quadrant": "threats", "text": "Långa köer"})
    finally:
        device.close()
    bearer = {"Authorization": f"Bearer {made['facilitator_token']}"}
    files = {fmt: requests.get(f"{server.url}/api/workshops/{made['code']}/export.{fmt}", headers=bearer, timeout=60)
             for fmt in ("md", "json", "docx", "xlsx")}
    assert {fmt: answer.status_code for fmt, answer in files.items()} == dict.fromkeys(files, 200)
    assert "Långa köer" in files["md"].text
    assert json.loads(files["json"].content)["workshop"]["title"] == "Exporten"
    for fmt in ("docx", "xlsx"):
        assert files[fmt].content[:2] == b"PK" and zipfile.is_zipfile(io.BytesIO(files[fmt].content))


def csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def assert_assets_load(base: str, page: requests.Response) -> None:
    """Every stylesheet, script and image the page names, and every module those scripts import, loads;
    the socket.io bundle served is the one in this checkout."""
    pending = [urljoin(page.url, ref) for ref in re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text)]
    loaded: set[str] = set()
    while pending:
        url = pending.pop()
        if url in loaded:
            continue
        answer = requests.get(url)
        assert answer.status_code == 200, url
        loaded.add(url)
        if url.endswith(".js"):
            pending += [urljoin(url, ref) for ref in re.findall(r'from\s*"(\.{1,2}/[^"]+)"', answer.text)]
    bundle = urljoin(base, "/static/vendor/socket.io.esm.min.js")
    if any(url.endswith("/realtime.js") for url in loaded):
        assert bundle in loaded
        assert requests.get(bundle).content == (ROOT / "static" / "vendor" / "socket.io.esm.min.js").read_bytes()
