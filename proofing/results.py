"""What the Results page and the record draw, computed once here: each finding's why, the counts of findings by
RAG band for each group (the "Impact by group" chart), the marks of the likelihood x severity matrix, and the bulk
acceptance of every undecided mitigation of the findings shown.

The pages draw these and word nothing of their own about them: the "because" lines are the ones the record gives
under each finding, and the chart of groups is the same on the page and in the record (``proofing.report.chart``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from proofing.assessment import Assessment, Because, Finding
from proofing.base import Strict
from proofing.decisions import DecisionNotes, mitigation_key
from proofing.language import Translator
from proofing.residual import Residual

RAG_ORDER = ("red", "amber", "green")
"""The bands of a negative finding, worst first: the order of the stacked bars and of the sort."""


def said_in_affects(finding: Finding, because: Because, groups: Collection[str]) -> bool:
    """Whether an answer a finding rests on is the plan's own list of groups affected (`groups`: every
    characteristic and community id), which the finding's "Affects" line already gives, so need not be repeated."""
    answer = because.answer
    if not isinstance(answer, list) or not answer or not all(item in groups for item in answer):
        return False
    return any(reason.reason == "named" and reason.group in answer for reason in finding.group_reasons)


def why_lines(finding: Finding, groups: Collection[str] = ()) -> list[str]:
    """The answers a finding rests on, each as its question and the answer given, then the facts derived: the
    "Because:" lines the record prints under the finding (without the plan's list of groups, which its "Affects"
    line gives, when `groups` names the rule base's groups), for the page to draw as they are."""
    return [
        f"{because.question_text} {because.answer_text}"
        for because in finding.because
        if not said_in_affects(finding, because, groups)
    ] + list(finding.facts)


class GroupCounts(Strict):
    """How many findings touch one group, by band: negative findings red, amber and green, and positive ones."""

    kind: str
    id: str
    name: str
    red: int = 0
    amber: int = 0
    green: int = 0
    positive: int = 0

    @property
    def negative(self) -> int:
        """The negative findings touching the group, every band."""
        return self.red + self.amber + self.green

    @property
    def total(self) -> int:
        """Every finding touching the group."""
        return self.negative + self.positive


def group_counts(assessment: Assessment) -> list[GroupCounts]:
    """For each group the findings touch, how many findings of each band touch it, sorted most red first (then most
    amber, most green, most positive; ties keep the profile's order): what differs between groups.

    A group's highest score told nothing apart (every group of a broad plan shares the plan's worst finding); the
    counts by band show which groups carry most of the harm.
    """
    rows: list[GroupCounts] = []
    for entry in assessment.profile:
        bands = {"red": 0, "amber": 0, "green": 0, "positive": 0}
        for finding in assessment.findings:
            if entry.id in finding.characteristics + finding.communities:
                bands[finding.rag if finding.direction == "negative" else "positive"] += 1
        counts = GroupCounts(kind=entry.kind, id=entry.id, name=entry.name, **bands)
        if counts.total:
            rows.append(counts)
    return sorted(rows, key=lambda c: (-c.red, -c.amber, -c.green, -c.positive))


def group_counts_words(rows: list[GroupCounts], t: Translator) -> str:
    """The chart of groups in words, for its caption and alt text: what it counts, on what scale, and each group's
    counts in the chart's order."""
    if not rows:
        return t._("No group is affected, so there is nothing to chart.")
    parts = []
    for row in rows:
        bands = [
            t._("{n} {band}", n=count, band=word)
            for count, word in (
                (row.red, t._("red")),
                (row.amber, t._("amber")),
                (row.green, t._("green")),
                (row.positive, t._("positive")),
            )
            if count
        ]
        parts.append(t._("{group}: {counts}", group=row.name, counts=", ".join(bands)))
    return t._(
        "The number of findings for each of {count} groups affected, by colour (red, amber and green negative "
        "findings, and positive ones), most red first, on a scale of 0 to {top} findings: {groups}.",
        count=len(rows),
        top=max(row.total for row in rows),
        groups="; ".join(parts),
    )


