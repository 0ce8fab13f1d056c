"""The data folder and the SQLite files are readable by the server's user only."""
from __future__ import annotations

import os
import stat

import pytest
import requests

from facilitation import create_app
from facilitation.extensions import db

from .support import LiveServer


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(autouse=True)
def usual_umask():
    """The usual umask, which alone would leave new files and folders readable by everyone."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def test_a_new_data_folder_and_database_are_private(tmp_path):
    folder = tmp_path / "data"
    app = create_app({"DATA_DIR": str(folder), "SECRET_KEY": "test"})
    try:
        answer = app.test_client().post("/api/workshops", json={"title": "Behörigheter"})
        assert answer.status_code == 201
        database = folder / "facilitation.db"
        assert mode(folder) == 0o700
        assert mode(database) == 0o600
        assert mode(f"{database}-wal") == 0o600  # WAL mode: written to since the workshop was created
        assert mode(f"{database}-shm") == 0o600
    finally:
        db.dispose()


def test_the_generated_secret_key_is_private(tmp_path):
    folder = tmp_path / "data"
    create_app({"DATA_DIR": str(folder)})
    db.dispose()
    assert mode(folder / "secret_key") == 0o600


def test_an_existing_data_folder_and_database_are_made_private(tmp_path):
    """A site that ran an older version: its folder and files were readable by everyone."""
    folder = tmp_path / "data"
    folder.mkdir(mode=0o755)
    create_app({"DATA_DIR": str(folder), "SECRET_KEY": "test"})
    db.dispose()
    for name in ("facilitation.db", "facilitation.db-wal", "facilitation.db-shm"):
        if (folder / name).exists():
            os.chmod(folder / name, 0o644)
    folder.chmod(0o755)
    create_app({"DATA_DIR": str(folder), "SECRET_KEY": "test"})
    db.dispose()
    assert mode(folder) == 0o700
    assert mode(folder / "facilitation.db") == 0o600


def test_the_server_writes_its_files_privately(tmp_path):
    """`facilitation serve` under the usual umask: every file it leaves in the data folder is private."""
    server = LiveServer(tmp_path / "live")
    server.data_dir.chmod(0o755)
    server.start()
    try:
        server.create_workshop(title="Serverns filer")
        assert requests.get(server.url + "/", timeout=5).status_code == 200
        assert mode(server.data_dir) == 0o700
        written = [path for path in server.data_dir.iterdir()
                   if path.name.startswith(("facilitation.db", "secret_key"))]
        assert {path.name for path in written} >= {"facilitation.db", "facilitation.db-wal", "secret_key"}
        assert {path.name: mode(path) for path in written} == {path.name: 0o600 for path in written}
    finally:
        server.stop()
