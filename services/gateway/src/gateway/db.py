"""The database: one engine per process, sessions handed out by a unit of work."""

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

CONNECT_ARGS = {"connect_timeout": 5}  # a hung database fails a request in seconds (503), never holds it


def make_engine(url: str, pool_size: int = 5, **options) -> Engine:
    """An engine with a pool sized for one gunicorn worker.

    No pre-ping: it costs a round trip per request; a connection broken by a
    database restart fails one request (503) and is replaced.
    """
    return create_engine(
        url, pool_size=pool_size, max_overflow=pool_size, pool_recycle=1800, connect_args=CONNECT_ARGS, **options
    )


class UnitOfWork:
    """One transaction: `with uow as session: ...; uow.commit()`; rolled back unless committed."""

    def __init__(self, session_factory: sessionmaker, autocommit: Engine):
        self._factory = session_factory
        self._autocommit = autocommit
        self.session: Session | None = None

    def __enter__(self) -> Session:
        self.session = self._factory()
        return self.session

    def __exit__(self, *exc) -> None:
        # close() rolls back anything uncommitted but, unlike rollback(), leaves the loaded
        # objects readable (detached) for the caller.
        self.session.close()
        self.session = None

    def commit(self) -> None:
        self.session.commit()

    def execute_atomically(self, sql: str, params: dict) -> None:
        """Run one self-contained driver-level statement as its own transaction (one round trip)."""
        with self._autocommit.connect() as conn:
            conn.exec_driver_sql(sql, params)

    def fetch_one(self, sql: str, params: dict) -> tuple | None:
        """One row of a single driver-level statement, outside any transaction (one round trip)."""
        with self._autocommit.connect() as conn:
            return conn.exec_driver_sql(sql, params).fetchone()


class Database:
    """Owns the engine; gives out units of work."""

    def __init__(self, url: str, pool_size: int = 5):
        self.engine = make_engine(url, pool_size)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # Single-statement writes get connections that are autocommit for life: switching the
        # isolation level on every checkout and back on return cost more than the statement.
        self._autocommit = make_engine(url, pool_size, isolation_level="AUTOCOMMIT", pool_reset_on_return=None)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self._sessions, self._autocommit)

    def dispose(self) -> None:
        self.engine.dispose()
        self._autocommit.dispose()