class MatrixMark(Strict):
    """One negative finding on the likelihood x severity matrix: its number, where it ends (after the mitigations
    counted) and, only when it moved, where it started. Findings sharing a cell sit side by side in it."""

    number: int
    label: str
    moved: bool
    from_x: float
    from_y: float
    to_x: float
    to_y: float


def matrix_marks(result: Residual) -> list[MatrixMark]:
    """The marks of the matrix of moves: a numbered dot for each negative finding in its cell after the
    mitigations counted, and a ring and a line from where it started only for a finding whose score moved (a move
    drawn for a finding that did not move says something untrue)."""
    ends: dict[tuple[int, int], int] = {}
    starts: dict[tuple[int, int], int] = {}
    marks = []
    for number, (finding, move) in enumerate(zip(result.findings, result.matrix.moves, strict=True), start=1):
        end = (move.to_likelihood, move.to_severity)
        shift = 0.2 * ends.get(end, 0)
        ends[end] = ends.get(end, 0) + 1
        start_shift = 0.0
        if move.moved:
            begin = (move.from_likelihood, move.from_severity)
            start_shift = 0.2 * starts.get(begin, 0)
            starts[begin] = starts.get(begin, 0) + 1
        marks.append(
            MatrixMark(
                number=number,
                label=f"{number}. {finding.title}",
                moved=move.moved,
                from_x=move.from_severity - 0.4 + start_shift,
                from_y=move.from_likelihood + 0.28,
                to_x=move.to_severity - 0.3 + shift,
                to_y=move.to_likelihood - 0.1,
            )
        )
    return marks


def undecided_keys(
    assessment: Assessment, decisions: Mapping[str, Mapping[str, str]], notes: DecisionNotes
) -> list[str]:
    """The keys of the suggested mitigations not decided yet, of the negative findings shown (not set aside): what a
    bulk acceptance accepts. An adapted one is decided."""
    keys = []
    for finding in assessment.findings:
        if finding.direction != "negative" or finding.rule in notes.set_aside:
            continue
        for index in range(len(finding.mitigations)):
            key = mitigation_key(finding, index)
            note = notes.mitigations.get(key)
            if decisions.get(key, {}).get("status", "proposed") == "proposed" and not (note and note.choice):
                keys.append(key)
    return keys


def accept_undecided(
    assessment: Assessment, decisions: Mapping[str, Mapping[str, str]], notes: DecisionNotes
) -> dict[str, dict[str, str]]:
    """The decisions with every undecided suggested mitigation of the findings shown accepted (in one action; the
    store audits each acceptance as it audits one made on its own), any owner and due date already given kept."""
    accepted = {key: dict(value) for key, value in decisions.items()}
    for key in undecided_keys(assessment, decisions, notes):
        kept = accepted.get(key, {})
        accepted[key] = {"status": "accepted", "owner": kept.get("owner", ""), "due": kept.get("due", "")}
    return accepted


class FindingProgress(Strict):
    """Where the service stands on one negative finding's mitigations (suggested and its own): how many there are,
    how many are decided, how many the residual counts, and how many are accepted but wait for an owner or a due
    date. ``settled`` when nothing is left to decide or to fill in: the page then folds the finding away."""

    total: int
    decided: int
    counted: int
    waiting: int

    @property
    def settled(self) -> bool:
        """Every mitigation decided and none waiting for an owner or a due date."""
        return self.decided == self.total and not self.waiting


def finding_progress(result: Residual, rule: str, notes: DecisionNotes) -> FindingProgress:
    """The progress of one negative finding (by its rule id) from the residual computed for the page: its
    suggested mitigations and the service's own ones that are not merely proposed."""
    finding = next(f for f in result.findings if f.rule == rule)
    own = [entry for entry in notes.own.values() if entry.finding == rule]
    suggested_open = len(finding.open) - len(finding.rejected) - sum(1 for w in finding.waiting if not w.own)
    total = len(finding.applied) + len([u for u in finding.unscored if not u.own]) + len(finding.open) + len(own)
    undecided = suggested_open + sum(1 for entry in own if entry.status == "proposed")
    return FindingProgress(
        total=total,
        decided=total - undecided,
        counted=len(finding.applied) + len(finding.unscored),
        waiting=len(finding.waiting),
    )
