"""GET /healthz: 200 when the database answers at the current schema, 503 naming what is wrong."""
from __future__ import annotations

import pytest

from facilitation import create_app, migrate
from facilitation.extensions import db

from .support import free_port


@pytest.fixture
def make_app(tmp_path):
    """create_app with the test settings and `overrides`; the database is let go afterwards."""

    def make(**overrides):
        config = {"TESTING": True, "DATA_DIR": str(tmp_path), "SECRET_KEY": "test",
                  "DATABASE_URL": f"sqlite:///{tmp_path / 'test.db'}", **overrides}
        return create_app(config)

    yield make
    db.dispose()


def test_a_healthy_site_says_ok_and_nothing_about_its_workshops(make_app, database_url):
    client = make_app(DATABASE_URL=database_url).test_client()
    made = client.post("/api/workshops", json={"title": "Hemlig planering", "organisation": "Vårdcentralen Norr"})
    assert made.status_code == 201
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    head = migrate.head()
    assert answer.get_json() == {"status": "ok", "database": "ok", "schema": "current", "revision": head, "head": head}
    body = answer.get_data(as_text=True)
    for private in ("Hemlig", "Vårdcentralen", made.get_json()["code"], made.get_json()["facilitator_token"]):
        assert private not in body


def test_a_schema_behind_the_code_is_503_until_db_upgrade_runs(make_app, database_url):
    app = make_app(DATABASE_URL=database_url, AUTO_MIGRATE=False)
    migrate.upgrade(db.engine, "0003")
    client = app.test_client()
    answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.get_json() == {"status": "failing", "database": "ok", "schema": "not at head", "revision": "0003",
                                 "head": migrate.head()}
    done = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert done.exit_code == 0, done.output
    assert client.get("/healthz").get_json()["status"] == "ok"


def test_a_database_never_migrated_is_503_schema_missing(make_app):
    client = make_app(AUTO_MIGRATE=False).test_client()
    answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.get_json() == {"status": "failing", "database": "ok", "schema": "missing", "revision": None,
                                 "head": migrate.head()}


def test_an_unreachable_database_is_503_database_unreachable(make_app):
    nowhere = f"postgresql+psycopg://facilitation@127.0.0.1:{free_port()}/facilitation"
    client = make_app(DATABASE_URL=nowhere, AUTO_MIGRATE=False).test_client()
    answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.get_json() == {"status": "failing", "database": "unreachable", "schema": "unknown", "revision": None}
    assert "127.0.0.1" not in answer.get_data(as_text=True)  # the details go to the log, not to the world


def test_with_several_processes_the_message_queue_is_checked_too(make_app, redis_url):
    client = make_app(REDIS_URL=redis_url).test_client()
    answer = client.get("/healthz")
    assert answer.status_code == 200 and answer.get_json()["redis"] == "ok"


def test_an_unreachable_message_queue_is_503(make_app):
    client = make_app(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0").test_client()
    answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.get_json()["redis"] == "unreachable" and answer.get_json()["database"] == "ok"
