"""The load benchmark's Streamlit client (benchmarks/load/streamlit_client.py) against one real app process, so that it
keeps speaking the protocol as Streamlit changes: two people at once each answer a question of their own draft, the
answers are read back from the database through the library's store, and a new tab shows them.

The benchmark itself (benchmarks/bench_load.py, 100 users for 5 minutes) is run by hand, not here.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import proofing.service  # noqa: F401  (wires the store: saves are assessed by the service layer)
from benchmarks.load.answers import Ack, lost, shown_answer, stored_answer
from benchmarks.load.streamlit_client import StreamlitTab
from proofing.knowledge import load_knowledge
from proofing.plan import Plan
from proofing.service import start_assessment
from proofing.store import Store
from tests.conftest import postgres_schema

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def app() -> Iterator[tuple[str, str]]:
    """One app process (local mode) on a scratch PostgreSQL schema: its address and the database."""
    with postgres_schema("load_client") as database:
        Store(database)  # migrated before the app opens it
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "serve.py"), "--server.port", str(port)]
            + ["--server.headless=true", "--server.address=127.0.0.1", "--server.fileWatcherType=none"],
            cwd=ROOT,
            env=os.environ | {"PROOFING_DB_URL": database},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        pytest.fail("the app did not start within 60 seconds")
                    time.sleep(0.3)
            yield url, database
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=20)


def answer_first_question(url: str, assessment_id: str, pick: int) -> Ack:
    """One person: open their draft, choose option `pick` of the first radio question, and say what was confirmed."""
    kb = load_knowledge()
    tab = StreamlitTab(url)
    try:
        page = tab.open("", f"assessment={assessment_id}")
        assert not page.errors, page.errors
        question = next(w for w in page.widgets if w.kind == "radio" and "-q_" in w.id)
        choice = question.options[pick]
        run = tab.set(question, choice)
        assert not run.errors, run.errors
        question_id = question.id.rsplit("-q_", 1)[1]
        return Ack(
            assessment_id=assessment_id,
            question=question_id,
            answer=stored_answer(kb, question_id, question, choice),
            at=time.time(),
        )
    finally:
        tab.close()


def test_two_people_answer_at_once_and_the_store_has_both(app: tuple[str, str]) -> None:
    url, database = app
    kb = load_knowledge()
    store = Store(database)
    drafts = [
        start_assessment(store, kb, Plan(title=f"Draft {n}", service="Libraries", owner="Service manager"))
        for n in range(2)
    ]
    with ThreadPoolExecutor(2) as people:
        acks = list(people.map(answer_first_question, [url, url], drafts, [0, 1]))

    assert [ack.answer for ack in acks][0] != [ack.answer for ack in acks][1]  # two different answers chosen
    for ack in acks:
        latest = store.latest(ack.assessment_id)
        assert latest is not None and latest.plan.answers[ack.question] == ack.answer
    assert lost(acks, database) == []

    # A new tab (another browser, or the same person after a reconnection) shows the saved answer; moving to another
    # page at another address opens what that address names, not what the session had open.
    tab = StreamlitTab(url)
    try:
        page = tab.open("", f"assessment={acks[1].assessment_id}")
        shown = next(w for w in page.widgets if w.key_is(f"q_{acks[1].question}"))
        assert shown_answer(kb, shown) == acks[1].answer
        tab.run(page="results", query=f"assessment={acks[0].assessment_id}")
        page = tab.run(page="", query=f"assessment={acks[0].assessment_id}")
        assert f"assessment={acks[0].assessment_id}" in tab.query
        shown = next(w for w in page.widgets if w.key_is(f"q_{acks[0].question}"))
        assert shown_answer(kb, shown) == acks[0].answer
    finally:
        tab.close()


def test_an_answer_the_store_lacks_is_counted_lost(app: tuple[str, str]) -> None:
    url, database = app
    kb = load_knowledge()
    draft = start_assessment(Store(database), kb, Plan(title="Draft", service="Libraries", owner="Service manager"))
    confirmed = answer_first_question(url, draft, 0)
    never_saved = confirmed.model_copy(update={"question": "people_affected", "answer": 12})

    assert lost([confirmed, never_saved], database) == [never_saved]
