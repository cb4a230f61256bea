"""Time to write and to verify a Word record, per example plan, reported as JSON (never asserted).

Target: export <= 200 ms per document for the examples.

Usage: .venv/bin/python benchmarks/bench_export.py [--quick]
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from proofing.assessment import assess
from proofing.knowledge import load_knowledge
from proofing.plan import read_plan
from proofing.report import write_record
from proofing.verify import verify_record

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def main() -> None:
    runs = 2 if "--quick" in sys.argv else 5
    kb = load_knowledge()
    write_record(kb, assess(kb, read_plan(sorted(EXAMPLES.glob("*.yaml"))[0])))  # warm up imports and fonts
    report = {}
    for path in sorted(EXAMPLES.glob("*.yaml")):
        assessment = assess(kb, read_plan(path))
        exports, verifies = [], []
        for _ in range(runs):
            start = time.perf_counter()
            data = write_record(kb, assessment)
            exports.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            verify_record(kb, data)
            verifies.append((time.perf_counter() - start) * 1000)
        report[path.stem] = {
            "findings": len(assessment.findings),
            "export_ms": round(statistics.median(exports), 1),
            "verify_ms": round(statistics.median(verifies), 1),
            "kib": round(len(data) / 1024),
        }
    worst = max(entry["export_ms"] for entry in report.values())
    print(
        json.dumps({"documents": report, "worst_export_ms": worst, "target_export_ms_<=_200": worst <= 200}, indent=2)
    )


if __name__ == "__main__":
    main()
