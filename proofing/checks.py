"""The checks a rule base must pass beyond its schemas, each fault reported at its FILE:LINE.

References resolve and numbers agree with ids; questions and rules read real questions, options and facts
with tests that fit them; every rule has cases; and the judgement an equality officer would insist on:
process answers never set impacts, an unanswered question a finding reads is required or a gap, cited
actions' words fit their mitigations, and every characteristic and community can be reached.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from proofing.answer_types import answer_type
from proofing.conditions import AnswerTest, Condition, answer_tests, facts_read
from proofing.errors import Problem
from proofing.oracle import reference_evaluate
from proofing.plan import check_answers
from proofing.questionnaire import ImpactRule, Mitigation, Question
from proofing.yamlsource import LocatedDict, LocatedList

if TYPE_CHECKING:
    from proofing.knowledge import KnowledgeBase


def rule_base_problems(
    kb: KnowledgeBase, places: list[tuple[str, Place]], *, check_coverage: bool = True
) -> list[Problem]:
    """Every fault of a loaded rule base that its schemas cannot see, in file order of the checks."""
    problems = _reference_problems(kb, places)
    problems += _role_problems(kb, places)
    problems += _questionnaire_problems(kb, places)
    problems += _impact_rule_problems(kb, places)
    problems += _judgement_problems(kb, places)
    problems += _training_problems(kb, places)
    if check_coverage:
        problems += _coverage_problems(kb, places)
    return problems


# A place in the rule base: the file, and the YAML mapping of the item (which knows its lines).
Place = tuple[Path, LocatedDict, str]


def _reporter(places: list[tuple[str, Place]], problems: list[Problem]) -> Callable[[str, str, str], None]:
    """A function that reports a fault of an item at the line of one of its fields (or of the item)."""
    where = {item_id: place for item_id, place in reversed(places)}

    def report(item_id: str, field: str, message: str) -> None:
        path, node, _kind = where[item_id]
        problems.append(Problem(path, node.key_lines.get(field, node.line), message))

    return report


def _reference_problems(kb: KnowledgeBase, places: list[tuple[str, Place]]) -> list[Problem]:
    """Every reference between items must resolve, and numbers must agree with ids."""
    problems: list[Problem] = []
    report = _reporter(places, problems)

    outcome_ids = {outcome.id for outcome in kb.outcomes}
    objective_ids = {objective.id for objective in kb.objectives}
    characteristic_ids = {characteristic.id for characteristic in kb.characteristics}
    for outcome in kb.outcomes:
        if _trailing_number(outcome.id) != outcome.number:
            report(outcome.id, "number", f"outcome {outcome.id} has number {outcome.number}")
        if outcome.objective not in objective_ids:
            report(outcome.id, "objective", f"outcome {outcome.id} cites unknown objective {outcome.objective}")
    for action in kb.actions:
        if action.outcome not in outcome_ids:
            report(action.id, "outcome", f"action {action.id} cites unknown outcome {action.outcome}")
        elif _leading_number(action.id) != kb.outcome(action.outcome).number:
            report(
                action.id,
                "outcome",
                f"action {action.id} is numbered under another outcome than {action.outcome}",
            )
        for measure in action.measures:
            if measure.id.rsplit(".", 1)[0] != action.id:
                report(measure.id, "id", f"measure {measure.id} is listed under action {action.id}")
    for task in kb.migrant_worker_tasks:
        if _trailing_number(task.id) != task.number:
            report(task.id, "number", f"Migrant Worker task {task.id} has number {task.number}")
    for outcome_2011 in kb.outcomes_2011:
        if _trailing_number(outcome_2011.id) != outcome_2011.number:
            report(
                outcome_2011.id,
                "number",
                f"2011-14 outcome {outcome_2011.id} has number {outcome_2011.number}",
            )
    for community in kb.communities:
        for characteristic in community.characteristics:
            if characteristic not in characteristic_ids:
                report(
                    community.id,
                    "characteristics",
                    f"community {community.id} cites unknown characteristic {characteristic}",
                )
    return problems


ROLE_TYPES = {
    "named_characteristics": "many_of",
    "named_communities": "many_of",
    "engagement": "one_of",
    "engaged_communities": "many_of",
    "evidence_gaps": "text",
    "monitoring": "yes_no",
    "monitoring_by_group": "yes_no",
    "review_months": "number",
    "review_date": "date",
    "wards": "many_of",  # optional roles: checked when the rule base declares them
    "plan_date": "date",
    "baseline_by_group": "one_of",  # the report card's baseline: required (REPORT_CARD_ROLES)
    "baseline": "text",
}
REPORT_CARD_ROLES = ("baseline_by_group", "baseline")  # the report card compares monitoring at review with these


def _role_problems(kb: KnowledgeBase, places: list[tuple[str, Place]]) -> list[Problem]:
    """Each question the program reads by role exists and has the type the role needs."""
    problems: list[Problem] = []
    questionnaire = kb.questionnaire
    where = kb.root / "questionnaire.yaml"
    for role, kind in ROLE_TYPES.items():
        question_id = getattr(questionnaire.roles, role)
        if question_id is None:
            continue  # an optional role the rule base does not declare
        question = questionnaire.question(question_id)
        line = _line_of_key(where, role)
        if question is None:
            problems.append(Problem(where, line, f"roles: {role} names unknown question {question_id}"))
        elif question.type != kind:
            message = f"roles: {role} names question {question_id}, a {question.type} question; it must be {kind}"
            problems.append(Problem(where, line, message))
    engagement = questionnaire.question(questionnaire.roles.engagement)
    if engagement is not None:
        options = {option.id for option in engagement.options}
        for option in questionnaire.roles.engagement_under_way:
            if option not in options:
                message = f"roles: engagement_under_way names {option}, not an option of {engagement.id}"
                problems.append(Problem(where, _line_of_key(where, "engagement_under_way"), message))
    problems += _baseline_problems(kb, where)
    fact = kb.scoring.screening.thin_evidence_fact
    if fact not in {declared.id for declared in kb.facts}:
        scoring = kb.root / "scoring.yaml"
        message = f"screening: thin_evidence_fact names undeclared fact {fact} (declare it in facts.yaml)"
        problems.append(Problem(scoring, _line_of_key(scoring, "thin_evidence_fact"), message))
    return problems


def _baseline_problems(kb: KnowledgeBase, where: Path) -> list[Problem]:
    """The report card's baseline roles are declared (it reads a review's monitoring against them) and the options
    counted as figures by group given are options of their question."""
    problems: list[Problem] = []
    roles = kb.questionnaire.roles
    for role in REPORT_CARD_ROLES:
        if getattr(roles, role) is None:
            message = (
                f"roles: {role} is not declared; the report card reads the baseline given at assessment through it "
                f"(name the {ROLE_TYPES[role].replace('_', '-')} question that asks it)"
            )
            problems.append(Problem(where, _line_of_key(where, "roles"), message))
    question = None if roles.baseline_by_group is None else kb.questionnaire.question(roles.baseline_by_group)
    if question is not None:
        options = {option.id for option in question.options}
        line = _line_of_key(where, "baseline_by_group_given")
        if not roles.baseline_by_group_given:
            message = f"roles: baseline_by_group_given names none of {question.id}'s options as figures given"
            problems.append(Problem(where, _line_of_key(where, "baseline_by_group"), message))
        for option in roles.baseline_by_group_given:
            if option not in options:
                message = f"roles: baseline_by_group_given names {option}, not an option of {question.id}"
                problems.append(Problem(where, line, message))
    return problems


def _line_of_key(path: Path, key: str) -> int:
    """The line of the first mapping key of this name in a rule file (1 when it cannot be found)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return 1
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*:")
    return next((number for number, text in enumerate(lines, start=1) if pattern.match(text)), 1)


