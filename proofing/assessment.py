"""Assessing a plan: findings with scores and reasons, mitigations tied to actions, a screening level.

``assess(kb, plan)`` is what the app and the command line call. It checks the answers, runs the
rules engine, and turns what fired into an ``Assessment``: each finding with its score
(likelihood x severity), RAG band, the answers it rests on ("because"), the strategy items it bears
on and its mitigations linked to the action plan; a profile per characteristic and community; the
screening level (thresholds from rules/scoring.yaml); and the quality gaps that weak EIAs show.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from proofing.conditions import AnswerValue, facts_read, holds, questions_behind
from proofing.engine import ENGINE_NAME, ENGINE_VERSION, evaluate
from proofing.knowledge import KnowledgeBase
from proofing.oracle import Firing
from proofing.plan import Plan, check_answers, usable_answers
from proofing.questionnaire import ImpactRule

Level = Literal["screened_out", "mitigate", "full_assessment"]
Rag = Literal["red", "amber", "green"]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Because(Record):
    """One answer a finding rests on, with the words of the question and of the answer."""

    question: str
    answer: AnswerValue
    question_text: str
    answer_text: str


class LinkedAction(Record):
    """An action of the strategy (or a Migrant Worker task) that a mitigation draws on."""

    id: str
    text: str
    lead: str | None
    timescale: str | None


class LinkedMitigation(Record):
    """A mitigation, or a way to maximise a positive impact, with the actions it is tied to."""

    text: str
    actions: list[str]
    linked: list[LinkedAction]


class Finding(Record):
    """A likely impact of the plan, why it is expected, and what to do about it."""

    rule: str
    title: str
    direction: Literal["negative", "positive"]
    likelihood: int
    severity: int
    score: int
    rag: Rag
    characteristics: list[str]
    communities: list[str]
    psed_aims: list[str]
    indicators: list[str]
    principles: list[str]
    vision: list[str]
    outcomes: list[str]
    rationale: str
    because: list[Because]
    facts: list[str]
    mitigations: list[LinkedMitigation]


class GroupProfile(Record):
    """How one characteristic or community fares across the findings."""

    kind: Literal["characteristic", "community"]
    id: str
    name: str
    negative: int
    positive: int
    highest_negative_score: int


class Gap(Record):
    """A quality gap of the assessment itself, of the kind Audit Wales finds in weak EIAs."""

    kind: Literal["no_evidence", "no_engagement", "intersectional", "no_monitoring"]
    message: str
    groups: list[str]


class RuleBaseRef(Record):
    name: str
    version: str
    sha256: str


class EngineRef(Record):
    name: str
    version: str


class Assessment(Record):
    """The result of proofing one plan against one rule base."""

    plan: Plan
    rule_base: RuleBaseRef
    engine: EngineRef
    level: Level
    level_words: str
    decision: str
    answers: dict[str, AnswerValue]
    findings: list[Finding]
    profile: list[GroupProfile]
    gaps: list[Gap]
    warnings: list[str]


def assess(kb: KnowledgeBase, plan: Plan, source: str = "the plan") -> Assessment:
    """Proof a plan against the rule base; raises PlanError (in words) when its answers cannot be used."""
    checked = usable_answers(kb.questionnaire, plan, source)
    firing = evaluate(kb, checked.answers)
    return build_assessment(kb, plan, checked.answers, firing, checked.warnings)


def assess_draft(kb: KnowledgeBase, plan: Plan) -> tuple[Assessment, list[str]]:
    """Assess a plan still being written: what its valid answers show so far, and what is still wrong.

    The app shows results live as answers are given; an unanswered required question or a wrong
    answer does not stop the rest being scored, it is returned as a problem in words.
    """
    checked = check_answers(kb.questionnaire, plan.answers)
    firing = evaluate(kb, checked.answers)
    return build_assessment(kb, plan, checked.answers, firing, checked.warnings), checked.problems


def build_assessment(
    kb: KnowledgeBase, plan: Plan, answers: dict[str, AnswerValue], firing: Firing, warnings: list[str]
) -> Assessment:
    """Turn what fired into findings, profile, level and gaps (the same for either evaluator)."""
    rules = {rule.id: rule for rule in kb.rules}
    findings = [_finding(kb, rules[rule_id], answers, firing) for rule_id in firing.findings]
    findings.sort(key=lambda finding: (finding.direction != "negative", -finding.score, finding.rule))
    level = _level(kb, findings, firing)
    return Assessment(
        plan=plan,
        rule_base=RuleBaseRef(name=kb.name, version=kb.version, sha256=kb.sha256),
        engine=EngineRef(name=ENGINE_NAME, version=ENGINE_VERSION),
        level=level,
        level_words=kb.scoring.level_words[level],
        decision=kb.scoring.decision_words[level],
        answers=answers,
        findings=findings,
        profile=_profile(kb, findings),
        gaps=_gaps(kb, findings, answers, firing),
        warnings=warnings,
    )


def likelihood_severity_matrix(assessment: Assessment) -> list[dict[str, int | str]]:
    """Counts of negative findings by likelihood (rows, 5 down to 1) and severity (columns 1 to 5).

    Examples:
        >>> likelihood_severity_matrix(Assessment.model_construct(findings=[]))[0]["Likelihood"]
        '5 (almost certain)'
    """
    words = {5: "almost certain", 4: "likely", 3: "possible", 2: "unlikely", 1: "rare"}
    rows: list[dict[str, int | str]] = []
    for likelihood in range(5, 0, -1):
        row: dict[str, int | str] = {"Likelihood": f"{likelihood} ({words[likelihood]})"}
        for severity in range(1, 6):
            row[f"Severity {severity}"] = sum(
                1
                for f in assessment.findings
                if f.direction == "negative" and f.likelihood == likelihood and f.severity == severity
            )
        rows.append(row)
    return rows


def rag_of(kb: KnowledgeBase, score: int) -> Rag:
    """The RAG band of a score, by the thresholds in scoring.yaml."""
    if score >= kb.scoring.rag.red:
        return "red"
    return "amber" if score >= kb.scoring.rag.amber else "green"


def answer_words(kb: KnowledgeBase, question_id: str, answer: AnswerValue) -> str:
    """An answer in the words a reader understands (option labels, yes or no), never as ids."""
    question = kb.questionnaire.question(question_id)
    if question is None:
        return str(answer)
    if isinstance(answer, bool):
        return "Yes" if answer else "No"
    if isinstance(answer, list):
        return "; ".join(question.label_of(option) for option in answer) or "None"
    if question.type == "one_of":
        return question.label_of(str(answer))
    if isinstance(answer, float) and answer.is_integer():
        return str(int(answer))
    return str(answer)


def _because(
    kb: KnowledgeBase, rule: ImpactRule, answers: dict[str, AnswerValue], firing: Firing
) -> tuple[list[str], list[str]]:
    """The questions behind a rule (through the facts it reads, recursively), and the facts' words."""
    rules = {r.id: r for r in kb.rules}
    facts = frozenset(firing.facts)
    questions: list[str] = []
    fact_words: list[str] = []
    seen: set[str] = set()

    def walk(current: ImpactRule) -> None:
        if current.id in seen:
            return
        seen.add(current.id)
        questions.extend(questions_behind(current.when, answers, facts))
        for fact_id in _facts_required(current):
            text = next((fact.text for fact in kb.facts if fact.id == fact_id), fact_id)
            if text not in fact_words:
                fact_words.append(text)
            for deriving in firing.facts.get(fact_id, ()):
                if holds(rules[deriving].when, answers, facts):
                    walk(rules[deriving])

    walk(rule)
    return list(dict.fromkeys(questions)), fact_words


