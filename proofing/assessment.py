"""Assessing a plan: findings with scores and reasons, mitigations tied to actions, a screening level.

``assess(kb, plan)`` is what the app and the command line call. It checks the answers, runs the
rules engine, and turns what fired into an ``Assessment``: each finding with its score
(likelihood x severity), RAG band, the answers it rests on ("because"), the strategy items it bears
on and its mitigations linked to the action plan; a profile per characteristic and community; the
screening level (thresholds from rules/scoring.yaml); and the quality gaps that weak EIAs show.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Literal, TypedDict

from pydantic import Field

from proofing.answer_types import answer_in_words, implied_groups
from proofing.base import Strict
from proofing.conditions import AnswerValue, Condition, facts_read, holds, questions_behind
from proofing.decisions import DecisionNotes
from proofing.engine import ENGINE_NAME, ENGINE_VERSION, evaluate
from proofing.knowledge import KnowledgeBase
from proofing.language import Language, Translator, translator
from proofing.oracle import Firing
from proofing.plan import AnswerProblem, Plan, check_answers, usable_answers, visible_questions
from proofing.questionnaire import Effect, ImpactRule, Level, Mitigation
from proofing.screening import Basis, Rag, Screening, level_reason, rag_of, screen, words_of
from proofing.screening import level_label as level_label  # where the pages and the register have read it
from proofing.strategy import Action, MigrantWorkerTask
from proofing.vocabulary import LIKELIHOOD_WORDS


class Because(Strict):
    """One answer a finding rests on, with the words of the question and of the answer.

    `implies` lists the groups (characteristic or community ids) that this answer implies are affected.
    """

    question: str
    answer: AnswerValue
    question_text: str
    answer_text: str
    implies: list[str] = []


class GroupReason(Strict):
    """Why a finding names a group: the plan names it as affected, or an answer it rests on implies it."""

    group: str
    kind: Literal["characteristic", "community"]
    name: str
    reason: Literal["named", "implied"]
    because: str | None = None


class LinkedAction(Strict):
    """An action of the strategy (or a Migrant Worker task) that a mitigation draws on."""

    id: str
    text: str
    lead: str | None
    timescale: str | None


class LinkedMitigation(Strict):
    """A mitigation, or a way to maximise a positive impact, with the actions it is tied to.

    `effect` is the rule base's own judgement of what it does to the finding once in place (None for a way to
    maximise), carried here so the residual impact can be scored from the assessment alone (proofing.impact).
    """

    text: str
    actions: list[str]
    linked: list[LinkedAction]
    effect: Effect | None = None


class Finding(Strict):
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
    group_reasons: list[GroupReason] = []
    outcomes_2011: list[str] = []
    consolidates: list[str] = []
    workshop: str | None = Field(
        default=None, description="the EIA workshop (its id) that agreed this finding's scores, or added it"
    )
    added_by_workshop: bool = False
    rules_likelihood: int | None = Field(
        default=None, description="the rules' own likelihood, when a workshop changed it"
    )
    rules_severity: int | None = Field(default=None, description="the rules' own severity, when a workshop changed it")
    workshop_note: str = ""


class GroupProfile(Strict):
    """How one characteristic or community fares across the findings."""

    kind: Literal["characteristic", "community"]
    id: str
    name: str
    negative: int
    positive: int
    highest_negative_score: int


class Gap(Strict):
    """A quality gap of the assessment itself, of the kind Audit Wales finds in weak EIAs.

    `kind` is the gap rule's id, or one of: no_engagement, intersectional, unanswered. Gaps never set the
    screening level; `remedies` are the strategy actions that would close them.
    """

    kind: str
    message: str
    groups: list[str]
    severity: Literal["high", "medium", "low"] = "medium"
    remedies: list[LinkedMitigation] = []
    question: str | None = None


class RuleBaseRef(Strict):
    name: str
    version: str
    sha256: str


class EngineRef(Strict):
    name: str
    version: str


class Assessment(Strict):
    """The result of proofing one plan against one rule base."""

    plan: Plan
    rule_base: RuleBaseRef
    engine: EngineRef
    level: Level
    level_words: str
    level_reason: str = Field(default="", description="why the plan has its level, in words (proofing.screening)")
    level_basis: Basis | None = Field(default=None, description="what decided the level: breadth, scale, a score...")
    decision: str
    answers: dict[str, AnswerValue]
    findings: list[Finding]
    profile: list[GroupProfile]
    gaps: list[Gap]
    warnings: list[str]
    dropped: list[Finding] = Field(default=[], description="the rules' findings an EIA workshop agreed to drop")


def assess(kb: KnowledgeBase, plan: Plan, source: str = "the plan") -> Assessment:
    """Proof a plan against the rule base; raises PlanError (in words) when its answers cannot be used."""
    checked = usable_answers(kb.questionnaire, plan, source)
    firing = evaluate(kb, checked.answers)
    return build_assessment(kb, plan, checked.answers, firing, checked.warnings)


def assess_draft(kb: KnowledgeBase, plan: Plan) -> tuple[Assessment, list[AnswerProblem]]:
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
    fired = [rules[rule_id] for rule_id in firing.findings]
    findings = [_finding(kb, rule, answers, firing) for rule in fired if rule.finding]
    findings = _consolidated(kb, findings)
    findings.sort(key=lambda finding: (finding.direction != "negative", -finding.score, finding.rule))
    screening = _screening(kb, findings, firing)
    return Assessment(
        plan=plan,
        rule_base=RuleBaseRef(name=kb.name, version=kb.version, sha256=kb.sha256),
        engine=EngineRef(name=ENGINE_NAME, version=ENGINE_VERSION),
        **_level_fields(kb, screening),
        answers=answers,
        findings=findings,
        profile=_profile(kb, findings),
        gaps=_gaps(kb, findings, answers, [rule for rule in fired if rule.gap]),
        warnings=warnings,
    )


def assess_agreed(
    kb: KnowledgeBase, plan: Plan, notes: DecisionNotes | dict[str, dict[str, dict[str, str]]] | None
) -> tuple[Assessment, list[AnswerProblem]]:
    """A draft assessed as `assess_draft` does, then as any EIA workshop recorded in its `notes` agreed it."""
    assessment, problems = assess_draft(kb, plan)
    agreed = notes if isinstance(notes, DecisionNotes) else DecisionNotes.model_validate(notes or {})
    return with_agreement(kb, assessment, agreed), problems


def with_agreement(kb: KnowledgeBase, assessment: Assessment, notes: DecisionNotes) -> Assessment:
    """The assessment as an EIA workshop agreed it: the rules' findings re-scored or dropped, the impacts the room
    added, and the screening level that follows from them.

    The rules' own scores stay beside each changed one (``rules_likelihood``, ``rules_severity``) and a dropped
    finding is kept in ``dropped``, so a reader sees what the room changed and an auditor can re-check it: verify
    re-runs the plan and applies the same recorded agreement. Agreement about a finding the plan no longer
    raises is ignored. An assessment with nothing agreed comes back as it was.
    """
    if not notes.agreed and not notes.added:
        return assessment
    findings: list[Finding] = []
    dropped: list[Finding] = list(assessment.dropped)
    for finding in assessment.findings:
        agreed = notes.agreed.get(finding.rule)
        if agreed is None:
            findings.append(finding)
            continue
        changed = (agreed.likelihood, agreed.severity) != (finding.likelihood, finding.severity)
        score = agreed.likelihood * agreed.severity
        update = {
            "workshop": agreed.workshop,
            "workshop_note": agreed.note,
            "likelihood": agreed.likelihood,
            "severity": agreed.severity,
            "score": score,
            "rag": rag_of(kb, score) if finding.direction == "negative" else "green",
        }
        if changed:
            update |= {"rules_likelihood": finding.likelihood, "rules_severity": finding.severity}
        (findings if agreed.keep else dropped).append(finding.model_copy(update=update))
    characteristic_ids = {c.id for c in kb.characteristics}
    names = {c.id: ("characteristic", c.name) for c in kb.characteristics}
    names |= {c.id: ("community", c.name) for c in kb.communities}
    for key, added in sorted(notes.added.items()):
        score = added.likelihood * added.severity
        groups = [group for group in added.groups if group in names]
        findings.append(
            Finding(
                rule=f"workshop:{key}",
                title=added.title,
                direction=added.direction,
                likelihood=added.likelihood,
                severity=added.severity,
                score=score,
                rag=rag_of(kb, score) if added.direction == "negative" else "green",
                characteristics=[group for group in groups if group in characteristic_ids],
                communities=[group for group in groups if group not in characteristic_ids],
                psed_aims=[],
                indicators=[],
                principles=[],
                vision=[],
                outcomes=[],
                rationale=" ".join(added.reason.split()),
                because=[],
                facts=[],
                mitigations=[],
                group_reasons=[
                    GroupReason(
                        group=group,
                        kind=names[group][0],
                        name=names[group][1],
                        reason="named",
                        because=_in(kb)._("named by the EIA workshop"),
                    )
                    for group in groups
                ],
                workshop=added.workshop,
                added_by_workshop=True,
                workshop_note=added.reason,
            )
        )
    findings.sort(key=lambda finding: (finding.direction != "negative", -finding.score, finding.rule))
    screening = _screening(kb, findings, evaluate(kb, assessment.answers))
    return assessment.model_copy(
        update={
            "findings": findings,
            "dropped": dropped,
            **_level_fields(kb, screening),
            "profile": _profile(kb, findings),
        }
    )


def likelihood_severity_matrix(assessment: Assessment) -> list[dict[str, int | str]]:
    """Counts of negative findings by likelihood (rows, 5 down to 1) and severity (columns 1 to 5).

    Examples:
        >>> likelihood_severity_matrix(Assessment.model_construct(findings=[]))[0]["Likelihood"]
        '5 (almost certain)'
    """
    words = LIKELIHOOD_WORDS
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


def answer_words(kb: KnowledgeBase, question_id: str, answer: AnswerValue) -> str:
    """An answer in the words a reader understands (option labels, yes or no), never as ids: its type words it."""
    question = kb.questionnaire.question(question_id)
    if question is None:
        return str(answer)
    return answer_in_words(question, answer, _in(kb)._)


def _because(
    kb: KnowledgeBase, rule: ImpactRule, answers: dict[str, AnswerValue], firing: Firing
) -> tuple[list[tuple[str, list[str]]], list[str]]:
    """The questions behind a rule (through the facts it reads, recursively), each with the groups its answer
    implies, and the facts' words."""
    rules = {r.id: r for r in kb.rules}
    facts = frozenset(firing.facts)
    questions: dict[str, list[str]] = {}
    fact_words: list[str] = []
    seen: set[str] = set()

    def walk(current: ImpactRule) -> None:
        if current.id in seen:
            return
        seen.add(current.id)
        for question_id in questions_behind(current.when, answers, facts):
            implied = questions.setdefault(question_id, [])
            for group in _implied(kb, current.when, question_id, answers[question_id]):
                if group not in implied:
                    implied.append(group)
        for fact_id in _facts_required(current):
            text = next((fact.text for fact in kb.facts if fact.id == fact_id), fact_id)
            if text not in fact_words:
                fact_words.append(text)
            for deriving in firing.facts.get(fact_id, ()):
                if holds(rules[deriving].when, answers, facts):
                    walk(rules[deriving])

    walk(rule)
    return list(questions.items()), fact_words


