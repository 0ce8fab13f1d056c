"""Fixtures: the app and its test clients, live servers, real Socket.IO clients, databases."""
from __future__ import annotations

import os
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from facilitation import create_app
from facilitation.extensions import db

from .support import LiveServer, SocketClient, free_port  # noqa: F401  (re-exported for tests)

# In CI (CI=true) nothing a test needs may be missing: PostgreSQL, Redis, Chromium, nginx, a tool.
IN_CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def skipped_in_ci(report) -> bool:
    """A skip (not an expected failure) while running in CI."""
    return IN_CI and report.skipped and not hasattr(report, "wasxfail")


def fail_instead(report) -> None:
    """Turn a skip report into a failure that says what was missing."""
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    report.outcome = "failed"
    report.longrepr = f"skipped in CI, where everything the tests need must be there: {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A test that skips fails the run in CI (a fixture's or the test's own pytest.skip)."""
    report = (yield).get_result()
    if skipped_in_ci(report):
        fail_instead(report)


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    """A module that skips as a whole (pytest.importorskip at its top) fails the run in CI."""
    report = (yield).get_result()
    if skipped_in_ci(report):
        fail_instead(report)


@pytest.fixture
def app(tmp_path):
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "SECRET_KEY": "test",
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'test.db'}", "WTF_CSRF_ENABLED": False})
    yield app
    db.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def postgres_url():
    """A fresh PostgreSQL database for one test, dropped afterwards; skipped without TEST_DATABASE_URL."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip("TEST_DATABASE_URL is not set")
    url = sa.make_url(base)
    name = f"facilitation_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False).replace("postgresql://", "postgresql+psycopg://", 1)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def redis_url():
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.skip("TEST_REDIS_URL is not set")
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """Each test using this runs on SQLite and, where TEST_DATABASE_URL is set, on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def migrated_database(database_url):
    """A Database (no Flask) on each of `database_url`'s databases, upgraded to the newest schema."""
    from facilitation import migrate
    from facilitation.database import Database

    database = Database()
    database.configure(database_url)
    migrate.upgrade(database.engine)
    yield database
    database.dispose()


@pytest.fixture
def live_server(tmp_path):
    """`facilitation serve` (gevent, SQLite) in its own process on a free port."""
    server = LiveServer(tmp_path / "live")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def sockets():
    """Opens real Socket.IO clients (`sockets(url, auth)`) and closes them all afterwards."""
    opened: list[SocketClient] = []

    def connect(url: str, auth: dict, **kwargs) -> SocketClient:
        client = SocketClient(url, auth, **kwargs)
        opened.append(client)
        return client

    yield connect
    with ThreadPoolExecutor(max(1, len(opened))) as pool:
        list(pool.map(SocketClient.close, opened))
