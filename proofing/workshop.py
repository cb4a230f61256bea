"""The EIA workshop: many people score one draft on their own, see where they disagree, and agree a view.

The strategy's own Equality Impact Assessment was made in a workshop of the Community Cohesion Co-ordination
Group, and what it found amended the draft. This module is that workshop's reasoning, with no database and no
page: what a participant may say about a finding (``ParticipantScore``) or an impact the rules missed
(``MissedImpact``), how far apart the room is on each finding (``spreads``, sorted by disagreement), which missed
impacts name the same groups (``missed_groups``), what the room then agreed (``Consensus``) as decision notes a
version keeps (``agreement_notes``), and the workshop's part of the Word record (``WorkshopRecord``).

Independent estimates come first, as in planning poker: nobody sees another's scores until the facilitator
reveals them, so the first loud voice does not anchor the room (``proofing.workshop_store`` enforces it); nor the
rules' own score, which the pages show only after the reveal.

A finding keeps one number from opening to record (``Workshop.numbers``: its place in the snapshot), whatever
order a page shows it in, so "number 2" is one finding on every screen and in the record. Every comment a
participant writes is a view to hear (``FindingSpread.to_hear``), not only those of the people who stand apart.

Scores are the rules' own scale: likelihood and severity from 1 to 5, a finding's score their product (1-25).
"""

from __future__ import annotations

import math
import os
import secrets
import statistics
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from proofing import vocabulary
from proofing.assessment import Assessment
from proofing.base import Strict
from proofing.decisions import AddedImpact, AgreedFinding, DecisionNotes
from proofing.knowledge import KnowledgeBase

Stage = Literal["scoring", "revealed", "finalised"]
STAGE_WORDS: dict[str, str] = vocabulary.STAGE_WORDS  # their one home; the faces word them
Verdict = Literal["agree", "disagree", "unsure"]
VERDICTS: tuple[Verdict, ...] = ("agree", "disagree", "unsure")
VERDICT_WORDS: dict[str, str] = vocabulary.VERDICT_WORDS
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: a code read off a projector is typed right
CODE_LENGTH = 8  # 32 symbols: 5 bits each, 40 bits in all (a trillion codes; guessing is rate-limited too)
CODE_HOURS_DEFAULT = 24.0  # a join code answers for this long after the workshop opens (PROOFING_JOIN_CODE_HOURS)
OUTLIER_DISTANCE = 5  # points of 25 from the room's middle score that make a participant's view one to hear
MISSED_PREFIX = "missed:"  # a consensus about a missed impact is kept under this prefix and the impact's id

ScoreValue = Annotated[int, Field(ge=1, le=5)]
Comment = Annotated[str, Field(max_length=2_000)]


def new_code() -> str:
    """A join code to read off a projector: eight letters and digits that cannot be mistaken for each other (40
    bits: guessing one takes a trillion tries, and joining allows five wrong ones a minute)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def shown_code(code: str) -> str:
    """A join code as it is shown, in two halves: "K7P3-QX9A".

    Examples:
        >>> shown_code("K7P3QX9A")
        'K7P3-QX9A'
    """
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def code_lifetime() -> timedelta:
    """How long a join code answers after its workshop opens: PROOFING_JOIN_CODE_HOURS (hours, e.g. 8 or 0.5),
    else CODE_HOURS_DEFAULT. A value that is not a positive number is ignored (the default is used)."""
    given = os.environ.get("PROOFING_JOIN_CODE_HOURS", "")
    try:
        hours = float(given)
    except ValueError:
        hours = CODE_HOURS_DEFAULT
    if not math.isfinite(hours) or hours <= 0:
        hours = CODE_HOURS_DEFAULT
    return timedelta(hours=min(hours, 24 * 365))


def typed_code(text: str) -> str:
    """A join code as someone typed it, made comparable: capitals, without spaces or dashes.

    Examples:
        >>> typed_code(" k7p-3qx ")
        'K7P3QX'
    """
    return "".join(character for character in text.upper() if character.isalnum())


class WorkshopFinding(Strict):
    """One of the rules' findings as the workshop scores it: a snapshot taken when the workshop opened."""

    rule: str
    title: str
    direction: Literal["negative", "positive"]
    likelihood: int
    severity: int
    groups: list[str] = Field(description="the groups it names, in words")

    @property
    def score(self) -> int:
        """The rules' score: likelihood times severity."""
        return self.likelihood * self.severity


