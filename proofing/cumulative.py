"""Cumulative impact across the register: what else is hitting the same people, in the same ward or period.

Audit Wales' reviews of equality impact assessments keep finding that cumulative impact is missed: each plan is
assessed alone while one community absorbs five cuts in a year. This module answers "what else is hitting the
same people?" from the store's live assessments (draft or final): for each group and ward, the assessments with
negative findings on it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

from sqlalchemy import func, or_, select

from proofing.access import may
from proofing.assessment import level_label
from proofing.base import Strict
from proofing.knowledge import KnowledgeBase
from proofing.store import STATUS_WORDS, AssessmentRow, CumulativeRow, ShareRow, Store, UserStore, quarter_of

LIVE = ("draft", "final")  # the statuses a cumulative view counts (every status there is, today)
Column = Literal["quarter", "ward"]
HIDDEN_TITLE = "(not shared with you)"  # an assessment line's title for a person who may not open that assessment
HIDDEN_LEVEL = "not shown"  # the level of the overlaps a person may not open, counted together


class Overlap(Strict):
    """Another live assessment with a negative finding on the same group, in the same ward or period: one line of
    "also affected by" on an assessment's page and in its Word record."""

    group: str  # the characteristic or community, in words
    assessment_id: str
    title: str
    service: str
    status: str  # "draft" or "final", in words
    level: str | None  # the other assessment's level, in words
    wards: list[str] = []  # the wards both name, in words (empty: overlapping in period only)
    period: str = ""  # the quarter both fall in, e.g. "2026 Q4"
    highest_score: int = 0  # the other assessment's highest negative score on the group
    may_open: bool = True  # False: the line counts the assessments the person may not open (`hidden` of them)
    hidden: int = 0  # how many assessments this line counts without naming them (0: it names one)


class HeatCell(Strict):
    """One cell of a heat map: how many live assessments find the group negatively affected in that column."""

    group: str  # the group's id
    column: str  # the quarter ("2026 Q4") or the ward's id
    count: int  # distinct live assessments
    assessment_ids: list[str] = []  # which (only when asked for: heat_map(..., ids=True))


class HeatMap(Strict):
    """Groups × quarters or groups × wards: each cell the live assessments with a negative finding on the group.

    `groups` and `columns` are ids in the order to draw them (groups most affected first; quarters in time
    order; wards most affected first); `group_names` and `column_names` say them in words. Empty cells are absent.
    """

    by: Column
    since: date
    until: date
    groups: list[str]
    columns: list[str]
    group_names: dict[str, str]
    column_names: dict[str, str]
    cells: list[HeatCell]
    assessments: int  # distinct live assessments in the period with any negative finding

    def count(self, group: str, column: str) -> int:
        """The count in one cell (0 when it is empty)."""
        return next((cell.count for cell in self.cells if (cell.group, cell.column) == (group, column)), 0)


class AssessmentLine(Strict):
    """One assessment in the list a cell opens."""

    assessment_id: str
    title: str
    service: str
    status: str  # "draft" or "final"
    level: str | None  # the screening level's id, or None (not screened yet)
    quarter: str
    wards: list[str]  # the wards it names from the place list, as ids ('' and free text never)
    highest_score: int  # its highest negative score on the group
    may_open: bool = True  # whether the person asking may open it (False: count it, do not list it)


def group_names(kb: KnowledgeBase) -> dict[str, str]:
    """Every characteristic and community by id, in words, in the rule base's order."""
    names = {item.id: item.name for item in kb.characteristics}
    names |= {item.id: item.name for item in kb.communities}
    return names


def ward_name(kb: KnowledgeBase, ward: str) -> str:
    """A ward (or named area) in words, from the rule base's place list (rules/places.yaml); "" for anything else.

    A plan's free-text ward answer (an older plan, or an uploaded one) is never shown as a ward: it is what a
    colleague typed, and the cumulative view names only places from the list.
    """
    place = kb.place_of.get(ward)
    return place.name if place is not None else ""


def known_places(kb: KnowledgeBase) -> list[str]:
    """The ids of every place in the rule base's place list: the only wards a cumulative view counts or names."""
    return [place.id for place in kb.places]


