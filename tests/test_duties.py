"""Duties by nation: a council outside Wales is never asked a Welsh-language question nor shown a Welsh duty.

The rule base names its nation and duties (rule_base.yaml, equality/duties.yaml) and the loader narrows it to
them (proofing.duties). These tests take the project's rule base to each nation (``for_nation``, and a copy of
rules/ with its nation switched) and check what is left, how conditions that read a question no longer asked are
folded, and the faults `rules check` reports for a duty that is wrong.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from proofing.assessment import assess
from proofing.cli import main
from proofing.conditions import AllOf, AnswerTest, AnyOf, NotOf
from proofing.duties import (
    DutiesFile,
    _Removed,
    aims_heading,
    asked_answers,
    for_nation,
    groups_heading,
    narrow,
    record_heading,
)
from proofing.engine import evaluate
from proofing.errors import RuleBaseError
from proofing.knowledge import KnowledgeBase, load_knowledge, rule_base_digest
from proofing.language import catalogue, rules_coverage
from proofing.oracle import reference_evaluate
from proofing.plan import Plan, check_answers, read_plan
from proofing.questionnaire import Option

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
EXAMPLES = ROOT / "examples"
WELSH_QUESTIONS = {"welsh_provision", "welsh_opportunities", "consultation_languages"}
WELSH_DUTIES = {"welsh_language_standards", "socio_economic_duty"}
NATIONS = ["england", "scotland", "northern_ireland"]


@pytest.fixture(scope="module")
def wales() -> KnowledgeBase:
    return load_knowledge(RULES)


def switched(tmp_path: Path, nation: str, duties: str | None = None) -> Path:
    """A copy of the project's rules/ with rule_base.yaml's nation (and duties line) switched."""
    copy = tmp_path / f"rules_{nation}"
    shutil.copytree(RULES, copy)
    path = copy / "rule_base.yaml"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("  duties:")]
    text = "\n".join(lines).replace("nation: wales", f"nation: {nation}") + "\n"
    if duties is not None:
        text += f"  duties: {duties}\n"
    path.write_text(text, encoding="utf-8")
    return copy


def groups_of(kb: KnowledgeBase) -> set[str]:
    """Every group anything in the rule base can name: characteristics, communities and what answers imply."""
    found = {c.id for c in kb.characteristics} | {c.id for c in kb.communities}
    for question in kb.questionnaire.questions:
        for implies in [question.implies] + [option.implies for option in question.options]:
            if implies:
                found |= set(implies.characteristics) | set(implies.communities)
    for rule in kb.rules:
        if rule.finding:
            found |= set(rule.finding.characteristics) | set(rule.finding.communities)
    return found


def test_wrexham_works_under_the_welsh_duties(wales: KnowledgeBase) -> None:
    assert wales.nation == "wales"
    assert [duty.id for duty in wales.duties] == ["psed", "welsh_language_standards", "socio_economic_duty"]
    assert WELSH_QUESTIONS <= {q.id for q in wales.questionnaire.questions}
    assert {"political_opinion", "dependants", "gaelic_language"}.isdisjoint({c.id for c in wales.characteristics})
    assert groups_heading(wales) == "Protected characteristics, Welsh language and socio-economic disadvantage"
    assert for_nation(wales, "wales") is wales
    whole, _catalogue = wales.whole_and_duties()  # nothing of Wales's duties removed: every rule as written
    assert [rule.model_dump() for rule in wales.rules] == [rule.model_dump() for rule in whole.rules]


@pytest.mark.parametrize("nation", NATIONS)
def test_outside_wales_nothing_welsh_is_asked_shown_or_fired(wales: KnowledgeBase, nation: str) -> None:
    kb = for_nation(wales, nation)
    assert kb.nation == nation
    assert WELSH_DUTIES.isdisjoint(d.id for d in kb.duties)
    assert WELSH_QUESTIONS.isdisjoint(q.id for q in kb.questionnaire.questions)
    assert {"welsh_language", "welsh_speakers"}.isdisjoint(groups_of(kb))
    assert not [r.id for r in kb.rules if r.id.startswith("language_") and "welsh" in r.id]
    assert not [q.text for q in kb.questionnaire.questions if "Welsh" in q.text]
    # an option may name Welsh in passing ("learning or practising English or Welsh"), never as what it is about
    labels = [o.label.replace("English or Welsh", "") for q in kb.questionnaire.questions for o in q.options]
    assert not [label for label in labels if "Welsh" in label]
    assert "Welsh" not in groups_heading(kb)
    assert kb.sha256 != wales.sha256  # compiled apart from the Welsh rule base
    # the rule base as written is kept: narrowing again gives the same rule base
    assert [r.id for r in for_nation(kb, nation).rules] == [r.id for r in kb.rules]
    assert len(for_nation(kb, "wales").rules) == len(wales.rules)


def test_each_nation_has_its_own_duties_and_characteristics(wales: KnowledgeBase) -> None:
    england, scotland, ni = (for_nation(wales, nation) for nation in NATIONS)
    assert [d.id for d in england.duties] == ["psed"]
    assert [d.id for d in scotland.duties] == ["psed", "fairer_scotland_duty", "gaelic_language_plan"]
    assert [d.id for d in ni.duties] == ["section_75"]
    assert "socio_economic" not in {c.id for c in england.characteristics}
    assert {"socio_economic", "gaelic_language"} <= {c.id for c in scotland.characteristics}
    ni_names = {c.id: c.name for c in ni.characteristics}
    assert {"political_opinion", "dependants"} <= set(ni_names)
    assert ni_names["race"] == "Racial group" and ni_names["marriage_civil_partnership"] == "Marital status"
    assert {"gender_reassignment", "pregnancy_maternity", "socio_economic"}.isdisjoint(ni_names)
    # Section 75's two aims in place of the PSED's three, and every finding cites them
    assert [a.id for a in ni.psed_aims] == ["s75_equality_of_opportunity", "s75_good_relations"]
    cited = {aim for rule in ni.rules if rule.finding for aim in rule.finding.psed_aims}
    assert cited == {"s75_equality_of_opportunity", "s75_good_relations"}
    assert groups_heading(ni) == "Section 75 categories"
    with pytest.raises(ValueError, match="not a nation"):
        for_nation(wales, "cornwall")


def plans_for(kb: KnowledgeBase) -> list[Plan]:
    """The example plans with the answers this rule base does not ask left out (a body there never gives them)."""
    plans = [read_plan(path) for path in sorted(EXAMPLES.glob("*.yaml"))]
    return [plan.model_copy(update={"answers": asked_answers(kb, plan.answers)}) for plan in plans]


def test_wrexham_copied_as_england_never_fires_a_welsh_finding(wales: KnowledgeBase, tmp_path: Path) -> None:
    england = load_knowledge(switched(tmp_path, "england"))
    assert [d.id for d in england.duties] == ["psed"]  # the default when `duties` is left out
    assert [r.id for r in england.rules] == [r.id for r in for_nation(wales, "england").rules]
    welsh_rules = {r.id for r in wales.rules if r.finding and "welsh_language" in r.finding.characteristics}
    assert welsh_rules  # the Welsh rule base has them: the English one must never fire them
    levels = []
    for plan in plans_for(england):
        assessment = assess(england, plan)
        levels.append(assessment.level)
        assert welsh_rules.isdisjoint(f.rule for f in assessment.findings), plan.title
        assert not [f for f in assessment.findings if {"welsh_language", "welsh_speakers"} & set(f.characteristics)]
        assert WELSH_QUESTIONS.isdisjoint(g.question for g in assessment.gaps)
    assert "full_assessment" in levels and len(set(levels)) > 1  # it still judges


@pytest.mark.parametrize("nation", NATIONS)
def test_the_narrowed_rules_still_pass_their_own_cases_in_the_engine_and_the_oracle(
    wales: KnowledgeBase, nation: str
) -> None:
    kb = for_nation(wales, nation)
    asked = {q.id for q in kb.questionnaire.questions}
    for rule in kb.rules:
        for case in rule.cases:
            assert set(case.answers) <= asked, (rule.id, case.name)
            checked = check_answers(kb.questionnaire, case.answers, complete=False)
            assert not checked.problems, (rule.id, case.name, checked.problems)
            engine, oracle = evaluate(kb, checked.answers), reference_evaluate(kb.rules, checked.answers)
            fired = rule.id in engine.findings or any(rule.id in by for by in engine.facts.values())
            assert fired is case.fires, f"{nation}: rule {rule.id}, case '{case.name}'"
            assert engine.findings == oracle.findings
    for case in kb.training:  # every card still plays, and teaches only impacts still found
        checked = check_answers(kb.questionnaire, case.plan.answers)
        fired = set(reference_evaluate(kb.rules, checked.answers).findings)
        assert set(case.expect.impacts) <= fired, (nation, case.id)


def test_a_test_on_a_question_not_asked_is_never_true_nor_its_opposite() -> None:
    catalogue = DutiesFile.model_validate(
        {
            "nations": [{"id": "england", "name": "England", "record_heading": "What the duty asks"}],
            "duties": [
                {"id": "psed", "name": "PSED", "source": "s.149", "nations": ["england"], "groups": "G"},
                {
                    "id": "welsh",
                    "name": "Welsh",
                    "source": "Measure",
                    "nations": ["wales"],
                    "groups": "W",
                    "members": {"questions": ["w"], "options": ["q.gone"]},
                },
            ],
        }
    )
    removed = _Removed(catalogue, {"psed"})
    a = AnswerTest(question="a", equals=True)
    w = AnswerTest.model_validate({"question": "w", "equals": "x"})
    unanswered = AnswerTest.model_validate({"question": "w", "answered": False})
    assert removed.fold(w) is False and removed.fold(NotOf(not_=w)) is False
    assert removed.fold(unanswered) is False and removed.fold(NotOf(not_=unanswered)) is False
    assert removed.fold(AllOf(all=[a, NotOf(not_=w)])) is False  # it needed the question: never fires
    assert removed.fold(AnyOf(any=[a, NotOf(not_=w)])) == a  # it had another way: keeps it
    # "neither a nor w" needs "not w", which is false; "not both" holds through "not a" alone
    assert removed.fold(NotOf(not_=AnyOf(any=[a, w]))) is False
    assert removed.fold(NotOf(not_=AllOf(all=[a, w]))) == NotOf(not_=a)
    # an option no longer offered is simply never chosen: its opposite holds
    gone = AnswerTest.model_validate({"question": "q", "contains": "gone"})
    assert removed.fold(gone) is False and removed.fold(NotOf(not_=gone)) is True
    some = AnswerTest.model_validate({"question": "q", "contains_any": ["gone", "kept"]})
    assert removed.fold(some) == AnswerTest.model_validate({"question": "q", "contains_any": ["kept"]})


def test_england_may_choose_the_socio_economic_duty(wales: KnowledgeBase, tmp_path: Path) -> None:
    chosen = load_knowledge(switched(tmp_path, "england", "[psed, socio_economic_duty]"))
    assert [d.id for d in chosen.duties] == ["psed", "socio_economic_duty"]
    assert "socio_economic" in {c.id for c in chosen.characteristics}
    assert WELSH_QUESTIONS.isdisjoint(q.id for q in chosen.questionnaire.questions)
    assert groups_heading(chosen) == "Protected characteristics and socio-economic disadvantage"
    assert len(chosen.rules) > len(for_nation(wales, "england").rules)


@pytest.mark.parametrize(
    ("duties", "fault"),
    [
        ("[psed, welsh_language_standards]", "the duty welsh_language_standards does not apply in England"),
        ("[psed, welsh_standards]", "there is no duty welsh_standards"),
        ("[section_75]", "the duty section_75 does not apply in England"),
    ],
)
def test_rules_check_faults_a_duty_that_is_wrong_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], duties: str, fault: str
) -> None:
    copy = switched(tmp_path, "england", duties)
    line = len((copy / "rule_base.yaml").read_text(encoding="utf-8").splitlines())
    assert main(["rules", "check", "--rules", str(copy)]) == 1
    err = capsys.readouterr().err
    assert f"rule_base.yaml:{line}: rule_base: {fault}" in err, err


def test_rules_check_faults_a_member_that_is_not_in_the_rule_base(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = switched(tmp_path, "wales")
    path = copy / "equality" / "duties.yaml"
    text = path.read_text(encoding="utf-8").replace("welsh_opportunities,", "welsh_oportunities,")
    path.write_text(text, encoding="utf-8")
    line = next(n for n, words in enumerate(text.splitlines(), start=1) if "welsh_oportunities" in words)
    with pytest.raises(RuleBaseError) as raised:
        load_knowledge(copy)
    assert any(
        p.line == line and "duty welsh_language_standards: there is no question welsh_oportunities" in p.message
        for p in raised.value.problems
    ), raised.value.problems
    bad_nation = switched(tmp_path / "n", "wales")
    (bad_nation / "rule_base.yaml").write_text(
        (bad_nation / "rule_base.yaml").read_text(encoding="utf-8").replace("nation: wales", "nation: cornwall"),
        encoding="utf-8",
    )
    assert main(["rules", "check", "--rules", str(bad_nation)]) == 1
    assert "rule_base.yaml" in capsys.readouterr().err


@pytest.mark.parametrize("nation", [*NATIONS, "wales"])
def test_every_text_another_nation_brings_has_a_welsh_entry(wales: KnowledgeBase, nation: str) -> None:
    catalogue.cache_clear()
    kb = for_nation(wales, nation)
    coverage = rules_coverage(kb, "cy")
    assert not coverage.missing, coverage.missing[:10]
    found = catalogue("cy")
    for words in (record_heading(kb), groups_heading(kb), aims_heading(kb)):
        assert found.lookup(words) is not None, words


def test_a_rule_base_loaded_keeps_the_sha256_of_its_files(wales: KnowledgeBase, tmp_path: Path) -> None:
    assert wales.sha256 == rule_base_digest(RULES)
    england = load_knowledge(switched(tmp_path, "england"))
    assert england.sha256 == rule_base_digest(england.root) != wales.sha256
    assert for_nation(wales, "england").sha256 not in (wales.sha256, england.sha256)


@pytest.mark.parametrize(
    ("nation", "missing"),
    [("england", []), ("scotland", ["gaelic_language"]), ("northern_ireland", ["political_opinion", "dependants"])],
)
def test_rules_check_of_the_copy_asks_only_for_rules_of_what_the_nation_adds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], nation: str, missing: list[str]
) -> None:
    """Narrowed, the Wrexham rules stay sound; a council that copies them into Scotland or Northern Ireland is told
    to write rules for what its nation's duties add, and for nothing Welsh."""
    assert main(["rules", "check", "--rules", str(switched(tmp_path, nation))]) == (1 if missing else 0)
    err = capsys.readouterr().err
    named = re.findall(r"no negative finding names characteristic (\w+)", err)
    assert named == missing, err
    assert "welsh" not in err.lower()


