"""Alembic environment: the URL comes from the caller (``keel migrate``), never from a file."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from db.base import Base
from db.models import *  # noqa: F403 - registers every table on Base.metadata
from db.session import normalise_url

config = context.config


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url, "db.migrate passes the admin URL"
    connectable = config.attributes.get("connection") or create_engine(normalise_url(url))
    if hasattr(connectable, "connect"):
        with connectable.connect() as connection:
            context.configure(connection=connection, target_metadata=Base.metadata)
            with context.begin_transaction():
                context.run_migrations()
            connection.commit()
    else:
        context.configure(connection=connectable, target_metadata=Base.metadata)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
