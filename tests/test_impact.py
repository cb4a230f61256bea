"""Residual impact: declared effects move the scores exactly as declared, only mitigations in place count, the
residual is screened as the inherent level is, and the rule base declares an effect on every mitigation."""

from __future__ import annotations

from pathlib import Path

import pytest

from proofing.assessment import Assessment, Finding, LinkedMitigation, assess
from proofing.decisions import DecisionNotes, MitigationDecision, MitigationNote, OwnMitigation, mitigation_key
from proofing.engine import evaluate
from proofing.impact import all_in_place, effect_problems, lowered, residual, screening_level
from proofing.knowledge import KnowledgeBase, load_knowledge
from proofing.plan import read_plan
from proofing.questionnaire import Effect

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.yaml"))


def example(kb: KnowledgeBase, name: str) -> Assessment:
    return assess(kb, read_plan(Path(__file__).resolve().parent.parent / "examples" / f"{name}.yaml"))


def with_effects(assessment: Assessment, rule: str, effects: list[Effect | None]) -> tuple[Assessment, Finding]:
    """The assessment with one finding's mitigations replaced by ones declaring the given effects."""
    finding = next(f for f in assessment.findings if f.rule == rule)
    template = finding.mitigations[0]
    mitigations = [template.model_copy(update={"text": f"mitigation {n}", "effect": e}) for n, e in enumerate(effects)]
    changed = finding.model_copy(update={"mitigations": mitigations})
    findings = [changed if f.rule == rule else f for f in assessment.findings]
    return assessment.model_copy(update={"findings": findings}), changed


OWNED = {"owner": "the service manager", "due": "2027-03-31"}  # an accepted mitigation counts only with both


def accept(finding: Finding, *indexes: int, status: str = "accepted") -> dict[str, MitigationDecision]:
    return {mitigation_key(finding, i): MitigationDecision(status=status, **OWNED) for i in indexes}  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def library(kb: KnowledgeBase) -> Assessment:
    return example(kb, "library-opening-hours")


RULE = "access_travel_no_public_transport"  # likelihood 4, severity 4 in the library example


@pytest.mark.parametrize(
    ("effects", "likelihood", "severity"),
    [
        ([Effect(lowers="likelihood", by=2, reason="r")], 2, 4),
        ([Effect(lowers="severity", by=1, reason="r")], 4, 3),
        ([Effect(lowers="likelihood", to=1, reason="r")], 1, 4),
        ([Effect(lowers="likelihood", to=5, reason="a 'to' above the value lowers nothing")], 4, 4),
        ([Effect(lowers="severity", by=4, reason="floor at 1")], 4, 1),
        ([Effect(lowers="severity", by=1, reason="r"), Effect(lowers="severity", by=1, reason="r")], 4, 2),
        ([Effect(lowers="likelihood", by=3, reason="r"), Effect(lowers="likelihood", by=2, reason="r")], 1, 4),
        ([Effect(lowers="likelihood", to=2, reason="r"), Effect(lowers="likelihood", by=1, reason="r")], 1, 4),
        ([Effect(lowers="likelihood", by=1, reason="r"), Effect(lowers="severity", to=2, reason="r")], 3, 2),
    ],
)
def test_declared_effects_move_the_score_exactly_as_declared(
    kb: KnowledgeBase, library: Assessment, effects: list[Effect], likelihood: int, severity: int
) -> None:
    assessment, finding = with_effects(library, RULE, effects)
    assert (finding.likelihood, finding.severity) == (4, 4)
    moved = next(f for f in residual(kb, assessment, accept(finding, *range(len(effects)))).findings if f.rule == RULE)
    assert (moved.residual_likelihood, moved.residual_severity) == (likelihood, severity)
    assert moved.residual_score == likelihood * severity
    assert [a.reason for a in moved.applied] == [e.reason for e in effects]
    assert (moved.likelihood, moved.severity, moved.score) == (4, 4, 16)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_each_rule_base_effect_alone_moves_its_finding_as_declared(kb: KnowledgeBase, path: Path) -> None:
    assessment = assess(kb, read_plan(path))
    for finding in (f for f in assessment.findings if f.direction == "negative"):
        for index, mitigation in enumerate(finding.mitigations):
            effect = mitigation.effect
            assert effect is not None, f"{finding.rule}: {mitigation.text}"
            moved = next(f for f in residual(kb, assessment, accept(finding, index)).findings if f.rule == finding.rule)
            expected = {"likelihood": finding.likelihood, "severity": finding.severity}
            expected[effect.lowers] = lowered(expected[effect.lowers], effect)
            assert (moved.residual_likelihood, moved.residual_severity) == (
                expected["likelihood"],
                expected["severity"],
            )
            assert [a.key for a in moved.applied] == [mitigation_key(finding, index)]


