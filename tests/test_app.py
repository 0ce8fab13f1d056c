"""The app factory, storage settings, the schema and the CLI's create and db commands."""
from __future__ import annotations

import json

import sqlalchemy as sa
from alembic.script import ScriptDirectory

from facilitation import create_app, migrate
from facilitation.extensions import db
from facilitation.operations import access


def test_sqlite_runs_in_wal_with_foreign_keys(app):
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_schema_is_at_the_newest_migration_after_start(app):
    newest = ScriptDirectory.from_config(migrate.alembic_config()).get_current_head()
    assert migrate.current(db.engine) == newest


def test_data_dir_holds_the_database_and_a_kept_secret_key(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("FACILITATION_DATA_DIR", str(tmp_path / "data"))
    first = create_app()
    key = first.config["SECRET_KEY"]
    assert (tmp_path / "data" / "facilitation.db").exists()
    assert len(key) >= 32 and (tmp_path / "data" / "secret_key").read_text() == key
    second = create_app()
    assert second.config["SECRET_KEY"] == key
    db.dispose()


def test_database_url_switches_to_postgresql(postgres_url, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", postgres_url)
    app = create_app({"DATA_DIR": str(tmp_path)})
    assert db.dialect == "postgresql"
    client = app.test_client()
    answer = client.post("/api/workshops", json={"title": "Samverkan i fokus"})
    assert answer.status_code == 201
    with db.engine.connect() as connection:
        titles = connection.execute(sa.text("select title from workshop")).scalars().all()
    assert titles == ["Samverkan i fokus"]
    db.dispose()


def test_create_command_prints_code_links_and_a_working_token(app, runner):
    result = runner.invoke(args=["create", "Samverkan i fokus", "--date", "2016-09-01", "--organisation",
                                 "Göteborgs stad", "--url", "https://workshop.goteborg.se", "--json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["join_url"] == f"https://workshop.goteborg.se/j/{answer['code']}"
    assert answer["projector_url"] == f"https://workshop.goteborg.se/screen/{answer['code']}?k={answer['screen_key']}"
    with db.write() as session:
        workshop = access.workshop_by_code(session, answer["code"])
        assert workshop.title == "Samverkan i fokus" and str(workshop.date) == "2016-09-01"
        access.check_facilitator_token(session, workshop, answer["facilitator_token"])
        access.check_screen_key(workshop, answer["screen_key"])


def test_create_command_refuses_a_bad_date(app, runner):
    result = runner.invoke(args=["create", "X", "--date", "1 september"])
    assert result.exit_code != 0
    assert "ISO date" in result.output


def test_db_upgrade_command_reports_the_revision(app, runner):
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "database at revision" in result.output


def test_behind_a_proxy_links_use_the_forwarded_host_and_scheme(tmp_path, monkeypatch):
    monkeypatch.setenv("FACILITATION_PROXY_HOPS", "1")
    app = create_app({"DATA_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}"})
    answer = app.test_client().post("/api/workshops", json={"title": "Bakom proxy"},
                                    headers={"X-Forwarded-Host": "workshop.goteborg.se", "X-Forwarded-Proto": "https",
                                             "X-Forwarded-For": "10.1.2.3"})
    assert answer.status_code == 201
    assert answer.get_json()["join_url"].startswith("https://workshop.goteborg.se/j/")
    db.dispose()


def test_without_the_setting_forwarded_headers_are_not_trusted(app, client):
    answer = client.post("/api/workshops", json={"title": "Utan proxy"}, headers={"X-Forwarded-Host": "evil.example"})
    assert "evil.example" not in answer.get_json()["join_url"]
