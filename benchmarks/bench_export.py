"""Time to write and to verify a Word record, per example plan, reported as JSON (never asserted).

Target: export <= 200 ms per document for every example (the median of the runs; the fastest run is
reported too, because other work on a shared machine only ever adds time).

Usage: .venv/bin/python benchmarks/bench_export.py [--quick] [--profile]

--profile prints, to stderr, where the time of writing the largest example goes (cProfile, by
cumulative time), which is where to look first when the target is missed.
"""

from __future__ import annotations

import cProfile
import json
import pstats
import statistics
import sys
import time
from pathlib import Path

from proofing.assessment import Assessment, assess
from proofing.knowledge import KnowledgeBase, load_knowledge
from proofing.plan import read_plan
from proofing.report import write_report
from proofing.verify import verify_record

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TARGET_MS = 200


def profile(kb: KnowledgeBase, assessment: Assessment, runs: int = 5) -> None:
    """Print the 25 most expensive calls (cumulative) of writing one record, to stderr."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        write_report(kb, assessment)
    profiler.disable()
    pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(25)


def main() -> None:
    """Time every example's export and verification, and print the report as JSON."""
    runs = 3 if "--quick" in sys.argv else 9
    kb = load_knowledge()
    assessments = {path.stem: assess(kb, read_plan(path)) for path in sorted(EXAMPLES.glob("*.yaml"))}
    write_report(kb, next(iter(assessments.values())))  # warm up imports, the font and the template
    report = {}
    for name, assessment in assessments.items():
        exports, verifies = [], []
        for _ in range(runs):
            start = time.perf_counter()
            data = write_report(kb, assessment)
            exports.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            verify_record(kb, data)
            verifies.append((time.perf_counter() - start) * 1000)
        report[name] = {
            "findings": len(assessment.findings),
            "export_ms": round(statistics.median(exports), 1),
            "export_fastest_ms": round(min(exports), 1),
            "verify_ms": round(statistics.median(verifies), 1),
            "kib": round(len(data) / 1024),
        }
    worst = max(entry["export_ms"] for entry in report.values())
    print(
        json.dumps(
            {
                "documents": report,
                "runs_each": runs,
                "worst_export_ms": worst,
                f"target_export_ms_<=_{TARGET_MS}": worst <= TARGET_MS,
            },
            indent=2,
        )
    )
    if "--profile" in sys.argv:
        largest = max(assessments.values(), key=lambda a: len(a.findings))
        profile(kb, largest)


if __name__ == "__main__":
    main()