@pytest.mark.parametrize("status", ["rejected", "proposed"])
def test_a_rejected_or_merely_proposed_mitigation_changes_nothing(
    kb: KnowledgeBase, library: Assessment, status: str
) -> None:
    negatives = [f for f in library.findings if f.direction == "negative"]
    decisions = {
        key: value for f in negatives for key, value in accept(f, *range(len(f.mitigations)), status=status).items()
    }
    result = residual(kb, library, decisions)
    assert all((f.residual_likelihood, f.residual_severity) == (f.likelihood, f.severity) for f in result.findings)
    assert all(
        not f.applied and len(f.open) == len(next(n for n in negatives if n.rule == f.rule).mitigations)
        for f in result.findings
    )
    assert result.residual_level == library.level == "full_assessment"
    assert residual(kb, library).residual_level == library.level  # no decisions at all: the same


def test_done_and_adapted_count_as_in_place_and_plain_dicts_are_read(kb: KnowledgeBase, library: Assessment) -> None:
    finding = next(f for f in library.findings if f.rule == RULE)
    first, second = mitigation_key(finding, 0), mitigation_key(finding, 1)
    notes = DecisionNotes(mitigations={second: MitigationNote(choice="adapted", adapted="Home visits weekly.")})
    result = residual(kb, library, {first: {"status": "done"}, second: {"status": "proposed", **OWNED}}, notes)
    moved = next(f for f in result.findings if f.rule == RULE)
    assert [(a.key, a.status) for a in moved.applied] == [(first, "done"), (second, "adapted")]
    assert (moved.residual_likelihood, moved.residual_severity) == (1, 4)  # 4 - 1 (site choice) - 2 (home visits)
    rejected = residual(kb, library, {second: {"status": "rejected"}}, notes)
    assert not next(f for f in rejected.findings if f.rule == RULE).applied


def test_an_own_mitigation_is_shown_but_moves_nothing(kb: KnowledgeBase, library: Assessment) -> None:
    own = OwnMitigation(finding=RULE, text="A community minibus on opening days.", status="accepted", **OWNED)
    moved = next(f for f in residual(kb, library, {}, DecisionNotes(own={"bus": own})).findings if f.rule == RULE)
    assert [(u.key, u.own) for u in moved.unscored] == [("own:bus", True)]
    assert moved.residual_score == moved.score


def test_the_screening_helper_is_the_assessments_own_level(kb: KnowledgeBase) -> None:
    for path in EXAMPLES:
        assessment = assess(kb, read_plan(path))
        assert screening_level(kb, assessment.findings, evaluate(kb, assessment.answers).facts) == assessment.level


def test_every_mitigation_taken_up_lowers_the_levels_the_rule_base_says_it_should(kb: KnowledgeBase) -> None:
    """Full assessment to mitigate: the housing allocations policy's myths and Caia Park conditions stay material
    (information and reassurance cut their likelihood, not the harm), but none stays at 15 or more. Mitigate to
    screened out: the staff relocation package's one finding (rules on partners) is removed by applying the rules
    to all couples alike."""
    housing = example(kb, "housing-allocations-policy")
    after = residual(kb, housing, all_in_place(housing))
    assert (housing.level, after.residual_level) == ("full_assessment", "mitigate")
    assert after.level_lowered
    assert max(f.residual_score for f in after.findings) < kb.scoring.screening.full_assessment_score
    relocation = example(kb, "staff-relocation-package")
    after = residual(kb, relocation, all_in_place(relocation))
    assert (relocation.level, after.residual_level) == ("mitigate", "screened_out")
    assert [(f.rule, f.residual_likelihood) for f in after.findings] == [("practice_staffing_partners_rules", 1)]