def _training_problems(kb: KnowledgeBase, places: list[tuple[str, Place]]) -> list[Problem]:
    """Every training card's plan is a valid, complete plan, and the rules still find the impacts it teaches."""
    problems: list[Problem] = []
    report = _reporter(places, problems)
    findings = {rule.id for rule in kb.rules if rule.finding}
    for case in kb.training:
        checked = check_answers(kb.questionnaire, case.plan.answers)
        for problem in checked.problems:
            report(case.id, "plan", f"training case {case.id}: {problem}")
        if checked.problems:
            continue
        fired = set(reference_evaluate(kb.rules, checked.answers).findings)
        for rule in [*case.expect.impacts, *case.expect.also]:  # main, and the others its points name
            if rule not in findings:
                report(case.id, "expect", f"training case {case.id} teaches {rule}, which is not a finding rule")
            elif rule not in fired:
                message = (
                    f"training case {case.id} teaches the impact {rule}, which the rules no longer find for its plan: "
                    "update the card, or the rule"
                )
                report(case.id, "expect", message)
    return problems


def _trailing_number(item_id: str) -> int | None:
    """The number an id ends with, whatever its prefix (CC15 -> 15, MW23 -> 23, 2011-4 -> 4).

    Examples:
        >>> _trailing_number("CC15"), _trailing_number("Outcome-3"), _trailing_number("V")
        (15, 3, None)
    """
    found = re.search(r"(\d+)$", item_id)
    return int(found.group(1)) if found else None


