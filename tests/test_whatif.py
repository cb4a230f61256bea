"""What would change the level: the suggestions keep their promise, change only the plan's own choices, are
minimal, and read in words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from proofing.assessment import assess
from proofing.calibration import read_case
from proofing.engine import evaluate
from proofing.knowledge import KnowledgeBase
from proofing.plan import Plan, check_answers, read_plan, usable_answers, visible_questions
from proofing.questionnaire import LEVELS
from proofing.whatif import Suggestion, _alternatives, level_of, search, what_would_lower

HERE = Path(__file__).resolve().parent
EXAMPLES = sorted((HERE.parent / "examples").glob("*.yaml"))
CASES = sorted((HERE / "calibration").glob("C*.yaml"), key=lambda path: int(path.stem[1:]))
PLANS = [(path.stem, read_plan(path)) for path in EXAMPLES] + [(path.stem, read_case(path).plan) for path in CASES]


@pytest.fixture(scope="module")
def found(kb: KnowledgeBase) -> dict[str, tuple[Plan, str, list[Suggestion]]]:
    return {name: (plan, assess(kb, plan).level, what_would_lower(kb, plan)) for name, plan in PLANS}


def test_every_suggestion_applied_gives_the_level_it_promises(kb: KnowledgeBase, found: dict) -> None:
    screened = 0
    for name, (plan, level, suggestions) in found.items():
        if level == "screened_out":
            screened += 1
            continue
        for suggestion in suggestions:
            changed = plan.model_copy(update={"answers": suggestion.answers})
            usable_answers(kb.questionnaire, changed)  # a valid plan: raises PlanError otherwise
            assert not check_answers(kb.questionnaire, suggestion.answers).warnings, name
            after = assess(kb, changed)
            assert suggestion.level_before == level, name
            assert after.level == suggestion.level_after, (name, suggestion.sentence)
            assert LEVELS.index(after.level) < LEVELS.index(level), name
            assert suggestion.steps == LEVELS.index(level) - LEVELS.index(after.level)
            for change in suggestion.changes:
                assert suggestion.answers[change.question] == change.after
    assert screened < len(found)


def test_a_suggestion_changes_only_shown_questions_the_plan_itself_decides(kb: KnowledgeBase, found: dict) -> None:
    for name, (plan, _level, suggestions) in found.items():
        shown = visible_questions(kb.questionnaire, plan.answers)
        for suggestion in suggestions:
            for change in suggestion.changes:
                question = kb.questionnaire.question(change.question)
                assert question is not None and question.changeable and not question.process, (name, change.question)
                assert change.question in shown, (name, change.question)
            keys = set(plan.answers) | set(suggestion.answers)
            changed = {q for q in keys if plan.answers.get(q) != suggestion.answers.get(q)}
            assert changed - set(suggestion.no_longer_asked) == {change.question for change in suggestion.changes}


def test_no_suggestion_is_a_superset_of_another(found: dict) -> None:
    for name, (_plan, _level, suggestions) in found.items():
        sets = [{(c.question, str(c.after)) for c in suggestion.changes} for suggestion in suggestions]
        for index, first in enumerate(sets):
            assert all(not first < second for other, second in enumerate(sets) if other != index), name
        assert len({frozenset(s) for s in sets}) == len(sets), name


def test_pairs_never_contain_a_change_enough_on_its_own(kb: KnowledgeBase, found: dict) -> None:
    for name, (_plan, _level, suggestions) in found.items():
        singles = {(s.changes[0].question, str(s.changes[0].after)) for s in suggestions if len(s.changes) == 1}
        for suggestion in suggestions:
            if len(suggestion.changes) == 2:
                assert not {(c.question, str(c.after)) for c in suggestion.changes} & singles, name


def test_suggestions_are_sorted_by_how_far_the_level_falls_then_fewest_changes(found: dict) -> None:
    for _name, (_plan, _level, suggestions) in found.items():
        keys = [(-suggestion.steps, len(suggestion.changes)) for suggestion in suggestions]
        assert keys == sorted(keys)


def test_a_screened_out_plan_gets_none(kb: KnowledgeBase, found: dict) -> None:
    outs = [name for name, (_plan, level, _s) in found.items() if level == "screened_out"]
    assert outs
    for name in outs:
        assert found[name][2] == [], name


def test_some_plan_has_a_single_change_and_its_sentence_reads_in_words(kb: KnowledgeBase, found: dict) -> None:
    everything = [(name, s) for name, (_p, _l, suggestions) in found.items() for s in suggestions]
    assert [s for _name, s in everything if len(s.changes) == 1]
    for name, suggestion in everything:
        sentence = suggestion.sentence
        assert sentence.startswith('If the answer to "'), sentence
        assert sentence.endswith(
            f"the level would fall from {suggestion.level_before_words} to {suggestion.level_after_words}."
        )
        assert not re.search(r"[a-z]_[a-z]|True|False|\[", sentence), (name, sentence)  # no ids, no raw values
        for change in suggestion.changes:
            assert f'"{change.question_text}"' in sentence, sentence
            assert change.question not in sentence or change.question in change.question_text.lower(), sentence


# The headline case (and test_before_after's page): the library plan's other high findings settled ...
SETTLED = {"interpreting": "free", "welsh_provision": "full_bilingual", "public_transport": True}
# ... and its users narrowed to older and disabled people who are being consulted.
NARROWER = {
    "affected_characteristics": ["age", "disability"],
    "affected_communities": ["older_people"],
    "limited_english_users": False,
    "welsh_opportunities": "same",
    "engagement_done": "planned",
    "engaged_communities": ["older_people"],
    "consultation_languages": "english_welsh",
}


def test_the_headline_case_help_kept_for_people_who_cannot_go_online(kb: KnowledgeBase) -> None:
    """The library plan with its other high findings settled, its users older and disabled people who are being
    consulted: keeping help for people who cannot go online is then enough on its own.

    The library plan as it stands is broad (amber impacts on five characteristics, nobody engaged): keeping the
    help removes its one high finding, but breadth keeps it at a full assessment (``proportion`` in scoring.yaml)."""
    plan = read_plan(HERE.parent / "examples" / "library-opening-hours.yaml")
    broad = plan.model_copy(update={"answers": {**plan.answers, **SETTLED, "assisted_digital": True}})
    assert (assess(kb, broad).level, assess(kb, broad).level_basis) == ("full_assessment", "breadth")
    plan = plan.model_copy(update={"answers": {**plan.answers, **SETTLED, **NARROWER}})
    assert assess(kb, plan).level == "full_assessment"
    suggestions = what_would_lower(kb, plan)
    single = [s for s in suggestions if [c.question for c in s.changes] == ["assisted_digital"]]
    assert single, [s.sentence for s in suggestions]
    assert single[0].level_after == "mitigate"
    assert single[0].sentence == (
        'If the answer to "Will there be help, in person or by phone, for people who cannot use the online route?" '
        'were "Yes" rather than "No", the level would fall from Full assessment needed to Mitigate.'
    )
    assert "access_online_only_digital_exclusion" in {f.rule for f in single[0].findings_removed}


def test_the_quick_level_is_the_assessments_level_for_every_change_tried(kb: KnowledgeBase) -> None:
    """level_of (engine and level logic, no findings built) agrees with assess() on every plan and every single
    change the search can try, changeable or not."""
    tried = 0
    for name, plan in PLANS:
        counted = usable_answers(kb.questionnaire, plan).answers
        assert level_of(kb, counted, evaluate(kb, counted))[0] == assess(kb, plan).level, name
        shown = visible_questions(kb.questionnaire, plan.answers)
        for question in kb.questionnaire.questions:
            if question.id not in shown:
                continue
            for change in _alternatives(question, counted.get(question.id)):
                answers = {**plan.answers, question.id: change.after}
                checked = check_answers(kb.questionnaire, answers)
                if checked.problems:
                    continue
                changed = plan.model_copy(update={"answers": answers})
                quick = level_of(kb, checked.answers, evaluate(kb, checked.answers))[0]
                assert quick == assess(kb, changed).level, (name, question.id, change.after)
                tried += 1
    assert tried > 300


def test_the_search_is_bounded_and_deterministic(kb: KnowledgeBase) -> None:
    plan = read_plan(HERE.parent / "examples" / "library-opening-hours.yaml")
    first, second = search(kb, plan), search(kb, plan)
    assert first.suggestions == second.suggestions
    assert first.evaluated == second.evaluated
    assert first.pairs <= 18 * 17 // 2
    assert search(kb, plan, max_changes=1).pairs == 0
    with pytest.raises(ValueError):
        search(kb, plan, max_changes=3)


def test_facts_of_the_world_and_process_questions_are_never_changeable(kb: KnowledgeBase) -> None:
    changeable = {q.id for q in kb.questionnaire.questions if q.changeable}
    assert not {q.id for q in kb.questionnaire.questions if q.process} & changeable
    roles = kb.questionnaire.roles
    facts = {"reach", "geography", "people_affected", "deprived_area", "recent_tension", "limited_english_users"}
    facts |= {roles.named_characteristics, roles.named_communities, "media_interest", "known_myths", "change_type"}
    assert not facts & changeable
    assert {"assisted_digital", "interpreting", "welsh_provision", "consultation_languages"} <= changeable
