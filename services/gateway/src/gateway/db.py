"""The database: one engine per process, sessions handed out by a unit of work."""

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str, pool_size: int = 5) -> Engine:
    """An engine with a pool sized for one gunicorn worker."""
    return create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)


class UnitOfWork:
    """One transaction: `with uow as session: ...; uow.commit()`; rolled back unless committed."""

    def __init__(self, session_factory: sessionmaker):
        self._factory = session_factory
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


class Database:
    """Owns the engine; gives out units of work."""

    def __init__(self, url: str, pool_size: int = 5):
        self.engine = make_engine(url, pool_size)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self._sessions)

    def dispose(self) -> None:
        self.engine.dispose()
