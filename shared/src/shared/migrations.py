"""Alembic for each service's own database: create it if missing, bring it to head (`python -m <svc>.migrate`)."""

import argparse

import psycopg
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url


def alembic_config(script_location: str, database_url: str) -> Config:
    """An Alembic config pointing at a package's migrations (e.g. `gateway:migrations`)."""
    config = Config()
    config.set_main_option("script_location", script_location)
    config.attributes["database_url"] = database_url
    return config


def create_database_if_missing(database_url: str) -> bool:
    """Create the database named in the URL (connecting to `postgres`); True if it was created."""
    url = make_url(database_url)
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (url.database,)).fetchone():
            return False
        conn.execute(f'CREATE DATABASE "{url.database}"')
        return True


def upgrade(script_location: str, database_url: str) -> None:
    command.upgrade(alembic_config(script_location, database_url), "head")


def main(script_location: str, database_url: str, description: str) -> None:
    """The `python -m <svc>.migrate [--create-database]` command."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--create-database", action="store_true", help="create the database first if missing")
    args = parser.parse_args()
    if args.create_database and create_database_if_missing(database_url):
        print(f"created database {make_url(database_url).database}")
    upgrade(script_location, database_url)
    print(f"{make_url(database_url).database}: schema at head")
