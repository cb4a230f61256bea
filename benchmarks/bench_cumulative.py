"""Speed of the cumulative impact view's data over 10,000 assessments, reported as JSON (target: <= 1000 ms).

Generates the assessments (benchmarks/generate_assessments.py: bulk inserts of assessments, versions and their
cumulative index rows) in a fresh database (with --postgres, a fresh schema of PROOFING_TEST_PG_URL's server,
dropped afterwards; else a temporary SQLite file), then times what the page draws: both heat maps (group x
quarter, group x ward) over the last 12 months, and the list of the fullest cell.

Usage: .venv/bin/python benchmarks/bench_cumulative.py [--postgres] [--count 10000] [--repeats 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's proofing, also when the interpreter is another checkout's venv
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate_assessments import generate  # noqa: E402

import proofing.service  # noqa: E402, F401  (wires the store: raw saves are assessed by the service layer)
from proofing.cumulative import cell, default_period, heat_map  # noqa: E402
from proofing.knowledge import load_knowledge  # noqa: E402
from proofing.store import Store, _dispose_engine  # noqa: E402
from tests.pg_schema import scratch_schema  # noqa: E402

TARGET_MS = 1000


def run(url: str, count: int, repeats: int) -> dict[str, object]:
    kb = load_knowledge()
    start = time.perf_counter()
    generate(url, count, kb=kb)
    generated_s = time.perf_counter() - start
    store = Store(url)
    since, until = default_period()
    heat_samples, cell_samples = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        by_quarter = heat_map(store, kb, by="quarter", since=since, until=until)
        heat_map(store, kb, by="ward", since=since, until=until)
        heat_samples.append((time.perf_counter() - start) * 1000)
        fullest = max(by_quarter.cells, key=lambda item: item.count)
        start = time.perf_counter()
        lines = cell(store, kb, fullest.group, fullest.column, by="quarter", since=since, until=until)
        cell_samples.append((time.perf_counter() - start) * 1000)
    heat_ms, cell_ms = statistics.median(heat_samples), statistics.median(cell_samples)
    return {
        "benchmark": "cumulative",
        "backend": make_url(url).get_backend_name(),
        "assessments": count,
        "live_in_period": by_quarter.assessments,
        "generated_s": round(generated_s, 1),
        "heat_map_ms": round(heat_ms, 1),
        "cell_ms": round(cell_ms, 1),
        "cell_lines": len(lines),
        "total_ms": round(heat_ms + cell_ms, 1),
        "target_ms": TARGET_MS,
        "met": heat_ms + cell_ms <= TARGET_MS,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="a fresh schema on PROOFING_TEST_PG_URL's server")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    options = parser.parse_args()
    if options.postgres:
        base = os.environ.get("PROOFING_TEST_PG_URL", "").strip()
        if not base:
            sys.exit('PROOFING_TEST_PG_URL is not set: export "$(bash tools/postgres.sh)" first')
        with scratch_schema(base, "bench") as url:
            report = run(url, options.count, options.repeats)
    else:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'bench.db'}"
            report = run(url, options.count, options.repeats)
            _dispose_engine(url)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