def _leading_number(item_id: str) -> int | None:
    """The number an id starts with: an action 15.1 is numbered under outcome 15."""
    found = re.match(r"^\D*(\d+)", item_id)
    return int(found.group(1)) if found else None


def _test_problem(test: AnswerTest, question: Question | None) -> str | None:
    """What is wrong with a test on an answer, given the question it reads (None when it fits): its type says."""
    if question is None:
        return f"reads unknown question {test.question}"
    return answer_type(question.type).test_problem(question, test)


def _condition_problems(condition: Condition, asked: dict[str, Question]) -> list[str]:
    return [problem for test in answer_tests(condition) if (problem := _test_problem(test, asked.get(test.question)))]


def _questionnaire_problems(kb: KnowledgeBase, places: list[tuple[str, Place]]) -> list[Problem]:
    """show_if conditions read only earlier questions, with tests that fit them, and never facts."""
    where = {item_id: place for item_id, place in reversed(places)}
    problems: list[Problem] = []
    earlier: dict[str, Question] = {}
    groups = {c.id for c in kb.characteristics} | {c.id for c in kb.communities}
    section_starts = {section.questions[0].id: section for section in kb.questionnaire.sections}
    for question in kb.questionnaire.questions:
        section = section_starts.get(question.id)
        if section is not None and section.show_if is not None:
            path, node, _kind = where[question.id]  # sections are not indexed; the first question marks the place
            line = node.line
            for problem in _condition_problems(section.show_if, earlier):
                later = "" if "unknown question" not in problem else " (a section may only depend on earlier ones)"
                problems.append(Problem(path, line, f"section {section.id}: show_if {problem}{later}"))
        path, node, _kind = where[question.id]
        implied = [question.implies] + [option.implies for option in question.options]
        for implies in implied:
            for group in (implies.characteristics + implies.communities) if implies else []:
                if group not in groups:
                    message = f"question {question.id} implies unknown group {group}"
                    problems.append(Problem(path, node.key_lines.get("implies", node.line), message))
        if question.show_if is not None:
            path, node, _kind = where[question.id]
            line = node.key_lines.get("show_if", node.line)
            for problem in _condition_problems(question.show_if, earlier):
                later = "" if "unknown question" not in problem else " (a question may only depend on earlier ones)"
                problems.append(Problem(path, line, f"question {question.id}: show_if {problem}{later}"))
            if any(True for _ in facts_read(question.show_if)):
                problems.append(Problem(path, line, f"question {question.id}: show_if may read answers, not facts"))
        earlier[question.id] = question
    return problems


