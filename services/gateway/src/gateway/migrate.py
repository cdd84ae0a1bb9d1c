"""Bring the gateway's database to the newest schema: `python -m gateway.migrate [--create-database]`."""

from functools import partial

from shared import migrations
from shared.migrations import create_database_if_missing

SCRIPTS = "gateway:migrations"
alembic_config = partial(migrations.alembic_config, SCRIPTS)
upgrade = partial(migrations.upgrade, SCRIPTS)

__all__ = ["alembic_config", "create_database_if_missing", "upgrade"]


def main() -> None:
    from gateway.settings import GatewaySettings

    migrations.main(SCRIPTS, GatewaySettings().database_url, __doc__)


if __name__ == "__main__":
    main()
