"""The Results page's data and the page itself: each finding's why, the counts of findings by colour per group (the
chart of groups, on the page and in the record), a move on the matrix only where a score moved, the bulk acceptance
(audited like single decisions), "Adapt" starting from the suggested words, an owner and a date only where they mean
something, and the analysis after the decisions (issue 22)."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from PIL import Image
from streamlit.testing.v1 import AppTest

from proofing.assessment import Assessment, assess
from proofing.decisions import DecisionNotes, SetAside, mitigation_key
from proofing.knowledge import KnowledgeBase
from proofing.language import translator
from proofing.plan import read_plan
from proofing.report.chart import _ticks, impact_chart
from proofing.residual import residual
from proofing.results import (
    accept_undecided,
    finding_progress,
    group_counts,
    group_counts_words,
    matrix_marks,
    undecided_keys,
    why_lines,
)
from proofing.store import Store
from tests.conftest import fresh_app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
OWNER, DUE = "the service manager", "2027-03-31"


@pytest.fixture(scope="module")
def library(kb: KnowledgeBase) -> Assessment:
    return assess(kb, read_plan(EXAMPLES / "library-opening-hours.yaml"))


def groups_of(kb: KnowledgeBase) -> set[str]:
    return {c.id for c in kb.characteristics} | {c.id for c in kb.communities}


# --- the chart of groups -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["library-opening-hours", "school-eal-support", "traveller-site-extension"])
def test_each_groups_counts_are_its_findings_by_colour_most_red_first(kb: KnowledgeBase, name: str) -> None:
    assessment = assess(kb, read_plan(EXAMPLES / f"{name}.yaml"))
    rows = group_counts(assessment)
    assert rows
    for row in rows:
        touching = [f for f in assessment.findings if row.id in f.characteristics + f.communities]
        tally = Counter(f.rag if f.direction == "negative" else "positive" for f in touching)
        assert (row.red, row.amber, row.green, row.positive) == (
            tally["red"],
            tally["amber"],
            tally["green"],
            tally["positive"],
        )
    keys = [(-r.red, -r.amber, -r.green, -r.positive) for r in rows]
    assert keys == sorted(keys)


def test_the_library_chart_shows_what_differs_between_groups(library: Assessment) -> None:
    """The old chart drew every group's highest score: 16 for all but one. The counts tell them apart."""
    rows = group_counts(library)
    assert len({e.highest_negative_score for e in library.profile}) <= 2  # what the old chart had to show
    assert len({(r.red, r.amber) for r in rows}) >= 5
    assert (rows[0].name, rows[0].red, rows[0].amber) == ("Age", 3, 4)
    assert rows[-1].red == 0 and rows[-1].amber == 2  # children and young people: amber only, last
    words = group_counts_words(rows, translator("en"))
    assert "on a scale of 0 to 7 findings" in words and "Age: 3 red, 4 amber" in words
    assert "out of 25" not in words


def test_the_record_chart_is_on_the_scale_its_caption_names(library: Assessment) -> None:
    picture, alt = impact_chart(library)
    assert picture is not None
    image = Image.open(io.BytesIO(picture))
    assert image.format == "PNG" and image.width > 800
    assert alt.startswith("Bar chart. The number of findings for each of 9 groups affected")
    assert _ticks(7) == [0, 2, 4, 6, 8] and _ticks(3) == [0, 1, 2, 3]  # whole findings, ending at or past the most
    colours = {colour for _count, colour in image.convert("RGB").getcolors(maxcolors=100_000)}
    near = lambda rgb: any(max(abs(a - b) for a, b in zip(c, rgb, strict=True)) <= 8 for c in colours)  # noqa: E731
    assert near((192, 57, 43)) and near((240, 173, 40))  # red and amber parts of the bars


# --- the matrix of moves ---------------------------------------------------------------------------------------


def test_no_move_is_drawn_when_nothing_moved(kb: KnowledgeBase, library: Assessment) -> None:
    marks = matrix_marks(residual(kb, library))
    assert len(marks) == 9 and not any(mark.moved for mark in marks)
    # accepted without an owner or a date, nothing counts: still nothing moves
    finding = next(f for f in library.findings if f.rule == "access_travel_no_public_transport")
    key = mitigation_key(finding, 0)
    assert not any(mark.moved for mark in matrix_marks(residual(kb, library, {key: {"status": "accepted"}})))


