"""True facts (issue 22): the version history, the comparison of versions, the audit trail page and the record's
appendix say what happened, by whom, in words: titles and questions, never ids; and "Reopen" keeps the same
assessment, as a new draft version of it.

The acceptance tests drive the app headlessly (Streamlit's AppTest, as tests/test_app.py does) through a whole round
of work by two signed-in people (answer, adapt a mitigation, submit, approve, reopen, change again, export), and
through local mode with the name its one user gave; then they read every place an auditor reads and look for ids
and for the wrong actor.
"""

from __future__ import annotations

import getpass
import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import docx
import pytest
import streamlit as st
from docx.table import Table
from streamlit.testing.v1 import AppTest

from proofing.access import LOCAL_USER, User
from proofing.assessment import assess_agreed
from proofing.audit_words import audit_lines, what_happened
from proofing.cumulative import overlaps_for
from proofing.identity import is_local, name_problem, named_local_user
from proofing.knowledge import DEFAULT_RULES_DIR, KnowledgeBase, load_knowledge
from proofing.models import AuditEntry
from proofing.plan import Plan, read_plan
from proofing.service import save_draft
from proofing.store import Store, StoreError
from proofing.version_words import comparison_words
from tests.conftest import fresh_app
from tests.test_app import widget

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
HEX_ID = re.compile(r"\b[0-9a-f]{32}\b")
MANAGER = User(subject="subject-of-a-manager", name="A service manager", roles=frozenset({"service_manager"}))
APPROVER = User(subject="subject-of-an-approver", name="An approver", roles=frozenset({"approver"}))
WRONG_ACTORS = ("command line", "Local user", f"{getpass.getuser()} (")


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge(DEFAULT_RULES_DIR)


@pytest.fixture()
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("PROOFING_DB_URL", url)
    fresh_app(monkeypatch)
    yield url
    st.cache_resource.clear()


def as_person(monkeypatch: pytest.MonkeyPatch, user: User | None) -> None:
    """Every page runs as `user`, as sign-in would make them (None: local mode, with no sign-in)."""
    if user is None:
        monkeypatch.undo()
        return
    monkeypatch.setattr("views.signin.require_user", lambda assigned=None: user)


def page(name: str, at: AppTest | None = None, **query: str) -> AppTest:
    """The app on one page: a new browser session (`at` None), or the same session moving to that page."""
    if at is None:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
        for key, value in query.items():
            at.query_params[key] = value
    at.switch_page(f"views/{name}")
    at.run()
    assert not at.exception, [item.value for item in at.exception]
    return at


def choose_row(at: AppTest, row: int = 0) -> None:
    """Choose a row of the register's list, as a click on it does."""
    at.session_state["register_table"] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    at.run()
    assert not at.exception


def identifiers(kb: KnowledgeBase) -> set[str]:
    """The ids a reader must never be shown: every question's and every rule's (those with an underscore, so that
    no plain English word is taken for one)."""
    return {question.id for question in kb.questionnaire.questions if "_" in question.id} | {
        rule.id for rule in kb.rules if "_" in rule.id
    }


def ids_in(kb: KnowledgeBase, text: str) -> list[str]:
    """The ids (assessment hex ids, question and rule ids) that appear in `text`."""
    found = HEX_ID.findall(text)
    found += [name for name in identifiers(kb) if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text)]
    return found


def shown_text(at: AppTest) -> str:
    """Everything a page shows as text: titles, markdown, text, captions, infos and tables' cells."""
    parts = [str(element.value) for kind in ("title", "header", "subheader", "markdown", "text", "caption", "info",
                                               "success", "warning") for element in at.get(kind)]  # fmt: skip
    for table in at.dataframe:
        frame = table.value
        parts += [str(column) for column in frame.columns]
        parts += [str(cell) for row in frame.itertuples(index=False) for cell in row]
    return re.sub(r"\\(.)", r"\1", "\n".join(parts))  # as read: Markdown's escapes (views.common.plain) dropped


def appendix_text(record: bytes) -> str:
    """The Word record's appendix for auditors, as its reader sees it: paragraphs and tables, in order."""
    document = docx.Document(io.BytesIO(record))
    body: list[str] = []
    for block in document.element.body.iterchildren():
        if block.tag.endswith("}p"):
            body.append("".join(node.text or "" for node in block.iter() if node.tag.endswith("}t")))
        elif block.tag.endswith("}tbl"):
            body += [cell.text for row in Table(block, document).rows for cell in row.cells]
    text = "\n".join(body)
    assert "Appendix for auditors" in text
    return text[text.rindex("Appendix for auditors") :]  # the appendix itself, not its line in the contents


def history_text(at: AppTest) -> str:
    """The assess page's version history: each version's line and what it says happened."""
    return "\n".join(element.value for element in at.get("text")) + "\n" + shown_text(at)


