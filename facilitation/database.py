"""Engines and sessions: reads beside writes, writes serialised without ever blocking the event loop.

Writers of one process take turns behind an in-process lock (cooperative under gevent), on
both databases. SQLite (WAL) gets two engines on one file: readers begin a deferred
transaction and never wait; writers begin `BEGIN IMMEDIATE`, retried with short cooperative
sleeps while another process (a worker, the CLI) holds the file's write lock, instead of
waiting inside SQLite's busy handler, which would stop the whole loop. PostgreSQL gets one
pooled engine for both. Nothing here emits or waits on a client.
"""
from __future__ import annotations

import os
import threading
import time
from contextlib import contextmanager
from typing import Iterator

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

WRITE_WAIT_SECONDS = 30.0  # how long a writer waits for another process's write lock


def _sqlite_engine(url: str, *, writer: bool) -> sa.Engine:
    engine = sa.create_engine(url, connect_args={"check_same_thread": False, "isolation_level": None})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA secure_delete=ON")  # deleted text is overwritten, not left in the file
        # A writer never sleeps inside SQLite (that would stop every greenlet): it is told
        # "locked" at once and waits in _begin below. Readers in WAL mode are not blocked.
        cursor.execute(f"PRAGMA busy_timeout={0 if writer else 5000}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        if not writer:
            connection.exec_driver_sql("BEGIN")
            return
        # Take the write lock at the start: a transaction that reads and then writes can
        # never fail on a stale snapshot, and two writers queue instead of colliding.
        deadline, pause = time.monotonic() + WRITE_WAIT_SECONDS, 0.001
        while True:
            try:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
                return
            except sa.exc.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
            time.sleep(pause)  # cooperative under gevent
            pause = min(pause * 2, 0.02)

    return engine


def _private_sqlite_files(url: str) -> None:
    """The SQLite file created (or made) readable by this user only, its -wal and -shm too.

    SQLite gives the -wal and -shm files the database file's permissions when it creates them."""
    path = sa.make_url(url).database
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    for name in (path, f"{path}-wal", f"{path}-shm", f"{path}-journal"):
        if os.path.exists(name) and os.stat(name).st_uid == os.getuid():
            os.chmod(name, 0o600)


def make_engine(url: str) -> sa.Engine:
    """A writing engine for `url` (SQLite: WAL, foreign keys, BEGIN IMMEDIATE)."""
    if url.startswith("sqlite"):
        _private_sqlite_files(url)
        return _sqlite_engine(url, writer=True)
    # No pre-ping: it would cost every transaction a round trip. After a database restart the
    # first statement on a dead connection fails (that event answers `internal`, nothing
    # changed) and SQLAlchemy replaces the pool's connections.
    return sa.create_engine(url, pool_size=20, max_overflow=20, pool_recycle=3600)


def core(session: Session) -> sa.Connection:
    """The session's connection for statements built once (Core, bound parameters): about a
    fifth of the CPU of the ORM building a statement per call, for the join and vote paths.
    Pending ORM changes are flushed first, as the ORM's own queries would."""
    session.flush()
    return session.connection()


class Database:
    """Holds the engines and hands out one session per unit of work: `read()` or `write()`."""

    def __init__(self) -> None:
        self.engine: sa.Engine | None = None
        self._read_engine: sa.Engine | None = None
        self._writer: sessionmaker[Session] | None = None
        self._reader: sessionmaker[Session] | None = None
        self._write_lock = threading.Lock()

    def configure(self, url: str) -> None:
        self.dispose()
        self.engine = make_engine(url)
        sqlite = self.engine.dialect.name == "sqlite"
        self._read_engine = _sqlite_engine(url, writer=False) if sqlite else self.engine
        self._writer = sessionmaker(self.engine, expire_on_commit=False)
        self._reader = sessionmaker(self._read_engine, expire_on_commit=False)
        # One writer at a time in this process, queued cooperatively under gevent. SQLite allows
        # only one anyway. On PostgreSQL, writers whose round trips interleave on one event loop
        # all finish at the end of a storm (each waits for the loop between its statements);
        # queued, each runs its statements back to back and answers in turn.
        self._write_lock = threading.Lock()

    @property
    def dialect(self) -> str:
        assert self.engine is not None, "database not configured"
        return self.engine.dialect.name

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session that only reads, in one consistent snapshot; never waits for a writer."""
        assert self._reader is not None, "database not configured"
        with self._reader() as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: committed when the block ends, rolled back if it raises.

        Emit nothing inside it: what changed is published after it ends (facilitation.pipeline)."""
        assert self._writer is not None, "database not configured"
        with self._write_lock, self._writer() as session:
            try:
                yield session
                session.commit()
            finally:
                session.rollback()

    def dispose(self) -> None:
        for engine in {self.engine, self._read_engine} - {None}:
            engine.dispose()  # type: ignore[union-attr]
        self.engine = self._read_engine = None
