"""The library's messages in the reader's language (issue 25): every kind of refusal the store, the workshop, the
permissions and approval raise is a code and values (proofing.errors), and proofing.messages words it in Welsh,
never the English, with its values (a title, a count) kept and our own words among them (a role, an action)
translated too. Table-driven: one row per kind of error, raised by the library itself where it can be."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from proofing.access import ACTION_WORDS, PermissionDenied, User, require
from proofing.actions import check_update
from proofing.approvals import ApprovedIsKeptError, ContentChangedError, OwnSubmissionError
from proofing.assessment import assess
from proofing.cumulative import HIDDEN_LEVEL, Overlap, hidden_words
from proofing.errors import N_, FinalAssessmentError, ProofingError, StaleVersionError, StoreError, Term
from proofing.join_guard import TooManyTries
from proofing.knowledge import KnowledgeBase
from proofing.language import catalogue, localised, translator
from proofing.messages import problem_words, said, worded
from proofing.plan import check_answers, read_plan
from proofing.report import ReportDetails, write_report
from proofing.signoff import UnacknowledgedError
from proofing.store import Store
from proofing.workshop_store import StaleAgreementError, WorkshopError

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
WELSH = translator("cy")
ENGLISH = translator("en")
MANAGER = User(subject="manager-1", name="Service manager", roles=frozenset({"service_manager"}))
AUDITOR = User(subject="auditor-1", name="Auditor one", roles=frozenset({"auditor"}))


def refusal(make: Callable[[], object]) -> ProofingError:
    """The error `make` raises (the library's own raise, where a row calls the library)."""
    with pytest.raises(ProofingError) as raised:
        make()
    return raised.value


def _raise(error: ProofingError) -> Callable[[], None]:
    def make() -> None:
        raise error

    return make


def _action() -> object:
    from proofing.actions import FollowUpAction

    fields = FollowUpAction.model_fields
    values = {
        "id": 1,
        "assessment_id": "a1",
        "version": 1,
        "mitigation_key": "m",
        "finding": "f",
        "mitigation": "m",
        "owner": "Head of Libraries",
        "owner_subject": "approver-1",
        "due": date(2027, 1, 1),
    }
    return FollowUpAction.model_construct(**{key: value for key, value in values.items() if key in fields})


CASES: dict[str, Callable[[], object]] = {
    "not shared with you": lambda: require(MANAGER, "edit", owner="someone-else"),
    "a role that may not": lambda: require(AUDITOR, "edit"),
    "progress on another's action": lambda: check_update(MANAGER, _action()),  # type: ignore[arg-type]
    "not a database URL": lambda: Store("not a database"),
    "a language the app does not speak": lambda: Store("sqlite://").set_language("someone", "xx"),
    "stale version": _raise(StaleVersionError("a1", "Library hours", 2, 3)),
    "final assessment": _raise(FinalAssessmentError("a1", "Library hours")),
    "unknown assessment": _raise(StoreError(N_("there is no assessment '{id}'"), id="a1")),
    "name of a version": _raise(StoreError(N_("a version's name can be at most 200 characters"))),
    "own submission": _raise(OwnSubmissionError("Head of Libraries", "Library hours", 2)),
    "content changed": _raise(ContentChangedError("Library hours", 2)),
    "approved is kept": _raise(ApprovedIsKeptError("Library hours")),
    "unacknowledged": _raise(UnacknowledgedError(2)),
    "workshop closed": _raise(WorkshopError(N_("this workshop is finalised: it takes no one new"))),
    "workshop name": _raise(WorkshopError(N_("say {what} before joining"), what=Term(N_("your name")))),
    "stale agreement": _raise(StaleAgreementError("Library hours", Term(N_("someone")), 1, 2)),
    "too many tries": _raise(TooManyTries(30)),
}


@pytest.mark.parametrize("kind", sorted(CASES))
def test_each_library_refusal_is_worded_in_welsh(kind: str) -> None:
    catalogue.cache_clear()
    error = refusal(CASES[kind])
    english = str(error)
    assert worded(error, ENGLISH) == english  # the English face says what the library always said
    welsh = worded(error, WELSH)
    assert welsh != english, kind
    assert WELSH._(error.code) != error.code, f"no Welsh for {error.code!r}"
    for value in error.values.values():  # a title, a count or a name is kept as given; our own words are not
        if isinstance(value, str | int) and not isinstance(value, Term):
            assert str(value) in welsh, (kind, value)
    assert said(error, WELSH)[0].isupper() and said(error, WELSH).endswith((".", "!", "?"))


def test_our_own_words_among_the_values_are_translated() -> None:
    error = refusal(lambda: require(MANAGER, "approve"))
    welsh = worded(error, WELSH)
    assert WELSH._(ACTION_WORDS["approve"]) in welsh
    assert ACTION_WORDS["approve"] not in welsh
    assert WELSH._("Service manager") in welsh  # the role, as the vocabulary words it
    assert "Service manager" in str(error)


def test_the_cumulative_views_refusal_is_worded_in_welsh() -> None:
    """ "not shared with you": an assessment the person may not open, in Welsh on a Welsh page."""
    error = refusal(lambda: require(MANAGER, "read", owner="another-manager"))
    assert "not yours or shared with you" in str(error)
    assert "not yours or shared with you" not in worded(error, WELSH)


def test_an_error_that_is_not_ours_reads_as_it_was_raised() -> None:
    assert worded(ValueError("plain"), WELSH) == "plain"
    assert worded(PermissionDenied("a message of no code"), WELSH) == "a message of no code"


def test_the_welsh_records_cumulative_table_counts_what_is_not_shared_in_welsh(kb: KnowledgeBase) -> None:
    """The assessments a person may not open are counted, never named; in a Welsh record, in Welsh."""
    from tests.test_welsh_everywhere import english_in, visible_texts

    hidden = Overlap(
        group="Age",
        assessment_id="",
        title=hidden_words(2),
        service="",
        status="",
        level=HIDDEN_LEVEL,
        period="2026 Q4",
        may_open=False,
        hidden=2,
    )
    details = ReportDetails(
        assessors=["Head of Adult Social Care"], produced_at="2026-12-01T10:00:00+00:00", also_affected=[hidden]
    )
    assessment = assess(kb, read_plan(EXAMPLES / "day-centre-closure.yaml"))
    english = visible_texts(write_report(kb, assessment, details, language="en"))
    assert "2 other assessments not shared with you" in english and "not shown" in english
    welsh = visible_texts(write_report(kb, assessment, details, language="cy"))
    assert not [text for text in welsh if "not shared with you" in text or text == "not shown"]
    assert WELSH.n_("{n} other assessment not shared with you", "{n} other assessments not shared with you", 2) in welsh
    assert english_in(welsh) == []


def test_the_plans_problems_are_worded_in_the_readers_language(kb: KnowledgeBase) -> None:
    """ "needs an answer" on the Results page: the question in the rule base's Welsh, the sentence in Welsh too."""
    welsh_kb = localised(kb, "cy").kb
    problems = check_answers(welsh_kb.questionnaire, {}).problems
    needed = [problem for problem in problems if problem.code]
    assert needed and len(needed) == len(problems)  # an empty plan: every problem is a required question unanswered
    for problem in needed:
        assert problem_words(problem, ENGLISH) == problem.sentence  # the English face as before
        welsh = problem_words(problem, WELSH)
        assert "needs an answer" not in welsh and problem.question_text in welsh
    empty_many = next(q for q in kb.questionnaire.questions if q.type == "many_of" and q.required)
    chosen = check_answers(kb.questionnaire, {empty_many.id: []}).problems
    about = next(problem for problem in chosen if problem.question == empty_many.id)
    assert "choose at least one" in about.sentence and "choose at least one" not in problem_words(about, WELSH)


def test_an_upload_that_is_not_a_plan_is_refused_in_welsh() -> None:
    from proofing.register import UploadError, plan_from_upload

    error = refusal(lambda: plan_from_upload("notes.txt", b"hello"))
    assert isinstance(error, UploadError) and "notes.txt" in str(error)
    welsh = worded(error, WELSH)
    assert welsh != str(error) and "notes.txt" in welsh


def test_the_command_line_words_a_store_refusal_in_its_language(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from proofing.cli import main

    monkeypatch.setenv("PROOFING_LANGUAGE", "en")
    assert main(["actions", "--due", "--db", "not a database"]) == 2
    english = capsys.readouterr().err
    assert "'not a database' is not a database URL" in english
    monkeypatch.setenv("PROOFING_LANGUAGE", "cy")
    assert main(["actions", "--due", "--db", "not a database"]) == 2
    welsh = capsys.readouterr().err
    assert "not a database URL" not in welsh and "'not a database'" in welsh
    assert worded(refusal(lambda: Store("not a database")), WELSH) in welsh


@pytest.mark.parametrize(
    ("text", "said_in_english"),
    [("", "is empty"), ("a: [", "is not valid YAML"), ("- just a list", "is not a plan")],
)
def test_a_plan_file_that_cannot_be_read_is_refused_in_welsh(text: str, said_in_english: str) -> None:
    """A plan problem (an upload on the Register, a plan file on the command line): the source named, in Welsh."""
    from proofing.plan import PlanError, parse_plan

    error = refusal(lambda: parse_plan(text, "plan.yaml"))
    assert isinstance(error, PlanError) and str(error).startswith("plan.yaml: " + said_in_english)
    assert error.problems == [str(error).removeprefix("plan.yaml: ")]  # the problems as before, for their readers
    welsh = worded(error, WELSH)
    assert welsh.startswith("plan.yaml: ") and said_in_english not in welsh