def _impact_rule_problems(kb: KnowledgeBase, places: list[tuple[str, Place]]) -> list[Problem]:
    """Every rule reads real questions and facts, cites real items, and has cases showing it fire and not."""
    problems: list[Problem] = []
    report = _reporter(places, problems)

    asked = {question.id: question for question in kb.questionnaire.questions}
    fact_ids = {fact.id for fact in kb.facts}
    derived = {rule.derives for rule in kb.rules if rule.derives}
    known = {
        "characteristics": {c.id for c in kb.characteristics},
        "communities": {c.id for c in kb.communities},
        "psed_aims": {a.id for a in kb.psed_aims},
        "indicators": {i.id for i in kb.indicators},
        "principles": {p.id for p in kb.principles.items},
        "vision": {v.id for v in kb.vision.statements},
        "outcomes": {o.id for o in kb.outcomes},
        "outcomes_2011": {o.id for o in kb.outcomes_2011},
    }
    action_ids = {a.id for a in kb.actions} | {t.id for t in kb.migrant_worker_tasks}
    for declared in kb.facts:
        if declared.id not in derived:
            report(declared.id, "id", f"fact {declared.id} is derived by no rule, so rules that read it can never fire")
    for rule in kb.rules:
        for problem in _condition_problems(rule.when, asked):
            report(rule.id, "when", f"rule {rule.id} {problem}")
        for fact, required in facts_read(rule.when):
            if fact not in fact_ids:
                report(rule.id, "when", f"rule {rule.id} reads unknown fact {fact}")
            elif not required:
                message = f"rule {rule.id} reads fact {fact} under 'any' or 'not'; a fact may only be required"
                report(rule.id, "when", message)
        if rule.derives and rule.derives not in fact_ids:
            message = f"rule {rule.id} derives undeclared fact {rule.derives} (declare it in facts.yaml)"
            report(rule.id, "derives", message)
        if rule.derives and any(fact == rule.derives for fact, _required in facts_read(rule.when)):
            report(rule.id, "when", f"rule {rule.id} needs the fact {rule.derives} it derives, so it can never fire")
        if rule.finding:
            for field, ids in known.items():
                for cited in getattr(rule.finding, field):
                    if cited not in ids:
                        report(rule.id, "finding", f"rule {rule.id} cites unknown {field.rstrip('s')} {cited}")
        for mitigation in _mitigations_of(rule):
            field = "finding" if rule.finding else "gap"
            for action in mitigation.actions:
                if action not in action_ids:
                    report(rule.id, field, f"rule {rule.id}: a mitigation cites unknown action {action}")
            if mitigation.when is not None:
                for problem in _condition_problems(mitigation.when, asked):
                    report(rule.id, field, f"rule {rule.id}: a mitigation's 'when' {problem}")
                if any(True for _ in facts_read(mitigation.when)):
                    report(rule.id, field, f"rule {rule.id}: a mitigation's 'when' may read answers, not facts")
        problems.extend(_covers_problems(kb, rule, report))
        if not rule.cases:
            report(rule.id, "id", f"rule {rule.id} has no test cases")
        elif not any(case.fires for case in rule.cases):
            report(rule.id, "cases", f"rule {rule.id} has no case in which it fires")
        elif all(case.fires for case in rule.cases):
            report(rule.id, "cases", f"rule {rule.id} has no case in which it does not fire")
        for case in rule.cases:
            for problem in map(str, check_answers(kb.questionnaire, case.answers, complete=False).problems):
                report(rule.id, "cases", f"rule {rule.id}, case '{case.name}': {problem}")
    return problems


def _mitigations_of(rule: ImpactRule) -> list[Mitigation]:
    """A finding's mitigations, or a gap's remedies."""
    if rule.finding:
        return list(rule.finding.mitigations)
    return list(rule.gap.remedies) if rule.gap else []


def _covers_problems(kb: KnowledgeBase, rule: ImpactRule, report: Callable[[str, str, str], None]) -> list[Problem]:
    """A rule covers only other finding rules of its own direction, and covering never goes round in a circle."""
    by_id = {other.id: other for other in kb.rules}
    for covered in rule.covers:
        other = by_id.get(covered)
        if other is None or other.finding is None:
            report(rule.id, "covers", f"rule {rule.id} covers {covered}, which is not a finding rule")
        elif covered == rule.id:
            report(rule.id, "covers", f"rule {rule.id} covers itself")
        elif rule.finding and other.finding.direction != rule.finding.direction:
            report(rule.id, "covers", f"rule {rule.id} covers {covered}, a finding of the other direction")
        elif rule.id in _covered_by(kb, covered):
            report(rule.id, "covers", f"rule {rule.id} covers {covered}, which covers it in turn")
    return []


