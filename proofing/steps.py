"""The questionnaire as steps: which sections a plan is asked, which are complete, and a progress that holds still.

A progress total that counts questions moves as answers reveal questions (31 of 31, then 31 of 40). Counting
sections does not: a section is shown or not for the whole plan (only "who the plan reaches" hides some), and a
section is complete when every question it asks that is required is answered and every follow-up it shows is
answered or marked not applicable (one with neither: when any of its questions is answered).

A follow-up is a question shown because of another answer (``follow_ups``): "Will the monitoring data be broken
down by group?" once a monitoring plan is answered yes. A follow-up that no rule needs answered (neither required
nor reported as a gap when unanswered) may be marked not applicable: the plan keeps it as an answer of ``None``
(``null`` in a plan file), which is never scored.

"Answers still needed" (``still_needed``) counts every required question that is not answered and that the
answers so far do not rule out, so answering a question never makes it rise: a required follow-up is counted
from the start, and drops out when an answer rules it out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Literal

from proofing.answer_types import answer_type, parse_answer
from proofing.conditions import AllOf, AnswerTest, AnyOf, Condition, FactTest, NotOf, answer_tests, holds
from proofing.plan import AnswerProblem, check_answers, visible_questions
from proofing.questionnaire import Question, Questionnaire, Section


def shown_sections(questionnaire: Questionnaire, answers: dict[str, Any]) -> list[Section]:
    """The sections asked of a plan with these answers, in order: those with at least one question shown."""
    visible = visible_questions(questionnaire, answers)
    return [section for section in questionnaire.sections if any(q.id in visible for q in section.questions)]


def answered(question: Question, answers: dict[str, Any]) -> bool:
    """Whether the plan gives this question an answer (``None``, not applicable, is none; nor is ``[]`` when an
    option is required)."""
    return question.id in answers and not answer_type(question.type).is_missing(question, answers[question.id])


def may_be_not_applicable(question: Question) -> bool:
    """Whether a follow-up may be marked not applicable: no rule needs it answered (not required, and its being
    unanswered is not reported as a gap, which only an answer closes)."""
    return not question.required and question.unanswered is None


def marked_not_applicable(question: Question, answers: dict[str, Any]) -> bool:
    """Whether the plan marks this question not applicable (an answer of ``None``, where that is allowed)."""
    return question.id in answers and answers[question.id] is None and may_be_not_applicable(question)


def section_complete(
    section: Section, answers: dict[str, Any], visible: set[str], follow_ups: dict[str, list[str]] | None = None
) -> bool:
    """Whether a section is done: its shown required questions answered, and its shown follow-ups (``follow_ups``,
    from the function of that name) answered or marked not applicable; with neither, any question answered."""
    asked = [question for question in section.questions if question.id in visible]
    required = [question for question in asked if question.required]
    following = [question for question in asked if question.id in (follow_ups or {}) and not question.required]
    if required or following:
        return all(answered(question, answers) for question in required) and all(
            answered(question, answers) or marked_not_applicable(question, answers) for question in following
        )
    return any(answered(question, answers) for question in asked)


def completed_sections(questionnaire: Questionnaire, answers: dict[str, Any]) -> tuple[list[str], set[str]]:
    """The ids of the sections asked of a plan with these answers, in order, and of those complete."""
    visible = visible_questions(questionnaire, answers)
    following = follow_ups(questionnaire, answers)
    sections = shown_sections(questionnaire, answers)
    done = {section.id for section in sections if section_complete(section, answers, visible, following)}
    return [section.id for section in sections], done


def step_progress(questionnaire: Questionnaire, answers: dict[str, Any]) -> tuple[int, int]:
    """(sections complete, sections asked): a progress measure that does not jump as answers reveal questions."""
    asked, done = completed_sections(questionnaire, answers)
    return len(done), len(asked)


def follow_ups(questionnaire: Questionnaire, answers: dict[str, Any]) -> dict[str, list[str]]:
    """Each follow-up shown, with the questions whose answers show it, in the questionnaire's order.

    A question is a follow-up when its own condition holds with the answers it names and not without them: "how many
    months" follows "is there a monitoring plan". It follows the answers without which it would not be shown; when
    either of two answers would show it, those of them that meet a test of its condition. A question shown unless
    an answer hides it (every public question, until the plan is said to be for staff only) follows nothing.
    """
    counted = check_answers(questionnaire, answers, complete=False).answers
    visible = visible_questions(questionnaire, answers)
    found: dict[str, list[str]] = {}
    for question in questionnaire.questions:
        condition = question.show_if
        if condition is None or question.id not in visible:
            continue
        tests = list(answer_tests(condition))
        cited = [other for other in dict.fromkeys(test.question for test in tests) if other in counted]
        if not cited or holds(condition, {key: value for key, value in counted.items() if key not in cited}):
            continue  # shown whatever those answers are: not a follow-up

        def without(other: str) -> dict[str, Any]:
            return {key: value for key, value in counted.items() if key != other}

        because = [other for other in cited if not holds(condition, without(other))] or [
            other for other in cited if any(t.question == other and holds(t, counted) for t in tests)
        ]
        found[question.id] = because or cited
    return found


def step_of(questionnaire: Questionnaire, question_id: str) -> Section | None:
    """The section (step) that asks a question, or None."""
    return next((s for s in questionnaire.sections if any(q.id == question_id for q in s.questions)), None)


# --- answers still needed -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Known:
    """What the answers so far say of one question: ``open`` (it may yet be answered, or not), ``absent`` (hidden,
    so never answered), ``answered`` (shown and answered), or ``maybe`` (answered, but whether it is shown is open)."""

    state: Literal["open", "absent", "answered", "maybe"]
    value: Any = None


def _maybe_holds(condition: Condition, known: dict[str, _Known]) -> bool | None:
    """Whether a condition holds, in three values: True, False, or None when an answer not yet given decides."""
    match condition:
        case AllOf():
            parts = [_maybe_holds(part, known) for part in condition.all]
            return False if False in parts else (True if all(parts) else None)
        case AnyOf():
            parts = [_maybe_holds(part, known) for part in condition.any]
            return True if True in parts else (False if all(part is False for part in parts) else None)
        case NotOf():
            inner = _maybe_holds(condition.not_, known)
            return None if inner is None else not inner
        case FactTest():
            return None
        case AnswerTest():
            fact = known.get(condition.question, _Known("open"))
            without = holds(condition, {})
            if fact.state == "absent":
                return without
            if fact.state == "open":
                return None
            with_answer = holds(condition, {condition.question: fact.value})
            if fact.state == "answered":
                return with_answer
            return with_answer if with_answer == without else None
    raise TypeError(f"not a condition: {condition!r}")


def still_needed(questionnaire: Questionnaire, answers: dict[str, Any]) -> list[str]:
    """The required questions not yet answered that the answers so far do not rule out, in order.

    A required follow-up counts while the answer it follows is not given (it may yet be asked), so answering a
    question can only take questions off this list, never put one on: "answers still needed" never rises for
    answering. Once nothing is left open it is exactly the required questions shown and not answered.
    """
    known: dict[str, _Known] = {}
    needed = []
    for question, conditions in questionnaire.shown_conditions():
        shown = _maybe_holds(AllOf(all=conditions), known) if conditions else True
        given = answers.get(question.id)
        value = None
        if not answer_type(question.type).is_missing(question, given):
            value, problem = parse_answer(question, given)
            value = None if problem else value
        if shown is False:
            known[question.id] = _Known("absent")
        elif value is None:
            known[question.id] = _Known("open")
        else:
            known[question.id] = _Known("answered" if shown else "maybe", value)
        if question.required and shown is not False and value is None:
            needed.append(question.id)
    return needed


def needed_count(questionnaire: Questionnaire, answers: dict[str, Any], problems: list[AnswerProblem]) -> int:
    """How many answers a plan still needs: ``still_needed``, and any answer given that must be corrected (the
    ``problems`` of checking the plan), each question counted once."""
    return len(dict.fromkeys([*still_needed(questionnaire, answers), *(p.question or p.sentence for p in problems)]))


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
