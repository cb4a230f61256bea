"""Speed of 'what would change the level', reported as JSON (the target is reported, never asserted by a test).

Target on the largest example plan (the one with the most findings): the search over single and paired changes
p50 <= 200 ms. Reports the candidate plans evaluated and the suggestions found.

Usage: .venv/bin/python benchmarks/bench_whatif.py [--repeats N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's proofing, also when the interpreter is another checkout's venv

from proofing.assessment import assess  # noqa: E402
from proofing.engine import _compiled  # noqa: E402
from proofing.knowledge import load_knowledge  # noqa: E402
from proofing.plan import read_plan  # noqa: E402
from proofing.whatif import MAX_PAIR_CANDIDATES, search  # noqa: E402

EXAMPLES = ROOT / "examples"


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30, help="how many times to run the search (default 30)")
    parser.add_argument("--quick", action="store_true", help="10 repeats (as the other benchmarks' --quick)")
    options = parser.parse_args()
    repeats = 10 if options.quick else max(1, options.repeats)

    kb = load_knowledge()
    _compiled(kb)
    plans = {path.stem: read_plan(path) for path in sorted(EXAMPLES.glob("*.yaml"))}
    assessed = {name: assess(kb, plan) for name, plan in plans.items()}
    largest = max(plans, key=lambda name: (len(assessed[name].findings), name))
    plan = plans[largest]

    search(kb, plan)  # warm up
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = search(kb, plan)
        samples.append((time.perf_counter() - start) * 1000)

    every = {}
    for name, other in plans.items():
        start = time.perf_counter()
        found = search(kb, other)
        every[name] = {
            "level": found.level,
            "ms": round((time.perf_counter() - start) * 1000, 1),
            "evaluated": found.evaluated,
            "suggestions": len(found.suggestions),
        }

    p50 = statistics.median(samples)
    report = {
        "plan": largest,
        "findings_on_plan": len(assessed[largest].findings),
        "level": result.level,
        "repeats": repeats,
        "search_ms": {"p50": round(p50, 1), "p95": round(percentile(samples, 0.95), 1)},
        "single_changes": result.candidates,
        "pairs_tried": result.pairs,
        "max_pair_candidates": MAX_PAIR_CANDIDATES,
        "candidate_plans_evaluated": result.evaluated,
        "changes_refused_as_invalid_plans": result.invalid,
        "suggestions": [suggestion.sentence for suggestion in result.suggestions],
        "every_example": every,
        "targets": {"p50_ms <= 200": p50 <= 200},
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
