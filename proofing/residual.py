"""Residual impact: how bad each negative finding is once the mitigations the service has put in hand are in place.

Every mitigation of a negative finding declares in the rule base what it does once in place (``Effect``: it
lowers the likelihood or the severity, by a number of steps or to a value, for a stated reason). ``residual``
applies the effects of the mitigations it counts to each finding in turn, and screens the plan again on the
residual scores with the same thresholds as the inherent screening.

**What counts** (``counted_status``): a mitigation that is done, or one accepted (or adapted) that has an owner
and a due date. An accepted mitigation nobody owns, or with no date, is an intention, not a mitigation in hand: it
is listed as waiting (``ResidualFinding.waiting``, with what it lacks) and moves nothing; a rejected or undecided
one moves nothing either. ``counting_words`` says so, and which were counted and why others were not, in the
reader's language: the page, the command line and the record all show this one computation and these words.

It works from an ``Assessment`` alone (each ``LinkedMitigation`` carries its effect) and the decisions kept per
``mitigation_key``. That every mitigation of a negative finding declares an effect is a rule base check
(``proofing.checks``). ``proofing.impact`` re-exports this module, where callers used to read it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Literal

from pydantic import Field

from proofing.assessment import Assessment, Finding
from proofing.base import Strict
from proofing.decisions import DecisionNotes, MitigationDecision, mitigation_key
from proofing.engine import evaluate
from proofing.knowledge import KnowledgeBase
from proofing.language import Translator
from proofing.questionnaire import Effect, Level
from proofing.screening import Rag, level_of_negatives, rag_of

Dimension = Literal["likelihood", "severity"]
IN_PLACE: tuple[str, ...] = ("accepted", "done")
"""The statuses that can put a mitigation in place: done, or accepted with an owner and a due date."""
Missing = Literal["owner", "due"]


class AppliedEffect(Strict):
    """One mitigation in place and what its declared effect did to its finding: the dimension it lowers, from
    what to what, and the rule base's reason. ``before == after`` when the finding was already as low."""

    key: str = Field(description="the mitigation's key (finding rule and place), as decisions are kept")
    text: str
    status: Literal["accepted", "done", "adapted"]
    lowers: Dimension
    by: int | None = None
    to: int | None = None
    before: int
    after: int
    reason: str


class UnscoredMitigation(Strict):
    """A mitigation in place that declares no effect (the service's own, or a rule base still being drafted):
    shown beside the residual so a reader sees it was taken up, but it does not move the score."""

    key: str
    text: str
    status: str
    own: bool = False


class WaitingMitigation(Strict):
    """A mitigation accepted (or adapted) that the residual does not count yet, because it has no owner or no due
    date: ``missing`` says which. Once both are given (or it is done) it counts."""

    key: str
    text: str
    status: Literal["accepted", "adapted"]
    missing: list[Missing]
    own: bool = False


class ResidualFinding(Strict):
    """One negative finding before and after its mitigations: the inherent likelihood, severity, score and RAG
    (as assessed, or as an EIA workshop agreed them) and the residual ones, with the effects that moved it."""

    rule: str
    title: str
    likelihood: int
    severity: int
    score: int
    rag: Rag
    residual_likelihood: int
    residual_severity: int
    residual_score: int
    residual_rag: Rag
    applied: list[AppliedEffect] = Field(default=[], description="the mitigations in place, in order, that moved it")
    unscored: list[UnscoredMitigation] = []
    waiting: list[WaitingMitigation] = Field(
        default=[], description="accepted or adapted, but not counted: no owner or no due date yet"
    )
    open: list[str] = Field(default=[], description="keys of its mitigations not (yet) in place")
    rejected: list[str] = Field(default=[], description="keys of its suggested mitigations the service rejected")
    set_aside: bool = Field(default=False, description="the service set the finding aside (its scores still count)")

    @property
    def moved(self) -> bool:
        """Whether the mitigations in place lowered its score."""
        return self.residual_score < self.score


class MatrixCell(Strict):
    """One cell of the likelihood x severity matrix: the findings that start in it and those that end in it."""

    likelihood: int
    severity: int
    score: int
    rag: Rag
    inherent: list[str] = Field(default=[], description="rule ids of the findings scored here before mitigation")
    residual: list[str] = Field(default=[], description="rule ids of the findings scored here after mitigation")


