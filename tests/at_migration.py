"""A database left at an older migration, for the tests that prove an upgrade keeps (or mends) what was kept
before it: one copy of the set-up test_access_store, test_audit_chain and test_cumulative each wrote out."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic import command
from sqlalchemy import Connection, create_engine
from sqlalchemy.pool import NullPool

from proofing.store.database import migration_config


@contextmanager
def database_at(url: str, revision: str) -> Iterator[Connection]:
    """The database at `url` migrated up to `revision` only, open in one transaction for the test to fill as an
    install of that age would have; committed when the block ends, and the engine let go, so that opening a Store
    next upgrades it."""
    engine = create_engine(url, poolclass=NullPool)
    config = migration_config(url)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            yield connection
    finally:
        engine.dispose()
