"""The proxied set-up for the browser tests: three app processes on one PostgreSQL schema behind nginx with TLS and
sticky sessions (tools/cluster.sh, running deploy/nginx/proofing.conf as production does), started once per test
run (a test that kills a process has a cluster of its own module).

Fixtures (use them by name; import them into a test module as ``from tests.cluster import cluster, shared_cluster``;
  both, as pytest finds fixtures by their names in the test module):

* ``cluster``: the running ``Cluster`` (its https address, the owner's database URL, its processes);
* ``proxied``: ``(address, database)``, the same shape as tests/test_e2e_browser.py's ``server``, so a test written
  against one app process runs through the proxy instead by asking for ``proxied``.

The certificate is self-signed, made for the test: a browser context opened on the cluster passes
``ignore_https_errors=True`` (Playwright's option; everything else about TLS is real). Every browser starts on the
process its first request is hashed to; ``Cluster.on(n)`` is a storage state for ``browser.new_context`` that puts
the browser on process n (its route cookie), so a test can place two people on different processes for certain.
"""

from __future__ import annotations

import re
import ssl
import subprocess
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.conftest import PROJECT, postgres_app_schema

CLUSTER_SH = PROJECT / "tools" / "cluster.sh"
PROCESS_HEADER = "x-proofing-process"  # deploy/nginx/proofing.conf: the app process that answered
ROUTE_COOKIE = "proofing_route"  # deploy/nginx/proofing.conf: the sticky-session cookie
_ROUTE = re.compile(rf"{ROUTE_COOKIE}=([^;]+)")
_UNVERIFIED = ssl._create_unverified_context()  # the test's self-signed certificate
_IDLE = "[data-testid='stApp'][data-test-script-state='notRunning'] [data-testid='stSidebarNav']"
WARM_MS = 180_000  # a process's first page, three at once on a busy 2-core machine


