"""Alembic environment: the URL comes from the gateway's settings."""

from alembic import context
from sqlalchemy import create_engine

from gateway.all_models import Base
from gateway.settings import GatewaySettings

url = context.config.attributes.get("database_url") or GatewaySettings().database_url
engine = create_engine(url)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
