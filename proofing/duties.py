"""The equality duties by nation: which apply to a council, and the rule base narrowed to them.

The duties differ by nation: the public sector equality duty (Equality Act 2010 s.149) in England, Wales and
Scotland; in Wales also the Welsh Language Standards and the socio-economic duty; in Scotland the Fairer Scotland
duty and Gaelic language plans; in Northern Ireland Section 75 of the Northern Ireland Act 1998 in place of the
PSED; in England the socio-economic duty if the council chooses it. ``rules/equality/duties.yaml`` defines each
duty and lists the questions, options, sections, rules, characteristics and communities that only it makes
relevant; ``rule_base.yaml`` says the council's ``nation`` and ``duties``.

``narrow`` keeps only what the duties in force make relevant, and rewrites every condition that read something
no longer asked: a test on a question that is not asked is never true, nor is its opposite (so no rule fires on
its absence); a test on an option that can no longer be chosen is false, and its opposite true. A rule whose
condition can then never hold, or always holds, is dropped; so is a finding left naming no group.

``for_nation(kb, nation)`` is the same rule base as it would be for a body in that nation under that nation's
default duties: the corpus calibration assesses English, Scottish and Northern Irish assessments with it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import Field

from proofing.answer_types import answer_type
from proofing.base import Slug, Strict, Text
from proofing.conditions import AllOf, AnswerTest, AnyOf, Condition, FactTest, NotOf
from proofing.errors import Problem
from proofing.oracle import reference_evaluate
from proofing.plan import check_answers
from proofing.questionnaire import ImpactRule, Implies, Mitigation, Option, Question, Questionnaire, Section
from proofing.strategy import Nation, PsedAim
from proofing.yamlsource import line_of

if TYPE_CHECKING:
    from proofing.knowledge import KnowledgeBase

__all__ = [
    "DUTIES_FILE",
    "Duty",
    "DutiesFile",
    "aims_heading",
    "asked_answers",
    "duties_in_force",
    "duty_problems",
    "for_nation",
    "groups_heading",
    "narrow",
    "record_heading",
]

DUTIES_FILE = "equality/duties.yaml"
GENERAL_DUTY = "psed"  # the duty whose aims (psed_aims.yaml) rules cite; a duty with `aims` stands in for it


class NationInfo(Strict):
    """A nation of the United Kingdom and how its record names the duties."""

    id: Nation
    name: Text
    record_heading: Text = Field(description="the record's heading over what the nation's duties ask it to set out")


class DutyAim(PsedAim):
    """An aim of a duty that has its own in place of the PSED's three (Section 75's two)."""

    in_place_of: list[Slug] = Field(min_length=1, description="the PSED aims (psed_aims.yaml) it stands for")


class Members(Strict):
    """What only this duty makes relevant: asked, shown and fired only while it is in force."""

    characteristics: list[Slug] = []
    communities: list[Slug] = []
    sections: list[Slug] = []
    questions: list[Slug] = []
    options: list[str] = Field(default=[], description="question.option")
    rules: list[Slug] = []
    options_implying: list[Slug] = Field(
        default=[], description="groups: an option whose answer implies only these belongs to the duty"
    )
    findings_naming: list[Slug] = Field(default=[], description="groups: a finding naming any of these belongs to it")


class Duty(Strict):
    """An equality duty: where it applies, whether a nation may choose it, its aims and what belongs to it."""

    id: Slug
    name: Text
    source: Text
    nations: list[Nation] = Field(min_length=1)
    optional: list[Nation] = Field(default=[], description="nations where a council may choose it (not a default)")
    groups: Text = Field(description="the groups it adds, as the record's heading over the groups names them")
    aims_heading: Text | None = Field(default=None, description="the record's heading over its aims")
    aims: list[DutyAim] = []
    names: dict[Slug, Text] = Field(default={}, description="its own words for a characteristic while in force")
    members: Members = Members()


class DutiesFile(Strict):
    nations: list[NationInfo] = Field(min_length=1)
    duties: list[Duty] = Field(min_length=1)

    def defaults(self, nation: str) -> list[str]:
        """The duties a council in this nation works under when rule_base.yaml names none."""
        return [d.id for d in self.duties if nation in d.nations and nation not in d.optional]

    def nation(self, nation: str) -> NationInfo | None:
        """The nation with this id, or None."""
        return next((n for n in self.nations if n.id == nation), None)


# --- checking ---------------------------------------------------------------------------------------


def duty_problems(
    kb: KnowledgeBase, catalogue: DutiesFile, duties_at: tuple[Path, Any] | None, rule_base_at: tuple[Path, Any]
) -> list[Problem]:
    """Every fault of the duties a rule base names, and of the duties file, at its FILE:LINE.

    A duty rule_base.yaml names that is not defined, or does not exist in the council's nation, is a fault; so is
    a member of a duty that is not in the rule base (a misspelt id would silently keep it for every nation).
    """
    problems: list[Problem] = []
    path, data = rule_base_at
    info = _rule_base_info(data)
    known = {d.id: d for d in catalogue.duties}
    nation = kb.nation
    for n, duty_id in enumerate(info.get("duties") or []):
        line = line_of(data, ("rule_base", "duties", n))
        duty = known.get(duty_id)
        if duty is None:
            message = f"rule_base: there is no duty {duty_id}; the duties are {', '.join(known)}"
            problems.append(Problem(path, line, message))
        elif nation not in duty.nations:
            found = catalogue.nation(nation)
            where = found.name if found else nation
            message = (
                f"rule_base: the duty {duty_id} does not apply in {where}; its duties are "
                f"{', '.join(d.id for d in catalogue.duties if nation in d.nations)}"
            )
            problems.append(Problem(path, line, message))
    if catalogue.nation(nation) is None:
        problems.append(Problem(path, line_of(data, ("rule_base", "nation")), f"rule_base: {nation} is not a nation"))
    if duties_at is not None:
        problems.extend(_member_problems(kb, catalogue, *duties_at))
    return problems


def _rule_base_info(data: Any) -> dict[str, Any]:
    """The rule_base mapping of rule_base.yaml as read (empty when it is not one)."""
    info = data.get("rule_base") if isinstance(data, dict) else None
    return info if isinstance(info, dict) else {}


def _member_problems(kb: KnowledgeBase, catalogue: DutiesFile, path: Path, data: Any) -> list[Problem]:
    """Every member names an item of the rule base, every aim stands for real PSED aims, and ids are unique."""
    problems: list[Problem] = []
    questions = {q.id: q for q in kb.questionnaire.questions}
    existing = {
        "characteristics": {c.id for c in kb.characteristics},
        "communities": {c.id for c in kb.communities},
        "sections": {s.id for s in kb.questionnaire.sections},
        "questions": set(questions),
        "rules": {r.id for r in kb.rules},
        "options": {f"{q.id}.{o.id}" for q in questions.values() for o in q.options},
    }
    existing["options_implying"] = existing["findings_naming"] = existing["characteristics"] | existing["communities"]
    roles = {str(v) for k, v in kb.questionnaire.roles if isinstance(v, str)}
    psed = {aim.id for aim in kb.psed_aims}
    seen: set[str] = set()
    for d, duty in enumerate(catalogue.duties):
        if duty.id in seen:
            problems.append(Problem(path, line_of(data, ("duties", d, "id")), f"duty {duty.id} is defined twice"))
        seen.add(duty.id)
        for kind, ids in duty.members:
            for i, item in enumerate(ids):
                line = line_of(data, ("duties", d, "members", kind, i))
                if item not in existing[kind]:
                    what = KINDS[kind]
                    problems.append(Problem(path, line, f"duty {duty.id}: there is no {what} {item} in the rule base"))
                elif kind == "questions" and item in roles:
                    message = f"duty {duty.id}: the question {item} plays a role (questionnaire.yaml roles); keep it"
                    problems.append(Problem(path, line, message))
        for a, aim in enumerate(duty.aims):
            for i, stands_for in enumerate(aim.in_place_of):
                if stands_for not in psed:
                    line = line_of(data, ("duties", d, "aims", a, "in_place_of", i))
                    message = f"duty {duty.id}: aim {aim.id} stands for {stands_for}, which is not a PSED aim"
                    problems.append(Problem(path, line, message))
        if duty.aims and psed - {s for aim in duty.aims for s in aim.in_place_of}:
            missing = ", ".join(sorted(psed - {s for aim in duty.aims for s in aim.in_place_of}))
            line = line_of(data, ("duties", d, "aims"))
            problems.append(Problem(path, line, f"duty {duty.id}: no aim stands for the PSED aim(s) {missing}"))
        for optional_nation in duty.optional:
            if optional_nation not in duty.nations:
                line = line_of(data, ("duties", d, "optional"))
                message = f"duty {duty.id}: optional in {optional_nation}, which is not among its nations"
                problems.append(Problem(path, line, message))
    return problems


KINDS = {
    "characteristics": "characteristic",
    "communities": "community",
    "sections": "section",
    "questions": "question",
    "rules": "rule",
    "options": "option",
    "options_implying": "characteristic or community",
    "findings_naming": "characteristic or community",
}


# --- narrowing ---------------------------------------------------------------------------------------


def duties_in_force(catalogue: DutiesFile, nation: str, named: list[str] | None) -> list[Duty]:
    """The duties a council works under: those rule_base.yaml names, else its nation's defaults, in file order."""
    wanted = set(catalogue.defaults(nation) if named is None else named)
    return [duty for duty in catalogue.duties if duty.id in wanted]


