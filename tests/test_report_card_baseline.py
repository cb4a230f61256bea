"""The report card's baseline is read through the questionnaire's roles (issue 23, as issue 21 reads dates and wards):
``baseline_by_group`` (with ``baseline_by_group_given``) and ``baseline``; `proofing rules check` faults a rule base
that lacks them or names options its question does not have."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from proofing import cli, service
from proofing.actions import ReviewRecord
from proofing.knowledge import load_knowledge
from proofing.language import translator
from proofing.report_card import quarter_of, report_card
from proofing.report_card_word import baseline_words
from proofing.review import hold_review
from proofing.store import Store
from proofing.store.followup import today
from tests import test_followup
from tests.test_followup import MANAGER, approved_plan, library


def _roles(rules: Path, old: str, new: str) -> None:
    path = rules / "questionnaire.yaml"
    text = path.read_text(encoding="utf-8")
    assert re.search(old, text, flags=re.MULTILINE), old
    path.write_text(re.sub(old, new, text, count=1, flags=re.MULTILINE), encoding="utf-8")


def _check(rules: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = cli.main(["rules", "check", "--rules", str(rules)])
    return code, capsys.readouterr().err


def test_rules_check_faults_a_rule_base_without_the_baseline_roles(
    rules_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _check(rules_copy, capsys)[0] == 0
    _roles(rules_copy, r"^  baseline: evidence_detail\n", "")
    code, err = _check(rules_copy, capsys)
    assert code != 0 and "roles: baseline is not declared; the report card reads the baseline" in err


def test_rules_check_faults_a_baseline_role_of_the_wrong_type_or_options(
    rules_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _roles(rules_copy, r"^  baseline_by_group: data_by_group.*$", "  baseline_by_group: evidence_detail")
    code, err = _check(rules_copy, capsys)
    assert code != 0 and "baseline_by_group names question evidence_detail, a text question; it must be one_of" in err
    _roles(rules_copy, r"^  baseline_by_group: evidence_detail$", "  baseline_by_group: data_by_group")
    _roles(rules_copy, r"^  baseline_by_group_given: \[all, some\]$", "  baseline_by_group_given: [all, lots]")
    code, err = _check(rules_copy, capsys)
    assert code != 0 and "baseline_by_group_given names lots, not an option of data_by_group" in err


def test_the_report_card_reads_the_baseline_through_the_roles(
    tmp_path: Path, rules_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = load_knowledge(rules_copy)
    monkeypatch.setattr(service, "default_rule_base", lambda: kb)
    described = {"evidence_detail": "Footfall counts by branch and hour", "evidence_gaps": "Who uses the evenings"}
    monkeypatch.setattr(
        test_followup, "library", lambda: library().model_copy(update={"answers": library().answers | described})
    )
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    assessment_id = approved_plan(store, {"language_no_interpreting:0": {"status": "accepted", "due": "2027-02-01"}})
    approved = store.latest(assessment_id)
    assert approved is not None
    answers = approved.plan.answers
    record = ReviewRecord(outcome="closed", monitoring="Visits held up")
    hold_review(store, kb, assessment_id, record, by=MANAGER)
    quarter = quarter_of(today())

    [review] = report_card(store, kb, quarter).better_off.reviews
    assert (review.baseline_by_group, review.baseline) == (answers["data_by_group"], answers["evidence_detail"])
    given = report_card(store, kb, quarter).better_off.with_baseline_by_group
    assert given == (1 if answers["data_by_group"] in ("all", "some") else 0)

    # A council whose questionnaire names other questions for the roles: the card follows the roles.
    _roles(rules_copy, r"^  baseline: evidence_detail$", "  baseline: evidence_gaps")
    others = {option for option in ("all", "some", "none", "not_relevant") if option != answers["data_by_group"]}
    _roles(rules_copy, r"^  baseline_by_group_given: \[all, some\]$", f"  baseline_by_group_given: [{min(others)}]")
    renamed = load_knowledge(rules_copy)
    card = report_card(store, renamed, quarter)
    [review] = card.better_off.reviews
    assert review.baseline == answers["evidence_gaps"] and card.better_off.with_baseline_by_group == 0

    # worded as the rule base labels the role's question's options
    words = baseline_words(translator("en"), kb)
    question = kb.questionnaire.question("data_by_group")
    assert question is not None
    assert words == {option.id: f"Figures by group: {option.label}" for option in question.options}
