"""The questionnaire as steps: which sections a plan is asked, which are complete, and a progress that holds still.

A progress total that counts questions moves as answers reveal questions (31 of 31, then 31 of 40). Counting
sections does not: a section is shown or not for the whole plan (only "who the plan reaches" hides some), and a
section is complete when every question it asks that is required is answered (one with no required question:
when any of its questions is answered).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from proofing.plan import visible_questions
from proofing.questionnaire import Questionnaire, Section


def shown_sections(questionnaire: Questionnaire, answers: dict[str, Any]) -> list[Section]:
    """The sections asked of a plan with these answers, in order: those with at least one question shown."""
    visible = visible_questions(questionnaire, answers)
    return [section for section in questionnaire.sections if any(q.id in visible for q in section.questions)]


def section_complete(section: Section, answers: dict[str, Any], visible: set[str]) -> bool:
    """Whether a section is done: its shown required questions answered (none required: any question answered)."""
    asked = [question for question in section.questions if question.id in visible]
    required = [question for question in asked if question.required]
    if required:
        return all(question.id in answers for question in required)
    return any(question.id in answers for question in asked)


def step_progress(questionnaire: Questionnaire, answers: dict[str, Any]) -> tuple[int, int]:
    """(sections complete, sections asked): a progress measure that does not jump as answers reveal questions."""
    visible = visible_questions(questionnaire, answers)
    sections = shown_sections(questionnaire, answers)
    return sum(section_complete(section, answers, visible) for section in sections), len(sections)


def neighbours(sections: list[Section], current: str) -> tuple[Section | None, Section | None]:
    """The steps before and after `current` among the sections asked (None at either end)."""
    ids = [section.id for section in sections]
    if current not in ids:
        return None, sections[0] if sections else None
    place = ids.index(current)
    return (sections[place - 1] if place > 0 else None, sections[place + 1] if place + 1 < len(ids) else None)


def file_stem(title: str, fallback: str = "assessment") -> str:
    """A file name from a plan's title: lower case words joined by hyphens, at most 60 characters, whole words.

    Examples:
        >>> file_stem("Reduce opening hours at three branch libraries!")
        'reduce-opening-hours-at-three-branch-libraries'
        >>> file_stem("***")
        'assessment'
    """
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    words = re.sub(r"[^0-9a-z]+", "-", ascii_title.lower()).strip("-")
    if len(words) > 60:  # cut at a word, never inside one
        words = words[:61].rsplit("-", 1)[0]
    return words or fallback