def _implied(kb: KnowledgeBase, condition: Condition, question_id: str, answer: AnswerValue) -> list[str]:
    """The groups an answer implies, as far as the rule's own tests on that question look at it (its answer
    type's ``implied``: a yes implies a yes/no question's groups; of a many-of answer only the options the rule
    tests count, so a rule about hostels is not about the Traveller site the same plan also builds)."""
    question = kb.questionnaire.question(question_id)
    if question is None:
        return []
    return implied_groups(question, condition, answer)


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
            implies=implied,
        )
        for question_id, implied in questions
    ]
    reasons = _group_reasons(kb, template.characteristics + template.communities, answers, because)
    characteristic_ids = {c.id for c in kb.characteristics}
    characteristics = [r.group for r in reasons if r.group in characteristic_ids]
    communities = [r.group for r in reasons if r.group not in characteristic_ids]
    score = template.likelihood * template.severity
    return Finding(
        rule=rule.id,
        title=rule.title,
        direction=template.direction,
        likelihood=template.likelihood,
        severity=template.severity,
        score=score,
        rag=rag_of(kb, score) if template.direction == "negative" else "green",
        characteristics=characteristics,
        communities=communities,
        psed_aims=template.psed_aims,
        indicators=template.indicators,
        principles=template.principles,
        vision=template.vision,
        outcomes=template.outcomes,
        rationale=" ".join(template.rationale.split()),
        because=because,
        facts=fact_words,
        mitigations=fitting_mitigations(kb, template.mitigations, answers, communities),
        group_reasons=reasons,
        outcomes_2011=template.outcomes_2011,
    )