class _Removed:
    """What the duties not in force take away, and the rewriting of conditions that read it."""

    def __init__(self, catalogue: DutiesFile, in_force: set[str]) -> None:
        owners: dict[tuple[str, str], set[str]] = {}
        for duty in catalogue.duties:
            for kind, ids in duty.members:
                for item in ids:
                    owners.setdefault((kind, item), set()).add(duty.id)
        self.gone = {key for key, duties in owners.items() if not duties & in_force}
        self.questions = {item for kind, item in self.gone if kind == "questions"}
        self.options: set[tuple[str, str]] = {
            (item.split(".", 1)[0], item.split(".", 1)[1]) for kind, item in self.gone if kind == "options"
        }
        self.facts: set[str] = set()  # facts no rule in force can derive
        self.implying = {item for kind, item in self.gone if kind == "options_implying"}
        self.naming = {item for kind, item in self.gone if kind == "findings_naming"}

    def option_gone(self, question: str, option: Option) -> bool:
        """An option named under a duty not in force, or one whose answer implies only that duty's groups."""
        if (question, option.id) in self.options:
            return True
        implied = set(option.implies.characteristics + option.implies.communities) if option.implies else set()
        return bool(implied) and implied <= self.implying

    def has(self, kind: str, item: str) -> bool:
        return (kind, item) in self.gone

    def fold(self, condition: Condition, positive: bool = True) -> Condition | bool:
        """The condition with what is no longer asked folded away: a condition, or True/False when it is settled."""
        match condition:
            case AllOf():
                parts = [self.fold(part, positive) for part in condition.all]
                if all(new is old for new, old in zip(parts, condition.all, strict=True)):
                    return condition  # nothing removed: the condition as written
                if False in parts:
                    return False
                kept = [part for part in parts if not isinstance(part, bool)]  # no False is left: only True goes
                return True if not kept else kept[0] if len(kept) == 1 else AllOf(all=kept)
            case AnyOf():
                parts = [self.fold(part, positive) for part in condition.any]
                if all(new is old for new, old in zip(parts, condition.any, strict=True)):
                    return condition
                if True in parts:
                    return True
                kept = [part for part in parts if not isinstance(part, bool)]  # no True is left: only False goes
                return False if not kept else kept[0] if len(kept) == 1 else AnyOf(any=kept)
            case NotOf():
                inner = self.fold(condition.not_, not positive)
                if inner is condition.not_:
                    return condition
                return (not inner) if isinstance(inner, bool) else NotOf(not_=inner)
            case FactTest():
                return False if condition.fact in self.facts else condition
            case AnswerTest():
                if condition.question in self.questions:
                    return not positive  # false where it stands, whether tested or negated
                return self._fold_options(condition)
        return condition

    def _fold_options(self, test: AnswerTest) -> AnswerTest | bool:
        """A test on options that can no longer be chosen: it holds only through the options still offered."""
        gone = {option for question, option in self.options if question == test.question}
        if not gone or test.test == "answered":
            return test
        operand = test.operand
        if test.test in ("equals", "contains"):
            return False if operand in gone else test
        if test.test == "contains_all":
            return False if set(operand) & gone else test
        kept = [value for value in operand if value not in gone]
        if not kept:
            return False
        field = "in_" if test.test == "in" else test.test
        return test if len(kept) == len(operand) else test.model_copy(update={field: kept})


