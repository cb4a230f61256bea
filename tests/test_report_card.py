"""The strategy's report cards (issue 23), on SQLite and PostgreSQL: one plan walked from approval through two
actions (one done with evidence, one overdue), a review that finds a new rule firing, to a revised version approved;
the report card of that quarter counts it as an independent count straight from the database does. An empty database
gives a report card of zeros (library and command line); the Word report opens with its headings, in English and
Welsh, and LibreOffice converts it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import docx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from proofing import cli, service
from proofing.access import PermissionDenied
from proofing.actions import ActionUpdate, ReviewRecord
from proofing.knowledge import load_knowledge
from proofing.report_card import Period, ReportCard, parse_period, quarter_of, report_card, trend_quarters
from proofing.report_card_word import write_card
from proofing.review import hold_review
from proofing.store import Store
from proofing.store.followup import FollowUp, today
from tests.conftest import libreoffice_convert
from tests.test_followup import APPROVER, AUDITOR, MANAGER, NEW_RULE, approved_plan, sign_off

HEADINGS = (
    "How much did we do?",
    "How well did we do it?",
    "Is anyone better off?",
    "The strategy's actions: the plans that drew on them",
    "Trend over the last four quarters",
)


def walk(store_url: str, rules_copy: Path, monkeypatch: pytest.MonkeyPatch, overdue_due: date | None = None) -> str:
    """tests/test_followup.py's walk: approval, one action done with evidence and one overdue (due on `overdue_due`,
    three days ago when not given), a review that finds a new rule firing and revises, the revised version approved.
    Returns the assessment's id."""
    kb_then = load_knowledge(rules_copy)
    monkeypatch.setattr(service, "default_rule_base", lambda: kb_then)
    store = Store(store_url)
    decisions = {
        "language_no_interpreting:0": {
            "status": "accepted",
            "due": (overdue_due or today() - timedelta(days=3)).isoformat(),
        },
        "access_online_only_digital_exclusion:0": {"status": "accepted", "due": "2027-01-31"},
    }
    assessment_id = approved_plan(store, decisions)
    follow_up = FollowUp(store)
    actions = {a.key: a for a in follow_up.actions(assessment_id=assessment_id)}
    done = ActionUpdate(status="done", evidence="Drop-in sessions held at each branch", done_on=today())
    follow_up.update(actions["access_online_only_digital_exclusion:0"].id, done, by=MANAGER)
    (rules_copy / "impacts" / "added_after_approval.yaml").write_text(NEW_RULE, encoding="utf-8")
    kb_now = load_knowledge(rules_copy)
    record = ReviewRecord(
        outcome="revised",
        monitoring="Visits fell by a tenth on the evenings cut",
        by_group={"age": "Older users moved to Saturday mornings"},
    )
    held = hold_review(store, kb_now, assessment_id, record, by=MANAGER)
    assert held.revised_assessment is not None
    monkeypatch.setattr(service, "default_rule_base", lambda: kb_now)
    store_now = Store(store_url)
    draft = store_now.latest(held.revised_assessment)
    assert draft is not None
    new_decisions = dict(draft.decisions) | {"review_new_reduction_rule:0": {"status": "accepted", "due": "2027-03-01"}}
    number = store_now.acting(MANAGER).save(
        held.revised_assessment, draft.plan, new_decisions, None, expected_version=draft.version, notes=draft.notes
    )
    store_now.acting(MANAGER).submit(held.revised_assessment, expected_version=number)
    store_now.acting(APPROVER).sign_off(
        held.revised_assessment, sign_off(store_now, held.revised_assessment, today() + timedelta(days=200))
    )
    return assessment_id