def named_groups(kb: KnowledgeBase, answers: dict[str, AnswerValue]) -> list[str]:
    """The characteristics and communities the plan itself says are affected."""
    named: list[str] = []
    roles = kb.questionnaire.roles
    for question_id in (roles.named_characteristics, roles.named_communities):
        value = answers.get(question_id)
        if isinstance(value, list):
            named += [group for group in value if isinstance(group, str)]
    return named


def _group_reasons(
    kb: KnowledgeBase, rule_groups: list[str], answers: dict[str, AnswerValue], because: list[Because]
) -> list[GroupReason]:
    """The groups a finding names, each for a stated reason, never for none.

    A group the rule bears on is named when the plan names it as affected; a group an answer behind the
    finding implies is named with that answer as its reason (even when the plan forgot to tick it).

    Examples:
        The rule bears on race and age; the plan names age and sex: only age is named.
    """
    names = {c.id: ("characteristic", c.name) for c in kb.characteristics}
    names |= {c.id: ("community", c.name) for c in kb.communities}
    named = set(named_groups(kb, answers))
    reasons: dict[str, GroupReason] = {}
    for group in rule_groups:
        if group in named and group in names:
            kind, name = names[group]
            reasons[group] = GroupReason(group=group, kind=kind, name=name, reason="named")
    for item in because:
        for group in item.implies:
            if group not in reasons and group in names:
                kind, name = names[group]
                why = f"{item.question_text} {item.answer_text}"
                reasons[group] = GroupReason(group=group, kind=kind, name=name, reason="implied", because=why)
    order = {group: position for position, group in enumerate(names)}
    return sorted(reasons.values(), key=lambda reason: order[reason.group])