class MatrixMove(Strict):
    """One finding's move across the matrix, from its inherent cell to its residual cell."""

    rule: str
    title: str
    from_likelihood: int
    from_severity: int
    to_likelihood: int
    to_severity: int

    @property
    def moved(self) -> bool:
        """Whether the finding left its cell: a move is drawn only then."""
        return (self.from_likelihood, self.from_severity) != (self.to_likelihood, self.to_severity)


class ResidualMatrix(Strict):
    """The likelihood x severity matrix of the moves, as data to draw: rows of cells from likelihood 5 down to
    1, each row's cells from severity 1 to 5, and each negative finding's move."""

    rows: list[list[MatrixCell]]
    moves: list[MatrixMove]

    def cell(self, likelihood: int, severity: int) -> MatrixCell:
        """The cell at a likelihood and severity (1-5 each)."""
        return self.rows[5 - likelihood][severity - 1]


class Residual(Strict):
    """The plan before and after its mitigations: each negative finding's inherent and residual scores, the
    inherent and residual screening levels, and the matrix of moves."""

    findings: list[ResidualFinding]
    level: Level
    level_words: str
    residual_level: Level
    residual_level_words: str
    matrix: ResidualMatrix

    @property
    def counted(self) -> int:
        """How many mitigations the residual counts (done, or accepted with an owner and a due date), the service's
        own included."""
        return sum(len(f.applied) + len(f.unscored) for f in self.findings)

    @property
    def level_lowered(self) -> bool:
        """Whether the mitigations in place bring the plan to a lower screening level."""
        order = ("screened_out", "mitigate", "full_assessment")
        return order.index(self.residual_level) < order.index(self.level)


def lowered(value: int, effect: Effect) -> int:
    """A 1-5 value after one effect: `to` lowers to at most that value, `by` steps down; never below 1.

    Examples:
        >>> lowered(4, Effect(lowers="likelihood", by=2, reason="r"))
        2
        >>> lowered(2, Effect(lowers="likelihood", to=3, reason="r"))
        2
        >>> lowered(1, Effect(lowers="severity", by=1, reason="r"))
        1
    """
    after = min(value, effect.to) if effect.to is not None else value - (effect.by or 0)
    return max(1, after)


def screening_level(kb: KnowledgeBase, findings: list[Finding], facts: Collection[str]) -> Level:
    """The screening level of a set of findings, by the rules in rules/scoring.yaml (``screening`` and
    ``proportion``), given the facts derived for the plan.

    The same rule as the assessment's own level (``proofing.screening``): the largest score, the breadth of the
    negatives, the scale of the plan (its facts), and thin evidence or no engagement. Used on residual scores so
    that before and after are screened alike.
    """
    negatives = [(f.score, set(f.characteristics + f.communities)) for f in findings if f.direction == "negative"]
    return level_of_negatives(kb, negatives, facts)


def _decision(value: MitigationDecision | Mapping[str, str] | None) -> MitigationDecision:
    if value is None:
        return MitigationDecision()
    if isinstance(value, MitigationDecision):
        return value
    return MitigationDecision.model_validate(dict(value))


def _taken_up(
    decision: MitigationDecision, notes: DecisionNotes, key: str
) -> Literal["accepted", "done", "adapted"] | None:
    """How the service took a mitigation up (accepted, adapted or done), or None when it did not (yet)."""
    note = notes.mitigations.get(key)
    if decision.status == "done":
        return "done"
    if note is not None and note.choice == "adapted" and decision.status != "rejected":
        return "adapted"
    if decision.status == "accepted":
        return "accepted"
    return None


def missing_for_residual(status: str, owner: str, due: str) -> list[Missing]:
    """What an accepted or adapted mitigation still lacks before the residual counts it: an owner, a due date, both
    or nothing (a done one lacks nothing).

    Examples:
        >>> missing_for_residual("accepted", "", "2027-03-31")
        ['owner']
        >>> missing_for_residual("adapted", "the service manager", "")
        ['due']
        >>> missing_for_residual("done", "", "")
        []
    """
    if status == "done":
        return []
    lacking: list[Missing] = []
    if not owner.strip():
        lacking.append("owner")
    if not due.strip():
        lacking.append("due")
    return lacking


def counted_status(
    decision: MitigationDecision | Mapping[str, str] | None, notes: DecisionNotes, key: str
) -> Literal["accepted", "done", "adapted"] | None:
    """How a suggested mitigation counts in the residual (done, or accepted or adapted with an owner and a due
    date), or None when the residual does not count it: the one rule every face and the record use."""
    chosen = _decision(decision)
    status = _taken_up(chosen, notes, key)
    if status is None or missing_for_residual(status, chosen.owner, chosen.due):
        return None
    return status


