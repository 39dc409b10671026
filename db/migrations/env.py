"""Alembic environment: the URL comes from the caller (``keel migrate``), never from a file."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from db.base import Base
from db.models import *  # noqa: F403 - registers every table on Base.metadata
from db.session import normalise_url

config = context.config


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url, "db.migrate passes the admin URL"
    given: Connection | None = config.attributes.get("connection")
    if given is not None:  # db.migrate passes its own connection and transaction
        context.configure(connection=given, target_metadata=Base.metadata)
        with context.begin_transaction():
            context.run_migrations()
        return
    with create_engine(normalise_url(url)).begin() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