def narrow(
    kb: KnowledgeBase, catalogue: DutiesFile, nation: str, named: list[str] | None, *, as_written: bool = False
) -> KnowledgeBase:
    """The rule base as it is for a council in `nation` working under `named` duties (None: the defaults).

    `as_written`: the nation and duties are those of the rule base's own rule_base.yaml, so it keeps the sha256 of
    its files (which already covers them); otherwise the sha256 is derived from it, the nation and the duties, so
    that the engine, which compiles once per sha256, compiles it apart.
    """
    in_force = duties_in_force(catalogue, nation, named)
    removed = _Removed(catalogue, {duty.id for duty in in_force})
    characteristics = [c for c in kb.characteristics if not removed.has("characteristics", c.id)]
    names = {key: words for duty in in_force for key, words in duty.names.items()}
    characteristics = [c.model_copy(update={"name": names[c.id]}) if c.id in names else c for c in characteristics]
    kept_characteristics = {c.id for c in characteristics}
    communities = [
        community.model_copy(
            update={"characteristics": [c for c in community.characteristics if c in kept_characteristics]}
        )
        for community in kb.communities
        if not removed.has("communities", community.id)
    ]
    kept_groups = kept_characteristics | {c.id for c in communities}
    questionnaire = _narrow_questionnaire(
        kb.questionnaire, removed, kept_groups, {c.id: c.name for c in characteristics}
    )
    aims, aim_of = _aims(kb, in_force)
    rules = _narrow_rules(kb.rules, removed, kept_characteristics, {c.id for c in communities}, aim_of)
    training = _narrow_training(kb.training, removed, questionnaire, rules)
    sha256 = kb.sha256 if as_written else _derived_sha(kb.sha256, nation, in_force)
    narrowed = type(kb).model_validate(
        {name: getattr(kb, name) for name in type(kb).model_fields}
        | {
            "sha256": sha256,
            "nation": nation,
            "duties": in_force,
            "nation_info": catalogue.nation(nation),
            "characteristics": characteristics,
            "communities": communities,
            "psed_aims": aims,
            "questionnaire": questionnaire,
            "rules": rules,
            "training": training,
        }
    )
    return narrowed