def test_a_new_welsh_option_or_finding_needs_no_listing(wales: KnowledgeBase) -> None:
    """What another editor adds about Welsh later (a "Welsh classes" option, a rule on them) is caught by what it
    implies or names (options_implying, findings_naming), without being listed in duties.yaml."""
    whole, catalogue = wales.whole_and_duties()
    question = whole.questionnaire.question("ends_provision")
    assert question is not None
    added = Option.model_validate(
        {
            "id": "welsh_classes_added",
            "label": "Welsh classes for learners",
            "implies": {"characteristics": ["welsh_language"]},
        }
    )
    sections = [
        section.model_copy(
            update={"questions": [q.model_copy(update={"options": [*q.options, added]}) if q is question else q
                                  for q in section.questions]}
        )
        for section in whole.questionnaire.sections
    ]  # fmt: skip
    base = next(
        r
        for r in whole.rules
        if r.finding and r.finding.direction == "negative" and "race" in r.finding.characteristics
    )
    assert base.finding is not None
    finding = base.finding.model_copy(update={"characteristics": ["race", "welsh_language"]})
    rule = base.model_copy(update={"id": "welsh_classes_cut_added", "finding": finding, "covers": []})
    edited = whole.model_copy(
        update={
            "questionnaire": whole.questionnaire.model_copy(update={"sections": sections}),
            "rules": [*whole.rules, rule],
        }
    )
    for nation, kept in (("england", False), ("wales", True)):
        kb = narrow(edited, catalogue, nation, None)
        options = {o.id for o in kb.questionnaire.question("ends_provision").options}  # type: ignore[union-attr]
        assert ("welsh_classes_added" in options) is kept
        assert ("welsh_classes_cut_added" in {r.id for r in kb.rules}) is kept
    # a question left with nothing to choose is not asked
    assert for_nation(wales, "england").questionnaire.question("welsh_opportunities") is None


def test_a_body_in_england_that_chose_the_socio_economic_duty_is_asked_about_it(kb: KnowledgeBase) -> None:
    def offered(rule_base: KnowledgeBase) -> set[str]:
        question = rule_base.questionnaire.question("affected_characteristics")
        assert question is not None
        return {option.id for option in question.options}

    assert "socio_economic" not in offered(for_nation(kb, "england"))
    chosen = for_nation(kb, "england", ["psed", "socio_economic_duty"])
    assert "socio_economic" in offered(chosen)
    assert "welsh_language" not in offered(chosen)