def test_a_round_of_work_in_the_app_reads_true_in_history_comparison_audit_trail_and_record(
    database: str, monkeypatch: pytest.MonkeyPatch, kb: KnowledgeBase
) -> None:
    store = Store(database)
    example = read_plan(EXAMPLES / "library-opening-hours.yaml")
    # The manager starts the assessment in the app: version 1, no answers yet.
    as_person(monkeypatch, MANAGER)
    at = page("assess.py")
    for field, value in zip(at.main.text_input, (example.title, example.service, example.owner), strict=False):
        field.input(value)
    next(button for button in at.main.button if button.label == "Start the assessment").click().run()
    assert not at.exception
    [started] = store.list()
    assessment_id = started.assessment_id
    # The answers, saved as the page saves each change (proofing.service.save_draft, as the manager).
    manager = store.acting(MANAGER)
    save_draft(manager, kb, assessment_id, example, None, None, expected_version=1)
    # Through the pages: an answer changed, a mitigation adapted (one editing session: version 3).
    at = page("assess.py", assessment=assessment_id)
    widget(at, "q_media_interest").set_value("high").run()
    at = page("results.py", at)
    choice = next(w for w in at.main.radio if (w.key or "").startswith("m_") and w.key.endswith("_choice"))
    key = choice.key.removeprefix("m_").removesuffix("_choice")
    choice.set_value("adapted").run()
    widget(at, f"m_{key}_adapted").input("Ask the mobile library's users too.").run()
    assert not at.exception
    submitted = store.latest(assessment_id)
    assert submitted is not None and submitted.version == 3
    assert submitted.notes.mitigations[key].choice == "adapted"
    # Submitted by the manager, approved by an approver, in the Register.
    register = page("register.py")
    choose_row(register)
    next(button for button in register.button if button.label == "Submit for approval").click().run()
    as_person(monkeypatch, APPROVER)
    register = page("register.py")
    choose_row(register)
    register.text_area[0].input("Go ahead, with the mobile library's users asked first")
    register.text_area[1].input("The mitigations answer the risks found")
    register.date_input[-1].set_value(date(2027, 6, 1))
    for box in register.main.checkbox:  # each open item acknowledged at sign-off (issue 22)
        box.check()
    register.button[-1].click().run()
    assert not register.exception
    approval = store.approval(assessment_id)
    assert approval is not None and (approval.outcome, approval.version) == ("approved", 3)
    # The manager reopens it: the same assessment, a new draft version 4; version 3 stays approved.
    as_person(monkeypatch, MANAGER)
    register = page("register.py")
    choose_row(register)
    next(button for button in register.button if button.label == "Reopen as a new draft").click().run()
    assert not register.exception
    assert [found.assessment_id for found in store.list()] == [assessment_id]  # no "Copy of ..."
    at = page("assess.py", register)
    widget(at, "q_media_interest").set_value("low").run()
    assert not at.exception
    latest, approved = store.latest(assessment_id), store.version(assessment_id, 3)
    assert latest is not None and (latest.version, latest.status, latest.plan.answers["media_interest"]) == (
        4,
        "draft",
        "low",
    )
    assert approved is not None and approved.status == "final" and approved.plan.answers["media_interest"] == "high"
    assert overlaps_for(manager, kb, assessment_id) == []  # its own versions never count as another plan
    # Exported from the app.
    at = page("export.py", at)
    next(button for button in at.button if button.label == "Prepare the Word record").click().run()
    assert not at.exception
    record = at.session_state["record"]

    # --- what an auditor reads ---------------------------------------------------------------------------------
    history = history_text(page("assess.py", assessment=assessment_id))
    as_person(monkeypatch, APPROVER)
    register = page("register.py")
    choose_row(register)
    comparison = shown_text(register)  # version 1 (nothing answered) against version 4
    trail = shown_text(page("audit.py"))
    appendix = appendix_text(record)
    for place, text in (("history", history), ("comparison", comparison), ("audit", trail), ("record", appendix)):
        assert ids_in(kb, text) == [], f"{place} shows ids: {ids_in(kb, text)}"
        assert not [wrong for wrong in WRONG_ACTORS if wrong in text], f"{place} names the wrong actor"
    for text in (history, trail, appendix):
        assert MANAGER.name in text and APPROVER.name in text
    assert "Started by A service manager." in history and "Approved by An approver." in history
    assert "Reopened by A service manager as a new draft of version 3, which stays as it was approved." in history
    assert "Screening level: Not screened yet → " in comparison and "Screened out" not in comparison
    assert "Adapted a mitigation" in trail and "Accepted a mitigation" not in trail  # what was chosen
    assert example.title in trail and "Approved: decision taken: Go ahead" in trail
    produced_by = appendix.split("Produced by\n", 1)[1].split("\n", 1)[0]
    assert produced_by == MANAGER.name  # the person signed in, never the command line's user