def fitting_mitigations(
    kb: KnowledgeBase, mitigations: list[Mitigation], answers: dict[str, AnswerValue], communities: list[str]
) -> list[LinkedMitigation]:
    """The mitigations that fit this plan: wording chosen by its answers, and actions about one group (asylum
    seekers, Gypsies and Travellers, migrant workers) only where the finding affects that group."""
    fitting: list[LinkedMitigation] = []
    for mitigation in mitigations:
        if mitigation.when is not None and not holds(mitigation.when, answers):
            continue
        actions = [
            action
            for action in mitigation.actions
            if not (fit := kb.fit_of.get(action)) or not fit.concerns or set(fit.concerns) & set(communities)
        ]
        if not actions:
            continue
        fitting.append(
            LinkedMitigation(
                text=" ".join(mitigation.text.split()),
                actions=actions,
                linked=[link_action(kb, action_id) for action_id in actions],
                effect=mitigation.effect,
            )
        )
    return fitting


def _consolidated(kb: KnowledgeBase, findings: list[Finding]) -> list[Finding]:
    """Fold each finding another one covers into it, so the plan reads each distinct impact once."""
    present = {finding.rule: finding for finding in findings}
    merges = fold_order(kb, present)
    for into, covered in merges:
        present[into] = _merge(present[into], present[covered])
    absorbed = {covered for _into, covered in merges}
    return [finding for rule_id, finding in present.items() if rule_id not in absorbed]


def fold_order(kb: KnowledgeBase, present: Collection[str]) -> list[tuple[str, str]]:
    """Which present finding folds into which (`covers` in the rules), in the order they fold: (into, covered).

    A covered finding folds once; one folded in no longer folds others in. The assessment merges by it and the
    what-if search reads groups by it, so the two can never fold differently.
    """
    covers = {rule.id: rule.covers for rule in kb.rules if rule.covers}
    absorbed: set[str] = set()
    merges: list[tuple[str, str]] = []
    changed = True
    while changed:
        changed = False
        for rule_id, covered_ids in covers.items():
            if rule_id not in present or rule_id in absorbed:
                continue
            for covered_id in covered_ids:
                if covered_id in present and covered_id not in absorbed and covered_id != rule_id:
                    merges.append((rule_id, covered_id))
                    absorbed.add(covered_id)
                    changed = True
    return merges


