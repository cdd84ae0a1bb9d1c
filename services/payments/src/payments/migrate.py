"""Bring the payments service's own database to the newest schema: `python -m payments.migrate [--create-database]`."""

from functools import partial

from shared import migrations
from shared.migrations import create_database_if_missing

SCRIPTS = "payments:migrations"
alembic_config = partial(migrations.alembic_config, SCRIPTS)
upgrade = partial(migrations.upgrade, SCRIPTS)

__all__ = ["alembic_config", "create_database_if_missing", "upgrade"]


def main() -> None:
    from payments.settings import DatabaseSettings

    migrations.main(SCRIPTS, DatabaseSettings().payments_database_url, __doc__)


if __name__ == "__main__":
    main()