def test_a_move_is_drawn_only_for_the_finding_that_moved(kb: KnowledgeBase, library: Assessment) -> None:
    finding = next(f for f in library.findings if f.rule == "access_travel_no_public_transport")
    decisions = {mitigation_key(finding, 0): {"status": "accepted", "owner": OWNER, "due": DUE}}
    result = residual(kb, library, decisions)
    marks = matrix_marks(result)
    number = [f.rule for f in result.findings].index(finding.rule) + 1
    assert [mark.number for mark in marks if mark.moved] == [number]
    mark = marks[number - 1]
    assert round(mark.from_y - 0.28) == 4 and round(mark.to_y + 0.1) == 3  # likelihood 4 to 3


# --- the why, the bulk acceptance and the progress --------------------------------------------------------------


def test_the_why_is_the_answers_behind_the_finding_without_the_plans_own_group_list(
    kb: KnowledgeBase, library: Assessment
) -> None:
    finding = next(f for f in library.findings if f.rule == "access_travel_no_public_transport")
    lines = why_lines(finding, groups_of(kb))
    answers = {f"{b.question_text} {b.answer_text}" for b in finding.because} | set(finding.facts)
    assert lines and set(lines) <= answers
    assert "Can people reach the new location easily by public transport? No" in lines
    assert not any(line.startswith("Which groups will the plan affect") for line in lines)
    assert len(why_lines(finding)) > len(lines)  # without the groups, every answer is given, as before


def test_the_records_because_lines_are_the_pages(kb: KnowledgeBase, library: Assessment) -> None:
    """The record's "Because:" lines under each finding are why_lines, the page's: one rule, in the library."""
    import docx

    from proofing.report import ReportDetails, write_report

    document = docx.Document(io.BytesIO(write_report(kb, library, ReportDetails())))
    paragraphs = document.paragraphs
    printed = []
    for index, paragraph in enumerate(paragraphs):
        if paragraph.text == "Because:":
            following = iter(paragraphs[index + 1 :])
            lines = []
            while (line := next(following)).style.name == "List Bullet":
                lines.append(line.text)
            printed.append(tuple(lines))
    expected = [tuple(why_lines(f, groups_of(kb))) for f in library.findings if why_lines(f, groups_of(kb))]
    assert printed and sorted(printed) == sorted(expected)
    assert not any(line.startswith("Which groups will the plan affect") for lines in printed for line in lines)


def test_bulk_accept_accepts_every_undecided_mitigation_of_the_findings_shown(library: Assessment) -> None:
    negatives = [f for f in library.findings if f.direction == "negative"]
    first, aside = negatives[0], negatives[1]
    rejected, adapted = mitigation_key(first, 0), mitigation_key(first, 1)
    notes = DecisionNotes.model_validate(
        {"mitigations": {adapted: {"choice": "adapted", "adapted": "Ours"}}, "set_aside": {aside.rule: {"reason": "r"}}}
    )
    decisions = {rejected: {"status": "rejected", "owner": "", "due": ""}, adapted: {"status": "accepted"}}
    keys = undecided_keys(library, decisions, notes)
    expected = {mitigation_key(f, i) for f in negatives if f.rule != aside.rule for i in range(len(f.mitigations))} - {
        rejected,
        adapted,
    }
    assert set(keys) == expected
    after = accept_undecided(library, decisions, notes)
    assert {key for key, value in after.items() if value["status"] == "accepted"} == expected | {adapted}
    assert after[rejected]["status"] == "rejected"
    assert not any(mitigation_key(aside, i) in after for i in range(len(aside.mitigations)))
    assert isinstance(notes.set_aside[aside.rule], SetAside)


def test_a_finding_is_settled_when_every_mitigation_is_decided_and_none_waits(
    kb: KnowledgeBase, library: Assessment
) -> None:
    finding = next(f for f in library.findings if f.rule == "access_travel_no_public_transport")
    first, second = mitigation_key(finding, 0), mitigation_key(finding, 1)
    notes = DecisionNotes()

    def progress(decisions: dict[str, dict[str, str]]) -> tuple[int, int, int, int, bool]:
        found = finding_progress(residual(kb, library, decisions, notes), finding.rule, notes)
        return found.total, found.decided, found.counted, found.waiting, found.settled

    assert progress({}) == (2, 0, 0, 0, False)
    assert progress({first: {"status": "accepted"}}) == (2, 1, 0, 1, False)
    owned = {"status": "accepted", "owner": OWNER, "due": DUE}
    assert progress({first: owned, second: {"status": "rejected"}}) == (2, 2, 1, 0, True)
    assert progress({first: owned, second: {"status": "accepted"}}) == (2, 2, 1, 1, False)


# --- the page -------------------------------------------------------------------------------------------------


