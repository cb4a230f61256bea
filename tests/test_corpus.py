"""The corpus of real published assessments: reading cases, the figures calibrate --corpus prints, two answerers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from proofing.assessment import assess
from proofing.cli import main
from proofing.corpus import (
    DEFAULT_CORPUS_DIR,
    CorpusError,
    answerer_agreement,
    calibrate_corpus,
    negatives_named,
    read_corpus,
    read_corpus_case,
    rule_base_for_nation,
)
from proofing.knowledge import KnowledgeBase
from proofing.plan import Plan, read_plan

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _case(folder: Path, name: str, example: str, level: str, negative: list[str], **more: object) -> Path:
    """A case file made from an example plan, with a body's conclusion as the test needs it."""
    plan = read_plan(EXAMPLES / example).model_dump(mode="json")
    data = {
        "case": name,
        "source": {
            "url": f"https://example.org/{name}",
            "body": more.pop("body", "Afon Vale County Council"),
            "nation": more.pop("nation", "wales"),
            "kind": "other",
            "seen": "the whole screening form",
        },
        "proposal": "A proposal in the manager's words.",
        "body_concluded": {"level": level, "negative": negative, **more.pop("concluded", {})},
        "plan": plan,
        **more,
    }
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture()
def corpus(tmp_path: Path, kb: KnowledgeBase) -> Path:
    folder = tmp_path / "cases"
    folder.mkdir()
    wales = rule_base_for_nation(kb, "wales")
    payroll = assess(wales, read_plan(EXAMPLES / "payroll-software.yaml"))
    centre = assess(wales, read_plan(EXAMPLES / "day-centre-closure.yaml"))
    # The body agrees with the rules on the payroll system, and names what they name on the day centre...
    _case(folder, "a-payroll", "payroll-software.yaml", payroll.level, [])
    centre_negatives = negatives_named(wales, centre)
    _case(folder, "b-centre", "day-centre-closure.yaml", centre.level, [*centre_negatives[:1], "sex"], body="Body B")
    # ...differs on the level of the relocation package (with a reason), and is judged unsound on a third.
    relocation = assess(wales, read_plan(EXAMPLES / "staff-relocation-package.yaml")).level
    other = "full_assessment" if relocation == "screened_out" else "screened_out"
    _case(
        folder,
        "c-relocation",
        "staff-relocation-package.yaml",
        other,
        [],
        body="Body C",
        disagreement={"right": "tool", "reason": "the package binds staff with partners only; the body missed it"},
    )
    _case(
        folder,
        "d-unsound",
        "library-opening-hours.yaml",
        "screened_out",
        [],
        body="Body C",
        concluded={"sound": False, "sound_reason": "cut hours in the most deprived ward were never considered"},
    )
    return folder


def test_the_figures_match_a_count_made_by_hand(kb: KnowledgeBase, corpus: Path) -> None:
    report = calibrate_corpus(kb, read_corpus(corpus))
    assert (report.cases, report.bodies, report.sound_cases) == (4, 3, 3)
    assert report.nations == {"wales": 4}
    # Three sound cases: two agree, the relocation package does not (and is reasoned), the unsound one is left out.
    assert report.level_agreement == pytest.approx(2 / 3)
    assert report.stricter + report.laxer == 1
    assert report.unreasoned == []
    assert sum(sum(row.values()) for row in report.confusion.values()) == 3
    wales = rule_base_for_nation(kb, "wales")
    named = negatives_named(wales, assess(wales, read_plan(EXAMPLES / "day-centre-closure.yaml")))
    relocation = negatives_named(wales, assess(wales, read_plan(EXAMPLES / "staff-relocation-package.yaml")))
    body = {named[0], "sex"}
    tool = len(named) + len(relocation)  # the payroll system names none
    assert report.recall == pytest.approx(len(body & set(named)) / len(body))
    assert report.precision == pytest.approx(len(body & set(named)) / tool)


def test_a_disagreement_without_a_reason_is_reported_and_fails_the_command(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = corpus / "c-relocation.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["disagreement"]
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert main(["calibrate", "--corpus", str(corpus)]) == 1
    assert "disagreements with no reason in the file: c-relocation" in capsys.readouterr().out


def test_the_json_has_the_documented_keys(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calibrate", "--corpus", str(corpus), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    for key in ("cases", "bodies", "nations", "level_agreement", "recall", "precision", "confusion"):
        assert key in data
    assert 0 <= data["level_agreement"] <= 1
    assert {outcome["case"] for outcome in data["outcomes"]} == {"a-payroll", "b-centre", "c-relocation", "d-unsound"}


def test_a_faulty_case_file_is_named_with_its_fault(tmp_path: Path, corpus: Path) -> None:
    path = corpus / "a-payroll.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["body_concluded"]["level"] = "probably fine"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(CorpusError, match=r"a-payroll.yaml: body_concluded.level"):
        read_corpus_case(path)
    renamed = tmp_path / "other.yaml"
    renamed.write_text((corpus / "b-centre.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(CorpusError, match="is not its file name"):
        read_corpus_case(renamed)


def test_an_unusable_plan_is_reported_not_raised(kb: KnowledgeBase, corpus: Path) -> None:
    path = corpus / "a-payroll.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["plan"]["answers"].pop("change_type")
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    report = calibrate_corpus(kb, read_corpus(corpus))
    payroll = next(outcome for outcome in report.outcomes if outcome.case == "a-payroll")
    assert payroll.direction == "unusable" and "change" in (payroll.problem or "")
    assert report.confusion[payroll.body_level]["unusable"] == 1


def test_two_answerers_are_compared_question_by_question(kb: KnowledgeBase) -> None:
    plan = read_plan(EXAMPLES / "library-opening-hours.yaml")
    answers = dict(plan.answers)
    first = {"one": plan, "two": plan}
    changed = {**answers, "change_type": ["closure"], "people_affected": answers.get("people_affected", 100)}
    second = {"one": Plan(**{**plan.model_dump(), "answers": changed}), "two": plan, "three": plan}
    rows = {row.question: row for row in answerer_agreement(kb.questionnaire, first, second)}
    assert rows["change_type"].answered == 2 and rows["change_type"].disagreed == 1
    assert rows["change_type"].rate == pytest.approx(0.5)
    assert all(row.disagreed == 0 for name, row in rows.items() if name != "change_type")


def test_the_projects_corpus_is_broad_and_every_disagreement_is_reasoned(kb: KnowledgeBase) -> None:
    """Issue 19's floor: 60 real cases from 30 bodies in the four nations, each disagreement reasoned."""
    report = calibrate_corpus(kb, read_corpus(DEFAULT_CORPUS_DIR))
    assert report.cases >= 60 and report.bodies >= 30
    assert set(report.nations) == {"england", "wales", "scotland", "northern_ireland"}
    assert not [outcome.case for outcome in report.outcomes if outcome.problem], "every case can be assessed"
    assert report.unreasoned == []
    assert report.level_agreement >= 0.80
    assert report.recall >= 0.85 and report.precision >= 0.75


def test_a_case_whose_groups_were_not_seen_counts_for_the_level_only(kb: KnowledgeBase, corpus: Path) -> None:
    before = calibrate_corpus(kb, read_corpus(corpus))
    _case(corpus, "e-table-row", "day-centre-closure.yaml", "full_assessment", [], concluded={"groups_seen": False})
    after = calibrate_corpus(kb, read_corpus(corpus))
    assert after.sound_cases == before.sound_cases + 1
    assert (after.precision, after.recall, after.per_characteristic) == (
        before.precision,
        before.recall,
        before.per_characteristic,
    )
