"""The durable-rules engine means what the YAML says: it agrees with the plain-Python oracle.

Also: the same plan always gives the same result, a changed answer leaves nothing stale, eight threads
agree with one, and nothing accumulates from one evaluation to the next.
"""

from __future__ import annotations

import json
import resource
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proofing import engine as engine_module
from proofing.conditions import AnswerTest, Condition
from proofing.engine import MAX_FACT_PROPERTIES, EngineError, _compiled, _DurableRules, evaluate, flatten_answers
from proofing.knowledge import KnowledgeBase, load_knowledge
from proofing.oracle import reference_evaluate
from proofing.plan import check_answers, read_plan
from proofing.questionnaire import FindingTemplate, ImpactRule, Mitigation, Option, Question

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.yaml"))


def example_answers(kb: KnowledgeBase, path: Path) -> dict[str, Any]:
    return check_answers(kb.questionnaire, read_plan(path).answers).answers


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_engine_agrees_with_the_oracle_on_every_example(kb: KnowledgeBase, path: Path) -> None:
    answers = example_answers(kb, path)
    assert evaluate(kb, answers) == reference_evaluate(kb.rules, answers)


def answer_for(question: Question) -> st.SearchStrategy[Any]:
    options = [option.id for option in question.options]
    match question.type:
        case "yes_no":
            return st.booleans()
        case "one_of":
            return st.sampled_from(options)
        case "many_of":
            return st.lists(st.sampled_from(options), unique=True, max_size=len(options))
        case "number":
            low = question.min if question.min is not None else 0
            high = question.max if question.max is not None else 10_000
            return st.integers(min_value=int(low), max_value=int(high))
    return st.text(max_size=20)


_KB = load_knowledge()
_ANSWER_SETS = st.fixed_dictionaries(
    {},
    optional={question.id: answer_for(question) for question in _KB.questionnaire.questions},
)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=_ANSWER_SETS)
def test_engine_agrees_with_the_oracle_on_generated_plans(raw: dict[str, Any]) -> None:
    answers = check_answers(_KB.questionnaire, raw, complete=False).answers
    assert evaluate(_KB, answers) == reference_evaluate(_KB.rules, answers)


def test_the_same_plan_gives_the_same_result(kb: KnowledgeBase) -> None:
    answers = example_answers(kb, EXAMPLES[0])
    first = _compiled(kb).run(answers)  # the engine itself each time, not its recall of recent results
    assert all(_compiled(kb).run(answers) == first for _ in range(50))
    assert list(first.findings) == sorted(first.findings)


def test_a_changed_answer_leaves_no_stale_finding(kb: KnowledgeBase) -> None:
    answers = {"engagement_done": "none", "evidence_used": ["none"]}
    before = evaluate(kb, answers)
    assert "not_engaged" in before.facts
    after = evaluate(kb, {"engagement_done": "done", "evidence_used": ["none"]})
    assert "not_engaged" not in after.facts
    assert after == reference_evaluate(kb.rules, {"engagement_done": "done", "evidence_used": ["none"]})


def test_eight_threads_agree_with_one(kb: KnowledgeBase) -> None:
    plans = [example_answers(kb, path) for path in EXAMPLES] * 8
    engine = _compiled(kb)
    serial = [engine.run(answers) for answers in plans]
    with ThreadPoolExecutor(max_workers=8) as pool:
        parallel = list(pool.map(engine.run, plans))
    assert parallel == serial
    with ThreadPoolExecutor(max_workers=8) as pool:  # and through the recall of recent results
        assert list(pool.map(lambda answers: evaluate(kb, answers), plans)) == serial