@pytest.fixture()
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("PROOFING_DB_URL", url)
    fresh_app(monkeypatch)
    yield url
    st.cache_resource.clear()


def results_page(assessment_id: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["assessment"] = assessment_id
    at.switch_page("views/results.py")
    return at.run()


def widget(at: AppTest, key: str):
    found = [element for element in at.main if getattr(element, "key", None) == key]
    assert found, f"no widget {key!r} on the page"
    return found[0]


def keys_on(at: AppTest) -> set[str]:
    return {str(element.key) for element in at.main if getattr(element, "key", None)}


def test_bulk_accept_is_one_action_audited_like_single_decisions(database: str, library: Assessment) -> None:
    store = Store(database)
    assessment_id = store.create(read_plan(EXAMPLES / "library-opening-hours.yaml"))
    at = results_page(assessment_id)
    assert not at.exception
    total = sum(len(f.mitigations) for f in library.findings if f.direction == "negative")
    button = widget(at, "accept_all")
    assert button.label == f"Accept all {total} undecided mitigations"
    button.click().run()
    assert not at.exception
    latest = store.latest(assessment_id)
    assert latest.version == 2  # one action, one save
    assert len(latest.decisions) == total and all(d["status"] == "accepted" for d in latest.decisions.values())
    trail = [entry.action for entry in store.audit(assessment_id)]
    assert trail.count("accepted a mitigation") == total  # each acceptance audited, as one made on its card
    assert "accept_all" not in keys_on(at)  # nothing left undecided
    markdown = " ".join(m.value for m in at.markdown).replace("\\", "")  # plain() escapes Markdown
    assert f"Not counted until they have an owner and a due date, {total} accepted mitigations" in markdown
    assert all(getattr(w, "value", None) == "accepted" for w in at.radio if str(w.key).startswith("m_"))


def test_adapt_starts_from_the_suggested_words_and_owner_and_date_only_where_they_mean_something(
    database: str, library: Assessment
) -> None:
    store = Store(database)
    assessment_id = store.create(read_plan(EXAMPLES / "library-opening-hours.yaml"))
    at = results_page(assessment_id)
    finding = next(f for f in library.findings if f.direction == "negative")
    key = mitigation_key(finding, 0)
    assert f"m_{key}_owner" not in keys_on(at)  # not decided: no owner or date asked
    widget(at, f"m_{key}_choice").set_value("adapted").run()
    assert widget(at, f"m_{key}_adapted").value == finding.mitigations[0].text
    assert {f"m_{key}_owner", f"m_{key}_due"} <= keys_on(at)
    assert store.latest(assessment_id).notes.mitigations[key].adapted == finding.mitigations[0].text
    widget(at, f"m_{key}_owner").input("Head of Libraries").run()
    widget(at, f"m_{key}_choice").set_value("rejected").run()
    assert f"m_{key}_owner" not in keys_on(at) and f"m_{key}_due" not in keys_on(at)
    assert store.latest(assessment_id).decisions[key] == {"status": "rejected", "owner": "", "due": ""}
    aside = next(f for f in library.findings if f.rule != finding.rule and f.direction == "negative")
    widget(at, f"aside_{aside.rule}").set_value(True).run()
    widget(at, f"aside_{aside.rule}_reason").input("Covered by the county review.").run()
    assert not any(k.startswith(f"m_{mitigation_key(aside, 0)}") for k in keys_on(at))  # set aside: no cards


def test_the_findings_are_the_cards_and_the_analysis_comes_after_them(database: str, library: Assessment) -> None:
    store = Store(database)
    assessment_id = store.create(read_plan(EXAMPLES / "library-opening-hours.yaml"))
    at = results_page(assessment_id)
    headers = [h.value for h in at.header]
    assert headers == ["Screening", "Findings and mitigations", "Analysis"]
    assert [h.value for h in at.subheader][:2] == ["Before and after", "The moves on the likelihood × severity matrix"]
    assert "Impact by group" in [h.value for h in at.subheader]
    labels = [str(e.label).replace("\\", "") for e in at.expander]  # plain() escapes Markdown
    expanders = [label for label in labels if label.startswith("Mitigations:")]
    assert len(expanders) == 9 and expanders[0] == "Mitigations: 3 suggested, none decided yet"
    captions = " ".join(c.value for c in at.caption).replace("\\", "")
    assert "Because: " in captions and "Can people reach the new location easily by public transport? No" in captions
    assert "Chart in words: The number of findings for each of 9 groups affected" in captions
    assert "No finding has moved yet." in captions