def residual_finding(
    kb: KnowledgeBase,
    finding: Finding,
    decisions: Mapping[str, MitigationDecision | Mapping[str, str]],
    notes: DecisionNotes,
) -> ResidualFinding:
    """One negative finding after the mitigations in place: each declared effect applied in the mitigation's
    order, a `to` lowering to at most its value and a `by` stepping down, never below 1 (two lowering the same
    scale both apply)."""
    values: dict[str, int] = {"likelihood": finding.likelihood, "severity": finding.severity}
    applied: list[AppliedEffect] = []
    unscored: list[UnscoredMitigation] = []
    waiting: list[WaitingMitigation] = []
    not_in_place: list[str] = []
    rejected: list[str] = []
    for index, mitigation in enumerate(finding.mitigations):
        key = mitigation_key(finding, index)
        decision = _decision(decisions.get(key))
        taken = _taken_up(decision, notes, key)
        lacking = missing_for_residual(taken, decision.owner, decision.due) if taken else []
        if taken is None or lacking:
            not_in_place.append(key)
            if decision.status == "rejected":
                rejected.append(key)
            if taken is not None and taken != "done":
                waiting.append(WaitingMitigation(key=key, text=mitigation.text, status=taken, missing=lacking))
            continue
        status = taken
        effect = mitigation.effect
        if effect is None:
            unscored.append(UnscoredMitigation(key=key, text=mitigation.text, status=status))
            continue
        before = values[effect.lowers]
        values[effect.lowers] = lowered(before, effect)
        applied.append(
            AppliedEffect(
                key=key,
                text=mitigation.text,
                status=status,
                lowers=effect.lowers,
                by=effect.by,
                to=effect.to,
                before=before,
                after=values[effect.lowers],
                reason=" ".join(effect.reason.split()),
            )
        )
    for own_id, own in sorted(notes.own.items()):
        if own.finding != finding.rule or own.status not in IN_PLACE:
            continue
        lacking = missing_for_residual(own.status, own.owner, own.due)
        if lacking:
            waiting.append(
                WaitingMitigation(key=f"own:{own_id}", text=own.text, status="accepted", missing=lacking, own=True)
            )
        else:
            unscored.append(UnscoredMitigation(key=f"own:{own_id}", text=own.text, status=own.status, own=True))
    score = values["likelihood"] * values["severity"]
    return ResidualFinding(
        rule=finding.rule,
        title=finding.title,
        likelihood=finding.likelihood,
        severity=finding.severity,
        score=finding.score,
        rag=finding.rag,
        residual_likelihood=values["likelihood"],
        residual_severity=values["severity"],
        residual_score=score,
        residual_rag=rag_of(kb, score),
        applied=applied,
        unscored=unscored,
        waiting=waiting,
        open=not_in_place,
        rejected=rejected,
        set_aside=finding.rule in notes.set_aside,
    )


def residual_matrix(kb: KnowledgeBase, findings: list[ResidualFinding]) -> ResidualMatrix:
    """The likelihood x severity matrix of each finding's move from its inherent to its residual cell."""
    rows: list[list[MatrixCell]] = []
    for likelihood in range(5, 0, -1):
        row = []
        for severity in range(1, 6):
            row.append(
                MatrixCell(
                    likelihood=likelihood,
                    severity=severity,
                    score=likelihood * severity,
                    rag=rag_of(kb, likelihood * severity),
                    inherent=[f.rule for f in findings if (f.likelihood, f.severity) == (likelihood, severity)],
                    residual=[
                        f.rule
                        for f in findings
                        if (f.residual_likelihood, f.residual_severity) == (likelihood, severity)
                    ],
                )
            )
        rows.append(row)
    moves = [
        MatrixMove(
            rule=f.rule,
            title=f.title,
            from_likelihood=f.likelihood,
            from_severity=f.severity,
            to_likelihood=f.residual_likelihood,
            to_severity=f.residual_severity,
        )
        for f in findings
    ]
    return ResidualMatrix(rows=rows, moves=moves)


