"""Shared fixtures: the project's own rule base, loaded once, and the seed text it was taken from; PostgreSQL
schemas; and the one Chromium that the browser tests of a process (an xdist worker) share.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import streamlit as st
from playwright.sync_api import Browser, Playwright, expect, sync_playwright
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool
from streamlit.components.v2 import manifest_scanner
from xdist.scheduler import LoadFileScheduling
from xdist.workermanage import WorkerController

import proofing.service  # noqa: F401  (wires the store: raw saves in tests are assessed by the service layer)
from proofing.audit_chain import app_role_grants
from proofing.knowledge import DEFAULT_RULES_DIR, KnowledgeBase, load_knowledge
from proofing.store import Store, _dispose_engine
from tests.pg_schema import scratch_schema

PG_ENV = "PROOFING_TEST_PG_URL"
APP_ROLE = "proofing_app"  # the app's role on PostgreSQL: owns nothing (tools/postgres.sh makes it)

PROJECT = Path(__file__).resolve().parent.parent
SOURCES = PROJECT / "sources"

# Streamlit's AppTest looks through the metadata of every installed package for components each time a new AppTest
# first runs (about 0.1 s of CPU, some hundreds of times a run); the packages installed cannot change while the tests
# run, so each test process looks once. (The app's server looks once at start, as Streamlit means it to.)
manifest_scanner.scan_component_manifests = functools.cache(manifest_scanner.scan_component_manifests)


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


_READ_ONCE: dict[Path, KnowledgeBase] = {}


def _read_once(rules_dir: Path) -> KnowledgeBase:
    """load_knowledge, once per folder in this process: what a server's st.cache_resource keeps for its lifetime."""
    if rules_dir not in _READ_ONCE:
        _READ_ONCE[rules_dir] = load_knowledge(rules_dir)
    return _READ_ONCE[rules_dir]


def fresh_app(monkeypatch: pytest.MonkeyPatch) -> None:
    """Before an AppTest: forget every resource the app caches per server process (st.cache_resource: its store,
    on the previous test's database), as a newly started server would, except that the rule base of each folder is
    read once per process (each xdist worker) rather than once per test. Reading it again took seconds of every
    AppTest; no test changes a rule base folder in place (one that breaks a rule base breaks its own copy)."""
    import views.common

    st.cache_resource.clear()
    monkeypatch.setattr(views.common, "load_knowledge", _read_once)


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
    with scratch_schema(base, prefix) as url:
        yield url


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


# --- the suite on every core -----------------------------------------------------------------------------------
# `make test` runs pytest-xdist (`--dist loadfile`) with one worker more than the machine has cores: a browser test
# spends much of its time waiting for Chromium and its app server, which the extra worker's tests fill. Each worker is
# a process of its own (its own temporary folders, environment and process-wide state) and runs whole test files, so
# a module's fixtures are made once. The browser tests (tests/test_e2e_*.py) form two units of work, each on one
# worker: one Chromium serves a unit, and the tests that share the proxied cluster (tests/cluster.py) are in one unit,
# so it starts once.

PROXIED_TESTS = {  # the modules that use tests/cluster.py's shared cluster, with the process-lost test beside them
    "test_e2e_browser.py",
    "test_e2e_workshop.py",
    "test_e2e_workshop_numbers.py",
    "test_e2e_language_per_browser.py",
    "test_e2e_proxied.py",
}


# The other files that take longest (20-40 s each on this 2-core machine, all workers busy), longest first: only the
# order of the run depends on this list, never what runs.
LONGEST_FILES = (
    "test_fuzz.py",
    "test_app.py",
    "test_calibration.py",
    "test_backup_restore.py",
    "test_proportion.py",
    "test_reminders.py",
    "test_hostile_pages.py",
    "test_audit_chain.py",
    "test_store.py",
    "test_forgery.py",
    "test_whatif.py",
    "test_languages_on_disk.py",
)


class BrowserTestsTogether(LoadFileScheduling):
    """`--dist loadfile`, with the tests/test_e2e_*.py files in two units of work, the proxied ones and the rest
    (xdist's `loadgroup` and its xdist_group mark would say the same, but pytest 9.2 no longer lets xdist regroup
    tests that way)."""

    UNITS = ("the browser tests through the proxy", "the other browser tests")

    def _split_scope(self, nodeid: str) -> str:
        path = nodeid.split("::", 1)[0]
        name = Path(path).name
        if not name.startswith("test_e2e_"):
            return path
        return self.UNITS[0] if name in PROXIED_TESTS else self.UNITS[1]

    def _assign_work_unit(self, node: WorkerController) -> None:
        """The browser tests first: the longest units by far, so the other workers take every other file meanwhile;
        then the files known to take longest, so that the run ends on short ones, every worker busy to the end."""
        first = [*self.UNITS, *(f"tests/{name}" for name in LONGEST_FILES)]
        for unit in reversed(first):
            if unit in self.workqueue:
                self.workqueue.move_to_end(unit, last=False)
        super()._assign_work_unit(node)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> LoadFileScheduling | None:
    """The scheduler for `--dist loadfile` (make test's); any other --dist keeps xdist's own."""
    return BrowserTestsTogether(config, log) if config.getvalue("dist") == "loadfile" else None


# Debian's headless build of Chromium (tools/chromium.sh): about half the CPU a page costs the full browser headless.
# The suite is CPU-bound on a 2-core machine, so the pages are also opened without V8's optimising compilers (a test's
# page lives seconds) and as a person who asked for reduced motion would see them (about 5% less CPU measured on the
# browser tests, presumably fewer frames of animation drawn in software).
CHROMIUM = "/usr/bin/chromium-headless-shell"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--js-flags=--no-opt --no-maglev",
    "--force-prefers-reduced-motion",
]


class _Chromium:
    """Debian's Chromium driven by Playwright, one per process (xdist worker), launched when a browser test first
    needs it and closed as soon as the next test needs none: Playwright's synchronous API keeps an asyncio loop
    marked as running while it is started, which would break any later test that runs a loop of its own."""

    def __init__(self) -> None:
        self._started: Playwright | None = None
        self._browser: Browser | None = None

    def browser(self) -> Browser:
        """The running browser, launched first if there is none."""
        if self._browser is None:
            assert Path(CHROMIUM).exists(), "Chromium is missing: run tools/chromium.sh (make test does this)"
            self._started = sync_playwright().start()
            self._browser = self._started.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        return self._browser

    def close(self) -> None:
        """Close the browser and stop Playwright, if they run."""
        if self._browser is not None:
            self._browser.close()
            self._browser = None
        if self._started is not None:
            self._started.stop()
            self._started = None


_CHROMIUM = _Chromium()


# How long an expect() waits for the page to show something (Playwright's default is 5 s): a run of the app on a
# 2-core machine with every core busy (the suite's other worker, other work) can take longer than that to draw.
EXPECT_TIMEOUT_MS = 20_000


@pytest.fixture()
def browser() -> Browser:
    """The worker's Chromium: each test opens its own contexts (own cookies, own Streamlit session) in it."""
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    return _CHROMIUM.browser()


def _drives_a_browser(item: pytest.Item | None) -> bool:
    return item is not None and "browser" in getattr(item, "fixturenames", ())


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """After the last of a run of browser tests (its module's fixtures already torn down), close the browser."""
    if _drives_a_browser(item) and not _drives_a_browser(nextitem):
        _CHROMIUM.close()
