"""The database: one engine per process, sessions handed out by a unit of work.

Single-statement writes and reads on the hottest paths (a job submitted, a
token checked) skip the ORM and SQLAlchemy's execution layer: they run as
prepared statements on a small pool of autocommit psycopg connections, which
costs about a third less CPU per statement.
"""

import contextlib
import functools
import threading
import time
from collections.abc import Iterator
from typing import TypeVar

import orjson
import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.pq import TransactionStatus
from psycopg.rows import namedtuple_row
from psycopg.types.json import set_json_loads
from sqlalchemy import Select, create_engine
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from gateway.fastpaths import switch

S = TypeVar("S")

CONNECT_TIMEOUT = 5  # a hung database fails a request in seconds (503), never holds it
CONNECT_ARGS = {"connect_timeout": CONNECT_TIMEOUT}


class DatabaseUnavailable(Exception):
    """The database cannot be reached (refused, timed out, or the pool could not get a connection)."""


def make_engine(url: str, pool_size: int = 5, **options) -> Engine:
    """An engine with a pool sized for one gunicorn worker.

    No pre-ping: it costs a round trip per request; a connection broken by a
    database restart fails one request (503) and is replaced.
    """
    return create_engine(
        url, pool_size=pool_size, max_overflow=pool_size, pool_recycle=1800, connect_args=CONNECT_ARGS, **options
    )


def _conninfo(url: str) -> str:
    """libpq's connection string for a SQLAlchemy URL, its query parameters (e.g. options) included as given."""
    parsed = make_url(url)
    parts = {"host": parsed.host, "port": parsed.port, "user": parsed.username, "password": parsed.password}
    parts |= {"dbname": parsed.database, **parsed.query}
    return make_conninfo(**{key: value for key, value in parts.items() if value is not None})


def fetch_rows(conn: psycopg.Connection, query: Select, params: dict) -> list[tuple]:
    """The rows of a statement built once per shape (bind parameters only), straight from psycopg.

    The statement is compiled once and psycopg prepares it after a few runs. SQLAlchemy's execution and
    result layers cost more CPU than the query: a catalog page took 0.41 ms of CPU through them, 0.17 ms
    without, and the ORM's loading of a feed page of twenty images more than the rest of the request.
    """
    sql, defaults = compiled_sql(query)
    return conn.execute(sql, {**defaults, **params}).fetchall()


def driver_connection(session: Session) -> psycopg.Connection:
    """The psycopg connection under the session's transaction: a statement run on it commits or rolls back with
    the session's work, without SQLAlchemy's execution layers."""
    return session.connection().connection.driver_connection


@functools.cache
def compiled_sql(query: Select) -> tuple[str, dict]:
    compiled = query.compile(dialect=postgresql.psycopg.dialect())
    return str(compiled), compiled.params


class StatementPool:
    """Autocommit psycopg connections for one-statement work, made on first use (building it does no I/O).

    Deliberately small: a LIFO list behind a lock, no background threads, so a
    pool that is dropped is collected with its connections.
    """

    def __init__(self, url: str, size: int, max_lifetime: float = 1800, settings: dict[str, str] | None = None):
        self._conninfo = _conninfo(url)
        if settings:  # server settings for every connection of this pool, after any the URL gives
            given = conninfo_to_dict(self._conninfo).get("options", "")
            options = " ".join([given, *(f"-c {name}={value}" for name, value in settings.items())]).strip()
            self._conninfo = make_conninfo(self._conninfo, options=options)
        self._size = max(size, 1)
        self._max_lifetime = max_lifetime
        self._idle: list[tuple[psycopg.Connection, float]] = []
        self._lock = threading.Lock()

    def execute(self, sql: str, params: dict) -> None:
        """Run one self-contained statement as its own transaction (one round trip)."""
        with self.connection() as conn:
            conn.execute(sql, params, prepare=True)

    def fetch_one(self, sql: str, params: dict):
        """The first row (a named tuple) of one statement, or None."""
        with self.connection() as conn:
            return conn.cursor(row_factory=namedtuple_row).execute(sql, params, prepare=True).fetchone()

    @contextlib.contextmanager
    def connection(self) -> Iterator[psycopg.Connection]:
        """An autocommit connection for a few reads or one write; a lost database is DatabaseUnavailable."""
        conn, born = self._checkout()
        try:
            yield conn
        except psycopg.OperationalError as error:
            conn.close()
            raise DatabaseUnavailable(str(error)) from error
        finally:
            self._checkin(conn, born)

    def _checkout(self) -> tuple[psycopg.Connection, float]:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        try:
            conn = psycopg.connect(self._conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT)
        except psycopg.OperationalError as error:
            raise DatabaseUnavailable(str(error)) from error
        return conn, time.monotonic()

    def _checkin(self, conn: psycopg.Connection, born: float) -> None:
        healthy = not conn.closed and conn.info.transaction_status == TransactionStatus.IDLE
        if healthy and time.monotonic() - born < self._max_lifetime:
            with self._lock:
                if len(self._idle) < self._size:
                    self._idle.append((conn, born))
                    return
        conn.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for conn, _ in idle:
            conn.close()


class UnitOfWork:
    """One transaction: `with uow as session: ...; uow.commit()`; rolled back unless committed."""

    def __init__(self, session_factory: sessionmaker, statements: StatementPool, generic: StatementPool):
        self._factory = session_factory
        self._statements = statements
        self._generic = generic
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

    def store(self, kind: type[S]) -> S:
        """A line's store over this transaction's session (a fake unit of work hands out fake stores)."""
        return kind(self.session)

    def execute_atomically(self, sql: str, params: dict) -> None:
        """Run one self-contained driver-level statement as its own transaction (one round trip)."""
        self._statements.execute(sql, params)

    def fetch_one(self, sql: str, params: dict) -> tuple | None:
        """One row of a single driver-level statement, outside any transaction (one round trip)."""
        return self._statements.fetch_one(sql, params)

    def reading(self, generic_plans: bool = False) -> contextlib.AbstractContextManager[psycopg.Connection]:
        """An autocommit psycopg connection for a request's plain reads: no transaction, no ORM session.

        `generic_plans`: for statements whose best plan does not depend on their parameters (search: every
        match is found through its index, then ranked). PostgreSQL keeps re-planning a prepared statement
        whose custom plans look much cheaper than its generic one, as a LIKE on a known pattern does; for
        search that planning cost more than the execution (two-word search: 0.83 -> 0.38 ms of PostgreSQL
        CPU, artists by name 0.29 -> 0.06). Reads whose plan must follow the values (a rare tag or a common
        one) keep PostgreSQL's own choice. A fast path: with FAST_PATHS=0 every read takes the ordinary pool.
        """
        return (self._generic if generic_plans and switch.enabled() else self._statements).connection()


class Database:
    """Owns the engine and the statement pool; gives out units of work."""

    def __init__(self, url: str, pool_size: int = 5):
        set_json_loads(orjson.loads)  # json and jsonb columns, as psycopg reads them: the same values, faster
        self.engine = make_engine(url, pool_size)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._statements = StatementPool(url, pool_size)
        # made on first use like the other: only a worker that serves a search opens one
        self._generic = StatementPool(url, pool_size, settings={"plan_cache_mode": "force_generic_plan"})

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self._sessions, self._statements, self._generic)

    def dispose(self) -> None:
        self.engine.dispose()
        self._statements.close()
        self._generic.close()
