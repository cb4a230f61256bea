"""What would change the level: the smallest sets of answer changes that would lower a plan's screening level.

"What would it take to lower this?" For a plan at mitigate or full assessment, ``what_would_lower`` tries every
other answer to each question the plan itself decides (``Question.changeable``: what it keeps, offers or does),
among the questions shown for the plan, and assesses the plan as it would then read; then it tries pairs of the
changes that did not lower the level on their own. It never changes a fact of the world (who uses the service,
how many, where, what people think) nor a process question (evidence, engagement, monitoring).

A changed plan is a valid plan: a change that would leave a newly shown required question unanswered is not
suggested, and the answers to questions a change hides are taken out, as the plan would then read. Each
suggestion says, in words, what would change and which findings would go away or score less:

    If the answer to "Will there be help, in person or by phone, for people who cannot use the online route?"
    were "Yes" rather than "No", the level would fall from Full assessment needed to Mitigate.

The search is bounded: every single change, then pairs among at most ``MAX_PAIR_CANDIDATES`` of the rest (those
that bring the plan closest to a lower level first), never a pair containing a change that is enough on its own,
so no suggestion is a superset of another. Candidates are scored with the engine and the level logic directly
(``level_of``); every suggestion returned is re-assessed with ``assess`` and kept only if the level really falls.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Literal

from proofing.answer_types import NONE_OF_THESE, answer_type, implied_groups
from proofing.assessment import (
    Assessment,
    answer_words,
    assess,
    fold_order,
    level_label,
    named_groups,
)
from proofing.base import Strict
from proofing.conditions import AnswerValue, Condition, answer_tests, facts_read, holds, questions_behind
from proofing.engine import evaluate
from proofing.knowledge import KnowledgeBase
from proofing.language import translator
from proofing.oracle import Firing
from proofing.plan import Plan, check_answers, usable_answers, visible_questions
from proofing.questionnaire import LEVELS, ImpactRule, Level, Question
from proofing.screening import level_of_negatives
from proofing.vocabulary import change_clause, level_fall_sentence

# How many of the changes that are not enough on their own are paired with each other (at most n(n-1)/2 pairs).
MAX_PAIR_CANDIDATES = 18
DEFAULT_LIMIT = 10


class AnswerChange(Strict):
    """One answer changed: the question, the answer before and after, and both in words."""

    question: str
    question_text: str
    before: AnswerValue | None
    after: AnswerValue
    before_words: str
    after_words: str
    words: str


class FindingChange(Strict):
    """A negative finding the change would remove, lower, or bring (score_after None: it goes away)."""

    rule: str
    title: str
    score_before: int | None
    score_after: int | None


class Suggestion(Strict):
    """A smallest set of answer changes that would lower the screening level, and what it would do."""

    changes: list[AnswerChange]
    level_before: Level
    level_after: Level
    level_before_words: str
    level_after_words: str
    steps: int
    findings_removed: list[FindingChange]
    findings_lowered: list[FindingChange]
    findings_added: list[FindingChange]
    no_longer_asked: list[str]
    answers: dict[str, Any]
    sentence: str


@dataclass(frozen=True)
class _Change:
    """One candidate change, to one question's answer."""

    question: Question
    before: AnswerValue | None
    after: AnswerValue
    order: int  # its place in the questionnaire, then among the question's alternatives


@dataclass(frozen=True)
class _Base:
    """The plan being explored: its checked answers, the questions shown, and which questions gate which."""

    kb: KnowledgeBase
    plan: Plan
    counted: dict[str, AnswerValue]
    visible: set[str]
    gated: dict[str, list[tuple[str, list[Condition]]]]


@dataclass
class _Tried:
    change: tuple[_Change, ...]
    answers: dict[str, Any]
    level: Level
    badness: tuple[int, int, int, int]
    hidden: list[str]


