"""Training that teaches what it says: on every card, what its teaching names counts as found, the level and the main
impacts right is a pass, and the impact picker is a few themes named in words."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from proofing.cards import TrainingCase
from proofing.cli import main
from proofing.engine import evaluate
from proofing.knowledge import KnowledgeBase
from proofing.language import catalogue, translator, ui_coverage, ui_messages
from proofing.plan import check_answers
from proofing.training import (
    SCORING,
    Prediction,
    ScoringRule,
    impact_themes,
    impacts_offered,
    score_round,
    scoring_words,
    theme_names,
)
from tests.test_training import CARD_IDS

PROJECT = Path(__file__).resolve().parent.parent


def _case(kb: KnowledgeBase, case_id: str) -> TrainingCase:
    return next(case for case in kb.training if case.id == case_id)


def _fired(kb: KnowledgeBase, case: TrainingCase) -> set[str]:
    """Every finding rule that fires for the card's plan, before the assessment folds one finding into another."""
    findings = {rule.id for rule in kb.rules if rule.finding}
    answers = check_answers(kb.questionnaire, case.plan.answers).answers
    return set(evaluate(kb, answers).findings) & findings


@pytest.mark.parametrize("case_id", CARD_IDS)
def test_every_impact_the_card_teaches_counts_as_found_when_picked(kb: KnowledgeBase, case_id: str) -> None:
    case = _case(kb, case_id)
    taught = [*case.expect.impacts, *case.expect.also]
    assert not set(case.expect.also) & set(case.expect.impacts)
    assert set(taught) <= _fired(kb, case), set(taught) - _fired(kb, case)
    for rule in taught:
        result = score_round(kb, case, Prediction(impacts=[rule]))
        picked = [reveal for reveal in result.reveals if reveal.rule == rule]
        assert [reveal.outcome for reveal in picked] == ["found"], (case_id, rule)
        assert picked[0].main == (rule in case.expect.impacts)
    # And nothing the rules find for the plan is ever over-called, whether or not a learning point names it.
    everything = score_round(kb, case, Prediction(impacts=sorted(_fired(kb, case))))
    assert not [reveal.rule for reveal in everything.reveals if reveal.outcome == "over-called"]
    assert {reveal.rule for reveal in everything.reveals if reveal.outcome == "found"} == _fired(kb, case)


def test_an_impact_folded_into_a_wider_finding_is_found_as_part_of_it(kb: KnowledgeBase) -> None:
    case = _case(kb, "housing_phone_interpreting")
    folded = "language_remote_contact_limited_english"  # the card's third learning point; the rules fold it
    assert folded not in {finding.rule for finding in score_round(kb, case, Prediction()).reveals}
    (reveal,) = [r for r in score_round(kb, case, Prediction(impacts=[folded])).reveals if r.rule == folded]
    assert reveal.outcome == "found" and not reveal.main
    assert reveal.part_of == "Information will not be available in the languages of people with limited English"
    assert reveal.title.startswith("Moving contact to phone, online or self-service routes")
    assert reveal.because


@pytest.mark.parametrize("case_id", CARD_IDS)
def test_level_and_main_impacts_pass_and_the_level_wrong_alone_fails(kb: KnowledgeBase, case_id: str) -> None:
    case = _case(kb, case_id)
    wrong_level = next(level for level in ("screened_out", "mitigate", "full_assessment") if level != case.expect.level)
    both = score_round(kb, case, Prediction(level=case.expect.level, impacts=case.expect.impacts))
    assert both.passed and both.score >= SCORING.pass_mark, (case_id, both.score)
    assert not score_round(kb, case, Prediction(level=wrong_level)).passed
    assert score_round(kb, case, Prediction(level=wrong_level)).score == 0
    # Either half without the other is not a pass, even with every group right.
    level_and_groups = Prediction(level=case.expect.level, groups=case.expect.groups)
    impacts_and_groups = Prediction(level=wrong_level, groups=case.expect.groups, impacts=case.expect.impacts)
    assert not score_round(kb, case, level_and_groups).passed
    assert not score_round(kb, case, impacts_and_groups).passed