def _facts_required(rule: ImpactRule) -> list[str]:
    return [fact for fact, _required in facts_read(rule.when)]


def _finding(kb: KnowledgeBase, rule: ImpactRule, answers: dict[str, AnswerValue], firing: Firing) -> Finding:
    template = rule.finding
    assert template is not None
    questions, fact_words = _because(kb, rule, answers, firing)
    because = [
        Because(
            question=question_id,
            answer=answers[question_id],
            question_text=kb.questionnaire.question(question_id).text,  # type: ignore[union-attr]
            answer_text=answer_words(kb, question_id, answers[question_id]),
        )
        for question_id in questions
    ]
    score = template.likelihood * template.severity
    return Finding(
        rule=rule.id,
        title=rule.title,
        direction=template.direction,
        likelihood=template.likelihood,
        severity=template.severity,
        score=score,
        rag=rag_of(kb, score) if template.direction == "negative" else "green",
        characteristics=_named_by_plan(template.characteristics, answers.get("affected_characteristics")),
        communities=_named_by_plan(template.communities, answers.get("affected_communities")),
        psed_aims=template.psed_aims,
        indicators=template.indicators,
        principles=template.principles,
        vision=template.vision,
        outcomes=template.outcomes,
        rationale=" ".join(template.rationale.split()),
        because=because,
        facts=fact_words,
        mitigations=[
            LinkedMitigation(
                text=" ".join(mitigation.text.split()),
                actions=mitigation.actions,
                linked=[link_action(kb, action_id) for action_id in mitigation.actions],
            )
            for mitigation in template.mitigations
        ],
    )


