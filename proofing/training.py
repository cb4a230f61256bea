"""Training: worked cases that teach staff what cohesion impacts look like, scored against the rule base.

A worked case (``rules/training/*.yaml``) is a scenario card in plain words, the plan's answers, the learning
points, and what the rule base finds (the level, the main impacts and the groups they name). A trainee reads the
card, predicts, and the round is scored against what an officer would have seen: impacts found, missed and
over-called, each with the rule's rationale, the answers that led to it and the strategy action a mitigation
draws on. ``proofing rules check`` keeps every card true to the rules: a card whose impacts the rules no longer
find fails with its FILE:LINE, so training never teaches what the tool no longer says.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import datetime

import docx
from docx.shared import Pt
from pydantic import Field

from proofing import safe_text
from proofing.assessment import Assessment, Finding, assess
from proofing.base import Strict
from proofing.cards import TrainingCase
from proofing.knowledge import KnowledgeBase
from proofing.questionnaire import Level
from proofing.store import TrainingRound


class Prediction(Strict):
    """A trainee's prediction for a card: the level, the groups affected and the main impacts (rule ids chosen
    from the list offered), and their own words."""

    level: Level | None = None
    groups: list[str] = []
    impacts: list[str] = []
    words: str = ""


class Reveal(Strict):
    """One impact in the reveal: what the rules found, or the trainee called, and why."""

    rule: str
    title: str
    outcome: str = Field(description="found, missed or over-called")
    rationale: str
    because: list[str]
    actions: list[str] = Field(description="the strategy actions its mitigations draw on, with their words")


class RoundResult(Strict):
    """A trainee's round: each impact found, missed or over-called, whether the level and groups were right, and a
    score out of 100."""

    case: str
    level_right: bool
    level_expected: Level
    groups_found: list[str]
    groups_missed: list[str]
    groups_over_called: list[str]
    reveals: list[Reveal]
    score: int
    impact_points: int = Field(default=0, description="of 60: main impacts found, less those over-called")
    group_points: int = Field(default=0, description="of 25: the groups right, out of all named or expected")
    level_points: int = Field(default=0, description="of 15: the screening level right")


def impacts_offered(kb: KnowledgeBase, case: TrainingCase) -> list[tuple[str, str]]:
    """The impacts a trainee chooses from for a card: the card's own among others of the same kind, by title.

    Every negative or positive finding rule is offered, so the list gives nothing away.
    """
    return [(rule.id, rule.title) for rule in kb.rules if rule.finding]


def score_round(kb: KnowledgeBase, case: TrainingCase, prediction: Prediction) -> RoundResult:
    """Score a trainee's prediction against what the rule base finds for the card's plan.

    The score weighs the impacts most (60), then the groups (25) and the level (15); an impact over-called costs
    as much as one missed, so guessing everything scores no better than guessing nothing.
    """
    assessment = assess(kb, case.plan, case.id)
    by_rule = {finding.rule: finding for finding in assessment.findings}
    taught = [rule for rule in case.expect.impacts if rule in by_rule]
    titles = {rule.id: rule.title for rule in kb.rules}
    reveals: list[Reveal] = []
    for rule in taught:
        outcome = "found" if rule in prediction.impacts else "missed"
        reveals.append(_reveal(kb, by_rule[rule], outcome))
    for rule in prediction.impacts:
        if rule not in taught:
            finding = by_rule.get(rule)
            if finding is not None:  # found by the rules, but not one of the card's main impacts
                reveals.append(_reveal(kb, finding, "over-called"))
            else:
                reveals.append(
                    Reveal(
                        rule=rule,
                        title=titles.get(rule, rule),
                        outcome="over-called",
                        rationale="The rules do not find this impact for this plan.",
                        because=[],
                        actions=[],
                    )
                )
    found = sum(1 for reveal in reveals if reveal.outcome == "found")
    over_called = sum(1 for reveal in reveals if reveal.outcome == "over-called")
    impact_score = max(0.0, (found - over_called) / len(taught)) if taught else 0.0
    expected_groups = set(case.expect.groups) or _groups(assessment, taught)
    predicted_groups = set(prediction.groups)
    group_hits = expected_groups & predicted_groups
    group_score = len(group_hits) / len(expected_groups | predicted_groups) if expected_groups else 1.0
    level_right = prediction.level == case.expect.level
    parts = (round(60 * impact_score), round(25 * group_score), 15 if level_right else 0)
    score = sum(parts)  # the parts the page shows add up to the score
    return RoundResult(
        case=case.id,
        level_right=level_right,
        level_expected=case.expect.level,
        groups_found=sorted(group_hits),
        groups_missed=sorted(expected_groups - predicted_groups),
        groups_over_called=sorted(predicted_groups - expected_groups),
        reveals=reveals,
        score=min(100, max(0, score)),
        impact_points=parts[0],
        group_points=parts[1],
        level_points=parts[2],
    )


def outcomes(result: RoundResult) -> dict[str, list[str]]:
    """The rule ids of a round's reveals by outcome ("found", "missed", "over-called"), as the store keeps them."""
    kept: dict[str, list[str]] = {"found": [], "missed": [], "over-called": []}
    for reveal in result.reveals:
        kept[reveal.outcome].append(reveal.rule)
    return kept


