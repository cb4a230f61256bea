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

from pydantic import Field, model_validator

from proofing import safe_text
from proofing.access import LOCAL_USER
from proofing.assessment import Assessment, Finding, assess, build_assessment, fold_order
from proofing.base import Strict
from proofing.cards import TrainingCase
from proofing.engine import evaluate
from proofing.knowledge import KnowledgeBase
from proofing.language import Translator, translator
from proofing.oracle import Firing
from proofing.plan import usable_answers
from proofing.questionnaire import Level
from proofing.store import TrainingRound


class ScoringRule(Strict):
    """How a round is scored, stated once: the points the screening level, the main impacts and the groups carry
    (out of 100) and the pass mark. The page and the certificate say it in words (``scoring_words``).

    The parts are checked so the rule means what it says: getting the level and every main impact right is a pass
    whatever the groups; the level with the groups, or the impacts with the groups, is not; nor is any part alone.
    """

    pass_mark: int = Field(default=75, ge=1, le=100)
    level: int = Field(default=30, ge=0, description="the screening level right")
    impacts: int = Field(default=50, ge=0, description="the card's main impacts, shared equally among them")
    groups: int = Field(default=20, ge=0, description="the groups right, out of all named or expected")

    @model_validator(mode="after")
    def _means_what_it_says(self) -> ScoringRule:
        if self.level + self.impacts + self.groups != 100:
            raise ValueError("the level, impacts and groups must add up to 100")
        if self.level + self.impacts < self.pass_mark:
            raise ValueError("the level and the main impacts right must reach the pass mark")
        if max(self.level + self.groups, self.impacts + self.groups) >= self.pass_mark:
            raise ValueError("the level or the impacts wrong must fall short of the pass mark")
        return self


SCORING = ScoringRule()
"""The one scoring rule every round is scored by."""


class Prediction(Strict):
    """A trainee's prediction for a card: the level, the groups affected and the main impacts (rule ids chosen
    from the list offered), their own words, and the name their certificate shows (when the sign-in gives none)."""

    level: Level | None = None
    groups: list[str] = []
    impacts: list[str] = []
    words: str = ""
    name: str = Field(default="", description="the trainee's name as they gave it, when the sign-in gives none")


class Reveal(Strict):
    """One impact in the reveal: what the rules found, or the trainee called, and why."""

    rule: str
    title: str
    outcome: str = Field(description="found, missed or over-called")
    main: bool = Field(default=True, description="one of the card's main impacts (the score counts only these)")
    part_of: str = Field(default="", description="the finding the rules fold it into, when they do")
    rationale: str
    because: list[str]
    actions: list[str] = Field(description="the strategy actions its mitigations draw on, with their words")


class RoundResult(Strict):
    """A trainee's round: each impact found, missed or over-called, whether the level and groups were right, and a
    score out of 100 by the scoring rule (``SCORING``), with whether it passes."""

    case: str
    level_right: bool
    level_expected: Level
    groups_found: list[str]
    groups_missed: list[str]
    groups_over_called: list[str]
    reveals: list[Reveal]
    score: int
    passed: bool = False
    pass_mark: int = SCORING.pass_mark
    impact_points: int = Field(default=0, description="main impacts found, less those over-called")
    group_points: int = Field(default=0, description="the groups right, out of all named or expected")
    level_points: int = Field(default=0, description="the screening level right")


def impacts_offered(kb: KnowledgeBase, case: TrainingCase) -> list[tuple[str, str]]:
    """The impacts a trainee chooses from for a card, by title: every negative or positive finding rule, so the
    list gives nothing away (``impact_themes`` groups them for the page)."""
    return [(rule.id, rule.title) for rule in kb.rules if rule.finding]


class ImpactTheme(Strict):
    """One theme of the impact picker: its name in words, and its impacts as (rule id, title), in rule-base order."""

    key: str
    name: str
    impacts: list[tuple[str, str]]


THEME_OF_PREFIX = {
    "access": "access",
    "facilities": "access",
    "cohesion": "cohesion",
    "tension": "tension",
    "enforcement": "tension",
    "language": "language",
    "learning": "language",
    "community": "communities",
    "provision": "communities",
    "eligibility": "qualifying",
    "requirement": "qualifying",
    "practice": "staff",
    "employment": "staff",
    "positive": "positive",
}
"""The theme of a finding rule, by the first word of its id (as the rule files name them: access_, cohesion_, ...).
A rule of another prefix (a council's own) goes under "Other impacts"."""