def test_a_plan_whose_mitigations_in_place_only_watch_stays_where_it_was(kb: KnowledgeBase) -> None:
    """The Traveller site extension makes a group more visible where tension was reported this year (4 x 5). With
    only the mitigations that lower severity in place (co-ordinated support for anyone targeted, monitoring,
    reporting, a liaison group) its likelihood stays 4 and its score 4 x 4 = 16 is still high: support and
    watching soften the harm but do not make it less likely, so the plan still needs a full assessment. The tension
    assessment and joint protection plan, which lower the likelihood, take it below 15; but a site families live on
    is an essential service (proportion.scale in scoring.yaml), where a possible and major harm (3 x 4 = 12) that
    remains still needs a full assessment."""
    site = example(kb, "traveller-site-extension")
    softening = {
        mitigation_key(f, i): MitigationDecision(status="accepted", **OWNED)
        for f in site.findings
        if f.direction == "negative"
        for i, m in enumerate(f.mitigations)
        if m.effect is not None and m.effect.lowers == "severity"
    }
    after = residual(kb, site, softening)
    visible = next(f for f in after.findings if f.rule == "tension_visible_where_tension_reported")
    assert (visible.residual_likelihood, visible.residual_severity) == (4, 4)
    assert (site.level, after.residual_level) == ("full_assessment", "full_assessment")
    assert not after.level_lowered
    everything = residual(kb, site, all_in_place(site))
    highest = max(f.residual_score for f in everything.findings)
    assert highest == 12 and highest < kb.scoring.screening.full_assessment_score
    assert everything.residual_level == "full_assessment"
    assert "essential_service" in evaluate(kb, site.answers).facts


def test_every_mitigation_of_a_negative_finding_declares_an_effect(kb: KnowledgeBase) -> None:
    assert effect_problems(kb) == []
    for rule in kb.rules:
        if rule.finding is not None and rule.finding.direction == "positive":
            assert all(m.effect is None for m in rule.finding.mitigations), rule.id


def remove_an_effect(rules_copy: Path) -> Path:
    """Take the effect off one mitigation (rule access_travel_no_public_transport's second) in a copy of the rule
    base; the file changed is returned."""
    access = rules_copy / "impacts" / "access.yaml"
    text = access.read_text(encoding="utf-8")
    block = (
        "          effect:\n            lowers: likelihood\n            by: 2\n"
        "            reason: people who cannot make the journey are served where they are\n"
    )
    assert text.count(block) == 1
    access.write_text(text.replace(block, ""), encoding="utf-8")
    return access


def test_a_rule_base_with_one_effect_removed_names_the_rule(rules_copy: Path) -> None:
    remove_an_effect(rules_copy)
    problems = effect_problems(load_knowledge(rules_copy))
    assert len(problems) == 1
    assert "access_travel_no_public_transport" in problems[0] and "mitigation 2" in problems[0]
    assert "no effect is declared" in problems[0]


def test_the_matrix_holds_each_findings_move(kb: KnowledgeBase) -> None:
    for path in EXAMPLES:
        assessment = assess(kb, read_plan(path))
        result = residual(kb, assessment, all_in_place(assessment))
        matrix = result.matrix
        assert [[(c.likelihood, c.severity) for c in row] for row in matrix.rows] == [
            [(likelihood, severity) for severity in range(1, 6)] for likelihood in range(5, 0, -1)
        ]
        assert sum(len(c.inherent) for row in matrix.rows for c in row) == len(result.findings)
        assert sum(len(c.residual) for row in matrix.rows for c in row) == len(result.findings)
        for finding, move in zip(result.findings, matrix.moves, strict=True):
            assert move.rule == finding.rule
            assert (move.from_likelihood, move.from_severity) == (finding.likelihood, finding.severity)
            assert (move.to_likelihood, move.to_severity) == (finding.residual_likelihood, finding.residual_severity)
            assert finding.rule in matrix.cell(finding.likelihood, finding.severity).inherent
            assert finding.rule in matrix.cell(finding.residual_likelihood, finding.residual_severity).residual
            assert finding.residual_score <= finding.score


def test_linked_mitigations_carry_the_rule_bases_effect(kb: KnowledgeBase, library: Assessment) -> None:
    rules = {rule.id: rule for rule in kb.rules}
    finding = next(f for f in library.findings if f.rule == RULE)
    template = rules[RULE].finding
    assert template is not None
    assert [m.effect for m in finding.mitigations] == [m.effect for m in template.mitigations]
    assert isinstance(finding.mitigations[0], LinkedMitigation)