class MissedImpact(Strict):
    """One impact trainees missed: in which case (or which service or organisation), how often, out of how many."""

    within: str = Field(description="the case id, or the service or partner organisation")
    rule: str
    title: str
    missed: int
    rounds: int


class Delivered(Strict):
    """Training delivered, the strategy's measure: rounds completed and people trained, by organisation and quarter."""

    quarter: str = Field(description="e.g. 2026 Q4")
    organisation: str
    rounds: int
    people: int


def quarter(when: datetime) -> str:
    """The calendar quarter a moment falls in, as the strategy reports it.

    Examples:
        >>> quarter(datetime(2026, 12, 1))
        '2026 Q4'
    """
    return f"{when.year} Q{(when.month - 1) // 3 + 1}"


def most_missed(kb: KnowledgeBase, rounds: Iterable[TrainingRound], *, by: str = "case") -> list[MissedImpact]:
    """The impacts most often missed, per case (`by` "case"), per group the impacts affect ("group", by the
    group's name), or per service or organisation ("organisation").

    Within each case or organisation the most-missed come first; an impact never missed is not listed.
    """
    titles = {rule.id: rule.title for rule in kb.rules}
    counted: dict[str, Counter[str]] = defaultdict(Counter)
    totals: Counter[str] = Counter()
    for kept in rounds:
        if by == "group":  # the groups (characteristics, communities) each missed impact names on that card
            named = _impact_groups(kb, kept.case)
            for group in {g for rule in kept.missed for g in named.get(rule, [])}:
                totals[group] += 1
                counted[group].update(rule for rule in kept.missed if group in named.get(rule, []))
            continue
        within = kept.case if by == "case" else kept.organisation
        totals[within] += 1
        counted[within].update(kept.missed)
    return [
        MissedImpact(within=within, rule=rule, title=titles.get(rule, rule), missed=times, rounds=totals[within])
        for within in sorted(counted)
        for rule, times in sorted(counted[within].items(), key=lambda item: (-item[1], item[0]))
    ]


def _impact_groups(kb: KnowledgeBase, case_id: str) -> dict[str, list[str]]:
    """For one card: each impact the rules find for its plan, with the names of the groups it affects."""
    if case_id not in _GROUPS_OF_CASE:
        names = {c.id: c.name for c in kb.characteristics} | {c.id: c.name for c in kb.communities}
        case = next((card for card in kb.training if card.id == case_id), None)
        found = assess(kb, case.plan, case.id).findings if case is not None else []
        _GROUPS_OF_CASE[case_id] = {f.rule: [names.get(g, g) for g in f.characteristics + f.communities] for f in found}
    return _GROUPS_OF_CASE[case_id]


_GROUPS_OF_CASE: dict[str, dict[str, list[str]]] = {}


