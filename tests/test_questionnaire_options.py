"""The project's questionnaire can be answered honestly: every option says when to choose it, a staff-only plan is not
asked about places, the service's languages or public cohesion, and the answers issue 19 found missing exist."""

from __future__ import annotations

import pytest

from proofing.knowledge import KnowledgeBase
from proofing.plan import visible_questions
from proofing.questionnaire import Option, Question


def test_every_option_of_the_project_questionnaire_says_when_to_choose_it(kb: KnowledgeBase) -> None:
    missing = [f"{q.id}.{option}" for q in kb.questionnaire.questions for option in q.options_without_help()]
    assert missing == [], f"options without help: {missing}"


def test_an_option_without_help_is_found() -> None:
    question = Question(
        id="q",
        text="Q?",
        type="one_of",
        options=[Option(id="a", label="A", help="Choose A when..."), Option(id="b", label="B")],
    )
    assert question.options_without_help() == ["b"]
    places = question.model_copy(update={"options_source": "places"})
    assert places.options_without_help() == []  # described in the knowledge base, not here


def test_a_staff_only_plan_skips_places_service_languages_and_public_cohesion(kb: KnowledgeBase) -> None:
    public = visible_questions(kb.questionnaire, {"change_type": ["staffing"], "reach": "public"})
    staff = visible_questions(kb.questionnaire, {"change_type": ["staffing"], "reach": "staff_only"})
    skipped = {"geography", "deprived_area", "welsh_provision", "mixing", "shared_space", "tension_potential"}
    assert skipped <= public
    assert not skipped & staff
    # what bears on staff is still asked
    assert {
        "affected_characteristics",
        "welsh_opportunities",
        "staffing_change",
        "requirements",
        "single_group",
    } <= staff


@pytest.mark.parametrize(
    ("question", "options"),
    [
        ("public_facilities", {"toilets", "changing_places", "baby_change", "seating", "lighting", "internet"}),
        ("change_type", {"legislation_guidance", "funding_bid", "strategy_commission", "capital_other"}),
        ("requirements", {"driving_licence", "qualification", "language_test", "age_cap", "distance_rule"}),
        ("community_languages", {"translated", "on_request", "none"}),
        ("opening_hours", {"not_applicable"}),
        (
            "affected_communities",
            {"homeless_people", "rough_sleepers", "staff", "rural_communities", "island_communities", "visitors"},
        ),
    ],
)
def test_the_missing_answers_exist(kb: KnowledgeBase, question: str, options: set[str]) -> None:
    found = kb.questionnaire.question(question)
    assert found is not None
    assert options <= {option.id for option in found.options}


def test_charges_take_several_answers(kb: KnowledgeBase) -> None:
    charges = kb.questionnaire.question("charge_change")
    assert charges is not None and charges.type == "many_of"
