"""The project's questionnaire can be answered honestly: every option says when to choose it, a staff-only plan is not
asked about places, the service's languages or public cohesion, and the answers issue 19 found missing exist."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from proofing.knowledge import KnowledgeBase
from proofing.plan import read_plan, visible_questions
from proofing.questionnaire import Option, Question
from proofing.store import Store
from views.common import plain

ROOT = Path(__file__).resolve().parent.parent


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


def test_the_assess_page_shows_when_to_choose_each_option(
    kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROOFING_DB_URL", f"sqlite:///{tmp_path / 'app.db'}")
    st.cache_resource.clear()
    try:
        assessment_id = Store().create(read_plan(ROOT / "examples" / "library-opening-hours.yaml"))
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params["assessment"] = assessment_id
        at.switch_page("views/assess.py")
        at.run()
        assert not at.exception
        reach = kb.questionnaire.question("reach")
        change = kb.questionnaire.question("change_type")
        assert reach is not None and change is not None
        radio = next(element for element in at.main if getattr(element, "key", None) == "q_reach")
        assert list(radio.proto.captions) == [
            plain(option.help or "") for option in reach.options
        ]  # under each radio button
        chooser = next(element for element in at.main if getattr(element, "key", None) == "q_change_type")
        for option in change.options:  # a multi-select lists each option's help in its own help
            assert f"{plain(option.label)}: {plain(option.help or '')}" in chooser.proto.help
    finally:
        st.cache_resource.clear()
