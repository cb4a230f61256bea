"""The rules engine: impact rules compiled to durable-rules, and one plan evaluated at a time.

``evaluate(kb, answers)`` is the whole interface: it returns which finding rules fired and which facts
were derived, in a fixed order, for one plan in isolation. Everything that knows about durable-rules
lives in ``_DurableRules`` below, because durable-rules 2.0.28 has traps that must be designed out in
one place:

- rulesets are process-global, and registering a name twice fails later (jruizgit/rules#262): we keep
  one private ``Host`` per process and register each rule base once, under a name taken from its sha256;
- ``Ruleset`` deletes the ``run`` key from the definition it is given: definitions are built fresh;
- an exception inside an action is swallowed into the state (#305, #58): every action is wrapped and
  its error re-raised to the caller as ``EngineError``;
- a fact no rule matches raises MessageNotHandledException, and actions then fire ~200 ms later on a
  timer thread: a catch-all rule matches every fact, so actions fire synchronously inside the call;
- asserting an identical fact twice raises MessageObservedException (#250): each derived fact carries
  the rule that derived it, and a rule never derives its fact twice in one evaluation;
- state per session is kept until ``delete_state`` (memory grew to 1.6 GB without it): every
  evaluation deletes its session;
- each ``Host`` starts two timer threads that never stop (#291, #292), and they dispatch pending
  actions outside any lock of ours: under load one picked up an action mid-evaluation and failed with
  ERR_NODE_DELETED (307) once the session was deleted. We need neither timers nor asynchronous
  dispatch (every action runs inside the call), so our host never starts those threads; one host per
  process, and every call is serialised by one lock;
- firing order is not guaranteed (#190): results are sorted; an action cannot see its rule's name:
  the rule id is captured in a closure.

Answers are posted as one flat fact (``a__q`` answered flags, ``q__q`` values, ``q__q__option``
booleans for many-of answers), conditions are compiled to that fact with negation pushed to the leaves,
and derived facts are separate facts that rules join on, so derivations chain forward.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from typing import Any

from durable import engine as durable_engine

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
        rest = [part for part in condition.all if not isinstance(part, FactTest)]
        if not rest:
            return facts, None
        return facts, rest[0] if len(rest) == 1 else AllOf(all=rest)
    return [], condition


def flatten_answers(questions: list[Question], answers: Answers) -> dict[str, Any]:
    """The answers as one flat durable-rules fact: every question the rules read has every key."""
    fact: dict[str, Any] = {"t": "answers"}
    for question in questions:
        given = question.id in answers
        answer = answers.get(question.id)
        fact[f"a__{question.id}"] = given
        if question.type == "many_of":
            chosen = set(answer) if isinstance(answer, list) else set()
            for option in question.options:
                fact[_option(question.id, option.id)] = option.id in chosen
        elif question.type == "yes_no":
            fact[_value(question.id)] = bool(answer) if given else False
        elif question.type == "number":
            fact[_value(question.id)] = answer if given else 0
        else:
            fact[_value(question.id)] = answer if given else ""
    return fact


# --- the durable-rules adapter --------------------------------------------------------------------


@dataclass
class _Collector:
    """What the actions of one evaluation found."""

    findings: set[str] = field(default_factory=set)
    facts: dict[str, set[str]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


class _SynchronousHost(durable_engine.Host):
    """A durable-rules host without the background timer threads: every action runs inside the call."""

    def _run(self) -> None:
        """Start nothing. The base class starts two never-ending timer threads here."""


class _DurableRules:
    """The one place that talks to durable-rules: one host, one lock, one ruleset per rule base."""

    _lock = threading.Lock()
    _host: durable_engine.Host | None = None
    _sessions = itertools.count(1)

    def __init__(self, name: str, rules: list[ImpactRule], questions: list[Question]) -> None:
        self.name = name
        read = {test.question for rule in rules for test in answer_tests(rule.when)}
        self.questions = [question for question in questions if question.id in read]
        self._collector = _Collector()
        with self._lock:
            self._host_instance().register_rulesets({name: self._definition(rules)})

    @classmethod
    def _host_instance(cls) -> durable_engine.Host:
        if cls._host is None:
            cls._host = _SynchronousHost()
        return cls._host

    def _definition(self, rules: list[ImpactRule]) -> dict[str, Any]:
        """A fresh durable-rules definition (the library consumes the one it is given)."""
        definition: dict[str, Any] = {}
        for index, rule in enumerate(rules):
            facts, rest = _split_facts(rule.when)
            answers_part: JsonExpr = {"t": "answers"}
            if rest is not None:
                answers_part = {"$and": [{"t": "answers"}, _expression(rest)]}
            patterns: list[JsonExpr] = [{"m_0": answers_part}]
            for position, fact in enumerate(facts, start=1):
                patterns.append({f"m_{position}": {"$and": [{"t": "fact"}, {"name": fact}]}})
            definition[f"r_{index}"] = {"all": patterns, "run": self._action(rule)}
        definition["catch_all"] = {"all": [{"m": {"$ex": {"t": 1}}}], "run": _ignore}
        return definition

    def _action(self, rule: ImpactRule) -> Callable[[Any], None]:
        rule_id, derives = rule.id, rule.derives

        def run(closure: Any) -> None:
            collector = self._collector
            try:
                if derives is None:
                    collector.findings.add(rule_id)
                    return
                derived_by = collector.facts.setdefault(derives, set())
                if rule_id not in derived_by:
                    derived_by.add(rule_id)
                    closure.assert_fact({"t": "fact", "name": derives, "by": rule_id})
            except Exception as error:  # an action's error would otherwise vanish into the state
                collector.errors.append(f"rule {rule_id}: {type(error).__name__}: {error}")

        return run

    def evaluate(self, answers: Answers) -> Firing:
        fact = flatten_answers(self.questions, answers)
        with self._lock:
            session = str(next(self._sessions))
            self._collector = collector = _Collector()
            host = self._host_instance()
            try:
                state = host.assert_fact(self.name, {"sid": session, **fact})
            except Exception as error:
                raise EngineError(f"the rules engine failed: {type(error).__name__}: {error}") from error
            finally:
                host.delete_state(self.name, session)
        if collector.errors or (isinstance(state, dict) and "exception" in state):
            raise EngineError("; ".join(collector.errors) or str(state.get("exception")))
        return Firing(
            findings=tuple(sorted(collector.findings)),
            facts={name: tuple(sorted(by)) for name, by in sorted(collector.facts.items())},
        )


def _ignore(closure: Any) -> None:
    """The catch-all rule's action: it exists so that every fact is handled at once."""


_compiled_lock = threading.Lock()
_compiled_rule_bases: dict[str, _DurableRules] = {}


def _compiled(kb: KnowledgeBase) -> _DurableRules:
    """The rule base compiled once per process (by content), however often it is loaded."""
    name = f"proofing_{kb.sha256[:32]}"
    with _compiled_lock:
        if name not in _compiled_rule_bases:
            _compiled_rule_bases[name] = _DurableRules(name, kb.rules, kb.questionnaire.questions)
        return _compiled_rule_bases[name]
