"""Cumulative impact across the register: what else is hitting the same people, in the same ward or period.

Audit Wales' reviews of equality impact assessments keep finding that cumulative impact is missed: each plan is
assessed alone while one community absorbs five cuts in a year. This module answers "what else is hitting the
same people?" from the store's live assessments (draft or final): for each group and ward, the assessments with
negative findings on it.
"""

from __future__ import annotations

from proofing.base import Strict


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


def overlaps_for(store: object, kb: object, assessment_id: str, *, months: int = 12) -> list[Overlap]:
    """The other live assessments with negative findings on the same groups as this one's, in the same wards or
    within `months` of it (the "also affected by" gap on its page and the cumulative section of its record)."""
    raise NotImplementedError("the cumulative index is being built (issue 15)")