def theme_names(say: Translator | None = None) -> dict[str, str]:
    """Each theme of the impact picker in words, in the order the picker shows them."""
    say = say or translator("en")
    return {
        "access": say._("Getting to and using services"),
        "cohesion": say._("Bringing people together, or keeping them apart"),
        "tension": say._("Tension, myths, hate crime and enforcement"),
        "language": say._("Welsh, English and community languages"),
        "communities": say._("Particular communities, and provision made for them"),
        "qualifying": say._("Who qualifies, and what people must have or meet"),
        "staff": say._("Staff and jobs"),
        "positive": say._("Good measures the strategy asks for"),
        "other": say._("Other impacts"),
    }


def impact_themes(kb: KnowledgeBase, case: TrainingCase, say: Translator | None = None) -> list[ImpactTheme]:
    """The impacts offered for a card (``impacts_offered``), grouped by theme for a shorter picker: a few groups,
    each named in words, in the order ``theme_names`` gives; a theme with no impact is left out. Every impact is in
    exactly one theme."""
    names = theme_names(say)
    grouped: dict[str, list[tuple[str, str]]] = {key: [] for key in names}
    for rule_id, title in impacts_offered(kb, case):
        grouped[THEME_OF_PREFIX.get(rule_id.split("_", 1)[0], "other")].append((rule_id, title))
    return [ImpactTheme(key=key, name=names[key], impacts=members) for key, members in grouped.items() if members]


def passes(score: int, rule: ScoringRule = SCORING) -> bool:
    """Whether a round's score reaches the pass mark."""
    return score >= rule.pass_mark


def scoring_words(case: TrainingCase, say: Translator | None = None, rule: ScoringRule = SCORING) -> str:
    """The scoring rule in words, for this card (how much each of its main impacts counts), in `say`'s language.

    Examples:
        >>> from proofing.knowledge import load_knowledge
        >>> card = next(c for c in load_knowledge().training if len(c.expect.impacts) == 2)
        >>> scoring_words(card).split(". ")[0]
        'The pass mark is 75 of 100'
    """
    say = say or translator("en")
    count = len(case.expect.impacts)
    each = rule.impacts / count
    return say._(
        "The pass mark is {pass_mark} of 100. The screening level counts {level}; the main impacts count "
        "{impacts} between them, {each} for each of this case's {count}; the groups affected count {groups}, "
        "by how many you name right out of all you name or should have named. Each impact you name that the rules "
        "do not find for this plan cancels one main impact found. So the level and the main impacts right is a "
        "pass, whatever the groups.",
        pass_mark=rule.pass_mark,
        level=rule.level,
        impacts=rule.impacts,
        each=say.number(round(each, 1)),
        count=say.number(count),
        groups=rule.groups,
    )


def score_round(
    kb: KnowledgeBase, case: TrainingCase, prediction: Prediction, rule: ScoringRule = SCORING
) -> RoundResult:
    """Score a trainee's prediction against what the rule base finds for the card's plan, by the scoring rule.

    An impact the rules find for the plan is never over-called: one of the card's main impacts counts as found,
    and any other (one its learning points name, or one the rules fold into a wider finding) is found too, though
    only the main impacts add to the score. Over-called means the rules do not find it at all; each one cancels a
    main impact found, so guessing everything scores no better than guessing nothing.
    """
    checked = usable_answers(kb.questionnaire, case.plan, case.id)
    firing = evaluate(kb, checked.answers)
    assessment = build_assessment(kb, case.plan, checked.answers, firing, checked.warnings)
    by_rule = {finding.rule: finding for finding in assessment.findings}
    folded = _folded_into(kb, firing)
    taught = [rule_id for rule_id in case.expect.impacts if rule_id in by_rule]
    rules = {known.id: known for known in kb.rules}
    reveals: list[Reveal] = []
    for rule_id in taught:
        outcome = "found" if rule_id in prediction.impacts else "missed"
        reveals.append(_reveal(kb, by_rule[rule_id], outcome))
    for rule_id in dict.fromkeys(prediction.impacts):
        if rule_id in taught:
            continue
        if rule_id in by_rule:  # found by the rules, though not one of the card's main impacts
            reveals.append(_reveal(kb, by_rule[rule_id], "found", main=False))
        elif rule_id in folded and (known := rules.get(rule_id)) is not None and known.finding is not None:
            host = by_rule[folded[rule_id]]  # found, and read as part of a wider finding
            reveals.append(
                _reveal(kb, host, "found", main=False).model_copy(
                    update={"rule": rule_id, "title": known.title, "part_of": host.title}
                )
            )
        else:
            known = rules.get(rule_id)
            reveals.append(
                Reveal(
                    rule=rule_id,
                    title=known.title if known is not None else rule_id,
                    outcome="over-called",
                    main=False,
                    rationale="The rules do not find this impact for this plan.",
                    because=[],
                    actions=[],
                )
            )
    found = sum(1 for reveal in reveals if reveal.outcome == "found" and reveal.main)
    over_called = sum(1 for reveal in reveals if reveal.outcome == "over-called")
    impact_share = max(0.0, (found - over_called) / len(taught)) if taught else 0.0
    expected_groups = set(case.expect.groups) or _groups(assessment, taught)
    predicted_groups = set(prediction.groups)
    group_hits = expected_groups & predicted_groups
    group_share = len(group_hits) / len(expected_groups | predicted_groups) if expected_groups else 1.0
    level_right = prediction.level == case.expect.level
    parts = (round(rule.impacts * impact_share), round(rule.groups * group_share), rule.level if level_right else 0)
    score = min(100, max(0, sum(parts)))  # the parts the page shows add up to the score
    return RoundResult(
        case=case.id,
        level_right=level_right,
        level_expected=case.expect.level,
        groups_found=sorted(group_hits),
        groups_missed=sorted(expected_groups - predicted_groups),
        groups_over_called=sorted(predicted_groups - expected_groups),
        reveals=reveals,
        score=score,
        passed=passes(score, rule),
        pass_mark=rule.pass_mark,
        impact_points=parts[0],
        group_points=parts[1],
        level_points=parts[2],
    )