def numbered(findings: Sequence[WorkshopFinding]) -> dict[str, int]:
    """The findings' numbers by rule id: their order in the workshop's snapshot, from 1 (the first of a rule that
    appears twice keeps its number).

    Examples:
        >>> f = [WorkshopFinding(rule=r, title=r, direction="negative", likelihood=1, severity=1, groups=[])
        ...      for r in ("b", "a")]
        >>> numbered(f)
        {'b': 1, 'a': 2}
    """
    numbers: dict[str, int] = {}
    for number, finding in enumerate(findings, start=1):
        numbers.setdefault(finding.rule, number)
    return numbers


def snapshot(kb: KnowledgeBase, assessment: Assessment) -> list[WorkshopFinding]:
    """The findings a workshop on `assessment` scores, with the groups each names in words."""
    names = {c.id: c.name for c in kb.characteristics} | {c.id: c.name for c in kb.communities}
    return [
        WorkshopFinding(
            rule=finding.rule,
            title=finding.title,
            direction=finding.direction,
            likelihood=finding.likelihood,
            severity=finding.severity,
            groups=[names.get(group, group) for group in finding.characteristics + finding.communities],
        )
        for finding in assessment.findings
    ]


class Workshop(BaseModel):
    """One workshop on one version of a draft assessment, as the store keeps it."""

    model_config = ConfigDict(frozen=True)

    id: str
    code: str
    assessment_id: str
    version: int = Field(description="the version of the assessment the room scores")
    title: str
    facilitator: str
    facilitator_subject: str
    stage: Stage
    opened_at: datetime
    revealed_at: datetime | None = None
    finalised_at: datetime | None = None
    finalised_version: int | None = None
    findings: list[WorkshopFinding]
    revision: int = Field(default=0, description="raised by every change of stage; a stage change names it")

    def code_expired(self, now: datetime) -> bool:
        """Whether its join code no longer answers: the workshop is finalised, or opened longer ago than
        ``code_lifetime()``."""
        return self.stage == "finalised" or now - self.opened_at > code_lifetime()

    @property
    def takes_new_participants(self) -> bool:
        """Whether someone new may join: only while scoring (after the reveal, a newcomer's view is not independent
        and they would see the plan without having scored it)."""
        return self.stage == "scoring"

    @property
    def stage_words(self) -> str:
        """Where the workshop is, in a sentence."""
        return STAGE_WORDS[self.stage]

    @property
    def numbers(self) -> dict[str, int]:
        """Each finding's number, by its rule id: its place in the snapshot taken at opening, from 1.

        The number is the finding's name in the room from opening to record: the participants' pages, the
        facilitator's (whatever order it shows them in) and the record's workshop section all say "2" for the same
        finding."""
        return numbered(self.findings)


class Participant(BaseModel):
    """Someone who joined a workshop: their name, their service or partner organisation, and how far they are."""

    model_config = ConfigDict(frozen=True)

    key: str = Field(description="their sign-in subject; in local mode, a token of the browser that joined")
    name: str
    organisation: str
    joined_at: datetime
    finished_at: datetime | None = None
    scored: int = 0

    @property
    def described(self) -> str:
        """The participant as the record names them: "Name (Organisation)"."""
        return f"{self.name} ({self.organisation})"


class ParticipantScore(Strict):
    """What one participant says about one finding: agree or not, their own likelihood and severity, a comment."""

    finding: str = Field(min_length=1, max_length=200)
    verdict: Verdict
    likelihood: ScoreValue
    severity: ScoreValue
    comment: Comment = ""

    @property
    def score(self) -> int:
        """Their score: likelihood times severity."""
        return self.likelihood * self.severity


class StoredScore(BaseModel):
    """A participant's score as the facilitator sees it after the reveal: with who gave it."""

    model_config = ConfigDict(frozen=True)

    participant: str
    name: str
    organisation: str
    finding: str
    verdict: Verdict
    likelihood: int
    severity: int
    comment: str
    saved_at: datetime

    @property
    def score(self) -> int:
        """Their score: likelihood times severity."""
        return self.likelihood * self.severity


class MissedImpact(Strict):
    """An impact a participant thinks the rules missed: which groups, why, and how likely and serious."""

    title: str = Field(min_length=1, max_length=500)
    groups: list[str] = Field(min_length=1, description="characteristic and community ids")
    reason: str = Field(min_length=1, max_length=5_000)
    likelihood: ScoreValue
    severity: ScoreValue
    direction: Literal["negative", "positive"] = "negative"

    @field_validator("title", "reason")
    @classmethod
    def _words(cls, value: str) -> str:
        words = " ".join(value.split())
        if not words:
            raise ValueError("say it in words")
        return words