def residual(
    kb: KnowledgeBase,
    assessment: Assessment,
    decisions: Mapping[str, MitigationDecision | Mapping[str, str]] | None = None,
    notes: DecisionNotes | None = None,
) -> Residual:
    """The plan before and after the mitigations the service accepted or has done.

    `decisions` are kept per mitigation key (``proofing.decisions.mitigation_key``), as the store keeps them
    (plain dicts) or as ``MitigationDecision``; `notes` say which were adapted (counted as accepted) and hold
    the service's own mitigations (shown, but with no declared effect they move nothing). The inherent level is
    the assessment's own; the residual level screens the residual scores by the same rules and the same facts.
    """
    decisions = decisions or {}
    notes = notes or DecisionNotes()
    negatives = [f for f in assessment.findings if f.direction == "negative"]
    findings = [residual_finding(kb, finding, decisions, notes) for finding in negatives]
    after = {f.rule: f for f in findings}
    rescored = [
        finding.model_copy(
            update={
                "likelihood": after[finding.rule].residual_likelihood,
                "severity": after[finding.rule].residual_severity,
                "score": after[finding.rule].residual_score,
            }
        )
        if finding.rule in after
        else finding
        for finding in assessment.findings
    ]
    level = screening_level(kb, rescored, evaluate(kb, assessment.answers).facts)
    return Residual(
        findings=findings,
        level=assessment.level,
        level_words=assessment.level_words,
        residual_level=level,
        residual_level_words=kb.scoring.level_words[level],
        matrix=residual_matrix(kb, findings),
    )


def all_in_place(assessment: Assessment) -> dict[str, MitigationDecision]:
    """Decisions putting every mitigation of every negative finding in place (done): the best the rule base's
    mitigations can do (an accepted one with no owner or date would not count)."""
    return {
        mitigation_key(finding, index): MitigationDecision(status="done")
        for finding in assessment.findings
        if finding.direction == "negative"
        for index in range(len(finding.mitigations))
    }


def _lacking_words(t: Translator, missing: list[Missing]) -> str:
    if missing == ["owner"]:
        return t._("no owner")
    if missing == ["due"]:
        return t._("no due date")
    return t._("no owner and no due date")


def counting_words(result: Residual, t: Translator, short: int | None = None, most: int | None = None) -> list[str]:
    """Which mitigations the residual counted and why the others were not, as sentences in `t`'s language: the rule
    (done, or accepted with an owner and a due date) once any mitigation is taken up, how many were counted, each
    accepted one still waiting and what it lacks, and how many are undecided or rejected. The page and the record
    say the same.

    `short` cuts each waiting mitigation's text to that many characters (the record's tables are narrow); `most`
    names at most that many waiting mitigations and counts the rest (the page, whose cards say it on each)."""
    waiting = [w for f in result.findings for w in f.waiting]
    counted = result.counted
    rejected = sum(len(f.rejected) for f in result.findings)
    suggested_waiting = sum(1 for w in waiting if not w.own)
    undecided = sum(len(f.open) for f in result.findings) - rejected - suggested_waiting
    if not (counted or waiting or rejected):  # nothing taken up yet: one sentence says so
        return [
            t.n_(
                "No mitigation counted yet ({n} not decided): the residual scores are the scores as assessed.",
                "No mitigation counted yet ({n} not decided): the residual scores are the scores as assessed.",
                undecided,
            )
        ]
    lines = [
        t._(
            "The residual counts a mitigation only when it is done, or accepted (or adapted) with an owner and a due "
            "date, each by the effect the rule base declares for it. The service's own mitigations are shown but "
            "move no score."
        )
    ]
    if counted:
        lines.append(t.n_("{n} mitigation counted.", "{n} mitigations counted.", counted))
    else:
        lines.append(t._("No mitigation counted yet: the residual scores are the scores as assessed."))
    if waiting:

        def cut(text: str) -> str:
            text = " ".join(text.split()).rstrip(".")
            return text if short is None or len(text) <= short else text[: short - 1].rstrip() + "…"

        named = waiting if most is None else waiting[:most]
        listed = "; ".join(
            t._("{text} ({lacking})", text=cut(w.text), lacking=_lacking_words(t, w.missing)) for w in named
        )
        if len(waiting) > len(named):
            listed += "; " + t.n_("and {n} more", "and {n} more", len(waiting) - len(named))
        lines.append(
            t.n_(
                "Not counted until it has an owner and a due date, {n} accepted mitigation: {listed}.",
                "Not counted until they have an owner and a due date, {n} accepted mitigations: {listed}.",
                len(waiting),
                listed=listed,
            )
        )
    if undecided:
        lines.append(t.n_("Not counted: {n} not decided yet.", "Not counted: {n} not decided yet.", undecided))
    if rejected:
        lines.append(t.n_("Not counted: {n} rejected.", "Not counted: {n} rejected.", rejected))
    return lines