def _named_by_plan(groups: list[str], named: AnswerValue | None) -> list[str]:
    """The groups a rule bears on that the plan says are affected; all of them if the plan names none.

    A rule lists every group its impact can reach; a finding speaks of the ones this plan affects, so a
    council tax change is not said to affect Gypsies and Travellers because an engagement rule could.

    Examples:
        >>> _named_by_plan(["race", "age"], ["age", "sex"])
        ['age']
        >>> _named_by_plan(["race"], ["age"])
        ['race']
    """
    chosen = [group for group in groups if isinstance(named, list) and group in named]
    return chosen or list(groups)


def link_action(kb: KnowledgeBase, action_id: str) -> LinkedAction:
    """The strategy's own words for an action or Migrant Worker task, with its lead and timescale."""
    found = kb.find(action_id)
    if found is None:  # the rule base check guarantees this does not happen
        return LinkedAction(id=action_id, text="(not in the rule base)", lead=None, timescale=None)
    _kind, item = found
    if hasattr(item, "lead"):
        return LinkedAction(id=action_id, text=item.text, lead=item.lead, timescale=item.timescale)  # type: ignore[union-attr]
    return LinkedAction(id=action_id, text=item.text, lead=item.who, timescale=item.target)  # type: ignore[union-attr]


def _level(kb: KnowledgeBase, findings: list[Finding], firing: Firing) -> Level:
    screening = kb.scoring.screening
    material = [f for f in findings if f.direction == "negative" and f.score >= screening.material_score]
    if any(f.score >= screening.full_assessment_score for f in material):
        return "full_assessment"
    groups = {group for f in material for group in f.characteristics + f.communities}
    if len(groups) >= screening.relevance_groups and "thin_evidence" in firing.facts:
        return "full_assessment"
    return "mitigate" if material else "screened_out"


def _profile(kb: KnowledgeBase, findings: list[Finding]) -> list[GroupProfile]:
    profile = []
    groups = [("characteristic", c.id, c.name) for c in kb.characteristics]
    groups += [("community", c.id, c.name) for c in kb.communities]
    for kind, group_id, name in groups:
        touching = [
            f for f in findings if group_id in (f.characteristics if kind == "characteristic" else f.communities)
        ]
        if not touching:
            continue
        negatives = [f.score for f in touching if f.direction == "negative"]
        profile.append(
            GroupProfile(
                kind=kind,  # type: ignore[arg-type]
                id=group_id,
                name=name,
                negative=len(negatives),
                positive=len(touching) - len(negatives),
                highest_negative_score=max(negatives, default=0),
            )
        )
    return profile