class StoredMissed(BaseModel):
    """A missed impact as the store keeps it: who raised it and when."""

    model_config = ConfigDict(frozen=True)

    id: int
    participant: str
    name: str
    organisation: str
    title: str
    groups: list[str]
    reason: str
    likelihood: int
    severity: int
    direction: Literal["negative", "positive"] = "negative"
    added_at: datetime


class Consensus(Strict):
    """What the room agreed about one finding (or one missed impact): its likelihood and severity, and whether it
    stays (for a missed impact: is accepted as a finding), with the room's reason."""

    likelihood: ScoreValue
    severity: ScoreValue
    keep: bool = True
    note: Comment = ""


class StoredConsensus(BaseModel):
    """An agreement as the store keeps it: with its revision (an edit names it, so a stale edit is refused)."""

    model_config = ConfigDict(frozen=True)

    key: str = Field(description="the finding's rule id, or MISSED_PREFIX and the missed impact's id")
    likelihood: int
    severity: int
    keep: bool
    note: str
    revision: int
    by: str
    at: datetime


class HeardView(BaseModel):
    """One participant's view of a finding the facilitator should hear: why it is one to hear (far from the room's
    middle, a minority verdict, or simply a comment they wrote), with their score and comment."""

    model_config = ConfigDict(frozen=True)

    score: StoredScore
    apart: bool = Field(description="at least OUTLIER_DISTANCE from the room's middle score")
    minority: bool = Field(description="a verdict fewer than half the room gave")

    @property
    def outlier(self) -> bool:
        """Whether the view stands apart from the room (far from its middle, or a minority verdict)."""
        return self.apart or self.minority


class FindingSpread(BaseModel):
    """How the room scored one finding against the rules: everyone's scores, their range and who stands apart."""

    model_config = ConfigDict(frozen=True)

    number: int = Field(description="the finding's number in the workshop, from opening (Workshop.numbers)")
    finding: WorkshopFinding
    scores: list[StoredScore]
    low: int | None
    middle: float | None = Field(description="the median of the room's scores")
    high: int | None
    verdicts: dict[Verdict, int]
    disagreement: float = Field(description="the room's range plus how far its middle is from the rules' score")
    outliers: list[StoredScore] = Field(description="scores far from the room's middle, or a minority verdict")
    to_hear: list[HeardView] = Field(
        default=[],
        description="every view with a comment, and every outlier: the outliers first (farthest from the middle "
        "first), then the other comments in the order of the scores",
    )


def spreads(findings: Sequence[WorkshopFinding], scores: Iterable[StoredScore]) -> list[FindingSpread]:
    """Each finding's spread, the most disagreed about first (the facilitator starts the discussion there).

    Disagreement is the room's range (highest score minus lowest) plus how far the room's middle score is from
    the rules' score; a finding nobody scored comes last. An outlier is a score at least OUTLIER_DISTANCE points
    from the room's middle, or a verdict fewer than half the room gave. The views to hear are the outliers and
    every other view with a comment: a comment reaches the facilitator however close its score is to the room's.
    Each spread keeps the finding's number from opening (its place in `findings`), whatever order they come in.

    Examples:
        >>> from datetime import UTC
        >>> f = WorkshopFinding(rule="r", title="T", direction="negative", likelihood=4, severity=4, groups=[])
        >>> at = datetime(2026, 12, 1, tzinfo=UTC)
        >>> room = [StoredScore(participant=p, name=p, organisation="o", finding="r", verdict=v, likelihood=l,
        ...                     severity=s, comment="", saved_at=at)
        ...         for p, v, l, s in [("a", "agree", 4, 4), ("b", "agree", 4, 3), ("c", "disagree", 1, 2)]]
        >>> spread = spreads([f], room)[0]
        >>> spread.low, spread.middle, spread.high, spread.disagreement, [o.name for o in spread.outliers]
        (2, 12.0, 16, 18.0, ['c'])
    """
    by_finding: dict[str, list[StoredScore]] = {}
    for score in scores:
        by_finding.setdefault(score.finding, []).append(score)
    numbers = numbered(findings)
    result = []
    for finding in findings:
        room = sorted(by_finding.get(finding.rule, []), key=lambda s: (s.score, s.name, s.participant))
        verdicts: dict[Verdict, int] = {verdict: sum(s.verdict == verdict for s in room) for verdict in VERDICTS}
        if not room:
            result.append(
                FindingSpread(
                    number=numbers[finding.rule],
                    finding=finding,
                    scores=[],
                    low=None,
                    middle=None,
                    high=None,
                    verdicts=verdicts,
                    disagreement=-1.0,
                    outliers=[],
                )
            )
            continue
        values = [s.score for s in room]
        middle = float(statistics.median(values))
        low, high = min(values), max(values)
        heard = [
            HeardView(
                score=s, apart=abs(s.score - middle) >= OUTLIER_DISTANCE, minority=verdicts[s.verdict] * 2 < len(room)
            )
            for s in room
        ]
        outliers = [view.score for view in heard if view.outlier]
        to_hear = sorted(
            (view for view in heard if view.outlier or view.score.comment.strip()),
            key=lambda view: (not view.outlier, -abs(view.score.score - middle) if view.outlier else 0),
        )
        result.append(
            FindingSpread(
                number=numbers[finding.rule],
                finding=finding,
                scores=room,
                low=low,
                middle=middle,
                high=high,
                verdicts=verdicts,
                disagreement=float(high - low) + abs(middle - finding.score),
                outliers=outliers,
                to_hear=to_hear,
            )
        )
    result.sort(key=lambda spread: (-spread.disagreement, spread.number))
    return result