def test_local_mode_names_its_user_once_and_every_actor_line_says_it(
    database: str, monkeypatch: pytest.MonkeyPatch, kb: KnowledgeBase
) -> None:
    at = page("assess.py")
    [name_field] = at.sidebar.text_input
    assert name_field.label == "Name for the audit trail and the records"
    name_field.input("The service manager").run()
    assert not at.exception
    assert Store(database).name_of(LOCAL_USER.subject) == "The service manager"
    for field, value in zip(
        at.main.text_input, ("Close the cash office", "Revenues", "Revenues Manager"), strict=False
    ):
        field.input(value)
    next(button for button in at.main.button if button.label == "Start the assessment").click().run()
    assert not at.exception
    [started] = Store(database).list()
    at = page("assess.py", assessment=started.assessment_id)
    widget(at, "q_change_type").set_value(["closure"]).run()
    assert not at.exception
    history = history_text(at)
    trail = shown_text(page("audit.py"))
    assert "Started by The service manager." in history and "Changed by The service manager." in history
    assert "Gave their name: The service manager" in trail
    assert "“What kind of change is it?”" in trail or "Changed the answers: “" in trail  # the question, not its id
    for text in (history, trail):
        assert ids_in(kb, text) == [] and "Local user" not in text and "The service manager" in text
    # A new browser session: the name is kept, never asked again.
    again = page("register.py")
    assert [field.value for field in again.sidebar.text_input] == ["The service manager"]
    assert not [caption for caption in again.sidebar.caption if "Give your name" in caption.value]


def test_a_name_is_refused_in_words_and_a_signed_in_person_keeps_their_sign_in_name(database: str) -> None:
    assert name_problem("") == "Give your name: it is left empty."
    assert name_problem("x" * 101) == "A name can be at most 100 characters."
    assert name_problem("a\u0007b") == "A name cannot hold control characters."
    assert named_local_user("  The   service manager ").name == "The service manager"
    assert is_local(named_local_user("The service manager")) and not is_local(MANAGER)
    store = Store(database)
    with pytest.raises(StoreError, match="left empty"):
        store.acting(LOCAL_USER).set_own_name("   ")
    with pytest.raises(Exception, match="comes from their sign-in"):
        store.acting(MANAGER).set_own_name("Someone else")
    assert store.name_of(MANAGER.subject) is None


def test_reopen_is_refused_for_a_draft_and_keeps_one_assessment_in_the_cumulative_view(
    database: str, kb: KnowledgeBase
) -> None:
    store = Store(database)
    plan = read_plan(EXAMPLES / "library-opening-hours.yaml")
    manager, approver = store.acting(MANAGER), store.acting(APPROVER)
    from proofing.service import start_assessment
    from tests.test_approvals import approval_of

    assessment_id = start_assessment(manager, kb, plan)
    other_id = start_assessment(manager, kb, plan.model_copy(update={"title": "Another plan for the same people"}))
    with pytest.raises(StoreError, match="not final"):
        manager.reopen(assessment_id)
    manager.submit(assessment_id, expected_version=1)
    approver.sign_off(assessment_id, approval_of(store, assessment_id))
    assert manager.reopen(assessment_id) == 2
    titles = {overlap.title for overlap in overlaps_for(store, kb, other_id)}
    assert titles == {plan.title}  # counted once: the reopened assessment, never a copy of it beside it
    trail = store.audit(assessment_id)
    assert [(entry.action, entry.version) for entry in trail][-1] == ("reopened", 2)
    assert store.history(assessment_id)[0].events == (("reopened", MANAGER.name),)


def test_the_words_of_a_comparison_and_of_an_audit_entry_never_show_an_id(kb: KnowledgeBase) -> None:
    from datetime import UTC, datetime

    from proofing.models import SavedVersion

    full = read_plan(EXAMPLES / "library-opening-hours.yaml")
    empty = Plan(title=full.title, service=full.service, owner=full.owner)
    now = datetime.now(UTC)

    def version(number: int, plan: Plan, level: str | None) -> SavedVersion:
        return SavedVersion("a" * 32, number, plan, {}, level, "draft", now)

    before, after = assess_agreed(kb, empty, None)[0], assess_agreed(kb, full, None)[0]
    words = comparison_words(kb, version(1, empty, None), version(2, full, after.level), before, after)
    assert words[0] == f"Screening level: Not screened yet → {after.level_words.split('.')[0]}"
    assert not [line for line in words if ids_in(kb, line) or "Screened out" in line]
    entry = AuditEntry(
        at=now, subject="s", who="A service manager", action="answered", detail="Changed: media_interest, title"
    )
    question = kb.questionnaire.question("media_interest")
    assert question is not None
    assert what_happened(kb, entry) == f"Changed the answers: “{question.text}”; Title"
    copy = AuditEntry(
        at=now,
        subject="s",
        who="x",
        action="reopened",
        assessment_id="b" * 32,
        detail=f"Reopened as a new draft: {'c' * 32}",
    )
    [line] = audit_lines(kb, [copy], titles={"b" * 32: "Library hours"})
    assert (line.assessment, line.what) == ("Library hours", "Reopened as a new draft: “another assessment”")
