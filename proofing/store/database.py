"""The database behind the store: its URL, one engine per URL per process, SQLite tuning and the migrations run
to head on first use. Anything the database refuses comes out as a StoreError in words.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    event,
    make_url,
)
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from proofing.errors import N_, StoreError

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
_WRITE = "proofing_write"  # execution option: this transaction writes (SQLite: BEGIN IMMEDIATE)


def default_db_url() -> str:
    """The database to use: ``PROOFING_DB_URL`` when set, else ``sqlite:///<project root>/data/proofing.db``.

    Read at each call, so a changed environment is seen; the ``data/`` folder is made for the SQLite default.
    """
    url = os.environ.get("PROOFING_DB_URL", "").strip()
    if url:
        return url
    folder = PROJECT_ROOT / "data"
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'proofing.db'}"


# --- the connection pool: its size per process, from the environment -------------------------------------------

POOL_SIZE_ENV = "PROOFING_DB_POOL_SIZE"
MAX_OVERFLOW_ENV = "PROOFING_DB_MAX_OVERFLOW"
# A few hundred staff on several app processes (README, Deployment): SQLAlchemy's own 5 + 10 ran out under load
# (issue 24). (default, lowest, highest) of each.
POOL_SETTINGS: dict[str, tuple[int, int, int]] = {POOL_SIZE_ENV: (10, 1, 1000), MAX_OVERFLOW_ENV: (20, 0, 1000)}


def pool_setting(name: str, environ: Mapping[str, str] | None = None) -> int:
    """The connection pool setting `name` (PROOFING_DB_POOL_SIZE or PROOFING_DB_MAX_OVERFLOW) from `environ`
    (default os.environ), or its default when unset; a value that is not a whole number in range is a StoreError
    naming the variable, so a typing slip is a sentence at start-up rather than a traceback under load."""
    default, lowest, highest = POOL_SETTINGS[name]
    given = (os.environ if environ is None else environ).get(name, "").strip()
    if not given:
        return default
    if not (given.isascii() and given.isdecimal()) or not lowest <= int(given) <= highest:
        raise StoreError(
            N_("{env} must be a whole number of database connections from {lowest} to {highest}, not '{given}'"),
            env=name,
            lowest=lowest,
            highest=highest,
            given=given[:40],
        )
    return int(given)


# --- engines: one per URL per process, migrated once -----------------------------------------------------------

_ENGINES: dict[str, Engine] = {}
_ENGINES_LOCK = threading.Lock()


def _shown(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def _reason(error: BaseException) -> str:
    """The database's own first line about an error, without SQLAlchemy's wrapping and links."""
    original = getattr(error, "orig", None) or error
    text = str(original).strip().splitlines()
    return text[0].strip() if text else type(original).__name__


def _engine_for(url: str) -> Engine:
    """The process's engine for `url`, made and migrated to head on first use (thread-safe)."""
    with _ENGINES_LOCK:
        engine = _ENGINES.get(url)
        if engine is None:
            engine = _make_engine(url)
            try:
                _migrate(engine, url)
            except BaseException:
                engine.dispose()
                raise
            _ENGINES[url] = engine
        return engine


def _dispose_engine(url: str) -> None:
    """Forget the engine for `url` and close its connections (tests; a process normally keeps it)."""
    with _ENGINES_LOCK:
        engine = _ENGINES.pop(url, None)
    if engine is not None:
        engine.dispose()


def _make_engine(url: str, *, sized: bool = True) -> Engine:
    """An engine for `url`, tuned per backend, its pool `sized` by PROOFING_DB_POOL_SIZE and
    PROOFING_DB_MAX_OVERFLOW (pool_setting; not for a one-off check such as proofing doctor's, which reports those
    itself); a URL that cannot be used, or a pool setting, is a StoreError in words."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(
            N_(
                "'{url}' is not a database URL; expected for example sqlite:///path/to/proofing.db "
                "or postgresql+psycopg://user@host:5432/dbname (set PROOFING_DB_URL)"
            ),
            url=url,
        ) from None
    backend = parsed.get_backend_name()
    options: dict[str, Any] = {}
    memory = False
    if backend == "sqlite":
        memory = parsed.database in (None, "", ":memory:") or parsed.query.get("mode") == "memory"
        if memory:  # one shared connection: an in-memory database exists only inside its connection
            options.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
        else:
            options["connect_args"] = {"timeout": 30}
    else:
        options["pool_pre_ping"] = True  # a server restart must not leave dead connections in the pool
        if parsed.drivername in ("postgresql", "postgresql+psycopg", "postgresql+psycopg2") and (
            "connect_timeout" not in parsed.query
        ):
            options["connect_args"] = {"connect_timeout": 10}
    if sized and not memory:  # a pool of connections (memory has just the one): sized for the staff using this process
        options.update(pool_size=pool_setting(POOL_SIZE_ENV), max_overflow=pool_setting(MAX_OVERFLOW_ENV))
    try:
        engine = create_engine(parsed, **options)
    except NoSuchModuleError:
        raise StoreError(
            N_(
                "cannot open the assessment store at {store}: '{driver}' is not a database this installation knows; "
                "use sqlite:///... or postgresql+psycopg://..."
            ),
            store=_shown(parsed),
            driver=parsed.drivername,
        ) from None
    except (ArgumentError, ImportError) as error:
        raise StoreError(
            N_("cannot open the assessment store at {store}: {reason}"), store=_shown(parsed), reason=_reason(error)
        ) from None
    if backend == "sqlite":
        _tune_sqlite(engine, wal=not memory)
    return engine


def _tune_sqlite(engine: Engine, *, wal: bool) -> None:
    """WAL and foreign keys on every connection; explicit BEGIN (IMMEDIATE for writes) instead of pysqlite's."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event below emits BEGIN itself
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA busy_timeout = 30000")
            cursor.execute("PRAGMA foreign_keys = ON")
            if wal:
                cursor.execute("PRAGMA journal_mode = WAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        writes = connection.get_execution_options().get(_WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def migration_config(url: str) -> Config:
    """Alembic's configuration for the store's migrations on the database at `url` (the one the store upgrades with;
    a test that needs an older schema uses it too)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))  # ConfigParser reads % as interpolation
    return config


def _migrate(engine: Engine, url: str) -> None:
    """Upgrade the database to the newest migration, on the engine's own connection, in one transaction."""
    config = migration_config(url)
    try:
        with engine.execution_options(**{_WRITE: True}).begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except SQLAlchemyError as error:
        raise StoreError(
            N_(
                "cannot open the assessment store at {store}: {reason}. "
                "Check the URL (PROOFING_DB_URL) and that the database is running and reachable."
            ),
            store=_shown(engine.url),
            reason=_reason(error),
        ) from None


# --- the store ---------------------------------------------------------------------------------------------------