def _derived_sha(sha256: str, nation: str, in_force: list[Duty]) -> str:
    """The rule base's sha256 narrowed for another nation or other duties: another rule base, compiled apart."""
    text = f"{sha256}\0{nation}\0{','.join(d.id for d in in_force)}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _aims(kb: KnowledgeBase, in_force: list[Duty]) -> tuple[list[PsedAim], dict[str, list[str]]]:
    """The aims findings cite: a duty's own where one in force has them, else the PSED's; and what each PSED aim
    becomes."""
    own = [aim for duty in in_force for aim in duty.aims]
    if not own:
        return kb.psed_aims, {aim.id: [aim.id] for aim in kb.psed_aims}
    becomes: dict[str, list[str]] = {}
    for aim in own:
        for stands_for in aim.in_place_of:
            becomes.setdefault(stands_for, []).append(aim.id)
    return [PsedAim(id=a.id, name=a.name, text=a.text, source=a.source) for a in own], becomes


def _narrow_implies(implies: Implies | None, kept_groups: set[str]) -> Implies | None:
    if implies is None:
        return None
    return Implies(
        characteristics=[c for c in implies.characteristics if c in kept_groups],
        communities=[c for c in implies.communities if c in kept_groups],
    )


def _narrow_questionnaire(
    questionnaire: Questionnaire, removed: _Removed, kept_groups: set[str], names: dict[str, str]
) -> Questionnaire:
    """The questions still asked, each with its options still offered and its show_if folded; in order, so a question
    hidden for good by an earlier removal is removed in turn."""
    sections: list[Section] = []
    for section in questionnaire.sections:
        if removed.has("sections", section.id):
            removed.questions.update(q.id for q in section.questions)
            continue
        section_if = removed.fold(section.show_if) if section.show_if is not None else True
        questions: list[Question] = []
        for question in section.questions:
            shown = removed.fold(question.show_if) if question.show_if is not None else True
            if section_if is False or shown is False or removed.has("questions", question.id):
                removed.questions.add(question.id)
                continue
            options = [
                _narrow_option(option, question, kept_groups, names)
                for option in question.options
                if not removed.option_gone(question.id, option)
                and (question.options_source not in ("characteristics", "communities") or option.id in kept_groups)
            ]
            dropped = {o.id for o in question.options} - {o.id for o in options}
            removed.options.update((question.id, option) for option in dropped)
            if answer_type(question.type).has_options and not options:  # nothing left to choose: not asked
                removed.questions.add(question.id)
                continue
            questions.append(
                question.model_copy(
                    update={
                        "show_if": None if shown is True else shown,
                        "options": options,
                        "implies": _narrow_implies(question.implies, kept_groups),
                    }
                )
            )
        if questions:
            sections.append(
                section.model_copy(
                    update={"questions": questions, "show_if": None if section_if is True else section_if}
                )
            )
        else:
            removed.questions.update(q.id for q in section.questions)
    return questionnaire.model_copy(update={"sections": sections})


