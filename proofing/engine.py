"""The rules engine: impact rules compiled to durable-rules, and one plan evaluated at a time.

``evaluate(kb, answers)`` is the whole interface: it returns which finding rules fired and which facts
were derived, in a fixed order, for one plan in isolation. Everything that knows about durable-rules
lives in ``_DurableRules`` below, because durable-rules 2.0.28 has traps that must be designed out in
one place. We compile each rule base to durable-rules' JSON ruleset format and drive its compiled rete
engine (``durable_rules_engine``) directly, not through its Python ``Host``/``Closure`` layer:

- that layer decoded the whole state from JSON and re-encoded it for every action (measured: 80% of an
  evaluation, 4.4 ms for the largest example); we read only the action's name from each message;
- rulesets are process-global in that layer, and registering a name twice fails later, at the next
  post, and can drop other rulesets (jruizgit/rules#262); we keep our own handle per rule base, created
  once per process and named after the rule base's sha256;
- its ``Ruleset`` deletes the ``run`` key from the definition it is given; our definitions carry no
  Python at all (actions are dispatched by rule index);
- an exception inside an action is swallowed into the state (#305, #58); our actions run in our own
  loop, so an error propagates as ``EngineError``;
- a fact no rule matches raises MessageNotHandledException, and actions then fire ~200 ms later on a
  timer thread; the engine's return code says "not handled" and we treat it as "nothing fired";
- asserting an identical fact twice raises MessageObservedException (#250); each derived fact is
  asserted once per evaluation, however many rules derive it (which also keeps joins from firing once
  per deriving rule);
- state per session is kept until ``delete_state`` (memory grew from 21 MB to 1.6 GB over 1,000
  assessments without it); every evaluation deletes its session, even when it fails;
- each ``Host`` starts two timer threads that never stop (#291, #292), and they dispatch pending
  actions outside any lock of ours: under load one picked up an action mid-evaluation and failed with
  ERR_NODE_DELETED (307) once the session was deleted. We start no host and no thread; every call into
  the engine is serialised by one lock;
- firing order is not guaranteed (#190): results are sorted;
- deleting the first session of a new ruleset aborts the process (heap corruption, "munmap_chunk():
  invalid pointer") when that session's fact was handled but started no action, e.g. an empty plan
  against a rule base with joins (found by the app's first page). One session that ran an action
  first prevents it: each ruleset carries a warm-up rule that is fired once when it is compiled.

Answers are asserted as one flat fact (``a__q`` answered flags, ``q__q`` values, ``q__q__option``
booleans for many-of answers: every key present, so negation is sound), conditions are compiled to
that fact with ``not`` pushed down to the leaves, and derived facts are separate facts that rules join
on, so derivations chain forward. The engine limits a fact to 255 properties: the fact carries option
keys only for the options some rule tests, and compiling a rule base whose fact would be larger fails
with an ``EngineError`` in words (``proofing rules check`` compiles the rule base, so it reports it).
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from collections import OrderedDict
from importlib.metadata import version
from typing import Any

import durable_rules_engine  # the compiled engine shipped by durable-rules

from proofing.answer_types import answer_type
from proofing.conditions import AllOf, Answers, AnswerTest, AnyOf, Condition, FactTest, NotOf, answer_tests
from proofing.errors import ProofingError
from proofing.knowledge import KnowledgeBase
from proofing.oracle import Firing
from proofing.questionnaire import ImpactRule, Question

ENGINE_NAME = "durable-rules"
ENGINE_VERSION = version("durable-rules")

JsonExpr = dict[str, Any]


class EngineError(ProofingError):
    """The rules engine failed while evaluating a plan (a bug or a broken rule, never the user's input)."""


def evaluate(kb: KnowledgeBase, answers: Answers) -> Firing:
    """Which finding rules fire, and which facts are derived, for one plan's (checked) answers."""
    return _compiled(kb).evaluate(answers)


# --- compiling conditions -------------------------------------------------------------------------


def _answered(question_id: str, flag: bool) -> JsonExpr:
    return {f"a__{question_id}": flag}


def _value(question_id: str) -> str:
    return f"q__{question_id}"


def _option(question_id: str, option_id: str) -> str:
    return f"q__{question_id}__{option_id}"


def _and(parts: list[JsonExpr]) -> JsonExpr:
    return parts[0] if len(parts) == 1 else {"$and": parts}


def _or(parts: list[JsonExpr]) -> JsonExpr:
    return parts[0] if len(parts) == 1 else {"$or": parts}


def _leaf(test: AnswerTest, negate: bool) -> JsonExpr:
    """One answer test as a durable-rules expression over the flat answers fact."""
    q, operand = test.question, test.operand
    match test.test:
        case "answered":
            return _answered(q, operand != negate)
        case "contains" | "contains_any" | "contains_all":
            options = [operand] if test.test == "contains" else operand
            flags = [{_option(q, option): not negate} for option in options]
            any_of = test.test != "contains_all"
            return _or(flags) if any_of != negate else _and(flags)
        case "equals" | "in":
            values = [operand] if test.test == "equals" else operand
            if not negate:
                return _and([_answered(q, True), _or([{_value(q): value} for value in values])])
            return _or([_answered(q, False), _and([{"$neq": {_value(q): value}} for value in values])])
        case "at_least" | "at_most":
            holds_op, fails_op = ("$gte", "$lt") if test.test == "at_least" else ("$lte", "$gt")
            if not negate:
                return _and([_answered(q, True), {holds_op: {_value(q): operand}}])
            return _or([_answered(q, False), {fails_op: {_value(q): operand}}])
    raise EngineError(f"cannot compile the test {test.test}")


def _expression(condition: Condition, negate: bool = False) -> JsonExpr:
    """A condition as a durable-rules expression, with `not` pushed down to the leaves."""
    match condition:
        case AllOf():
            parts = [_expression(part, negate) for part in condition.all]
            return _or(parts) if negate else _and(parts)
        case AnyOf():
            parts = [_expression(part, negate) for part in condition.any]
            return _and(parts) if negate else _or(parts)
        case NotOf():
            return _expression(condition.not_, not negate)
        case AnswerTest():
            return _leaf(condition, negate)
        case FactTest():
            raise EngineError("a fact may only be required at the top of a rule (the rule base check says so)")
    raise EngineError(f"not a condition: {condition!r}")


def _split_facts(condition: Condition) -> tuple[list[str], Condition | None]:
    """The facts a rule requires, and the rest of its condition (over answers only)."""
    if isinstance(condition, FactTest):
        return [condition.fact], None
    if isinstance(condition, AllOf):
        facts = [part.fact for part in condition.all if isinstance(part, FactTest)]
        rest: list[Condition] = [part for part in condition.all if not isinstance(part, FactTest)]
        if not rest:
            return facts, None
        return facts, rest[0] if len(rest) == 1 else AllOf(all=rest)
    return [], condition


# durable-rules refuses a fact with more properties than this (error 303 on assert).
MAX_FACT_PROPERTIES = 255


def flatten_answers(
    questions: list[Question], answers: Answers, tested: dict[str, set[str]] | None = None
) -> dict[str, Any]:
    """The answers as one flat durable-rules fact: every question the rules read has every key they test."""
    return _Flattener(questions, tested).flatten(answers)


def tested_options(rules: list[ImpactRule]) -> dict[str, set[str]]:
    """For each many-of question, the options some rule tests: the only option keys the flat fact needs."""
    tested: dict[str, set[str]] = {}
    for rule in rules:
        for test in answer_tests(rule.when):
            if test.test in ("contains", "contains_any", "contains_all"):
                options = [test.operand] if test.test == "contains" else test.operand
                tested.setdefault(test.question, set()).update(options)
    return tested


class _Flattener:
    """The keys of the flat fact, worked out once per questionnaire (this runs on every evaluation).

    Every question read gets its answered flag and its value; a many-of question gets a flag for each option
    a rule tests (an option no rule tests needs no key, and leaving it out keeps the fact within the
    engine's limit of MAX_FACT_PROPERTIES).
    """

    def __init__(self, questions: list[Question], tested: dict[str, set[str]] | None = None, groups: int = 0) -> None:
        self.groups = {_group_key(group): True for group in range(groups)}
        self.plan = [
            (
                question.id,
                answer_type(question.type),
                f"a__{question.id}",
                _value(question.id),
                [
                    (option.id, _option(question.id, option.id))
                    for option in question.options
                    if tested is None or option.id in tested.get(question.id, set())
                ],
            )
            for question in questions
        ]

    @property
    def size(self) -> int:
        """How many properties the flat fact has, with the session id and the type."""
        keys = sum(1 + kind.engine_keys(len(options)) for _q, kind, _a, _v, options in self.plan)
        return 2 + len(self.groups) + keys

    def flatten(self, answers: Answers) -> dict[str, Any]:
        fact: dict[str, Any] = {"t": "answers", **self.groups}
        for question_id, kind, answered_key, value_key, options in self.plan:
            answer = answers.get(question_id)
            fact[answered_key] = answer is not None
            kind.encode(fact, answer, value_key, options)  # each answer type holds its answer its own way
        return fact


# The engine's alpha-node stack holds 64 entries (durable-rules' MAX_STACK_SIZE); a group of rules is
# packed to at most this many answer tests, leaving room for the group nodes and disjunctions.
STACK_BUDGET = 40


def _group_key(group: int) -> str:
    return f"g__{group}"


def _load(condition: Condition) -> int:
    """A bound on how many alpha nodes of one rule can be pending at once: its answer tests, at least one."""
    return max(1, sum(1 for _ in answer_tests(condition)))


def _stack_groups(rules: list[ImpactRule]) -> list[int]:
    """Each rule's group, packing rules in order so that no group's answer tests exceed STACK_BUDGET."""
    groups: list[int] = []
    group, load = 0, 0
    for rule in rules:
        weight = _load(rule.when)
        if weight > STACK_BUDGET:
            raise EngineError(
                f"rule {rule.id} has {weight} answer tests; the engine can hold at most {STACK_BUDGET} in one "
                "rule: split it into rules that derive a fact"
            )
        if load + weight > STACK_BUDGET:
            group, load = group + 1, 0
        groups.append(group)
        load += weight
    return groups


# --- the durable-rules adapter --------------------------------------------------------------------


_ACTION_NAME = re.compile(r'^\{\s*"([^"]+)"')
NOT_HANDLED, OBSERVED = 1, 2  # durable_rules_engine's return codes for assert_fact (0: handled)
_WARM_UP = "warm_up"


# How many recent evaluations each compiled rule base recalls (about 2 kB each): a what-if search over one plan
# tries a few hundred variations, and a server has a few dozen plans open at once.
RECENT_FIRINGS = 4096


class _DurableRules:
    """The one place that talks to durable-rules: one compiled ruleset per rule base, one lock."""

    _lock = threading.Lock()
    _sessions = itertools.count(1)

    def __init__(self, name: str, rules: list[ImpactRule], questions: list[Question]) -> None:
        self.name = name
        read = {test.question for rule in rules for test in answer_tests(rule.when)}
        self.questions = [question for question in questions if question.id in read]
        groups = _stack_groups(rules)
        self._flattener = _Flattener(self.questions, tested_options(rules), max(groups, default=-1) + 1)
        if self._flattener.size > MAX_FACT_PROPERTIES:
            raise EngineError(
                f"the rules read {self._flattener.size} answer keys, but the engine takes at most "
                f"{MAX_FACT_PROPERTIES} in one fact: test fewer options of many-of questions, or split a question"
            )
        self._actions: dict[str, tuple[str, str | None]] = {}
        self._recent: OrderedDict[str, Firing] = OrderedDict()
        definition = self._definition(rules)
        definition[_WARM_UP] = {"all": [{"m": {"t": _WARM_UP}}]}
        with self._lock:
            self._handle = durable_rules_engine.create_ruleset(name, json.dumps(definition, ensure_ascii=False))
            self._warm_up()

    def _warm_up(self) -> None:
        """Run one action in a throwaway session, so no later session is the engine's first (see above)."""
        session = f"{_WARM_UP}-{next(self._sessions)}"
        try:
            _code, state = durable_rules_engine.assert_fact(self._handle, json.dumps({"sid": session, "t": _WARM_UP}))
            message = durable_rules_engine.start_action_for_state(self._handle, state)
            while message:
                message = durable_rules_engine.complete_and_start_action(self._handle, state)
        finally:
            durable_rules_engine.delete_state(self._handle, session)

    def _definition(self, rules: list[ImpactRule]) -> dict[str, Any]:
        """The rules as a durable-rules JSON ruleset; each rule's action is looked up by its name.

        Each rule's answers pattern starts with its group's key (``g__N``, always true in the fact): the
        engine walks matching alpha nodes with a stack of 64, so more than 64 rules whose first tests all
        match one plan fail with error 303 (ERR_MAX_STACK_SIZE). Rules sharing a group share its node, so
        the root fans out to a few groups and each group to a bounded number of rules.
        """
        definition: dict[str, Any] = {}
        groups = _stack_groups(rules)
        for index, rule in enumerate(rules):
            facts, rest = _split_facts(rule.when)
            group = {_group_key(groups[index]): True}
            answers_part: JsonExpr = {"$and": [{"t": "answers"}, group]}
            if rest is not None:
                answers_part = {"$and": [{"t": "answers"}, group, _expression(rest)]}
            patterns: list[JsonExpr] = [{"m_0": answers_part}]
            for position, fact in enumerate(facts, start=1):
                patterns.append({f"m_{position}": {"$and": [{"t": "fact"}, {"name": fact}]}})
            action = f"r_{index}"
            definition[action] = {"all": patterns}
            self._actions[action] = (rule.id, rule.derives)
        return definition

    def evaluate(self, answers: Answers) -> Firing:
        """What fires for these answers: worked out by the engine once, then recalled while it is recent.

        A page is run again on every click and the what-if search tries the same few hundred variations of a plan
        each time, so the same answers come back again and again; the result depends on nothing else.
        """
        answers_fact = json.dumps(self._flattener.flatten(answers), ensure_ascii=False)
        with self._lock:
            recalled = self._recent.get(answers_fact)
            if recalled is not None:
                self._recent.move_to_end(answers_fact)
                return Firing(findings=recalled.findings, facts=dict(recalled.facts))
        firing = self._evaluate(answers_fact)
        with self._lock:
            self._recent[answers_fact] = firing
            while len(self._recent) > RECENT_FIRINGS:
                self._recent.popitem(last=False)
        return Firing(findings=firing.findings, facts=dict(firing.facts))

    def run(self, answers: Answers) -> Firing:
        """What fires, worked out by the engine itself, never recalled: what the engine's own checks exercise."""
        return self._evaluate(json.dumps(self._flattener.flatten(answers), ensure_ascii=False))

    def _evaluate(self, answers_fact: str) -> Firing:
        """The engine's own run over one plan's flat answers (JSON), in a session of its own."""
        findings: set[str] = set()
        derived: dict[str, set[str]] = {}
        with self._lock:
            session = str(next(self._sessions))
            try:
                fact = f'{{"sid": {json.dumps(session)}, {answers_fact[1:]}'
                code, state = durable_rules_engine.assert_fact(self._handle, fact)
                if code == NOT_HANDLED:
                    return Firing(findings=(), facts={})
                started = durable_rules_engine.start_action_for_state(self._handle, state)
                message = started[1] if started else None
                while message:
                    rule_id, derives = self._actions[_ACTION_NAME.match(message).group(1)]  # type: ignore[union-attr]
                    if derives is None:
                        findings.add(rule_id)
                    else:
                        if derives not in derived:
                            new_fact = json.dumps({"sid": session, "t": "fact", "name": derives})
                            new_code, _ = durable_rules_engine.assert_fact(self._handle, new_fact)
                            if new_code not in (0, NOT_HANDLED):
                                raise EngineError(f"rule {rule_id}: the engine refused fact {derives} ({new_code})")
                        derived.setdefault(derives, set()).add(rule_id)
                    message = durable_rules_engine.complete_and_start_action(self._handle, state)
            except EngineError:
                raise
            except Exception as error:
                raise EngineError(f"the rules engine failed: {type(error).__name__}: {error}") from error
            finally:
                durable_rules_engine.delete_state(self._handle, session)
        return Firing(
            findings=tuple(sorted(findings)),
            facts={name: tuple(sorted(by)) for name, by in sorted(derived.items())},
        )


_compiled_lock = threading.Lock()
_compiled_rule_bases: dict[str, _DurableRules] = {}


def _compiled(kb: KnowledgeBase) -> _DurableRules:
    """The rule base compiled once per process (by content), however often it is loaded."""
    name = f"proofing_{kb.sha256[:32]}"
    with _compiled_lock:
        if name not in _compiled_rule_bases:
            _compiled_rule_bases[name] = _DurableRules(name, kb.rules, kb.questionnaire.questions)
        return _compiled_rule_bases[name]