def _covered_by(kb: KnowledgeBase, rule_id: str) -> set[str]:
    """Every rule that `rule_id` covers, directly or through rules it covers."""
    by_id = {rule.id: rule for rule in kb.rules}
    found: set[str] = set()
    pending = [rule_id]
    while pending:
        current = by_id.get(pending.pop())
        for covered in current.covers if current else []:
            if covered not in found:
                found.add(covered)
                pending.append(covered)
    return found


def questions_read_by_findings(kb: KnowledgeBase) -> set[str]:
    """The questions a finding rule reads, directly or through the facts it needs: those whose answers set impacts."""
    derivers: dict[str, list[ImpactRule]] = {}
    for rule in kb.rules:
        if rule.derives:
            derivers.setdefault(rule.derives, []).append(rule)
    read: set[str] = set()
    seen: set[str] = set()
    pending = [rule for rule in kb.rules if rule.finding]
    while pending:
        rule = pending.pop()
        if rule.id in seen:
            continue
        seen.add(rule.id)
        read.update(test.question for test in answer_tests(rule.when) if test.test != "answered")
        for fact, _required in facts_read(rule.when):
            pending.extend(derivers.get(fact, []))
    return read


def _judgement_problems(kb: KnowledgeBase, places: list[tuple[str, Place]]) -> list[Problem]:
    """What an equality officer would refuse: impacts read from process answers, an unanswered question read as
    the reassuring answer, and strategy actions cited where their words or their group do not fit."""
    problems: list[Problem] = []
    report = _reporter(places, problems)
    read = questions_read_by_findings(kb)
    for question in kb.questionnaire.questions:
        if question.id not in read:
            continue
        if question.process:
            message = (
                f"question {question.id} is about how the plan was prepared (process), yet a finding reads it; "
                "process weaknesses are quality gaps (a rule with 'gap:'), never impacts"
            )
            report(question.id, "process", message)
        elif not question.required and question.unanswered is None:
            message = (
                f"question {question.id} is read by a finding, so leaving it unanswered must not count as the "
                "reassuring answer: make it 'required: true', or give 'unanswered: gap' and 'unanswered_gap'"
            )
            report(question.id, "id", message)
    fit = kb.fit_of
    for action in [a.id for a in kb.actions] + [t.id for t in kb.migrant_worker_tasks]:
        if action not in fit:
            report(action, "id", f"action {action} has no entry in strategy/action_fit.yaml (its keywords)")
    known_actions = {a.id for a in kb.actions} | {t.id for t in kb.migrant_worker_tasks}
    communities = {c.id for c in kb.communities}
    for written in kb.action_fit:
        if written.action not in known_actions:
            message = f"action_fit names unknown action {written.action}"
            problems.append(Problem(kb.root / "strategy/action_fit.yaml", 1, message))
        for group in written.concerns:
            if group not in communities:
                message = f"action_fit for {written.action} concerns unknown community {group}"
                problems.append(Problem(kb.root / "strategy/action_fit.yaml", 1, message))
    for rule in kb.rules:
        template = rule.finding
        rule_groups = set(template.communities) if template else set()
        field = "finding" if rule.finding else "gap"
        for mitigation in _mitigations_of(rule):
            words = " ".join(mitigation.text.split()).lower()
            for action in mitigation.actions:
                entry = fit.get(action)
                if entry is None:
                    continue
                if not any(keyword in words for keyword in entry.keywords):
                    message = (
                        f"rule {rule.id}: a mitigation cites action {action}, but its words share none of the "
                        f"action's ({', '.join(entry.keywords)}): cite an action that fits, or reword it"
                    )
                    report(rule.id, field, message)
                if template and entry.concerns and not rule_groups & set(entry.concerns):
                    message = (
                        f"rule {rule.id}: a mitigation cites action {action}, which is about "
                        f"{', '.join(entry.concerns)}, but the rule names none of them"
                    )
                    report(rule.id, field, message)
    return problems