@dataclass
class WhatIf:
    """The search's result: the suggestions, and how much was tried to find them."""

    level: Level
    suggestions: list[Suggestion] = field(default_factory=list)
    candidates: int = 0
    pairs: int = 0
    evaluated: int = 0
    invalid: int = 0


def what_would_lower(
    kb: KnowledgeBase, plan: Plan, *, max_changes: int = 2, limit: int = DEFAULT_LIMIT
) -> list[Suggestion]:
    """The smallest sets of changes to the plan's own choices that would lower its level, most effective first.

    Sorted by how far the level falls, then by fewest changes; none is a superset of another. A screened-out plan
    gets none. Raises PlanError when the plan's answers cannot be used (as ``assess`` does).
    """
    return search(kb, plan, max_changes=max_changes, limit=limit).suggestions


def search(kb: KnowledgeBase, plan: Plan, *, max_changes: int = 2, limit: int = DEFAULT_LIMIT) -> WhatIf:
    """``what_would_lower`` with the counts of what was tried (for the benchmark)."""
    if max_changes not in (1, 2):
        raise ValueError("max_changes is 1 or 2: the search tries single changes and pairs")
    counted = usable_answers(kb.questionnaire, plan).answers
    visible = visible_questions(kb.questionnaire, plan.answers)
    base = _Base(kb, plan, counted, visible, _gated(kb))
    base_level, _badness = level_of(kb, counted, evaluate(kb, counted))
    result = WhatIf(level=base_level)
    if base_level == "screened_out":
        return result
    relevant = _level_questions(kb)
    changes = [
        change
        for question in kb.questionnaire.questions
        if question.changeable and not question.process and question.id in visible and question.id in relevant
        for change in _alternatives(question, counted.get(question.id))
    ]
    changes = [_Change(change.question, change.before, change.after, order) for order, change in enumerate(changes)]
    result.candidates = len(changes)
    rank = LEVELS.index(base_level)
    found: list[_Tried] = []
    rest: list[_Tried] = []
    for change in changes:
        tried = _try(base, (change,), result)
        if tried is None:
            continue
        (found if LEVELS.index(tried.level) < rank else rest).append(tried)
    if max_changes == 2:
        pool = sorted(rest, key=lambda tried: (tried.badness, tried.change[0].order))[:MAX_PAIR_CANDIDATES]
        pool.sort(key=lambda tried: tried.change[0].order)
        for first_index, first in enumerate(pool):
            for second in pool[first_index + 1 :]:
                pair = (first.change[0], second.change[0])
                if not _combinable(*pair):
                    continue
                result.pairs += 1
                tried = _try(base, pair, result)
                if tried is not None and LEVELS.index(tried.level) < rank:
                    found.append(tried)
    found.sort(key=lambda tried: (LEVELS.index(tried.level), len(tried.change), [c.order for c in tried.change]))
    before = assess(kb, plan)
    for tried in found:
        if len(result.suggestions) >= limit:
            break
        suggestion = _suggestion(kb, plan, before, tried)
        if suggestion is not None:
            result.suggestions.append(suggestion)
    return result


def level_of(
    kb: KnowledgeBase, answers: dict[str, AnswerValue], firing: Firing
) -> tuple[Level, tuple[int, int, int, int]]:
    """The screening level ``assess`` gives these (checked) answers, worked out from what fired without building
    the findings, and how far the plan is from a lower level (level, highest material negative score, their sum,
    their number).

    Findings are folded as the assessment folds them (a finding another covers is read in its coverer, with the
    coverer's score and both their groups); the groups a finding names are those it bears on that the plan names,
    and those the answers it rests on imply, as ``assessment._group_reasons`` names them. The tests hold this to
    ``assess`` on every example and every change the search tries.
    """
    screening = kb.scoring.screening
    rules = {rule.id: rule for rule in kb.rules}
    present = [rule_id for rule_id in firing.findings if rules[rule_id].finding is not None]
    # The groups are worked out only if the screening reads them (breadth, engagement, thin evidence); a positive
    # finding is never material, and one that covers a negative leaves nothing material behind.
    groups = {
        rule_id: _Groups(partial(_groups, kb, rules[rule_id], answers, firing))
        if rules[rule_id].finding.direction == "negative"  # type: ignore[union-attr]
        else _Groups(set)
        for rule_id in present
    }
    absorbed = _fold(kb, present, groups)
    negatives: list[tuple[int, _Groups]] = []
    for rule_id in present:
        template = rules[rule_id].finding
        assert template is not None
        if rule_id not in absorbed and template.direction == "negative":
            negatives.append((template.likelihood * template.severity, groups[rule_id]))
    level = level_of_negatives(kb, negatives, firing.facts)
    scores = [score for score, _groups in negatives if score >= screening.material_score]
    return level, (LEVELS.index(level), max(scores, default=0), sum(scores), len(scores))