class MissedGroup(BaseModel):
    """Missed impacts that name the same groups, so the room considers them together."""

    model_config = ConfigDict(frozen=True)

    groups: list[str]
    names: list[str]
    impacts: list[StoredMissed]


def missed_groups(kb: KnowledgeBase, impacts: Iterable[StoredMissed]) -> list[MissedGroup]:
    """The missed impacts grouped by the groups they name, the most often raised first."""
    names = {c.id: c.name for c in kb.characteristics} | {c.id: c.name for c in kb.communities}
    grouped: dict[tuple[str, ...], list[StoredMissed]] = {}
    for impact in impacts:
        grouped.setdefault(tuple(sorted(impact.groups)), []).append(impact)
    result = [
        MissedGroup(groups=list(key), names=[names.get(group, group) for group in key], impacts=items)
        for key, items in grouped.items()
    ]
    result.sort(key=lambda group: (-len(group.impacts), group.names))
    return result


def unagreed(findings: Sequence[WorkshopFinding], consensus: dict[str, StoredConsensus]) -> list[WorkshopFinding]:
    """The findings the room has not yet agreed a view on (a workshop is finalised only when there are none)."""
    return [finding for finding in findings if finding.rule not in consensus]


def agreement_notes(
    workshop_id: str,
    consensus: dict[str, StoredConsensus],
    missed: Iterable[StoredMissed],
    earlier: DecisionNotes | None = None,
) -> DecisionNotes:
    """The decision notes of the version a finalised workshop makes: the notes it was based on (`earlier`), with
    the room's agreement about each finding and each missed impact it accepted in place of any earlier workshop's.

    Typed throughout: the agreed scores stay numbers and the flags booleans on their way to the stored version.
    """
    agreed: dict[str, AgreedFinding] = {}
    added: dict[str, AddedImpact] = {}
    impacts = {impact.id: impact for impact in missed}
    for key, entry in sorted(consensus.items()):
        if key.startswith(MISSED_PREFIX):
            impact = impacts.get(int(key.removeprefix(MISSED_PREFIX)))
            if impact is None or not entry.keep:
                continue
            reason = impact.reason if not entry.note else f"{impact.reason} (the workshop: {entry.note})"
            added[f"{workshop_id[:8]}-{impact.id}"] = AddedImpact(
                title=impact.title,
                groups=impact.groups,
                reason=reason,
                likelihood=entry.likelihood,
                severity=entry.severity,
                direction=impact.direction,
                workshop=workshop_id,
            )
            continue
        agreed[key] = AgreedFinding(
            likelihood=entry.likelihood, severity=entry.severity, keep=entry.keep, note=entry.note, workshop=workshop_id
        )
    return (earlier or DecisionNotes()).model_copy(update={"agreed": agreed, "added": added})


class FindingOutcome(Strict):
    """One finding in the workshop's record: the rules' scores, the room's spread, what was agreed, and dissent."""

    number: int = Field(default=0, description="its number at the workshop (0: a record written before numbers)")
    rule: str
    title: str
    rules_likelihood: int
    rules_severity: int
    scored_by: int
    low: int | None
    middle: float | None
    high: int | None
    agree: int
    disagree: int
    unsure: int
    agreed_likelihood: int | None
    agreed_severity: int | None
    kept: bool | None
    note: str = ""
    dissent: list[str] = []


