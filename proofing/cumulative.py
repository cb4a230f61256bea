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