def _raw(store: Store | UserStore) -> Store:
    return store.store if isinstance(store, UserStore) else store


def _bounds(since: date, until: date) -> tuple[datetime, datetime]:
    """The period as [start of `since`, start of the day after `until`) in UTC."""
    if until < since:
        since, until = until, since
    return datetime.combine(since, time.min, tzinfo=UTC), datetime.combine(until + timedelta(days=1), time.min, UTC)


def _live(since: date, until: date) -> list[Any]:
    start, end = _bounds(since, until)
    return [CumulativeRow.status.in_(LIVE), CumulativeRow.dated >= start, CumulativeRow.dated < end]


def quarters_between(since: date, until: date) -> list[str]:
    """Every quarter from `since` to `until`, in time order: a heat map's columns, empty ones included."""
    if until < since:
        since, until = until, since
    found, year, number = [], since.year, (since.month - 1) // 3
    while (year, number) <= (until.year, (until.month - 1) // 3):
        found.append(f"{year} Q{number + 1}")
        year, number = (year + 1, 0) if number == 3 else (year, number + 1)
    return found


def default_period(today: date | None = None, months: int = 12) -> tuple[date, date]:
    """The last `months` months up to today: the period a cumulative view shows first."""
    until = today or datetime.now(UTC).date()
    return _add_months(until, -months) + timedelta(days=1), until


def _add_months(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month + 1, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(f"no day {months} months from {day}")  # pragma: no cover - some day of every month exists


def heat_map(
    store: Store | UserStore, kb: KnowledgeBase, *, by: Column, since: date, until: date, ids: bool = False
) -> HeatMap:
    """The heat map of live assessments (draft or final, dated within [since, until]) with negative findings, by
    group and quarter or by group and named ward: one GROUP BY on the cumulative index.

    Counts cover every assessment, whoever asks (the cumulative picture is the point); which ones a person may
    open is for `cell` to say. A plan that names no ward counts in the quarter map only; the ward map's columns
    are places from the rule base's list only (a free-text ward answer never becomes a column). `ids` also gives
    each cell's assessment ids (a second query).
    """
    column = CumulativeRow.quarter if by == "quarter" else CumulativeRow.ward
    where = _live(since, until) + ([CumulativeRow.ward.in_(known_places(kb))] if by == "ward" else [])
    query = (
        select(CumulativeRow.group_id, column, func.count(func.distinct(CumulativeRow.assessment_id)))
        .where(*where)
        .group_by(CumulativeRow.group_id, column)
    )
    total_query = select(func.count(func.distinct(CumulativeRow.assessment_id))).where(*where)
    raw = _raw(store)
    with raw.reading() as session:
        counted = [(group, key, count) for group, key, count in session.execute(query)]
        total = session.scalar(total_query) or 0
        listed: dict[tuple[str, str], list[str]] = {}
        if ids:
            distinct = select(CumulativeRow.group_id, column, CumulativeRow.assessment_id).where(*where).distinct()
            for group, key, assessment_id in session.execute(distinct):
                listed.setdefault((group, key), []).append(assessment_id)
    names = group_names(kb)
    by_group: dict[str, int] = {}
    by_column: dict[str, int] = {}
    for group, key, count in counted:
        by_group[group] = by_group.get(group, 0) + count
        by_column[key] = by_column.get(key, 0) + count
    groups = sorted(by_group, key=lambda group: (-by_group[group], names.get(group, group)))
    if by == "quarter":
        columns = quarters_between(since, until)
        columns += sorted(key for key in by_column if key not in columns)  # a plan dated outside (never, normally)
        column_names = {key: key for key in columns}
    else:
        column_names = {key: ward_name(kb, key) for key in by_column}
        columns = sorted(by_column, key=lambda key: (-by_column[key], column_names[key].casefold()))
    return HeatMap(
        by=by,
        since=min(since, until),
        until=max(since, until),
        groups=groups,
        columns=columns,
        group_names={group: names.get(group, group) for group in groups},
        column_names=column_names,
        cells=[
            HeatCell(group=group, column=key, count=count, assessment_ids=sorted(listed.get((group, key), [])))
            for group, key, count in counted
        ],
        assessments=total,
    )


def _readers(session: Any, ids: set[str]) -> dict[str, tuple[str, frozenset[str]]]:
    """Each assessment's owner and the subjects it is shared with, in two queries."""
    if not ids:
        return {}
    owners: dict[str, str] = dict(
        session.execute(select(AssessmentRow.id, AssessmentRow.owner_subject).where(AssessmentRow.id.in_(ids))).all()
    )
    shared: dict[str, set[str]] = {}
    for assessment_id, subject in session.execute(
        select(ShareRow.assessment_id, ShareRow.subject).where(ShareRow.assessment_id.in_(ids))
    ):
        shared.setdefault(assessment_id, set()).add(subject)
    return {key: (owner, frozenset(shared.get(key, ()))) for key, owner in owners.items()}


def _may_open(store: Store | UserStore, session: Any, ids: set[str]) -> dict[str, bool]:
    if not isinstance(store, UserStore):
        return dict.fromkeys(ids, True)
    return {
        key: may(store.user, "read", owner=owner, shared_with=shared)
        for key, (owner, shared) in _readers(session, ids).items()
    }


def cell(
    store: Store | UserStore,
    kb: KnowledgeBase,
    group: str,
    column: str,
    *,
    by: Column,
    since: date,
    until: date,
) -> list[AssessmentLine]:
    """The live assessments a heat map's cell counts, highest score first, each saying whether the person asking
    (a UserStore) may open it: everyone sees how many, only those who may open one see its title."""
    if by == "ward" and column not in kb.place_of:
        return []  # a ward not in the place list is never a cell
    places = set(known_places(kb))
    column_filter = CumulativeRow.quarter == column if by == "quarter" else CumulativeRow.ward == column
    chosen = (
        select(CumulativeRow.assessment_id)
        .where(*_live(since, until), CumulativeRow.group_id == group, column_filter)
        .distinct()
    )
    query = select(
        CumulativeRow.assessment_id,
        CumulativeRow.title,
        CumulativeRow.service,
        CumulativeRow.status,
        CumulativeRow.level,
        CumulativeRow.quarter,
        CumulativeRow.ward,
        CumulativeRow.highest_score,
    ).where(CumulativeRow.group_id == group, CumulativeRow.assessment_id.in_(chosen))
    with _raw(store).reading() as session:
        rows = session.execute(query).all()
        allowed = _may_open(store, session, {row[0] for row in rows})
    found: dict[str, tuple[Any, set[str]]] = {}
    for row in rows:
        kept = found.setdefault(row[0], (row, set()))
        if row.ward in places:
            kept[1].add(row.ward)
    lines = [
        AssessmentLine(
            assessment_id=row.assessment_id,
            title=row.title if allowed.get(row.assessment_id, False) else HIDDEN_TITLE,
            service=row.service if allowed.get(row.assessment_id, False) else "",
            status=row.status,
            level=row.level,
            quarter=row.quarter,
            wards=sorted(wards),
            highest_score=row.highest_score,
            may_open=allowed.get(row.assessment_id, False),
        )
        for row, wards in found.values()
    ]
    return sorted(lines, key=lambda line: (-line.highest_score, line.title.casefold(), line.assessment_id))


def overlaps_for(store: object, kb: object, assessment_id: str, *, months: int = 12) -> list[Overlap]:
    """The other live assessments with negative findings on the same groups as this one's, in the same wards or
    within `months` of it (the "also affected by" gap on its page and the cumulative section of its record).

    One Overlap per other assessment and group, the groups in the rule base's order, then highest score first.
    `store` is a Store (everything) or a UserStore: then the assessments the person may not open are not named at
    all (no title, no service): each group gets one line counting them in words ("2 other assessments not shared
    with you"), `may_open` False and `hidden` their number, so the cumulative impact is not hidden from the record.
    Wards are matched and named only from the rule base's place list, never from a free-text answer.
    `kb` says groups, levels and wards in words (its language). Unknown or unaffected assessments have none.
    """
    if not isinstance(store, Store | UserStore) or not isinstance(kb, KnowledgeBase):
        raise TypeError("overlaps_for needs the store (Store or UserStore) and the rule base")
    raw = _raw(store)
    places = set(known_places(kb))
    with raw.reading() as session:
        mine = list(
            session.execute(
                select(CumulativeRow.group_id, CumulativeRow.ward, CumulativeRow.dated).where(
                    CumulativeRow.assessment_id == assessment_id
                )
            )
        )
        if not mine:
            return []
        groups = sorted({group for group, _ward, _dated in mine})
        wards = sorted({ward for _group, ward, _dated in mine if ward in places})
        dated = mine[0][2]
        start = datetime.combine(_add_months(dated.date(), -months), time.min, UTC)
        end = datetime.combine(_add_months(dated.date(), months) + timedelta(days=1), time.min, UTC)
        near = [CumulativeRow.dated >= start, CumulativeRow.dated < end]
        query = select(CumulativeRow).where(
            CumulativeRow.assessment_id != assessment_id,
            CumulativeRow.status.in_(LIVE),
            CumulativeRow.group_id.in_(groups),
            or_(CumulativeRow.ward.in_(wards), near[0] & near[1]) if wards else near[0] & near[1],
        )
        rows = list(session.scalars(query))
        allowed = _may_open(store, session, {row.assessment_id for row in rows})
    names = group_names(kb)
    order = {group: number for number, group in enumerate(names)}
    found: dict[tuple[str, str], Overlap] = {}
    unseen: dict[str, dict[str, tuple[set[str], set[str], int]]] = {}  # group -> id -> (wards, periods, score)
    for row in rows:
        in_period = start <= row.dated < end
        if row.ward not in wards and not in_period:
            continue  # matched on a ward outside the place list: a free-text answer, never a match
        shared = {ward_name(kb, row.ward)} if row.ward in wards else set()
        if not allowed.get(row.assessment_id, False):
            kept_wards, periods, score = unseen.setdefault(row.group_id, {}).get(row.assessment_id, (set(), set(), 0))
            unseen[row.group_id][row.assessment_id] = (
                kept_wards | shared,
                periods | ({row.quarter} if in_period else set()),
                max(score, row.highest_score),
            )
            continue
        key = (row.assessment_id, row.group_id)
        seen = found.get(key)
        found[key] = Overlap(
            group=names.get(row.group_id, row.group_id),
            assessment_id=row.assessment_id,
            title=row.title,
            service=row.service,
            status=STATUS_WORDS.get(row.status, row.status),
            level=level_label(kb, row.level) if row.level else None,
            wards=sorted(set(seen.wards if seen else []) | shared),
            period=row.quarter if in_period else "",
            highest_score=max(row.highest_score, seen.highest_score if seen else 0),
        )
    for group, hidden in unseen.items():
        count = len(hidden)
        found[("", group)] = Overlap(
            group=names.get(group, group),
            assessment_id="",
            title=hidden_words(count),
            service="",
            status="",
            level=HIDDEN_LEVEL,
            wards=sorted({ward for kept_wards, _periods, _score in hidden.values() for ward in kept_wards}),
            period=", ".join(sorted({quarter for _wards, periods, _score in hidden.values() for quarter in periods})),
            highest_score=max(score for _wards, _periods, score in hidden.values()),
            may_open=False,
            hidden=count,
        )
    ranked = sorted(
        found.items(),
        key=lambda item: (order.get(item[0][1], len(order)), item[1].hidden > 0, -item[1].highest_score),
    )
    return [overlap for _key, overlap in ranked]


def hidden_words(count: int) -> str:
    """The assessments a person may not open, counted in words (never named).

    Examples:
        >>> hidden_words(1), hidden_words(3)
        ('One other assessment not shared with you', '3 other assessments not shared with you')
    """
    if count == 1:
        return "One other assessment not shared with you"
    return f"{count} other assessments not shared with you"


__all__ = [
    "HIDDEN_LEVEL",
    "HIDDEN_TITLE",
    "LIVE",
    "AssessmentLine",
    "HeatCell",
    "HeatMap",
    "Overlap",
    "cell",
    "default_period",
    "group_names",
    "heat_map",
    "hidden_words",
    "known_places",
    "overlaps_for",
    "quarter_of",
    "quarters_between",
    "ward_name",
]