def _gaps(kb: KnowledgeBase, findings: list[Finding], answers: dict[str, AnswerValue], firing: Firing) -> list[Gap]:
    names = {c.id: c.name for c in kb.characteristics} | {c.id: c.name for c in kb.communities}
    negatives = [f for f in findings if f.direction == "negative"]
    if not negatives:
        return []
    gaps: list[Gap] = []
    hit = list(dict.fromkeys(g for f in negatives for g in f.characteristics + f.communities))
    if "thin_evidence" in firing.facts or answers.get("data_by_group") != "all":
        gaps.append(
            Gap(
                kind="no_evidence",
                message="There is no evidence broken down for groups the plan is likely to affect: "
                + ", ".join(names[g] for g in hit)
                + ".",
                groups=hit,
            )
        )
    engaged = answers.get("engaged_communities", []) if answers.get("engagement_done") in ("done", "planned") else []
    affected_communities = list(dict.fromkeys(c for f in negatives for c in f.communities))
    missed = [c for c in affected_communities if c not in (engaged if isinstance(engaged, list) else [])]
    if missed:
        gaps.append(
            Gap(
                kind="no_engagement",
                message="No engagement is recorded with communities the plan is likely to affect: "
                + ", ".join(names[c] for c in missed)
                + ".",
                groups=missed,
            )
        )
    characteristics = list(dict.fromkeys(c for f in negatives for c in f.characteristics))
    if len(characteristics) >= kb.scoring.gaps.intersectional_characteristics:
        gaps.append(
            Gap(
                kind="intersectional",
                message="Several characteristics are affected together ("
                + ", ".join(names[c] for c in characteristics)
                + "); consider people who share more than one of them, whose combined disadvantage a "
                "group-by-group reading misses.",
                groups=characteristics,
            )
        )
    if answers.get("monitoring_plan") is not True:
        gaps.append(
            Gap(
                kind="no_monitoring",
                message="There is no plan to monitor the effect on the groups affected after the change.",
                groups=hit,
            )
        )
    elif answers.get("monitoring_by_group") is False:
        gaps.append(
            Gap(
                kind="no_monitoring",
                message="Monitoring is planned but will not be broken down by the groups affected.",
                groups=hit,
            )
        )
    return gaps


def assessment_as_json(assessment: Assessment) -> dict[str, object]:
    """The assessment as JSON data: the documented shape of `proofing assess --json`."""
    return assessment.model_dump(mode="json")


def assessment_as_text(kb: KnowledgeBase, assessment: Assessment) -> str:
    """The assessment as readable text, in the words of the strategy and the questionnaire."""
    names = {c.id: c.name for c in kb.characteristics} | {c.id: c.name for c in kb.communities}
    aims = {aim.id: aim.name for aim in kb.psed_aims}
    plan = assessment.plan
    lines = [
        f"{plan.title}",
        f"{plan.service}, owner {plan.owner}",
        "",
        f"Screening: {assessment.level_words}",
        f"Decision asked for: {assessment.decision}",
    ]
    negatives = [f for f in assessment.findings if f.direction == "negative"]
    positives = [f for f in assessment.findings if f.direction == "positive"]
    lines.append(f"{len(negatives)} negative and {len(positives)} positive findings.")
    for heading, group in (("Negative findings", negatives), ("Positive findings", positives)):
        if not group:
            continue
        lines += ["", heading, ""]
        for finding in group:
            who = ", ".join(names[g] for g in finding.characteristics + finding.communities)
            lines.append(
                f"* {finding.title} [{finding.rag.upper() if finding.direction == 'negative' else 'POSITIVE'}, "
                f"likelihood {finding.likelihood} x severity {finding.severity} = {finding.score}]"
            )
            if who:
                lines.append(f"  Affects: {who}")
            lines.append(f"  Duty: {'; '.join(aims[a] for a in finding.psed_aims)}")
            lines.append(f"  Why: {finding.rationale}")
            for because in finding.because:
                lines.append(f"  Because: {because.question_text} {because.answer_text}")
            for fact in finding.facts:
                lines.append(f"  Because: {fact}")
            label = "Mitigation" if finding.direction == "negative" else "To make the most of it"
            for mitigation in finding.mitigations:
                lines.append(f"  {label}: {mitigation.text}")
                for action in mitigation.linked:
                    lead = f" (lead: {action.lead})" if action.lead else ""
                    lines.append(f"    - strategy action {action.id}: {action.text}{lead}")
            lines.append("")
    if assessment.gaps:
        lines += ["Gaps in this assessment", ""]
        lines += [f"* {gap.message}" for gap in assessment.gaps]
    if assessment.warnings:
        lines += ["", "Warnings", ""]
        lines += [f"* {warning}" for warning in assessment.warnings]
    lines += ["", f"Rule base {assessment.rule_base.version} (sha256 {assessment.rule_base.sha256[:12]})"]
    return "\n".join(lines).rstrip() + "\n"