def _merge(into: Finding, covered: Finding) -> Finding:
    """One finding holding the reasons, groups and mitigations of two."""

    def union(first: list, second: list) -> list:  # type: ignore[type-arg]
        return list({_key(item): item for item in [*first, *second]}.values())

    return into.model_copy(
        update={
            "characteristics": union(into.characteristics, covered.characteristics),
            "communities": union(into.communities, covered.communities),
            "psed_aims": union(into.psed_aims, covered.psed_aims),
            "indicators": union(into.indicators, covered.indicators),
            "principles": union(into.principles, covered.principles),
            "vision": union(into.vision, covered.vision),
            "outcomes": union(into.outcomes, covered.outcomes),
            "outcomes_2011": union(into.outcomes_2011, covered.outcomes_2011),
            "because": union(into.because, covered.because),
            "facts": union(into.facts, covered.facts),
            "mitigations": union(into.mitigations, covered.mitigations),
            "group_reasons": union(into.group_reasons, covered.group_reasons),
            "consolidates": [*into.consolidates, covered.title, *covered.consolidates],
        }
    )


def _key(item: object) -> object:
    if isinstance(item, Because):
        return ("because", item.question)
    if isinstance(item, LinkedMitigation):
        return ("mitigation", item.text)
    if isinstance(item, GroupReason):
        return ("group", item.group)
    return item


def link_action(kb: KnowledgeBase, action_id: str) -> LinkedAction:
    """The strategy's own words for an action or Migrant Worker task, with its lead and timescale."""
    found = kb.find(action_id)
    if found is None:  # the rule base check guarantees this does not happen
        return LinkedAction(id=action_id, text=_in(kb)._("(not in the rule base)"), lead=None, timescale=None)
    _kind, item = found
    if isinstance(item, Action):
        return LinkedAction(id=action_id, text=item.text, lead=item.lead, timescale=item.timescale)
    if isinstance(item, MigrantWorkerTask):
        return LinkedAction(id=action_id, text=item.text, lead=item.who, timescale=item.target)
    return LinkedAction(id=action_id, text=_in(kb)._("(not in the rule base)"), lead=None, timescale=None)


def _level(kb: KnowledgeBase, findings: list[Finding], firing: Firing) -> Level:
    """The screening level of an assessment's findings (proofing.screening)."""
    return _screening(kb, findings, firing).level


def _screening(kb: KnowledgeBase, findings: list[Finding], firing: Firing) -> Screening:
    negatives = [(f.score, set(f.characteristics + f.communities)) for f in findings if f.direction == "negative"]
    return screen(kb, negatives, firing.facts)


class _LevelFields(TypedDict):
    level: Level
    level_words: str
    level_reason: str
    level_basis: Basis | None
    decision: str


def _level_fields(kb: KnowledgeBase, screening: Screening) -> _LevelFields:
    """The level, its words, its reason and the decision asked for, as the assessment keeps them."""
    level = screening.level
    return {
        "level": level,
        "level_words": kb.scoring.level_words[level],
        "level_reason": level_reason(kb, screening, _in(kb)),
        "level_basis": screening.basis,
        "decision": kb.scoring.decision_words[level],
    }


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
                kind=kind,
                id=group_id,
                name=name,
                negative=len(negatives),
                positive=len(touching) - len(negatives),
                highest_negative_score=max(negatives, default=0),
            )
        )
    return profile


