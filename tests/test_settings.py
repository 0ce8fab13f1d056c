"""Starting the server: a setting it cannot use, a database it cannot reach or files missing from the
installation stop it with one line that says why; `--version`; `flask --app facilitation serve`."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from facilitation import __version__, config, installation

from .support import free_port

ROOT = Path(__file__).resolve().parent.parent


def start(tmp_path: Path, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess:
    """`facilitation serve` with `env` on top of a clean environment; what it did before it stopped."""
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    environment.update({"FACILITATION_DATA_DIR": str(tmp_path / "data"), **env})
    return subprocess.run([sys.executable, "-m", "facilitation", "serve", "--port", str(free_port())],
                          env=environment, cwd=cwd or tmp_path, capture_output=True, text=True, timeout=60, check=False)


def one_line(done: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("facilitation: "), done.stderr
    return lines[0]


BAD_SETTINGS = [
    ("FACILITATION_PROXY_HOPS", "abc", "the number of reverse proxies in front of the app: a whole number, 0 or more"),
    ("DATABASE_URL", "mysql://app:hemligt@db/workshops", "must be sqlite:///<path to a file> or postgresql+psycopg://"),
    ("DATABASE_URL", "inte en adress", "must be sqlite:///<path to a file> or postgresql+psycopg://"),
    ("DATABASE_URL", "sqlite://", "must be sqlite:///<path to a file> or postgresql+psycopg://"),
    ("REDIS_URL", "http://cache:6379", "must be redis://<host>:<port>/<db>"),
    ("REDIS_URL", "hemligt@cache", "must be redis://<host>:<port>/<db>"),
    ("FACILITATION_RATE_LIMITS", "nej", "must be 1 (on) or 0 (off)"),
    ("FACILITATION_AUTO_MIGRATE", "kanske", "must be 1 (on) or 0 (off)"),
    ("FACILITATION_ALLOWED_ORIGINS", "workshop.example.se", "must be origins like https://"),
    ("FACILITATION_ALLOWED_ORIGINS", "https://ok.example.se, https://x.se/path", "must be origins like https://"),
    ("FACILITATION_PING_TIMEOUT", "0", "must be a positive number of seconds"),
    ("FACILITATION_ASYNC_MODE", "eventlet", "must be one of threading, gevent"),
]


@pytest.mark.parametrize(("setting", "value", "says"), BAD_SETTINGS[:2])
def test_a_bad_setting_stops_the_server_with_one_line_naming_it(tmp_path, setting, value, says):
    done = start(tmp_path, **{setting: value})
    assert done.returncode == 2
    line = one_line(done)
    assert line.startswith(f"facilitation: {setting}") and says in line
    assert "hemligt" not in line  # a password in a URL is never repeated
    assert not (tmp_path / "data" / "facilitation.db").exists()  # nothing was set up


@pytest.mark.parametrize(("setting", "value", "says"), BAD_SETTINGS)
def test_each_setting_is_checked_and_the_message_says_what_it_accepts(monkeypatch, tmp_path, setting, value, says):
    monkeypatch.setenv(setting, value)
    with pytest.raises(ValueError) as raised:  # create_app makes each a SettingError, which cli prints
        config.load({"DATA_DIR": str(tmp_path)}, str(tmp_path))
    assert str(raised.value).startswith(setting) and says in str(raised.value)
    assert "hemligt" not in str(raised.value) and "\n" not in str(raised.value)


def test_an_unreachable_database_stops_the_server_naming_database_url(tmp_path):
    nowhere = f"postgresql://facilitation:hemligt@127.0.0.1:{free_port()}/facilitation"
    for auto_migrate in ("1", "0"):  # without the upgrade at start, serve reaches the database itself
        done = start(tmp_path, DATABASE_URL=nowhere, FACILITATION_AUTO_MIGRATE=auto_migrate)
        assert done.returncode == 2
        line = one_line(done)
        assert line.startswith("facilitation: DATABASE_URL: the database postgresql+psycopg://facilitation:***@127.0.0.1")
        assert "cannot be reached" in line and "Connection refused" in line and "hemligt" not in line


def test_a_data_folder_that_cannot_be_made_stops_the_server(tmp_path):
    (tmp_path / "a-file").write_text("")
    done = start(tmp_path, FACILITATION_DATA_DIR=str(tmp_path / "a-file" / "data"))
    assert done.returncode == 2
    assert one_line(done).startswith("facilitation: FACILITATION_DATA_DIR: ")


@pytest.mark.parametrize("missing", ["static/vendor/socket.io.esm.min.js", "templates/console/_board.html"])
def test_files_missing_from_the_installation_stop_the_server_naming_them(tmp_path, missing):
    copy = tmp_path / "install"
    for folder in ("facilitation", "templates", "static", "exports"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / missing).unlink()
    done = start(tmp_path, cwd=copy)  # `python -m facilitation` from there runs the copy
    assert done.returncode == 1
    assert one_line(done) == (f"facilitation: cannot start: {missing} missing in {copy} (reinstall the package; "
                              "in a checkout, restore them with git or `make vendor`)")


def test_every_page_the_views_render_is_checked_at_start():
    rendered = set()
    for source in (ROOT / "facilitation" / "views").glob("*.py"):
        rendered |= set(re.findall(r'render_template\(\s*"([^"]+)"', source.read_text()))
    assert rendered and rendered <= set(installation.PAGES), f"add {rendered - set(installation.PAGES)} to PAGES"
    assert installation.missing_files() == []


def test_version(tmp_path):
    done = subprocess.run([sys.executable, "-m", "facilitation", "--version"], cwd=tmp_path,
                          capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout) == (0, f"facilitation {__version__}\n")
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)


def test_flask_does_not_offer_serve_which_only_facilitation_can_run_on_gevent(tmp_path):
    env = {**os.environ, "FACILITATION_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "facilitation", "serve"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2 and "No such command 'serve'" in done.stderr
    assert "serving on" not in done.stderr + done.stdout
    listed = subprocess.run([sys.executable, "-m", "flask", "--app", "facilitation", "--help"], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=60, check=False).stdout
    commands = re.findall(r"^  (\w+) ", listed, re.MULTILINE)
    assert "create" in commands and "serve" not in commands and "demo" not in commands


@pytest.mark.parametrize(("raw", "value"), [("", True), ("1", True), ("on", True), ("0", False), ("False", False)])
def test_switches_read_the_usual_words(monkeypatch, tmp_path, raw, value):
    monkeypatch.setenv("FACILITATION_RATE_LIMITS", raw)
    assert config.load({"DATA_DIR": str(tmp_path)}, str(tmp_path))["RATE_LIMITS"] is value


def test_a_postgresql_url_without_a_driver_uses_psycopg(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgresql://app:p%40ss@db.kommun.se/workshops")
    assert config.load({"DATA_DIR": str(tmp_path)}, str(tmp_path))["DATABASE_URL"] == \
        "postgresql+psycopg://app:p%40ss@db.kommun.se/workshops"