def cluster_sh(*arguments: str, timeout: float = 240) -> str:
    """Run tools/cluster.sh with `arguments`; its standard output. Fails the test with its standard error."""
    done = subprocess.run(
        ["bash", str(CLUSTER_SH), *arguments], capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        pytest.fail(f"tools/cluster.sh {arguments[0]} failed:\n{done.stderr}", pytrace=False)
    return done.stdout


def _probe(url: str, route: str | None = None) -> tuple[str, str | None]:
    """One request through the proxy (with the route cookie `route`, or none): the process that answered, and the
    route cookie the proxy set (None when it set none)."""
    request = urllib.request.Request(f"{url}/_stcore/health")
    if route is not None:
        request.add_header("Cookie", f"{ROUTE_COOKIE}={route}")
    with urllib.request.urlopen(request, timeout=10, context=_UNVERIFIED) as response:
        cookies = [value for name, value in response.headers.items() if name.lower() == "set-cookie"]
        found = [matched.group(1) for cookie in cookies if (matched := _ROUTE.match(cookie))]
        return response.headers[PROCESS_HEADER], found[0] if found else None


@dataclass
class Cluster:
    """Three app processes behind nginx, as tools/cluster.sh started them."""

    url: str  # https://127.0.0.1:PORT, the proxy (and the app's PROOFING_PUBLIC_URL)
    database: str  # the schema's owner URL: what a test writes with Store(...); the processes run as the app's role
    state: Path  # tools/cluster.sh's folder: certificate, configuration, logs
    _routes: dict[str, str] = field(default_factory=dict)
    warmed: bool = False

    def processes(self) -> list[str]:
        """The app processes' addresses (127.0.0.1:PORT, as X-Proofing-Process names them), process 1 first."""
        return [f"127.0.0.1:{line.split()[1]}" for line in cluster_sh("pids", str(self.state)).splitlines()]

    def kill(self, process: int) -> None:
        """kill -9 app process `process` (1, 2 or 3), as a crash would."""
        cluster_sh("kill", str(process), str(self.state))

    def route(self, process: int) -> str:
        """A route cookie value the proxy sends to app process `process`: found by asking the proxy, as a browser
        would, until each process has answered a first visit."""
        wanted = self.processes()[process - 1]
        for _attempt in range(200):
            if wanted in self._routes:
                break
            answered, route = _probe(self.url)
            assert route is not None, "the proxy set no route cookie on a first visit"
            assert _probe(self.url, route)[0] == answered, "a second request with the cookie reached another process"
            self._routes.setdefault(answered, route)
        return self._routes[wanted]

    def on(self, process: int) -> dict[str, Any]:
        """A storage state for ``browser.new_context(storage_state=...)``: a browser that starts on app process
        `process`, as if its first visit had been hashed there."""
        cookie = {
            "name": ROUTE_COOKIE,
            "value": self.route(process),
            "domain": "127.0.0.1",
            "path": "/",
            "expires": -1,
            "httpOnly": True,
            "secure": True,
            "sameSite": "Lax",
        }
        return {"cookies": [cookie], "origins": []}


def process_of(page: Page, cluster_url: str) -> str:
    """The app process (127.0.0.1:PORT) that the proxy sends this browser's requests to, with its cookies: the one
    that answered (nginx names every process it tried, the last one answering, when one it tried first was down)."""
    response = page.context.request.get(f"{cluster_url}/_stcore/health")
    assert response.ok, response.status
    return response.headers[PROCESS_HEADER].split(",")[-1].strip()


def warm(cluster: Cluster, browser: Browser) -> None:
    """Open the app's first page once on each process, all three at once, and wait until each has drawn it.

    A process's first page reads the rule base and imports every page (seconds, more on a busy machine); a click
    made just after a first page that slow settled was sometimes lost. A test then starts on processes that have
    served a page already, as the single server it was written for had for every test after its module's first.
    """
    pages = []
    for process in range(1, len(cluster.processes()) + 1):
        context = browser.new_context(ignore_https_errors=True, storage_state=cluster.on(process))
        page = context.new_page()
        page.goto(cluster.url)
        pages.append(page)
    for page in pages:
        page.wait_for_selector(_IDLE, timeout=WARM_MS)
        page.context.close()


@contextmanager
def serving(cluster: Cluster) -> Iterator[str]:
    """The cluster's address, for a block written around tests/test_e2e_browser.py's ``start_app(database)``: the
    same test, through the proxy (the cluster itself runs for the whole module)."""
    yield cluster.url


@contextmanager
def running_cluster(database: str, owner: str, state: Path) -> Iterator[Cluster]:
    """tools/cluster.sh's three processes on `database` (migrated already), until the block ends."""
    try:
        started = cluster_sh("start", database, str(state))
    except BaseException:
        cluster_sh("stop", str(state))  # whatever it had started before it failed
        raise
    matched = re.search(r"^PROOFING_CLUSTER_URL=(\S+)$", started, re.MULTILINE)
    assert matched, started
    try:
        yield Cluster(url=matched.group(1), database=owner, state=state)
    finally:
        cluster_sh("stop", str(state))


def _cluster_in(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[Cluster]:
    folder = tmp_path_factory.mktemp(name)
    with postgres_app_schema(name) as (owner, app), running_cluster(app, owner, folder) as started:
        yield started


@pytest.fixture(scope="session")
def shared_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """One cluster for every browser test that only uses it (each makes its own assessments and workshops), on a
    PostgreSQL schema of its own (migrated by its owner; the processes connect as the app's role, as in production),
    stopped and dropped when the run ends: starting and warming three processes costs seconds a module."""
    yield from _cluster_in(tmp_path_factory, "proxied")


@pytest.fixture(scope="module")
def own_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """A cluster of the module's own, for tests that kill its processes."""
    yield from _cluster_in(tmp_path_factory, "lost")


def warmed(cluster: Cluster, browser: Browser) -> Cluster:
    """`cluster`, each process having drawn a first page (in the test's own browser, before its first test: see
    warm)."""
    if not cluster.warmed:
        warm(cluster, browser)
        cluster.warmed = True
    return cluster


@pytest.fixture()
def cluster(shared_cluster: Cluster, browser: Browser) -> Cluster:
    """The shared cluster, warmed."""
    return warmed(shared_cluster, browser)


@pytest.fixture()
def proxied(cluster: Cluster) -> tuple[str, str]:
    """The cluster as tests/test_e2e_browser.py's ``server`` fixture is: its address and its database."""
    return cluster.url, cluster.database