def _folded_into(kb: KnowledgeBase, firing: Firing) -> dict[str, str]:
    """Each finding rule that fires for a plan but is folded into another (``covers``), with the finding it
    ends up in: a chain (a into b into c) ends at c, the finding the plan's assessment shows."""
    rules = {rule.id: rule for rule in kb.rules}
    fired = [rule_id for rule_id in firing.findings if rules[rule_id].finding]
    into = {covered: host for host, covered in fold_order(kb, fired)}
    ends: dict[str, str] = {}
    for covered in into:
        host = into[covered]
        while host in into:
            host = into[host]
        ends[covered] = host
    return ends


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


PLACEHOLDER_NAMES = frozenset({LOCAL_USER.name.casefold(), ""})
"""Names a sign-in gives that are no one's: local mode's one user, or none at all."""


def needs_name(name: str | None) -> bool:
    """Whether a name cannot go on a certificate as it is: missing, blank, or local mode's "Local user".

    Examples:
        >>> needs_name("Local user"), needs_name("  "), needs_name("A trainee")
        (True, True, False)
    """
    return (name or "").strip().casefold() in PLACEHOLDER_NAMES


def trainee_name(rounds: Iterable[TrainingRound]) -> str:
    """The name a trainee's certificate shows: the latest they gave on the Training page, else their sign-in name;
    empty when neither names anyone (the page then asks)."""
    kept = list(rounds)
    for round_ in reversed(kept):
        given = str(round_.prediction.get("name", "") or "").strip()
        if not needs_name(given):
            return given
    return next((round_.who.strip() for round_ in reversed(kept) if not needs_name(round_.who)), "")


def trainees(rounds: Iterable[TrainingRound]) -> dict[str, str]:
    """Each trainee (by sign-in subject, in the order first seen) with the name to show: the name they gave, else
    their sign-in name as the round keeps it."""
    kept = list(rounds)
    subjects = dict.fromkeys(round_.subject for round_ in kept)
    shown: dict[str, str] = {}
    for subject in subjects:
        theirs = [round_ for round_ in kept if round_.subject == subject]
        shown[subject] = trainee_name(theirs) or theirs[-1].who
    return shown


def rounds_csv(kb: KnowledgeBase, rounds: Iterable[TrainingRound]) -> str:
    """Every round as CSV, one row each, impacts by title: for a trainer's own analysis or the strategy's returns.

    A cell that a spreadsheet would run as a formula (starting =, +, - or @) is prefixed with an apostrophe.
    """
    titles = {rule.id: rule.title for rule in kb.rules}
    cases = {case.id: case.title for case in kb.training}
    rounds = list(rounds)
    shown = trainees(rounds)
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
                    shown[kept.subject],
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


def _groups(assessment: Assessment, rules: list[str]) -> set[str]:
    return {g for f in assessment.findings if f.rule in rules for g in f.characteristics + f.communities}


def _reveal(kb: KnowledgeBase, finding: Finding, outcome: str, *, main: bool = True) -> Reveal:
    return Reveal(
        rule=finding.rule,
        title=finding.title,
        outcome=outcome,
        main=main,
        rationale=finding.rationale,
        because=[f"{because.question_text} {because.answer_text}" for because in finding.because],
        actions=[f"{action.id}: {action.text}" for m in finding.mitigations for action in m.linked],
    )