class _Groups:
    """The groups a finding names, worked out the first time the screening reads them, and then kept."""

    def __init__(self, work_out: Callable[[], set[str]]) -> None:
        self._work_out = work_out
        self._groups: set[str] | None = None

    def __iter__(self) -> Iterator[str]:
        if self._groups is None:
            self._groups = self._work_out()
        return iter(self._groups)


def _fold(kb: KnowledgeBase, present: list[str], groups: dict[str, _Groups]) -> set[str]:
    """The findings another present finding covers, folded in as the assessment folds them
    (``assessment.fold_order``): each coverer's groups take in the covered one's."""
    merges = fold_order(kb, set(present))
    for into, covered in merges:
        groups[into] = _Groups(partial(_union, groups[into], groups[covered]))
    return {covered for _into, covered in merges}


def _union(first: _Groups, second: _Groups) -> set[str]:
    return set(first) | set(second)


def _groups(kb: KnowledgeBase, rule: ImpactRule, answers: dict[str, AnswerValue], firing: Firing) -> set[str]:
    """The groups a finding names: those it bears on that the plan names, and those implied by the answers it
    rests on (through the facts it reads), as far as each rule's own tests look at them."""
    template = rule.finding
    assert template is not None
    known = {c.id for c in kb.characteristics} | {c.id for c in kb.communities}
    named = set(named_groups(kb, answers))
    found = {group for group in template.characteristics + template.communities if group in named and group in known}
    rules = {r.id: r for r in kb.rules}
    facts = frozenset(firing.facts)
    seen: set[str] = set()
    pending = [rule]
    while pending:
        current = pending.pop()
        if current.id in seen:
            continue
        seen.add(current.id)
        for question_id in questions_behind(current.when, answers, facts):
            found |= {
                group for group in _implied(kb, current.when, question_id, answers[question_id]) if group in known
            }
        for fact_id, _required in facts_read(current.when):
            pending += [rules[r] for r in firing.facts.get(fact_id, ()) if holds(rules[r].when, answers, facts)]
    return found


def _implied(kb: KnowledgeBase, condition: Condition, question_id: str, answer: AnswerValue) -> list[str]:
    """The groups an answer implies, as far as the condition's own tests on that question look at it (its type's
    ``implied``: of a many-of answer, only the options the condition tests)."""
    question = kb.questionnaire.question(question_id)
    if question is None:
        return []
    return implied_groups(question, condition, answer)


def _level_questions(kb: KnowledgeBase) -> set[str]:
    """The questions whose answers can move the level: read by a negative finding, a finding that folds others
    in, or a fact; and the questions whose answers show or hide those."""
    read: set[str] = set()
    for rule in kb.rules:
        if rule.derives or rule.covers or (rule.finding and rule.finding.direction == "negative"):
            read |= {test.question for test in answer_tests(rule.when)}
    gates: dict[str, list[Condition]] = {q.id: c for q, c in kb.questionnaire.shown_conditions()}
    pending = list(read)
    while pending:
        for condition in gates.get(pending.pop(), []):
            for test in answer_tests(condition):
                if test.question not in read:
                    read.add(test.question)
                    pending.append(test.question)
    return read


