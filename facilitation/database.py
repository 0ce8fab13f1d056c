"""Engine and session set-up for SQLite (WAL, foreign keys, serialised writers) and PostgreSQL."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str) -> sa.Engine:
    """An engine for `url`; SQLite gets WAL, foreign keys and BEGIN IMMEDIATE transactions."""
    if url.startswith("sqlite"):
        engine = sa.create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30, "isolation_level": None},
        )

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin_immediate(connection):
            # Take the write lock at the start: a transaction that reads and then writes can
            # never fail on a stale snapshot, and two writers queue instead of colliding.
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return sa.create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


class Database:
    """Holds the engine and hands out one session per request or event."""

    def __init__(self) -> None:
        self.engine: sa.Engine | None = None
        self._sessionmaker: sessionmaker[Session] | None = None
        self._write_lock: threading.Lock | None = None

    def configure(self, url: str) -> None:
        if self.engine is not None:
            self.engine.dispose()
        self.engine = make_engine(url)
        self._sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        # SQLite allows one writer: queue them in the process (cooperatively under gevent)
        # rather than inside SQLite's busy handler, which would block the whole event loop.
        self._write_lock = threading.Lock() if self.engine.dialect.name == "sqlite" else None

    @property
    def dialect(self) -> str:
        assert self.engine is not None, "database not configured"
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session for one unit of work; rolled back unless the caller committed."""
        assert self._sessionmaker is not None, "database not configured"
        lock = self._write_lock
        if lock is not None:
            lock.acquire()
        try:
            with self._sessionmaker() as session:
                try:
                    yield session
                finally:
                    session.rollback()
        finally:
            if lock is not None:
                lock.release()

    def dispose(self) -> None:
        if self.engine is not None:
            self.engine.dispose()