def _coverage_problems(kb: KnowledgeBase, places: list[tuple[str, Place]]) -> list[Problem]:
    """Every characteristic is named by a negative finding, and every community by some finding."""
    problems: list[Problem] = []
    report = _reporter(places, problems)

    negatives = [rule.finding for rule in kb.rules if rule.finding and rule.finding.direction == "negative"]
    findings = [rule.finding for rule in kb.rules if rule.finding]
    for characteristic in kb.characteristics:
        if not any(characteristic.id in finding.characteristics for finding in negatives):
            report(characteristic.id, "id", f"no negative finding names characteristic {characteristic.id}")
    for community in kb.communities:
        if not any(community.id in finding.communities for finding in findings):
            report(community.id, "id", f"no finding names community {community.id}")
    return problems


def effect_problems(kb: KnowledgeBase) -> list[str]:
    """What is wrong with the declared effects, in words naming the rule and the mitigation.

    Every mitigation of a negative finding must declare its effect (without one its residual cannot be scored);
    a `to` must be below the finding's own value on that scale (else it lowers nothing); a way to maximise a
    positive finding declares none (effects lower harms). `proofing rules check` reports these.
    """
    return [fault.message for fault in effect_faults(kb)]


def effect_faults(kb: KnowledgeBase) -> list[Problem]:
    """The declared-effect faults (``effect_problems``), each at its FILE:LINE.

    `proofing rules check` reports these as faults; loading the rule base does not refuse them, so a council
    drafting its effects can still assess plans (the residual then moves nothing for that mitigation). The line is
    the mitigation's own item in its rule's ``finding.mitigations`` list (its ``effect`` key when it has one), found
    by its words among the lines the loader kept (``KnowledgeBase.rule_lines``), so a mitigation a duty narrowed
    away does not shift the others; the rule's line when its words are not there, the impacts folder when the rule
    base was not loaded from files.
    """
    lines = kb.rule_lines
    faults: list[Problem] = []
    for rule in kb.rules:
        template = rule.finding
        if template is None:
            continue
        written = lines.get(rule.id)
        for number, mitigation in enumerate(template.mitigations, start=1):
            words = " ".join(mitigation.text.split())
            where = f"rule {rule.id}, mitigation {number} ({words[:60]}{'...' if len(words) > 60 else ''})"
            effect = mitigation.effect
            if template.direction == "positive":
                if effect is None:
                    continue
                message = f"{where}: a way to maximise a positive finding declares an effect; effects lower harms only"
            elif effect is None:
                message = (
                    f"{where}: no effect is declared (what it lowers once in place, likelihood or severity, "
                    "by how many steps or to what value, and why)"
                )
            else:
                own = template.likelihood if effect.lowers == "likelihood" else template.severity
                if effect.to is None or effect.to < own:
                    continue
                message = (
                    f"{where}: lowers {effect.lowers} to {effect.to}, but the finding's {effect.lowers} is already "
                    f"{own}, so it lowers nothing"
                )
            if written is None:
                faults.append(Problem(kb.root / "impacts", 1, message))
            else:
                faults.append(Problem(written.file, written.mitigations.get(words, written.line), message))
    return faults


class RuleLines(NamedTuple):
    """Where an impact rule is written: its file and line, and the line of each of its finding's mitigations by
    their words (the ``effect`` key's line when it has one). The loader keeps these, so a fault found after loading
    (a missing effect) still names its FILE:LINE without reading the files again."""

    file: Path
    line: int
    mitigations: dict[str, int]


def rule_lines(places: list[tuple[str, Place]]) -> dict[str, RuleLines]:
    """Where each impact rule and each of its finding's mitigations is written, from the loader's index of items."""
    found: dict[str, RuleLines] = {}
    for item_id, (path, node, kind) in places:
        if kind != "rule" or item_id in found:
            continue
        finding = node.get("finding")
        mitigations = finding.get("mitigations") if isinstance(finding, LocatedDict) else None
        at: dict[str, int] = {}
        if isinstance(mitigations, LocatedList):
            for item, line in zip(mitigations, mitigations.item_lines, strict=False):
                if isinstance(item, LocatedDict) and isinstance(item.get("text"), str):
                    at.setdefault(" ".join(item["text"].split()), item.key_lines.get("effect", line))
        found[item_id] = RuleLines(path, node.line, at)
    return found