def _gated(kb: KnowledgeBase) -> dict[str, list[tuple[str, list[Condition]]]]:
    """For each question, the questions whose showing depends on its answer, with their conditions."""
    gated: dict[str, list[tuple[str, list[Condition]]]] = {}
    for question, conditions in kb.questionnaire.shown_conditions():
        for read in dict.fromkeys(test.question for condition in conditions for test in answer_tests(condition)):
            gated.setdefault(read, []).append((question.id, conditions))
    return gated


def _visible(kb: KnowledgeBase, counted: dict[str, AnswerValue]) -> set[str]:
    """The questions shown, given checked answers (``plan.visible_questions`` without checking them again)."""
    return {
        question.id
        for question, conditions in kb.questionnaire.shown_conditions()
        if all(holds(condition, counted) for condition in conditions)
    }


def _alternatives(question: Question, current: AnswerValue | None) -> list[_Change]:
    """The other answers the plan could give this question, as its answer type offers them: a yes/no flipped,
    another option of a one-of, one option of a many-of taken out or put in. Free text, numbers and dates have
    no obvious alternatives."""
    return [
        _Change(question, current, value, 0) for value in answer_type(question.type).alternatives(question, current)
    ]


def _combinable(first: _Change, second: _Change) -> bool:
    """Two changes can be made together unless they answer the same question differently (two options of one
    many-of question may be taken out or put in together)."""
    if first.question.id != second.question.id:
        return True
    return answer_type(first.question.type).combinable and _merged(first, second) is not None


def _merged(first: _Change, second: _Change) -> list[str] | None:
    """Two changes to one many-of answer, made together; None when they undo each other or say nothing."""
    before = set(first.before) if isinstance(first.before, list) else set()
    after_first, after_second = set(first.after), set(second.after)  # type: ignore[arg-type]
    added = (after_first - before) | (after_second - before)
    removed = (before - after_first) | (before - after_second)
    if added & removed:
        return None
    chosen = (before - removed) | added
    if chosen - {NONE_OF_THESE}:
        chosen.discard(NONE_OF_THESE)
    elif NONE_OF_THESE in {option.id for option in first.question.options}:
        chosen = {NONE_OF_THESE}
    if not chosen and first.question.required:
        return None
    return [option.id for option in first.question.options if option.id in chosen]


def _try(base: _Base, changes: tuple[_Change, ...], result: WhatIf) -> _Tried | None:
    """The plan with these changes, as it would then read, and its level; None when it would not be a valid plan
    (a newly shown required question unanswered) or a change would hide another.

    A change that shows or hides no question needs no second check: the new answers are options of the question
    (or yes and no) in their canonical form, so the checked answers are the plan's with the change made. One that
    does is checked in full, as ``check_answers`` reads the changed plan.
    """
    kb, plan = base.kb, base.plan
    answers = dict(plan.answers)
    if len(changes) == 2 and changes[0].question.id == changes[1].question.id:
        merged = _merged(*changes)
        assert merged is not None
        answers[changes[0].question.id] = merged
    else:
        for change in changes:
            answers[change.question.id] = change.after
    counted = dict(base.counted)
    for change in changes:
        counted[change.question.id] = answers[change.question.id]
    gated = [gate for change in changes for gate in base.gated.get(change.question.id, [])]
    hidden: list[str] = []
    if any(all(holds(c, counted) for c in conditions) != (shown in base.visible) for shown, conditions in gated):
        checked = check_answers(kb.questionnaire, answers)
        if checked.problems:
            result.invalid += 1
            return None
        counted = checked.answers
        now = _visible(kb, counted)
        if any(change.question.id not in now for change in changes):
            return None
        hidden = [question_id for question_id in plan.answers if question_id in base.visible and question_id not in now]
        for question_id in hidden:
            del answers[question_id]
    result.evaluated += 1
    level, badness = level_of(kb, counted, evaluate(kb, counted))
    return _Tried(change=changes, answers=answers, level=level, badness=badness, hidden=hidden)