def sql_counts(url: str, period: Period, on: date) -> dict[str, Any]:
    """The report card's figures counted straight from the tables with SQL, not through the library."""
    engine = create_engine(url, poolclass=NullPool)
    postgres = url.startswith("postgresql")
    since, until = period.since.isoformat(), period.until.isoformat()
    moment = " 00:00:00+00" if postgres else " 00:00:00"
    span = {"s": since + moment, "u": until + moment, "ds": since, "du": until, "on": on.isoformat()}
    engaged = (
        "v.plan->'answers'->>'engagement_done'" if postgres else "json_extract(v.plan, '$.answers.engagement_done')"
    )
    decided = "a.decided_at >= :s AND a.decided_at < :u AND a.outcome = 'approved'"
    due_in = "due >= CAST(:ds AS DATE) AND due < CAST(:du AS DATE)" if postgres else "due >= :ds AND due < :du"
    review_in = (
        "review_date >= CAST(:ds AS DATE) AND review_date < CAST(:du AS DATE)"
        if postgres
        else "review_date >= :ds AND review_date < :du"
    )
    before = "CAST(:on AS DATE)" if postgres else ":on"
    try:
        with engine.connect() as db:

            def one(sql: str) -> int:
                return int(db.execute(text(sql), span).scalar_one())

            latest = (
                f"SELECT a.assessment_id, MAX(a.decided_at) AS at FROM approvals a WHERE {decided} "
                "GROUP BY a.assessment_id"
            )
            return {
                "approvals": one(f"SELECT COUNT(*) FROM approvals a WHERE {decided}"),
                "approved": one(f"SELECT COUNT(DISTINCT a.assessment_id) FROM approvals a WHERE {decided}"),
                "engaged": one(
                    f"SELECT COUNT(*) FROM ({latest}) l JOIN approvals a ON a.assessment_id = l.assessment_id "
                    "AND a.decided_at = l.at JOIN versions v ON v.assessment_id = a.assessment_id "
                    f"AND v.version = a.version WHERE {engaged} = 'done'"
                ),
                "agreed": one("SELECT COUNT(*) FROM followup_actions WHERE created_at >= :s AND created_at < :u"),
                "actions_due": one(
                    f"SELECT COUNT(*) FROM followup_actions WHERE {due_in} "
                    f"AND (status = 'done' OR (status <> 'dropped' AND due < {before}))"
                ),
                "by_date": one(
                    f"SELECT COUNT(*) FROM followup_actions WHERE {due_in} AND status = 'done' AND done_on <= due"
                ),
                "overdue": one(
                    f"SELECT COUNT(*) FROM followup_actions WHERE {due_in} "
                    f"AND status IN ('not_started', 'under_way') AND due < {before}"
                ),
                "reviews_due": one(f"SELECT COUNT(*) FROM followup_review_outcomes WHERE {review_in}")
                + one(
                    f"SELECT COUNT(*) FROM followup_reviews WHERE state = 'open' AND {review_in} "
                    f"AND review_date < {before}"
                ),
                "held": one("SELECT COUNT(*) FROM followup_review_outcomes WHERE held_at >= :s AND held_at < :u"),
                "started": one("SELECT COUNT(*) FROM assessments WHERE created_at >= :s AND created_at < :u"),
                "done": one(
                    "SELECT COUNT(*) FROM followup_actions WHERE status = 'done' AND "
                    + (
                        "done_on >= CAST(:ds AS DATE) AND done_on < CAST(:du AS DATE)"
                        if postgres
                        else "done_on >= :ds AND done_on < :du"
                    )
                ),
                "on_time": one(
                    f"SELECT COUNT(*) FROM followup_review_outcomes WHERE {review_in} "
                    + ("AND CAST(held_at AS DATE) <= review_date" if postgres else "AND date(held_at) <= review_date")
                ),
                "by_service": dict(
                    db.execute(
                        text(
                            f"SELECT s.service, COUNT(*) FROM ({latest}) l "
                            "JOIN assessments s ON s.id = l.assessment_id GROUP BY s.service"
                        ),
                        span,
                    ).all()
                ),
                "mw23_plans": one(
                    "SELECT COUNT(DISTINCT assessment_id) FROM followup_actions WHERE "
                    + ("CAST(strategy_actions AS TEXT)" if postgres else "strategy_actions")
                    + " LIKE '%\"MW23\"%' AND ((created_at >= :s AND created_at < :u) OR "
                    + due_in
                    + (
                        " OR (done_on >= CAST(:ds AS DATE) AND done_on < CAST(:du AS DATE)))"
                        if postgres
                        else " OR (done_on >= :ds AND done_on < :du))"
                    )
                ),
            }
    finally:
        engine.dispose()