def delivered(rounds: Iterable[TrainingRound]) -> list[Delivered]:
    """Rounds completed and people trained (distinct trainees), by quarter (oldest first) and organisation."""
    people: dict[tuple[str, str], set[str]] = defaultdict(set)
    counts: Counter[tuple[str, str]] = Counter()
    for kept in rounds:
        key = (quarter(kept.at), kept.organisation)
        counts[key] += 1
        people[key].add(kept.subject)
    return [
        Delivered(quarter=key[0], organisation=key[1], rounds=counts[key], people=len(people[key]))
        for key in sorted(counts)
    ]


def rounds_csv(kb: KnowledgeBase, rounds: Iterable[TrainingRound]) -> str:
    """Every round as CSV, one row each, impacts by title: for a trainer's own analysis or the strategy's returns.

    A cell that a spreadsheet would run as a formula (starting =, +, - or @) is prefixed with an apostrophe.
    """
    titles = {rule.id: rule.title for rule in kb.rules}
    cases = {case.id: case.title for case in kb.training}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "When (UTC)",
            "Quarter",
            "Trainee",
            "Service or organisation",
            "Case",
            "Score",
            "Found",
            "Missed",
            "Over-called",
        ]
    )
    for kept in rounds:
        writer.writerow(
            [
                safe_text.cell(value)
                for value in (
                    f"{kept.at:%Y-%m-%d %H:%M}",
                    quarter(kept.at),
                    kept.who,
                    kept.organisation,
                    cases.get(kept.case, kept.case),
                    str(kept.score),
                    "; ".join(titles.get(rule, rule) for rule in kept.found),
                    "; ".join(titles.get(rule, rule) for rule in kept.missed),
                    "; ".join(titles.get(rule, rule) for rule in kept.over_called),
                )
            ]
        )
    return out.getvalue()


def certificate(kb: KnowledgeBase, rounds: list[TrainingRound]) -> bytes:
    """A plain, printable Word certificate of completion for one trainee: their name and organisation, each case
    completed with the date and score (their best round of it), and the date of the latest.

    `rounds` are that one trainee's rounds; a certificate needs at least one.
    """
    if not rounds:
        raise ValueError("a certificate needs at least one completed case")
    cases = {case.id: case.title for case in kb.training}
    best: dict[str, TrainingRound] = {}
    for kept in rounds:
        if kept.case not in best or kept.score > best[kept.case].score:
            best[kept.case] = kept
    latest = max(kept.at for kept in rounds)
    document = docx.Document()
    document.core_properties.title = "Certificate of completion: cohesion proofing training"
    document.add_heading("Certificate of completion", level=0)
    intro = document.add_paragraph("This certifies that ")
    intro.add_run(rounds[-1].who).bold = True
    intro.add_run(f", of {rounds[-1].organisation}, completed cohesion proofing training: ")
    intro.add_run("worked cases that teach what cohesion and equality impacts look like.")
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, words in zip(table.rows[0].cells, ("Case completed", "Date", "Score"), strict=True):
        cell.text = words
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for case_id, kept in best.items():
        row = table.add_row().cells
        row[0].text = cases.get(case_id, case_id)
        row[1].text = f"{kept.at:%d %B %Y}"
        row[2].text = f"{kept.score} of 100"
    closing = document.add_paragraph(f"Date: {latest:%d %B %Y}")
    closing.runs[0].font.size = Pt(12)
    document.add_paragraph(
        "Each case is scored against what the rule base finds for its plan: impacts found, missed and over-called, "
        "the groups affected and the screening level."
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _groups(assessment: Assessment, rules: list[str]) -> set[str]:
    return {g for f in assessment.findings if f.rule in rules for g in f.characteristics + f.communities}


def _reveal(kb: KnowledgeBase, finding: Finding, outcome: str) -> Reveal:
    return Reveal(
        rule=finding.rule,
        title=finding.title,
        outcome=outcome,
        rationale=finding.rationale,
        because=[f"{because.question_text} {because.answer_text}" for because in finding.because],
        actions=[f"{action.id}: {action.text}" for m in finding.mitigations for action in m.linked],
    )
