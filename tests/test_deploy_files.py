"""deploy/: the systemd units are valid for systemd, the environment template names every setting
the app reads and is accepted as it stands. (tests/e2e/test_nginx_deploy.py runs the nginx site.)"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from facilitation import config

from .e2e.deploy_support import ENV_FILE, SYSTEMD, env_file_settings

PACKAGE = Path(config.__file__).resolve().parent
SET_BY_THE_COMMAND = {"FACILITATION_ASYNC_MODE"}  # `facilitation serve` chooses gevent itself


def settings_the_app_reads() -> set[str]:
    """Every environment variable named in the modules that read the environment."""
    source = (PACKAGE / "config.py").read_text() + (PACKAGE / "cli.py").read_text()
    named = set(re.findall(r'"((?:FACILITATION|PSYCOPG)_[A-Z_]+|DATABASE_URL|REDIS_URL|SECRET_KEY)"', source))
    return named - SET_BY_THE_COMMAND


def test_the_environment_template_names_every_setting():
    template = ENV_FILE.read_text()
    named = set(re.findall(r"^#?([A-Z][A-Z_]+)=", template, re.M))
    assert settings_the_app_reads() - named == set()
    assert named - settings_the_app_reads() == set()  # nothing the app does not read


def test_the_environment_template_is_accepted_as_it_stands(monkeypatch, tmp_path):
    for name in settings_the_app_reads():
        monkeypatch.delenv(name, raising=False)
    settings = env_file_settings()
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("FACILITATION_DATA_DIR", str(tmp_path))
    loaded = config.load({}, str(tmp_path))
    database = sa.make_url(loaded["DATABASE_URL"])  # PostgreSQL over its local socket, peer authentication
    assert (database.drivername, database.username, database.database) == ("postgresql+psycopg", "facilitation", "facilitation")
    assert database.host is None and database.query["host"] == "/var/run/postgresql"
    assert loaded["PROXY_HOPS"] == 1 and loaded["AUTO_MIGRATE"] is False and loaded["SESSION_COOKIE_SECURE"] is True
    assert loaded["TRUSTED_HOSTS"] == ["workshop.example.se"] and loaded["REDIS_URL"] == settings["REDIS_URL"]


def rendered_units(folder: Path) -> list[Path]:
    """The shipped units, pointing at this checkout's `facilitation` and environment template."""
    command = Path(sys.executable).parent / "facilitation"
    assert command.exists(), "the facilitation command is installed beside this Python"
    units = []
    for unit in SYSTEMD.iterdir():
        text = unit.read_text()
        text = text.replace("/opt/facilitation/bin/facilitation", str(command))
        text = text.replace("/etc/facilitation/facilitation.env", str(ENV_FILE))
        name = unit.name.replace("@.", "@5001.")  # a template is checked as one of its instances
        (folder / name).write_text(text)
        units.append(folder / name)
    return units


def test_the_systemd_units_are_valid(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (Debian's systemd)")
    units = rendered_units(tmp_path)
    assert sorted(u.name for u in units) == ["facilitation-migrate.service", "facilitation.target",
                                             "facilitation@5001.service"]
    checked = subprocess.run([analyze, "verify", *map(str, units)], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0 and checked.stderr == "", checked.stderr  # warnings count as failures


def test_the_servers_start_only_after_the_one_migration():
    server = (SYSTEMD / "facilitation@.service").read_text()
    migrate = (SYSTEMD / "facilitation-migrate.service").read_text()
    assert "Requires=facilitation-migrate.service" in server and re.search(r"^After=facilitation-migrate\.service", server, re.M)
    assert "ExecStart=/opt/facilitation/bin/facilitation serve --host 127.0.0.1 --port %i" in server
    assert "ExecStart=/opt/facilitation/bin/facilitation db upgrade" in migrate and "Type=oneshot" in migrate
    assert env_file_settings()["FACILITATION_AUTO_MIGRATE"] == "0"
