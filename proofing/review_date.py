"""The one review date: asked once in the questionnaire, and carried to the approver's sign-off as its default.

The questionnaire asks when the plan will be reviewed once (``roles.review_months``: months from the decision, as
plans and published assessments state it; a council's questionnaire may ask a date instead, ``roles.review_date``).
The sign-off records the review date actually set; its form starts from the plan's answer, so the approver confirms
or changes one date rather than being asked again.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

from proofing.plan import check_answers
from proofing.questionnaire import Questionnaire


def add_months(day: date, months: float) -> date:
    """The day `months` calendar months after `day` (the last day of a shorter month; a part month as days).

    Examples:
        >>> add_months(date(2026, 12, 5), 12)
        datetime.date(2027, 12, 5)
        >>> add_months(date(2027, 1, 31), 1)
        datetime.date(2027, 2, 28)
        >>> add_months(date(2027, 1, 1), 1.5)
        datetime.date(2027, 2, 16)
    """
    whole = int(months)
    index = day.month - 1 + whole
    year, month = day.year + index // 12, index % 12 + 1
    moved = date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
    return moved + timedelta(days=round((months - whole) * 30))


def review_default(questionnaire: Questionnaire, answers: dict[str, Any], decided_on: date) -> date | None:
    """The review date a sign-off on `decided_on` starts from: the plan's date (where the questionnaire asks one),
    else `decided_on` plus the months the plan gives, else None (the plan sets no review)."""
    counted = check_answers(questionnaire, answers, complete=False).answers
    roles = questionnaire.roles
    if roles.review_date is not None:
        given = counted.get(roles.review_date)
        if isinstance(given, str):
            try:
                return date.fromisoformat(given)
            except ValueError:
                pass
    months = counted.get(roles.review_months)
    if isinstance(months, int | float) and not isinstance(months, bool) and months > 0:
        return add_months(decided_on, months)
    return None