def _gaps(
    kb: KnowledgeBase, findings: list[Finding], answers: dict[str, AnswerValue], gap_rules: list[ImpactRule]
) -> list[Gap]:
    """The quality gaps: process weaknesses (gap rules), unanswered questions that matter, communities affected
    but not engaged, and characteristics affected together. Process gaps are reported only when the plan
    affects some group; an internal change with thin evidence has no gap to close."""
    t = _in(kb)
    names = {c.id: c.name for c in kb.characteristics} | {c.id: c.name for c in kb.communities}
    negatives = [f for f in findings if f.direction == "negative"]
    hit = list(dict.fromkeys(g for f in negatives for g in f.characteristics + f.communities))
    everyone = [g for f in findings for g in f.characteristics + f.communities] + named_groups(kb, answers)
    affected = hit or list(dict.fromkeys(everyone))
    gaps: list[Gap] = []
    for rule in gap_rules:
        template = rule.gap
        assert template is not None
        if not affected:
            continue
        message = " ".join(template.message.split())
        gaps.append(
            Gap(
                kind=rule.id,
                message=t._(
                    "{message} Groups concerned: {groups}.",
                    message=message,
                    groups=", ".join(names[g] for g in affected if g in names),
                ),
                groups=affected,
                severity=template.severity,
                remedies=fitting_mitigations(kb, template.remedies, answers, affected),
            )
        )
    shown = visible_questions(kb.questionnaire, answers)
    for question in kb.questionnaire.questions:
        if question.unanswered == "gap" and question.id in shown and question.id not in answers:
            gaps.append(
                Gap(
                    kind="unanswered",
                    message=" ".join((question.unanswered_gap or "").split()),
                    groups=[],
                    severity="high",
                    question=question.id,
                )
            )
    roles = kb.questionnaire.roles
    under_way = answers.get(roles.engagement) in roles.engagement_under_way
    engaged = answers.get(roles.engaged_communities, []) if under_way else []
    affected_communities = list(dict.fromkeys(c for f in negatives for c in f.communities))
    missed = [c for c in affected_communities if c not in (engaged if isinstance(engaged, list) else [])]
    if missed:
        gaps.append(
            Gap(
                kind="no_engagement",
                message=t._(
                    "No engagement is recorded with communities the plan is likely to affect: {communities}.",
                    communities=", ".join(names[c] for c in missed),
                ),
                groups=missed,
                severity="high",
            )
        )
    characteristics = list(dict.fromkeys(c for f in negatives for c in f.characteristics))
    if len(characteristics) >= kb.scoring.gaps.intersectional_characteristics:
        gaps.append(
            Gap(
                kind="intersectional",
                message=t._(
                    "Several characteristics are affected together ({characteristics}); consider people who share "
                    "more than one of them, whose combined disadvantage a group-by-group reading misses.",
                    characteristics=", ".join(names[c] for c in characteristics),
                ),
                groups=characteristics,
                severity="medium",
            )
        )
    order = {"high": 0, "medium": 1, "low": 2}
    return sorted(gaps, key=lambda gap: order[gap.severity])


def group_reason_words(reason: GroupReason, language: Language = "en") -> str:
    """Why a finding names a group, in words: "Race (named in the plan)" or "Disability (because: ...)".

    Examples:
        >>> group_reason_words(GroupReason(group="race", kind="characteristic", name="Race", reason="named"))
        'Race (the plan names it)'
    """
    t = translator(language)
    if reason.reason == "named":
        return t._("{group} (the plan names it)", group=reason.name)
    return t._("{group} (because: {reason})", group=reason.name, reason=reason.because)


def _in(kb: KnowledgeBase) -> Translator:
    """A translator into the language the rule base speaks, for the words the assessment writes itself."""
    return words_of(kb)


def assessment_as_json(assessment: Assessment) -> dict[str, object]:
    """The assessment as JSON data: the documented shape of `proofing assess --json`."""
    return assessment.model_dump(mode="json")


def assessment_as_text(kb: KnowledgeBase, assessment: Assessment) -> str:
    """The assessment as readable text, in the words of the strategy and the questionnaire."""
    aims = {aim.id: aim.name for aim in kb.psed_aims}
    plan = assessment.plan
    lines = [
        f"{plan.title}",
        f"{plan.service}, owner {plan.owner}",
        "",
        f"Screening: {assessment.level_words}",
        *([f"Why: {assessment.level_reason}"] if assessment.level_reason else []),
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
            who = "; ".join(group_reason_words(reason) for reason in finding.group_reasons)
            lines.append(
                f"* {finding.title} [{finding.rag.upper() if finding.direction == 'negative' else 'POSITIVE'}, "
                f"likelihood {finding.likelihood} x severity {finding.severity} = {finding.score}]"
            )
            if who:
                lines.append(f"  Affects: {who}")
            lines.append(f"  Duty: {'; '.join(aims[a] for a in finding.psed_aims)}")
            lines.append(f"  Why: {finding.rationale}")
            if finding.consolidates:
                lines.append(f"  Also covers: {'; '.join(finding.consolidates)}")
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
        lines += ["Gaps in this assessment (they do not change the screening; close them before the decision)", ""]
        for gap in assessment.gaps:
            lines.append(f"* [{gap.severity}] {gap.message}")
            for remedy in gap.remedies:
                actions = ", ".join(action.id for action in remedy.linked)
                lines.append(f"  To close it: {remedy.text} (strategy action {actions})")
    if assessment.warnings:
        lines += ["", "Warnings", ""]
        lines += [f"* {warning}" for warning in assessment.warnings]
    lines += ["", f"Rule base {assessment.rule_base.version} (sha256 {assessment.rule_base.sha256[:12]})"]
    return "\n".join(lines).rstrip() + "\n"