def _narrow_option(option: Option, question: Question, kept_groups: set[str], names: dict[str, str]) -> Option:
    """An option with the groups it implies narrowed, and a characteristic's own name under the duties in force."""
    update: dict[str, Any] = {"implies": _narrow_implies(option.implies, kept_groups)}
    if question.options_source == "characteristics" and option.id in names:
        update["label"] = names[option.id]
    return option.model_copy(update=update)


def _narrow_rules(
    rules: list[ImpactRule],
    removed: _Removed,
    characteristics: set[str],
    communities: set[str],
    aim_of: dict[str, list[str]],
) -> list[ImpactRule]:
    """The rules in force, their conditions folded, until no fact they read is left underivable."""
    while True:
        kept = [narrowed for rule in rules if (narrowed := _narrow_rule(rule, removed, characteristics, communities))]
        derivable = {rule.derives for rule in kept if rule.derives}
        underivable = {rule.derives for rule in rules if rule.derives and rule.derives not in derivable}
        if underivable <= removed.facts:
            break
        removed.facts |= underivable
    ids = {rule.id for rule in kept}
    return [_cite(rule, ids, aim_of) for rule in kept]


def _cite(rule: ImpactRule, kept: set[str], aim_of: dict[str, list[str]]) -> ImpactRule:
    """A finding's aims as the duty in force words them, and what it covers among the rules still in force."""
    update: dict[str, Any] = {"covers": [covered for covered in rule.covers if covered in kept]}
    if rule.finding is not None:
        aims = list(dict.fromkeys(new for aim in rule.finding.psed_aims for new in aim_of.get(aim, [aim])))
        update["finding"] = rule.finding.model_copy(update={"psed_aims": aims})
    return rule.model_copy(update=update)


def _narrow_rule(
    rule: ImpactRule, removed: _Removed, characteristics: set[str], communities: set[str]
) -> ImpactRule | None:
    """The rule as it stands under the duties in force, or None when it no longer belongs (see the module's words)."""
    if removed.has("rules", rule.id):
        return None
    if rule.finding and removed.naming & set(rule.finding.characteristics + rule.finding.communities):
        return None
    when = removed.fold(rule.when)
    if isinstance(when, bool):
        return None
    update: dict[str, Any] = {"when": when, "cases": [c for c in rule.cases if _case_in_force(c.answers, removed)]}
    if rule.finding is not None:
        finding = rule.finding
        named = finding.characteristics + finding.communities
        kept_characteristics = [c for c in finding.characteristics if c in characteristics]
        kept_communities = [c for c in finding.communities if c in communities]
        if named and not kept_characteristics + kept_communities:
            return None
        mitigations = _narrow_mitigations(finding.mitigations, removed)
        if not mitigations:
            return None
        update["finding"] = finding.model_copy(
            update={
                "characteristics": kept_characteristics,
                "communities": kept_communities,
                "mitigations": mitigations,
            }
        )
    if rule.gap is not None:
        remedies = _narrow_mitigations(rule.gap.remedies, removed)
        if not remedies:
            return None
        update["gap"] = rule.gap.model_copy(update={"remedies": remedies})
    return rule.model_copy(update=update)


def _narrow_mitigations(mitigations: Iterable[Mitigation], removed: _Removed) -> list[Mitigation]:
    """The mitigations still offered: one whose `when` can no longer hold is dropped, one that always holds is plain."""
    kept = []
    for mitigation in mitigations:
        if mitigation.when is None:
            kept.append(mitigation)
            continue
        when = removed.fold(mitigation.when)
        if when is not False:
            kept.append(mitigation.model_copy(update={"when": None if when is True else when}))
    return kept