def test_the_report_card_of_the_quarter_counts_the_walk_as_the_database_does(
    url: str, rules_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The overdue action falls due inside this quarter (three days ago, or its first day early in a quarter), and the
    # card is counted on a day after it, so the test holds on every day of the year.
    quarter = quarter_of(today())
    overdue_due = max(today() - timedelta(days=3), quarter.since)
    on = max(today(), overdue_due + timedelta(days=1))
    assessment_id = walk(url, rules_copy, monkeypatch, overdue_due)
    kb = load_knowledge(rules_copy)
    card = report_card(Store(url), kb, quarter, on=on, by=AUDITOR)
    counted = sql_counts(url, quarter, on)

    much, well = card.how_much, card.how_well
    assert (much.approvals, much.approved) == (counted["approvals"], counted["approved"])
    assert much.approvals == 2  # the first approval and the revised version's
    assert much.mitigations_agreed == counted["agreed"] >= 3  # two at approval, the new rule's at revision
    assert well.actions_by_date.of == counted["actions_due"]
    assert well.actions_by_date.count == counted["by_date"]
    assert well.actions_overdue == counted["overdue"] >= 1  # the interpreting action, three days late
    assert well.actions_done >= 1  # the drop-in sessions, done today with evidence
    assert well.reviews_on_time.of == counted["reviews_due"]
    assert well.reviews_held == counted["held"] == 1
    assert well.reviews_on_time.count == counted["on_time"]
    assert well.actions_done == counted["done"]
    assert much.started == counted["started"] >= 1
    assert {c.key: c.count for c in much.by_service} == counted["by_service"]
    assert well.engaged.count == counted["engaged"] and well.engaged.of == much.approved
    assert well.gaps_closed.of == much.approvals

    [review] = card.better_off.reviews
    assert review.assessment_id == assessment_id and review.outcome == "revised"
    assert [(g.group, g.result) for g in review.groups] == [("age", "Older users moved to Saturday mornings")]
    assert review.monitoring == "Visits fell by a tenth on the evenings cut"
    assert [c.key for c in card.better_off.by_group] == ["age"]

    mw23 = next(item for item in card.strategy_actions if item.action == "MW23")
    assert mw23.plans == counted["mw23_plans"] >= 1
    done = [line for item in card.strategy_actions for line in item.lines if line.status == "done"]
    assert any(line.evidence == "Drop-in sessions held at each branch" for line in done)

    assert [q.quarter for q in card.trend] == [q.code for q in trend_quarters(quarter)]
    assert card.trend[-1].approved == much.approved and card.trend[-1].mitigations_agreed == much.mitigations_agreed

    # the year holds the quarter: at least as much
    year = report_card(Store(url), kb, str(on.year), on=on)
    assert year.how_much.approvals >= much.approvals and year.trend[-1].quarter == f"{on.year}Q4"

    # the Word report of that quarter, in English and Welsh
    english = docx.Document(_bytes(write_card(card, kb, "en")))
    headings = [p.text for p in english.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    assert all(heading in headings for heading in HEADINGS)
    body = "\n".join(p.text for p in english.paragraphs) + "\n".join(
        cell.text for table in english.tables for row in table.rows for cell in row.cells
    )
    assert "Older users moved to Saturday mornings" in body and "Drop-in sessions held at each branch" in body
    welsh = docx.Document(_bytes(write_card(card, kb, "cy")))
    welsh_headings = [p.text for p in welsh.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    assert "Faint wnaethon ni?" in welsh_headings and "How much did we do?" not in welsh_headings


def _bytes(data: bytes) -> Any:
    import io

    return io.BytesIO(data)


def test_an_empty_database_gives_a_report_card_of_zeros(url: str) -> None:
    card = report_card(Store(url), load_knowledge(), "2027Q1", on=date(2027, 4, 2))
    assert card.register_size == 0
    assert card.how_much.model_dump() == {
        "started": 0,
        "approvals": 0,
        "approved": 0,
        "by_level": [],
        "by_service": [],
        "mitigations_agreed": 0,
        "by_strategy_action": [],
        "by_outcome": [],
    }
    assert card.how_well.reviews_on_time.percent is None and card.how_well.actions_overdue == 0
    assert card.better_off.reviews == [] and card.strategy_actions == []
    assert [q.quarter for q in card.trend] == ["2026Q2", "2026Q3", "2026Q4", "2027Q1"]
    assert all(q.approved == 0 and q.engaged.of == 0 for q in card.trend)


def test_the_command_line_writes_a_report_card_of_an_empty_new_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PROOFING_DB_URL", f"sqlite:///{tmp_path / 'new.db'}")
    target = tmp_path / "card.docx"
    assert cli.main(["report", "--quarter", "2027Q1", "--docx", str(target)]) == 0
    out = capsys.readouterr()
    assert out.err == "" and "2027Q1" in out.out
    document = docx.Document(str(target))
    texts = [p.text for p in document.paragraphs]
    assert all(heading in texts for heading in HEADINGS)
    assert "The register holds no assessments yet, so every figure in this report card is zero." in texts
    assert cli.main(["report", "--year", "2027", "--docx", str(tmp_path / "year.docx"), "--lang", "cy"]) == 0
    assert any("Cerdyn adrodd" in p.text for p in docx.Document(str(tmp_path / "year.docx")).paragraphs)
    assert cli.main(["report", "--quarter", "2027Q5", "--docx", str(target)]) == 2
    assert "not a quarter" in capsys.readouterr().err
    assert cli.main(["report", "--quarter", "2027", "--docx", str(target)]) == 2


def test_libreoffice_converts_the_report_card(tmp_path: Path) -> None:
    card = ReportCard(period=parse_period("2027Q1"), made_on=date(2027, 4, 2))
    source = tmp_path / "card.docx"
    source.write_bytes(write_card(card, load_knowledge(), "en"))
    pdf = libreoffice_convert(source, tmp_path, "pdf")
    assert pdf.stat().st_size > 1000 and pdf.read_bytes().startswith(b"%PDF")


def test_only_approvers_administrators_and_auditors_see_the_report_cards(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'roles.db'}")
    with pytest.raises(PermissionDenied, match="may not see the report cards"):
        report_card(store, load_knowledge(), "2027Q1", by=MANAGER)
    assert report_card(store, load_knowledge(), "2027Q1", by=APPROVER).how_much.approvals == 0


def test_periods() -> None:
    assert parse_period("2027Q1").until == date(2027, 4, 1) and parse_period("2026q4").until == date(2027, 1, 1)
    assert [q.code for q in parse_period("2027").quarters()] == ["2027Q1", "2027Q2", "2027Q3", "2027Q4"]
    assert [q.code for q in trend_quarters(parse_period("2027"))] == ["2027Q1", "2027Q2", "2027Q3", "2027Q4"]
    assert quarter_of(datetime(2026, 12, 5, tzinfo=UTC).date()).code == "2026Q4"
    with pytest.raises(ValueError, match="not a quarter"):
        parse_period("spring")