class AddedOutcome(Strict):
    """A missed impact in the workshop's record: who raised it, and whether the room accepted it."""

    title: str
    groups: list[str]
    reason: str
    raised_by: str
    accepted: bool
    agreed_likelihood: int | None = None
    agreed_severity: int | None = None
    note: str = ""


class WorkshopPerson(Strict):
    """Someone who took part, as the record names them."""

    name: str
    organisation: str


class WorkshopRecord(Strict):
    """The workshop's part of the Word record: when, who took part, the spread, the agreement and dissent noted.

    It goes under "the steps taken to assess it" and "the information taken into account", which the Welsh
    specific duties ask a published assessment to set out.
    """

    id: str
    title: str
    held_on: str = Field(description="the date it opened, as ISO yyyy-mm-dd")
    facilitator: str
    stage: Stage
    version_scored: int
    finalised_version: int | None
    participants: list[WorkshopPerson] = Field(description="who took part, in the order they joined")
    findings: list[FindingOutcome]
    added: list[AddedOutcome]


def workshop_record(
    kb: KnowledgeBase,
    workshop: Workshop,
    participants: Sequence[Participant],
    scores: Iterable[StoredScore],
    missed: Iterable[StoredMissed],
    consensus: dict[str, StoredConsensus],
) -> WorkshopRecord:
    """What the record says of a workshop, from what the store holds of it.

    Dissent noted is each participant whose own score is at least OUTLIER_DISTANCE from the agreed one, or who
    disagreed with a finding the room kept (or agreed with one it dropped), with their comment.
    """
    names = {c.id: c.name for c in kb.characteristics} | {c.id: c.name for c in kb.communities}
    room = list(scores)
    findings = []
    for spread in sorted(spreads(workshop.findings, room), key=lambda s: s.number):
        agreed = consensus.get(spread.finding.rule)
        dissent = []
        if agreed is not None:
            agreed_score = agreed.likelihood * agreed.severity
            for score in spread.scores:
                apart = abs(score.score - agreed_score) >= OUTLIER_DISTANCE
                against = (score.verdict == "disagree" and agreed.keep) or (
                    score.verdict == "agree" and not agreed.keep
                )
                if apart or against:
                    said = f": {score.comment}" if score.comment else ""
                    dissent.append(
                        f"{score.name} ({score.organisation}) scored {score.score} (likelihood {score.likelihood}, "
                        f"severity {score.severity}) and said {VERDICT_WORDS[score.verdict].lower()}{said}"
                    )
        findings.append(
            FindingOutcome(
                number=spread.number,
                rule=spread.finding.rule,
                title=spread.finding.title,
                rules_likelihood=spread.finding.likelihood,
                rules_severity=spread.finding.severity,
                scored_by=len(spread.scores),
                low=spread.low,
                middle=spread.middle,
                high=spread.high,
                agree=spread.verdicts["agree"],
                disagree=spread.verdicts["disagree"],
                unsure=spread.verdicts["unsure"],
                agreed_likelihood=agreed.likelihood if agreed else None,
                agreed_severity=agreed.severity if agreed else None,
                kept=agreed.keep if agreed else None,
                note=agreed.note if agreed else "",
                dissent=dissent,
            )
        )
    added = []
    for impact in missed:
        agreed = consensus.get(f"{MISSED_PREFIX}{impact.id}")
        accepted = agreed is not None and agreed.keep
        added.append(
            AddedOutcome(
                title=impact.title,
                groups=[names.get(group, group) for group in impact.groups],
                reason=impact.reason,
                raised_by=f"{impact.name} ({impact.organisation})",
                accepted=accepted,
                agreed_likelihood=agreed.likelihood if accepted and agreed else None,
                agreed_severity=agreed.severity if accepted and agreed else None,
                note=agreed.note if agreed else "",
            )
        )
    return WorkshopRecord(
        id=workshop.id,
        title=workshop.title,
        held_on=workshop.opened_at.date().isoformat(),
        facilitator=workshop.facilitator,
        stage=workshop.stage,
        version_scored=workshop.version,
        finalised_version=workshop.finalised_version,
        participants=[WorkshopPerson(name=person.name, organisation=person.organisation) for person in participants],
        findings=findings,
        added=added,
    )
