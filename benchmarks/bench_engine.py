"""Speed of the rules engine, reported as JSON (targets are reported, never asserted by a test).

Targets on the largest example plan: one assessment p50 <= 1 ms; >= 2,000 assessments/s on one core;
< 20 MB RSS growth over 100,000 assessments; durable-rules within 10x of the plain-Python oracle.

Usage: .venv/bin/python benchmarks/bench_engine.py [--quick]
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from pathlib import Path

from proofing.engine import _compiled, evaluate
from proofing.knowledge import load_knowledge
from proofing.oracle import reference_evaluate
from proofing.plan import check_answers, read_plan

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def timed(function, answers, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function(answers)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    quick = "--quick" in sys.argv
    start = time.perf_counter()
    kb = load_knowledge()
    load_ms = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    _compiled(kb)
    compile_ms = (time.perf_counter() - start) * 1000

    plans = {
        path.stem: check_answers(kb.questionnaire, read_plan(path).answers).answers for path in EXAMPLES.glob("*.yaml")
    }
    largest = max(plans, key=lambda name: len(reference_evaluate(kb.rules, plans[name]).findings))
    answers = plans[largest]
    runs = 1000 if quick else 5000
    engine = timed(lambda a: evaluate(kb, a), answers, runs)
    oracle = timed(lambda a: reference_evaluate(kb.rules, a), answers, runs)

    # Throughput over many different plans: the examples and every rule case, cycled.
    variety = list(plans.values()) + [
        check_answers(kb.questionnaire, case.answers, complete=False).answers
        for rule in kb.rules
        for case in rule.cases
    ]
    throughput_runs = 2000 if quick else 10_000
    start = time.perf_counter()
    for index in range(throughput_runs):
        evaluate(kb, variety[index % len(variety)])
    per_second = throughput_runs / (time.perf_counter() - start)

    soak = 10_000 if quick else 100_000
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(soak):
        evaluate(kb, answers)
    growth_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024

    p50, oracle_p50 = statistics.median(engine), statistics.median(oracle)
    report = {
        "plan": largest,
        "rules": len(kb.rules),
        "findings_on_plan": len(reference_evaluate(kb.rules, answers).findings),
        "rule_base_load_ms": round(load_ms, 1),
        "compile_ms": round(compile_ms, 1),
        "durable_rules": {"p50_ms": round(p50, 3), "p95_ms": round(percentile(engine, 0.95), 3)},
        "oracle": {"p50_ms": round(oracle_p50, 3), "p95_ms": round(percentile(oracle, 0.95), 3)},
        "ratio_to_oracle_p50": round(p50 / oracle_p50, 1),
        "assessments_per_second": round(per_second),
        "distinct_plans_in_throughput_run": len(variety),
        "rss_growth_mb": round(growth_mb, 1),
        "rss_growth_over": soak,
        "targets": {
            "p50_ms <= 1": p50 <= 1,
            "assessments_per_second >= 2000": per_second >= 2000,
            "rss_growth_mb < 20": growth_mb < 20,
            "ratio_to_oracle <= 10": p50 / oracle_p50 <= 10,
        },
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
