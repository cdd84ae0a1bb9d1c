"""Bring the service's own database to the newest schema: `python -m payments.migrate [--create-database]`."""

import argparse

import psycopg
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url

from payments.settings import DatabaseSettings


def alembic_config(database_url: str) -> Config:
    """An Alembic config pointing at the packaged migrations."""
    config = Config()
    config.set_main_option("script_location", "payments:migrations")
    config.attributes["database_url"] = database_url
    return config


def create_database_if_missing(database_url: str) -> bool:
    """Create the database named in the URL (connecting to `postgres`); True if it was created."""
    url = make_url(database_url)
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (url.database,)).fetchone()
        if exists:
            return False
        conn.execute(f'CREATE DATABASE "{url.database}"')
        return True


def upgrade(database_url: str) -> None:
    command.upgrade(alembic_config(database_url), "head")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--create-database", action="store_true", help="create the database first if missing")
    args = parser.parse_args()
    url = DatabaseSettings().payments_database_url
    if args.create_database and create_database_if_missing(url):
        print(f"created database {make_url(url).database}")
    upgrade(url)
    print("payments database schema is at head")


if __name__ == "__main__":
    main()