def _suggestion(kb: KnowledgeBase, plan: Plan, before: Assessment, tried: _Tried) -> Suggestion | None:
    """The suggestion in words, from a full assessment of the changed plan; None if it does not lower the level."""
    changed_plan = plan.model_copy(update={"answers": tried.answers})
    after = assess(kb, changed_plan)
    if LEVELS.index(after.level) >= LEVELS.index(before.level):
        return None
    changes = _answer_changes(kb, tried)
    was = {f.rule: f for f in before.findings if f.direction == "negative"}
    folded = {title for f in before.findings for title in f.consolidates}  # there before, read in another
    now = {f.rule: f for f in after.findings if f.direction == "negative"}
    removed = [FindingChange(rule=r, title=f.title, score_before=f.score, score_after=None) for r, f in was.items()]
    removed = [change for change in removed if change.rule not in now]
    lowered = [
        FindingChange(rule=r, title=f.title, score_before=f.score, score_after=now[r].score)
        for r, f in was.items()
        if r in now and now[r].score < f.score
    ]
    added = [
        FindingChange(rule=r, title=f.title, score_before=was[r].score if r in was else None, score_after=f.score)
        for r, f in now.items()
        if (r not in was and f.title not in folded) or (r in was and f.score > was[r].score)
    ]
    level_before, level_after = level_label(kb, before.level), level_label(kb, after.level)
    sentence = level_fall_sentence(translator("en"), [change.words for change in changes], level_before, level_after)
    return Suggestion(
        changes=changes,
        level_before=before.level,
        level_after=after.level,
        level_before_words=level_before,
        level_after_words=level_after,
        steps=LEVELS.index(before.level) - LEVELS.index(after.level),
        findings_removed=removed,
        findings_lowered=lowered,
        findings_added=added,
        no_longer_asked=tried.hidden,
        answers=tried.answers,
        sentence=sentence,
    )


def _answer_changes(kb: KnowledgeBase, tried: _Tried) -> list[AnswerChange]:
    """The changes in words; two changes to one many-of answer are told as one."""
    if len(tried.change) == 2 and tried.change[0].question.id == tried.change[1].question.id:
        first = tried.change[0]
        merged = _merged(*tried.change)
        assert merged is not None
        pieces = [_Change(first.question, first.before, merged, first.order)]
    else:
        pieces = list(tried.change)
    return [_answer_change(kb, change) for change in pieces]


def _answer_change(kb: KnowledgeBase, change: _Change) -> AnswerChange:
    question = change.question
    after_words = answer_words(kb, question.id, change.after)
    before_words = "not answered" if change.before is None else answer_words(kb, question.id, change.before)
    return AnswerChange(
        question=question.id,
        question_text=question.text,
        before=change.before,
        after=change.after,
        before_words=before_words,
        after_words=after_words,
        words=_clause(question, change.before, change.after, before_words, after_words),
    )


def _clause(question: Question, before: AnswerValue | None, after: AnswerValue, was: str, now: str) -> str:
    """A change as the middle of "If ..., the level would fall": plain, and honest about what it was.

    Examples:
        >>> q = Question(id="q", text="Which routes?", type="many_of", options=[{"id": "a", "label": "Online"},
        ...     {"id": "b", "label": "Face to face"}])
        >>> _clause(q, ["a"], ["a", "b"], "Online", "Online; Face to face")
        'the answer to "Which routes?" also included "Face to face"'
    """
    option = _option(question, before, after)
    return change_clause(translator("en"), question.text, now, None if before is None else was, option)


def _option(
    question: Question, before: AnswerValue | None, after: AnswerValue
) -> tuple[Literal["added", "removed"], str] | None:
    """The one option a many-of change adds or takes away, by its label (None for any other change)."""
    one = answer_type(question.type).option_change(before, after)
    if one is None:
        return None
    return one[0], question.label_of(one[1])