def test_the_scoring_rule_refuses_parts_that_would_not_mean_what_it_says() -> None:
    assert SCORING.level + SCORING.impacts + SCORING.groups == 100
    with pytest.raises(ValidationError, match="add up to 100"):
        ScoringRule(level=30, impacts=50, groups=30)
    with pytest.raises(ValidationError, match="must reach the pass mark"):
        ScoringRule(pass_mark=90, level=30, impacts=50, groups=20)
    with pytest.raises(ValidationError, match="fall short of the pass mark"):
        ScoringRule(pass_mark=60, level=20, impacts=40, groups=40)


def test_the_trainee_is_told_the_scoring_rule_in_words(kb: KnowledgeBase) -> None:
    case = _case(kb, "esol_classes_halved")
    assert len(case.expect.impacts) == 3
    words = scoring_words(case)
    assert words.startswith(f"The pass mark is {SCORING.pass_mark} of 100. ")
    assert f"The screening level counts {SCORING.level}" in words
    assert f"the main impacts count {SCORING.impacts} between them, 16.7 for each of this case's 3" in words
    assert f"the groups affected count {SCORING.groups}" in words
    assert "the level and the main impacts right is a pass" in words
    two = scoring_words(_case(kb, "polish_youth_night"))
    assert "25 for each of this case's 2" in two
    welsh = scoring_words(case, translator("cy"))
    assert welsh != words and str(SCORING.pass_mark) in welsh


def test_the_impact_picker_is_a_few_themes_in_words(kb: KnowledgeBase) -> None:
    case = kb.training[0]
    themes = impact_themes(kb, case)
    offered = [rule for rule, _title in impacts_offered(kb, case)]
    assert len(offered) > 80
    picked = [rule for theme in themes for rule, _title in theme.impacts]
    assert sorted(picked) == sorted(offered) and len(picked) == len(set(picked))  # each in exactly one theme
    assert 4 <= len(themes) <= 9
    assert max(len(theme.impacts) for theme in themes) < len(offered) / 3
    names = theme_names()
    assert [theme.name for theme in themes] == [names[theme.key] for theme in themes]
    assert all(" " in theme.name and "_" not in theme.name for theme in themes)
    assert "other" not in {theme.key for theme in themes}  # every project rule has a named theme
    by_key = {theme.key: {rule for rule, _title in theme.impacts} for theme in themes}
    assert {"access_closure_older_disabled", "facilities_toilets_lost"} <= by_key["access"]
    assert {"language_welsh_care_older_disabled", "learning_esol_ends"} <= by_key["language"]
    assert "tension_caia_park_conditions" in by_key["tension"]
    welsh = impact_themes(kb, case, translator("cy"))
    assert [t.key for t in welsh] == [t.key for t in themes] and welsh[0].name != themes[0].name


def test_a_rule_that_a_council_names_otherwise_goes_under_other_impacts(kb: KnowledgeBase) -> None:
    rule = next(rule for rule in kb.rules if rule.finding)
    renamed = kb.model_copy(update={"rules": [rule.model_copy(update={"id": "housing_special_case"})]})
    (theme,) = impact_themes(renamed, kb.training[0])
    assert (theme.key, theme.name, theme.impacts) == ("other", "Other impacts", [("housing_special_case", rule.title)])


def test_a_rule_change_that_drops_an_impact_a_learning_point_names_fails_the_check(
    rules_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cohesion = rules_copy / "impacts" / "cohesion.yaml"
    text = cohesion.read_text(encoding="utf-8")
    start = text.index("  - id: cohesion_newcomers_and_residents_meet")
    condition = text.index("        - {question: mixing, equals: together}", start)
    end = text.index("\n", condition)
    cohesion.write_text(text[:condition] + "        - {question: delivers, contains: charter}" + text[end:])
    assert main(["rules", "check", "--rules", str(rules_copy)]) == 1
    err = capsys.readouterr().err
    assert (
        "training case welsh_tasters_for_new_families teaches the impact cohesion_newcomers_and_residents_meet, "
        "which the rules no longer find for its plan"
    ) in err


def test_the_training_words_have_welsh_entries() -> None:
    catalogue.cache_clear()
    messages = ui_messages([PROJECT / "proofing" / "training.py", PROJECT / "proofing" / "certificate.py"])
    assert len(messages) >= 20
    coverage = ui_coverage(messages, "cy")
    assert not coverage.missing, coverage.missing
    assert not coverage.placeholder_faults, coverage.placeholder_faults
