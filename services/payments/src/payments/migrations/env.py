"""Alembic environment: the URL comes from the payments service's settings."""

from alembic import context
from sqlalchemy import create_engine

from payments.settings import DatabaseSettings
from payments.tables import metadata

url = context.config.attributes.get("database_url") or DatabaseSettings().payments_database_url
engine = create_engine(url)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
