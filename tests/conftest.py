"""Shared fixtures: the project's own rule base, loaded once, and the seed text it was taken from."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool

from proofing.audit_chain import app_role_grants
from proofing.knowledge import DEFAULT_RULES_DIR, KnowledgeBase, load_knowledge
from proofing.store import Store, _dispose_engine

PG_ENV = "PROOFING_TEST_PG_URL"
APP_ROLE = "proofing_app"  # the app's role on PostgreSQL: owns nothing (tools/postgres.sh makes it)

PROJECT = Path(__file__).resolve().parent.parent
SOURCES = PROJECT / "sources"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge(DEFAULT_RULES_DIR)


@pytest.fixture(scope="session")
def strategy_text() -> str:
    return (SOURCES / "one-wrexham-strategy-2007.txt").read_text(encoding="utf-8")


@pytest.fixture()
def rules_copy(tmp_path: Path) -> Path:
    """A private copy of the rule base that a test may break."""
    target = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, target)
    return target


def tool(name: str) -> str:
    """The path of a command a test needs from LibreOffice or poppler; fails (never skips) when it is missing."""
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: run `bash tools/libreoffice.sh` (as root) to install LibreOffice and poppler")
    return found


def libreoffice_convert(source: Path, folder: Path, to: str) -> Path:
    """`source` converted by LibreOffice (to "pdf", or "docx:MS Word 2007 XML" to re-save it) into `folder`.

    Each conversion has a LibreOffice profile of its own, so parallel runs never clash.
    """
    subprocess.run(
        [
            tool("soffice"),
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(folder),
            str(source),
        ],
        capture_output=True,
        timeout=300,
        check=True,
    )
    return folder / f"{source.stem}.{to.split(':')[0]}"


@contextmanager
def postgres_schema(prefix: str = "test") -> Iterator[str]:
    """A URL of a new, empty schema on the PostgreSQL server tools/postgres.sh started, dropped afterwards.

    Without PROOFING_TEST_PG_URL the test fails, never skips: a store that was only ever tried on SQLite is not
    tested (make test starts the server and exports the URL).
    """
    base = os.environ.get(PG_ENV, "").strip()
    if not base:
        pytest.fail(
            f"{PG_ENV} is not set, so the PostgreSQL tests cannot run: run tools/postgres.sh (make test does this) "
            f'and export the line it prints, e.g. export "$(tools/postgres.sh)"',
            pytrace=False,
        )
    schema = f"{prefix}_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base, poolclass=NullPool)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)
    try:
        yield url
    finally:
        _dispose_engine(url)
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def postgres_app_schema(prefix: str = "app") -> Iterator[tuple[str, str]]:
    """A new schema migrated by its owner, with the app's role granted what it needs (proofing.audit_chain's
    app_role_grants): the owner's URL and the app role's URL, as a deployment runs them (README, Deployment)."""
    with postgres_schema(prefix) as owner:
        Store(owner)  # the migrations run as the owner
        schema = str(make_url(owner).query["options"]).removeprefix("-csearch_path=")
        engine = create_engine(owner, poolclass=NullPool)
        with engine.begin() as connection:
            connection.execute(
                text(
                    f"DO $$ BEGIN CREATE ROLE {APP_ROLE} LOGIN; "
                    "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
                )
            )
            for statement in app_role_grants(APP_ROLE, schema):
                connection.execute(text(statement))
        engine.dispose()
        app = make_url(owner).set(username=APP_ROLE).render_as_string(False)
        try:
            yield owner, app
        finally:
            _dispose_engine(app)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database of each backend, forgotten (and on PostgreSQL dropped) after the test."""
    if request.param == "sqlite":
        sqlite = f"sqlite:///{tmp_path / 'store.db'}"
        yield sqlite
        _dispose_engine(sqlite)
        return
    with postgres_schema() as postgresql:
        yield postgresql