def _case_in_force(answers: dict[str, Any], removed: _Removed) -> bool:
    """Whether a worked case answers only what is still asked, with options still offered."""
    for question, value in answers.items():
        if question in removed.questions:
            return False
        values = value if isinstance(value, list) else [value]
        if any(isinstance(v, str) and (question, v) in removed.options for v in values):
            return False
    return True


def _narrow_training(
    cases: list[Any], removed: _Removed, questionnaire: Questionnaire, rules: list[ImpactRule]
) -> list[Any]:
    """The training cards with the answers no longer asked left out, each teaching only the impacts the rules in
    force still find for its plan; a card that taught impacts none of which are still found is not shown."""
    kept = []
    for case in cases:
        answers = {}
        for question, value in case.plan.answers.items():
            if question in removed.questions:
                continue
            if isinstance(value, list):
                value = [v for v in value if (question, v) not in removed.options]
            elif isinstance(value, str) and (question, value) in removed.options:
                continue
            answers[question] = value
        found = set(reference_evaluate(rules, check_answers(questionnaire, answers).answers).findings)
        impacts = [impact for impact in case.expect.impacts if impact in found]
        if case.expect.impacts and not impacts:
            continue
        plan = case.plan.model_copy(update={"answers": answers})
        kept.append(
            case.model_copy(update={"plan": plan, "expect": case.expect.model_copy(update={"impacts": impacts})})
        )
    return kept


# --- the rule base for a nation, and the record's words -------------------------------------------


def for_nation(kb: KnowledgeBase, nation: str, duties: list[str] | None = None) -> KnowledgeBase:
    """The same rule base as it would be for a body in `nation` under that nation's default duties, or under
    `duties` when given (a body that chose an optional duty, such as the socio-economic duty in England).

    `kb` is any rule base ``load_knowledge`` returned (narrowed or not): it is narrowed again from the whole rule
    base as written. Its sha256 differs from `kb`'s unless the nation and duties are the same, so the engine
    compiles it apart. Raises ValueError for a nation that is not one of england, wales, scotland, northern_ireland.
    """
    whole, catalogue = kb.whole_and_duties()
    if catalogue.nation(nation) is None:
        raise ValueError(f"{nation!r} is not a nation; the nations are {', '.join(n.id for n in catalogue.nations)}")
    wanted = catalogue.defaults(nation) if duties is None else duties
    if nation == kb.nation and [d.id for d in kb.duties] == wanted:
        return kb
    narrowed = narrow(whole, catalogue, nation, duties)
    narrowed.keep_whole(whole, catalogue)
    return narrowed


def asked_answers(kb: KnowledgeBase, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers with those this rule base does not ask left out: answers to questions it does not ask, and
    options it does not offer (a plan written for a Welsh body, assessed for a body elsewhere).

    Examples:
        >>> from proofing.knowledge import load_knowledge
        >>> england = for_nation(load_knowledge(), "england")
        >>> asked_answers(england, {"welsh_provision": "english_only", "reach": "public"})
        {'reach': 'public'}
    """
    offered = {q.id: {o.id for o in q.options} for q in kb.questionnaire.questions}
    kept: dict[str, Any] = {}
    for question, value in answers.items():
        if question not in offered:
            continue
        options = offered[question]
        if options and isinstance(value, list):
            value = [v for v in value if v in options]
        elif options and isinstance(value, str) and value not in options:
            continue
        kept[question] = value
    return kept


def record_heading(kb: KnowledgeBase) -> str:
    """The record's heading over what the nation's duties ask it to set out (English; the record translates it)."""
    return kb.nation_info.record_heading if kb.nation_info else "What the equality duties ask us to set out"


def groups_heading(kb: KnowledgeBase) -> str:
    """The record's heading over the characteristics, worded from the duties in force: in Wales "Protected
    characteristics, Welsh language and socio-economic disadvantage", in England "Protected characteristics"."""
    parts = list(dict.fromkeys(duty.groups for duty in kb.duties))
    if not parts:
        return "Characteristics"
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def aims_heading(kb: KnowledgeBase) -> str:
    """The record's heading over the aims findings bear on: the PSED's, or Section 75's in Northern Ireland."""
    heading = next((duty.aims_heading for duty in kb.duties if duty.aims and duty.aims_heading), None)
    heading = heading or next((d.aims_heading for d in kb.duties if d.id == GENERAL_DUTY and d.aims_heading), None)
    return heading or "The equality duty (Equality Act 2010, s.149)"
