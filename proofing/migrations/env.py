"""Alembic's environment for the assessment store: how a migration reaches its database.

proofing.store hands over an open connection in ``config.attributes["connection"]`` (its own engine, with
SQLite's WAL and foreign keys switched on), so migrations and the store see the database the same way. Run
from the command line instead (``alembic -c <ini with script_location = proofing:migrations>``), it connects
to ``sqlalchemy.url`` itself. On PostgreSQL, a transaction-scoped advisory lock makes processes that start at
the same moment upgrade one after the other instead of racing to create the same tables.

Importing this module outside Alembic (as pytest's doctest collection does) does nothing.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, engine_from_config, pool, text

# An arbitrary constant that names "the proofing schema migration" among PostgreSQL advisory locks.
MIGRATION_LOCK = 0x70726F6F66


def _migrate(connection: Connection) -> None:
    from proofing.store import Base  # imported here: only a running migration needs the models

    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        context.run_migrations()


def run() -> None:
    """Upgrade (or downgrade) on the connection given by proofing.store, else on sqlalchemy.url."""
    config = context.config
    if context.is_offline_mode():
        context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    engine = engine_from_config(config.get_section(config.config_ini_section, {}), poolclass=pool.NullPool)
    with engine.connect() as connection:
        _migrate(connection)


if hasattr(context, "config"):  # Alembic is running this file
    run()