def test_recent_results_are_recalled_without_the_engine_and_cannot_be_spoilt(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = _compiled(kb)
    answers = example_answers(kb, EXAMPLES[1])
    first = evaluate(kb, answers)
    first.facts.clear()  # a caller that changes what it was given changes nothing recalled
    runs: list[str] = []
    real_run = engine._evaluate
    monkeypatch.setattr(engine, "_evaluate", lambda fact: runs.append(fact) or real_run(fact))
    again = evaluate(kb, answers)
    assert runs == [], "the same answers again are recalled, not run"
    assert again.facts, "the example derives facts, and the recalled copy still has them"
    assert again == engine.run(answers) == reference_evaluate(kb.rules, answers)
    changed = {**answers, "engagement_done": "done" if answers.get("engagement_done") != "done" else "none"}
    evaluate(kb, changed)
    assert len(runs) == 2, "changed answers are run by the engine (after the one run asked for above)"


def test_the_recall_of_recent_results_is_bounded(kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module, "RECENT_FIRINGS", 3)
    engine = _compiled(kb)
    engine._recent.clear()  # what earlier tests left: each plan below is then new to the recall
    plans = [example_answers(kb, path) for path in EXAMPLES]
    for answers in plans:
        assert evaluate(kb, answers) == reference_evaluate(kb.rules, answers)
        assert len(engine._recent) <= 3
    assert len({json.dumps(engine._flattener.flatten(answers)) for answers in plans}) > 3  # so some were let go


def test_loading_the_rule_base_again_reuses_the_compiled_rules(kb: KnowledgeBase) -> None:
    again = load_knowledge(kb.root)
    assert _compiled(again) is _compiled(kb)
    assert evaluate(again, {"engagement_done": "none"}) == evaluate(kb, {"engagement_done": "none"})


def test_every_fact_key_is_present_so_negation_is_sound(kb: KnowledgeBase) -> None:
    flat = flatten_answers(kb.questionnaire.questions, {})
    assert flat["a__change_type"] is False and flat["q__change_type__closure"] is False


def test_nothing_accumulates_between_evaluations(kb: KnowledgeBase) -> None:
    answers = example_answers(kb, EXAMPLES[0])
    engine = _compiled(kb)  # the engine's own runs: a recalled result would never reach it
    for _ in range(500):
        engine.run(answers)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(5000):
        engine.run(answers)
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 20 * 1024, f"memory grew by {grown_kib} KiB over 5,000 evaluations"


def test_the_engine_starts_no_background_threads(kb: KnowledgeBase) -> None:
    import threading

    evaluate(kb, {"engagement_done": "none"})
    timers = [thread for thread in threading.enumerate() if isinstance(thread, threading.Timer)]
    assert timers == [], "durable-rules' dispatch timers would race the lock (ERR_NODE_DELETED)"


def test_an_empty_plan_as_the_first_evaluation_does_not_abort(tmp_path: Path) -> None:
    # Run in a fresh process: durable-rules used to abort there (see the engine's docstring).
    import subprocess
    import sys

    code = (
        "from proofing.knowledge import load_knowledge\n"
        "from proofing.engine import evaluate\n"
        "from proofing.oracle import Firing, reference_evaluate\n"
        "kb = load_knowledge()\n"
        "assert evaluate(kb, {}) == reference_evaluate(kb.rules, {})\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-500:]


def finding_rule(rule_id: str, when: Condition) -> ImpactRule:
    """A minimal negative finding rule, for rule bases built in a test."""
    finding = FindingTemplate(
        direction="negative",
        likelihood=1,
        severity=1,
        psed_aims=["advance_equality"],
        rationale="Why.",
        mitigations=[Mitigation(text="Do.", actions=["1.1"])],
    )
    return ImpactRule(id=rule_id, title=f"Rule {rule_id}", when=when, finding=finding)


def test_a_fact_over_the_engines_limit_is_refused_in_words() -> None:
    options = [Option(id=f"o{n}", label=f"Option {n}") for n in range(MAX_FACT_PROPERTIES)]
    question = Question(id="many", text="Which?", type="many_of", options=options)
    rule = finding_rule("wide", AnswerTest(question="many", contains_any=[option.id for option in options]))
    with pytest.raises(EngineError, match=f"at most {MAX_FACT_PROPERTIES}"):
        _DurableRules("too_wide_for_the_engine", [rule], [question])


def test_the_fact_carries_only_the_options_a_rule_tests(kb: KnowledgeBase) -> None:
    flat = _compiled(kb)._flattener.flatten({})
    assert "q__change_type__closure" in flat
    assert "q__engaged_others__trade_unions" not in flat  # no rule tests it
    assert len(flat) <= MAX_FACT_PROPERTIES


def test_a_hundred_rules_matching_one_plan_all_fire() -> None:
    """durable-rules walks matching nodes with a 64-entry stack (error 303 beyond it); groups keep within it."""
    questions = [Question(id=f"q{n}", text=f"Question {n}?", type="yes_no") for n in range(100)]
    rules = [finding_rule(f"r{n}", AnswerTest(question=f"q{n}", equals=True)) for n in range(100)]
    engine = _DurableRules("a_hundred_rules_at_once", rules, questions)
    fired = engine.evaluate({f"q{n}": True for n in range(100)})
    assert len(fired.findings) == 100
