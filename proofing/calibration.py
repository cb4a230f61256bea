"""Calibration: plans in words with what a seasoned equality officer expects, checked against the rule base.

Each case file (``tests/calibration/Cn.yaml``) holds a plan, answered as its manager honestly would, and the
officer's musts and must-nots as data. ``check_case`` says which of them fail; ``calibrate`` runs a folder of
cases and reports per case pass or fail, and the precision and recall of the groups the findings name against
the groups the officer expects to be named.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from proofing.assessment import Assessment, assess, named_groups
from proofing.knowledge import KnowledgeBase
from proofing.plan import Plan
from proofing.questionnaire import Level

DEFAULT_CASES_DIR = Path(__file__).resolve().parent.parent / "tests" / "calibration"


class Expectation(BaseModel):
    """What the officer expects. Each inner list of `negative_for` / `positive_for` / `cites` is "one of these"."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    levels: list[Level] = Field(min_length=1)
    max_negative_score: int | None = Field(default=None, description="no negative finding scores more than this")
    negative_for: list[list[str]] = []
    positive_for: list[list[str]] = []
    positive_indicators: list[list[str]] = []
    negative_rules_any: list[list[str]] = []
    cites: list[list[str]] = []
    gaps_for_questions: list[str] = []
    no_findings_name: list[str] = []
    only_named_communities: bool = False
    no_process_findings: bool = False
    groups: list[str] = Field(description="the groups the officer expects the findings to name (for precision/recall)")


class CalibrationCase(BaseModel):
    """One case: its id, the plan as its manager would answer, and the officer's expectation."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    case: str
    expect: Expectation
    plan: Plan


class CaseResult(BaseModel):
    """How one case fared: the failures in words (none when it passes) and the groups named."""

    case: str
    title: str
    level: str
    failures: list[str]
    named: list[str]
    expected: list[str]

    @property
    def passed(self) -> bool:
        """A case passes when every must holds and no must-not appears."""
        return not self.failures


class CalibrationReport(BaseModel):
    """Every case's result, and the precision and recall of the groups named across all cases."""

    results: list[CaseResult]
    precision: float
    recall: float

    @property
    def passed(self) -> int:
        """How many cases pass."""
        return sum(result.passed for result in self.results)


def read_case(path: Path) -> CalibrationCase:
    """Read a calibration case file."""
    return CalibrationCase.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def groups_named(assessment: Assessment) -> set[str]:
    """Every group some finding names."""
    return {group for finding in assessment.findings for group in finding.characteristics + finding.communities}


def check_case(kb: KnowledgeBase, case: CalibrationCase) -> CaseResult:
    """Assess the case's plan and list, in words, every must that fails and every must-not that appears."""
    assessment = assess(kb, case.plan, case.case)
    expect = case.expect
    failures: list[str] = []
    negatives = [f for f in assessment.findings if f.direction == "negative"]
    positives = [f for f in assessment.findings if f.direction == "positive"]
    if assessment.level not in expect.levels:
        failures.append(f"level is {assessment.level}, expected {' or '.join(expect.levels)}")
    if expect.max_negative_score is not None:
        for finding in negatives:
            if finding.score > expect.max_negative_score:
                limit = expect.max_negative_score
                failures.append(f"negative finding {finding.rule} scores {finding.score} (at most {limit})")
    wanted_groups = ((expect.negative_for, negatives, "negative"), (expect.positive_for, positives, "positive"))
    for wanted, found, words in wanted_groups:
        for any_of in wanted:
            if not any(set(any_of) & set(f.characteristics + f.communities) for f in found):
                failures.append(f"no {words} finding names any of {', '.join(any_of)}")
    for any_of in expect.positive_indicators:
        if not any(set(any_of) & set(f.indicators) for f in positives):
            failures.append(f"no positive finding bears on indicator {' or '.join(any_of)}")
    for any_of in expect.negative_rules_any:
        fired = {f.rule for f in negatives} | {title for f in negatives for title in f.consolidates}
        titles = {rule.id: rule.title for rule in kb.rules}
        if not any(rule in fired or titles.get(rule) in fired for rule in any_of):
            failures.append(f"none of the negative findings {', '.join(any_of)}")
    cited = {action for f in assessment.findings for m in f.mitigations for action in m.actions}
    for any_of in expect.cites:
        if not set(any_of) & cited:
            failures.append(f"no mitigation cites {' or '.join(any_of)}")
    gap_questions = {gap.question for gap in assessment.gaps if gap.kind == "unanswered"}
    for question in expect.gaps_for_questions:
        if question not in gap_questions:
            failures.append(f"the unanswered question {question} is not reported as a gap")
    for group in expect.no_findings_name:
        for finding in assessment.findings:
            if group in finding.characteristics + finding.communities:
                failures.append(f"finding {finding.rule} names {group}")
    if expect.only_named_communities:
        named = set(named_groups(kb, assessment.answers))
        for finding in assessment.findings:
            for community in finding.communities:
                if community not in named:
                    failures.append(f"finding {finding.rule} names {community}, which the plan did not name")
    if expect.no_process_findings:
        process = {q.id for q in kb.questionnaire.questions if q.process}
        for finding in assessment.findings:
            read = {because.question for because in finding.because} & process
            if read:
                failures.append(f"finding {finding.rule} rests on process answers ({', '.join(sorted(read))})")
    return CaseResult(
        case=case.case,
        title=case.plan.title,
        level=assessment.level,
        failures=failures,
        named=sorted(groups_named(assessment)),
        expected=sorted(expect.groups),
    )


def calibrate(kb: KnowledgeBase, folder: Path) -> CalibrationReport:
    """Run every case in the folder, in order of case number, and measure the groups named."""
    paths = sorted(folder.glob("C*.yaml"), key=lambda path: int("".join(ch for ch in path.stem if ch.isdigit()) or 0))
    results = [check_case(kb, read_case(path)) for path in paths]
    named = sum(len(result.named) for result in results)
    expected = sum(len(result.expected) for result in results)
    right = sum(len(set(result.named) & set(result.expected)) for result in results)
    return CalibrationReport(
        results=results,
        precision=right / named if named else 1.0,
        recall=right / expected if expected else 1.0,
    )


def report_as_text(report: CalibrationReport) -> str:
    """The calibration report as a person reads it: a line per case, its failures, and the two figures."""
    lines = []
    for result in report.results:
        lines.append(f"{result.case:4} {'pass' if result.passed else 'FAIL'}  {result.level:16} {result.title}")
        lines += [f"       - {failure}" for failure in result.failures]
    lines.append("")
    lines.append(f"{report.passed} of {len(report.results)} cases pass")
    lines.append(f"groups named: precision {report.precision:.2f}, recall {report.recall:.2f}")
    return "\n".join(lines) + "\n"
