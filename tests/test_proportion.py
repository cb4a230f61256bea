"""Proportion and breadth in the screening level (issue 19): properties over every example, every calibration case
and a thousand generated plans, and the cases the issue names.

- ordinary defaults screen out: a plan whose every answer is the ordinary good-practice answer, and whose change
  is minor, is screened out;
- breadth escalates: adding material negatives for more characteristics never lowers the level, and amber
  negatives on enough characteristics (or reaching enough groups with nobody engaged) reach a full assessment;
- scale is monotone: an essential service, or more people, never lowers the level.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from proofing.assessment import Assessment, assess, assess_draft
from proofing.engine import evaluate
from proofing.errors import RuleBaseError, display_path
from proofing.knowledge import KnowledgeBase, load_knowledge
from proofing.language import LOCALE_DIR, ui_coverage, ui_messages
from proofing.plan import Plan, check_answers, read_plan
from proofing.questionnaire import LEVELS, Level, ScoringFile
from proofing.screening import level_of_negatives, scale_of, screen, thresholds
from tests.test_calibration import _ANSWER_SETS, PLANS

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
_KB = load_knowledge()

# The kinds of change that are minor: they take nothing away, ration nothing, charge nothing and rebuild nothing.
# Every other kind is named by the rule that derives minor_change (impacts/scale.yaml) as not minor; a kind added
# to the questionnaire must be put on one side or the other (test_every_kind_of_change_is_decided_minor_or_not).
MINOR_KINDS = [
    "new_service",
    "service_change",
    "commissioning",
    "event_campaign",
    "policy_strategy",
    "legislation_guidance",
    "funding_bid",
    "strategy_commission",
]

# The ordinary good-practice answer to each question: the answers an honest manager of an ordinary plan that follows
# good practice gives (interpreting booked on request, information in accessible formats, a bilingual service, a
# communications plan where interest is expected), the first of each being the default. None: every answer is
# ordinary (who uses the service, where, how many, and every process answer: process never sets the level, I2).
ORDINARY: dict[str, list[Any] | None] = {
    "reach": None,
    "geography": None,
    "wards": None,
    "deprived_area": None,
    "recent_tension": [False],
    "site_use": None,
    "people_affected": None,
    "affected_communities": None,
    "affected_characteristics": None,
    "limited_english_users": None,
    "serves_maternity": None,
    "ends_provision": [["none"]],
    "eligibility_criteria": [["none"]],
    "welsh_provision": ["full_bilingual"],
    "welsh_opportunities": ["same", "more"],
    "community_languages": [True],
    "interpreting": ["on_request", "free", "not_needed"],
    "channel_to": [["online", "phone", "face_to_face"]],
    "digital_only": [False],
    "assisted_digital": [True],
    "charge_change": ["concessions_added", "decrease"],
    "reduction_percent": None,
    "further_travel": [False],
    "public_transport": [True],
    "physical_access": ["full", "not_applicable"],
    "accessible_formats": [True],
    "opening_hours": ["same", "longer"],
    "public_facilities": [["none"]],
    "mixing": ["together", "neutral"],
    "shared_space": None,
    "removes_shared_space": [False],
    "single_group": None,
    "single_group_explained": [True],
    "allocates_scarce": None,
    "criteria_published": [True],
    "perceived_unfairness": ["low"],
    "known_myths": None,
    "delivers": None,
    "media_interest": ["low", "medium"],
    "tension_potential": ["low", "medium"],
    "past_objections": [False],
    "visibility_risk": [False],
    "communications_plan": [True],
    "consultation_languages": ["english_welsh", "english_welsh_community"],
    "staffing_change": [["recruitment"]],
    "face_to_face": None,
}
# The default where every answer is ordinary: what a plan that does not say otherwise is taken to answer.
DEFAULT_OF_ANY: dict[str, Any] = {
    "reach": "public",
    "geography": "county_wide",
    "wards": [],
    "deprived_area": False,
    "site_use": ["community_facility"],
    "people_affected": 100,
    "affected_communities": [],
    "affected_characteristics": [],
    "limited_english_users": False,
    "serves_maternity": False,
    "reduction_percent": 0,
    "shared_space": False,
    "single_group": False,
    "allocates_scarce": False,
    "known_myths": False,
    "delivers": ["none"],
    "face_to_face": True,
}
PROCESS = {question.id for question in _KB.questionnaire.questions if question.process}


def ordinary(plan: Plan) -> Plan:
    """The plan with every answer that is not the ordinary good-practice one replaced by the default, and its change
    made minor (its minor kinds kept; a service change if it had none)."""
    answers: dict[str, Any] = {}
    for question_id, allowed in ORDINARY.items():
        answers[question_id] = DEFAULT_OF_ANY[question_id] if allowed is None else allowed[0]
    for question_id, value in plan.answers.items():
        allowed = ORDINARY.get(question_id)
        if question_id in PROCESS or (question_id in ORDINARY and (allowed is None or value in allowed)):
            answers[question_id] = value
    kinds = plan.answers.get("change_type")
    minor = [kind for kind in kinds if kind in MINOR_KINDS] if isinstance(kinds, list) else []
    answers["change_type"] = minor or ["service_change"]
    if answers["serves_maternity"] is True and answers["interpreting"] == "on_request":
        # Where a conversation cannot wait for an interpreter to be booked (a baby's health and welfare), good
        # practice offers interpreting routinely: on request is not the ordinary answer there.
        answers["interpreting"] = "free"
    return plan.model_copy(update={"answers": check_answers(_KB.questionnaire, answers, complete=False).answers})


def negatives_of(assessment: Assessment) -> list[tuple[int, set[str]]]:
    return [(f.score, set(f.characteristics + f.communities)) for f in assessment.findings if f.direction == "negative"]


def rank(level: Level) -> int:
    return LEVELS.index(level)


# --- the properties --------------------------------------------------------------------------------------------


def assert_ordinary_defaults_screen_out(kb: KnowledgeBase, plan: Plan) -> None:
    """Ordinary good practice and a minor change: screened out, with no material negative at all."""
    defaulted = ordinary(plan)
    assessment, _problems = assess_draft(kb, defaulted)
    material = [
        (f.rule, f.score)
        for f in assessment.findings
        if f.direction == "negative" and f.score >= kb.scoring.screening.material_score
    ]
    assert assessment.level == "screened_out", (material, assessment.level_reason, defaulted.answers)
    if assessment.answers.get("reach") != "internal_only":  # internal plans are not asked about provision (I3)
        assert "minor_change" in evaluate(kb, assessment.answers).facts


def assert_breadth_escalates(kb: KnowledgeBase, assessment: Assessment) -> None:
    """Adding material negatives for further characteristics never lowers the level; amber negatives on enough
    characteristics, or reaching enough groups with nobody engaged, need a full assessment."""
    proportion = kb.scoring.proportion
    assert proportion is not None
    facts = set(evaluate(kb, assessment.answers).facts)
    negatives = negatives_of(assessment)
    level = level_of_negatives(kb, negatives, facts)
    assert level == assessment.level
    hit = {group for _score, groups in negatives for group in groups}
    others = [c.id for c in kb.characteristics if c.id not in hit]
    grown = list(negatives)
    for score in (kb.scoring.screening.material_score, proportion.breadth.score, 12):
        for characteristic in others:
            grown.append((score, {characteristic}))
            now = level_of_negatives(kb, grown, facts)
            assert rank(now) >= rank(level), (characteristic, score, now, level)
            level = now
    material, _full = thresholds(kb, scale_of(kb, facts)[0])
    amber = max(proportion.breadth.score, material)  # material for a plan of this scale, and amber
    characteristics = [c.id for c in kb.characteristics][: proportion.breadth.characteristics]
    broad = negatives + [(amber, {characteristic}) for characteristic in characteristics]
    assert level_of_negatives(kb, broad, facts) == "full_assessment"
    groups = [c.id for c in kb.characteristics] + [c.id for c in kb.communities]
    reaching = negatives + [(amber, set(groups[: proportion.breadth.unheard_groups]))]
    assert level_of_negatives(kb, reaching, facts | {proportion.breadth.unheard_fact}) == "full_assessment"


def assert_scale_is_monotone(kb: KnowledgeBase, plan: Plan, assessment: Assessment) -> None:
    """An essential service or many people never lowers the level, nor does a change that is not minor or reaches
    more than a few people; and, on the plan itself, more people never lower it."""
    proportion = kb.scoring.proportion
    assert proportion is not None
    facts = set(evaluate(kb, assessment.answers).facts)
    negatives = negatives_of(assessment)
    level = level_of_negatives(kb, negatives, facts)
    for fact in proportion.scale.large_facts:
        assert rank(level_of_negatives(kb, negatives, facts | {fact})) >= rank(level), fact
    for fact in proportion.scale.small_facts:
        assert rank(level_of_negatives(kb, negatives, facts - {fact})) >= rank(level), fact
    if "people_affected" not in plan.answers:
        return
    levels = []
    for people in (1, 10, 250, 251, 1000, 4999, 5000, 100_000):
        grown = plan.model_copy(update={"answers": {**plan.answers, "people_affected": people}})
        levels.append(rank(assess_draft(kb, grown)[0].level))
    assert levels == sorted(levels), levels


@pytest.mark.parametrize(("name", "plan"), PLANS, ids=[name for name, _plan in PLANS])
def test_the_properties_hold_for_every_example_and_case(kb: KnowledgeBase, name: str, plan: Plan) -> None:
    assessment = assess(kb, plan, name)
    assert_ordinary_defaults_screen_out(kb, plan)
    assert_breadth_escalates(kb, assessment)
    assert_scale_is_monotone(kb, plan, assessment)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=_ANSWER_SETS)
def test_the_properties_hold_for_generated_plans(raw: dict[str, Any]) -> None:
    plan = Plan(title="A generated plan", service="Any service", owner="Service manager", answers=raw)
    assessment, _problems = assess_draft(_KB, plan)
    assert_ordinary_defaults_screen_out(_KB, plan)
    assert_breadth_escalates(_KB, assessment)
    assert_scale_is_monotone(_KB, plan, assessment)


# --- the rule in YAML, and its schema --------------------------------------------------------------------------


def test_every_threshold_in_proportion_has_a_comment_giving_its_reason() -> None:
    lines = (ROOT / "rules" / "scoring.yaml").read_text(encoding="utf-8").splitlines()
    start = lines.index("proportion:")
    end = next(index for index in range(start + 1, len(lines)) if lines[index] and not lines[index].startswith(" "))
    leaves = [
        index
        for index in range(start + 1, end)
        if ":" in lines[index] and not lines[index].strip().startswith("#") and not lines[index].rstrip().endswith(":")
    ]
    assert len(leaves) >= 7
    for index in leaves:
        assert lines[index - 1].strip().startswith("#") or "#" in lines[index], lines[index]


def test_the_facts_proportion_weighs_are_declared_and_derived(kb: KnowledgeBase) -> None:
    proportion = kb.scoring.proportion
    assert proportion is not None
    named = [proportion.breadth.unheard_fact, *proportion.scale.large_facts, *proportion.scale.small_facts]
    derived = {rule.derives for rule in kb.rules if rule.derives}
    declared = {fact.id for fact in kb.facts}
    assert set(named) <= declared and set(named) <= derived


def test_every_kind_of_change_is_decided_minor_or_not(kb: KnowledgeBase) -> None:
    minor = next(rule for rule in kb.rules if rule.derives == "minor_change")
    dumped = str(minor.when.model_dump())
    kinds = [option.id for option in kb.questionnaire.question("change_type").options]  # type: ignore[union-attr]
    undecided = [kind for kind in kinds if kind not in MINOR_KINDS and f"'{kind}'" not in dumped]
    assert undecided == [], f"say whether these kinds of change are minor: {undecided}"
    assert not [kind for kind in MINOR_KINDS if f"'{kind}'" in dumped]


def _scoring(**proportion_changes: Any) -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "rules" / "scoring.yaml").read_text(encoding="utf-8"))
    for dotted, value in proportion_changes.items():
        where = data["proportion"]
        *path, last = dotted.split("__")
        for key in path:
            where = where.setdefault(key, {})
        where[last] = value
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"scale__large__full_assessment_score": 18}, "must not be above screening.full_assessment_score (15)"),
        ({"scale__small__material_score": 4}, "must not be below screening.material_score (6)"),
        ({"scale__large__material_score": 9}, "must not be above screening.material_score (6)"),
        ({"breadth__score": 4}, "breadth.score (4) must not be below screening.material_score (6)"),
        ({"scale__small_facts": ["many_people_affected"]}, "both large and small: many_people_affected"),
    ],
)
def test_the_schema_refuses_a_scale_that_could_lower_a_larger_plan(change: dict[str, Any], message: str) -> None:
    ScoringFile.model_validate(_scoring())
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        ScoringFile.model_validate(_scoring(**change))


def test_a_broken_proportion_is_reported_at_its_line(rules_copy: Path) -> None:
    path = rules_copy / "scoring.yaml"
    text = path.read_text(encoding="utf-8")
    assert "      full_assessment_score: 12\n" in text
    path.write_text(
        text.replace("      full_assessment_score: 12\n", "      full_assessment_score: 18\n"), encoding="utf-8"
    )
    line = text.splitlines().index("proportion:") + 1
    with pytest.raises(RuleBaseError) as raised:
        load_knowledge(rules_copy)
    [problem] = [str(problem) for problem in raised.value.problems]
    assert problem.startswith(f"{display_path(path)}:{line}: field 'proportion': ")
    assert "scale.large.full_assessment_score (18) must not be above screening.full_assessment_score (15)" in problem


def test_a_council_without_proportion_screens_by_the_largest_score_alone(kb: KnowledgeBase) -> None:
    plain = kb.model_copy(update={"scoring": kb.scoring.model_copy(update={"proportion": None})})
    characteristics = [c.id for c in kb.characteristics]
    broad = [(12, {group}) for group in characteristics]
    assert level_of_negatives(plain, broad, {"not_engaged", "essential_service"}) == "mitigate"
    assert level_of_negatives(kb, broad, set()) == "full_assessment"


# --- the cases the issue names ---------------------------------------------------------------------------------


def _plan(path: str, **answers: Any) -> Plan:
    plan = read_plan(EXAMPLES / path)
    return plan.model_copy(update={"answers": {**plan.answers, **answers}})


def test_three_branch_libraries_closing_with_no_engagement_need_a_full_assessment(kb: KnowledgeBase) -> None:
    """Closing three branch libraries, one in the most deprived ward, amber negatives on five characteristics and
    nobody engaged: no one impact is red, but the plan needs a full assessment, and says why."""
    plan = _plan(
        "library-opening-hours.yaml",
        change_type=["closure"],
        geography="named_wards",
        wards=["cartrefle", "gwersyllt", "cefn"],
        deprived_area=True,
        further_travel=True,
        public_transport=True,
        interpreting="on_request",
        community_languages=False,
        welsh_provision="full_bilingual",
        affected_characteristics=["age", "disability", "socio_economic", "race", "welsh_language"],
    )
    assessment = assess(kb, plan)
    negatives = [f for f in assessment.findings if f.direction == "negative"]
    assert max(f.score for f in negatives) < kb.scoring.screening.full_assessment_score
    assert len({c for f in negatives for c in f.characteristics}) >= 5
    assert assessment.level == "full_assessment"
    assert assessment.level_basis == "breadth"
    assert "several characteristics at once (Age, Disability, Race" in assessment.level_reason
    assert "_" not in assessment.level_reason
    narrower = plan.model_copy(
        update={
            "answers": {
                **plan.answers,
                "affected_characteristics": ["age", "disability"],
                "affected_communities": ["older_people"],
                "limited_english_users": False,
                "welsh_opportunities": "same",
                "deprived_area": False,
                "public_facilities": ["none"],
                "removes_shared_space": False,
                "engagement_done": "done",
                "engaged_communities": ["older_people"],
                "consultation_languages": "english_welsh",
            }
        }
    )
    assert assess(kb, narrower).level == "mitigate"


WEBSITE = {
    "change_type": ["service_change", "channel_shift"],
    "channel_to": ["online"],
    "digital_only": False,
    "opening_hours": "same",
    "removes_shared_space": False,
}


@pytest.mark.parametrize(
    "answers",
    [{"interpreting": "on_request", "limited_english_users": True}, {"interpreting": "on_request", **WEBSITE}],
    ids=["youth sports programme", "accessible website"],
)
def test_interpreting_on_request_is_ordinary_practice(kb: KnowledgeBase, answers: dict[str, Any]) -> None:
    """The issue's youth sports programme, and an accessible website project, used by migrant families with
    interpreting booked on request: no finding, screened out. In a service where a request cannot wait (a baby
    clinic), the finding stands."""
    rule = "language_children_as_interpreters"
    plan = _plan(
        "youth-sports-league.yaml",
        affected_communities=["children_young_people", "children_of_migrant_workers", "migrant_families"],
        **answers,
    )
    assessment = assess(kb, plan)
    assert rule not in {f.rule for f in assessment.findings}
    assert assessment.level == "screened_out", assessment.level_reason
    urgent = assess(kb, plan.model_copy(update={"answers": {**plan.answers, "serves_maternity": True}}))
    assert rule in {f.rule for f in urgent.findings}


def test_a_positive_measure_is_not_escalated_by_expected_hostile_comment(kb: KnowledgeBase) -> None:
    """A measure a community asked for (the Charter promoted with young people) where some hostile comment and a lot
    of interest are expected, with no communications plan: a watch point (a gap), not an impact that needs
    mitigating. Where tension was reported this year, the finding stands."""
    plan = _plan(
        "youth-sports-league.yaml",
        delivers=["youth_diversity", "charter"],
        media_interest="high",
        tension_potential="medium",
        communications_plan=False,
    )
    assessment = assess(kb, plan)
    assert assessment.level == "screened_out", assessment.level_reason
    assert "tension_hostile_comment_on_positive_measure" in {gap.kind for gap in assessment.gaps}
    tense = assess(kb, plan.model_copy(update={"answers": {**plan.answers, "recent_tension": True}}))
    assert "tension_media_without_communications" in {f.rule for f in tense.findings}
    assert tense.level != "screened_out"


def test_a_minor_change_for_few_people_screens_out_its_slighter_risks(kb: KnowledgeBase) -> None:
    """A partly bilingual new service (likely x minor, 8) for 240 people is a small plan: screened out, with the
    finding kept and the reason given; for 300 people, or as a reduction, it needs mitigating."""
    plan = _plan("youth-sports-league.yaml", welsh_provision="partial")
    assessment = assess(kb, plan)
    assert [f.score for f in assessment.findings if f.direction == "negative"] == [8]
    assert (assessment.level, assessment.level_basis) == ("screened_out", "small_scale")
    assert "The plan reaches few people (250 or fewer)." in assessment.level_reason
    more = plan.model_copy(update={"answers": {**plan.answers, "people_affected": 300}})
    assert assess(kb, more).level == "mitigate"


def test_an_essential_service_needs_a_full_assessment_at_a_lower_score(kb: KnowledgeBase) -> None:
    negatives = [(12, {"race"})]
    assert level_of_negatives(kb, negatives, set()) == "mitigate"
    screening = screen(kb, negatives, {"essential_service"})
    assert (screening.level, screening.basis, screening.threshold) == ("full_assessment", "large_scale", 12)


def test_the_reasons_are_worded_in_welsh_too(kb: KnowledgeBase) -> None:
    from proofing.language import localised

    welsh = localised(kb, "cy").kb
    plan = _plan("youth-sports-league.yaml", welsh_provision="partial")
    english, cymraeg = assess(kb, plan), assess(welsh, plan)
    assert cymraeg.level == english.level and cymraeg.level_basis == english.level_basis
    assert cymraeg.level_reason != english.level_reason and "ychydig o bobl" in cymraeg.level_reason


def test_every_reason_has_a_welsh_entry() -> None:
    messages = ui_messages([ROOT / "proofing" / "screening.py"])
    assert len(messages) >= 9
    coverage = ui_coverage(messages, "cy", LOCALE_DIR)
    assert not coverage.missing and not coverage.placeholder_faults


def test_the_reason_for_the_level_is_said_where_the_level_is(capsys: pytest.CaptureFixture[str]) -> None:
    from proofing.cli import main

    assert main(["assess", str(EXAMPLES / "library-opening-hours.yaml")]) == 0
    text = capsys.readouterr().out
    assert "Why: A negative impact scores 16, at or above 15" in text
