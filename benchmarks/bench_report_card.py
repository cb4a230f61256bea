"""Speed of the strategy's report card over a register of 5,000 assessments over three years, as JSON (target: < 2 s).

Generates the assessments (benchmarks/generate_assessments.py), spreads their start over three years, then writes in
bulk what follows a decision for about one in five: an approval (now and then with a high-severity gap left open),
two or three actions drawing on the strategy's actions (done, open or overdue), and a review (held on time, late, or
not yet) with monitoring results by group. Times the report card of the last full quarter and of the last full year
(each with its four-quarter trend), in a fresh database (with --postgres, a fresh schema of PROOFING_TEST_PG_URL's
server, dropped afterwards; else a temporary SQLite file).

Usage: .venv/bin/python benchmarks/bench_report_card.py [--postgres] [--count 5000] [--repeats 3] [--keep FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, make_url, update

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's proofing, also when the interpreter is another checkout's venv
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate_assessments import generate  # noqa: E402

import proofing.service  # noqa: E402, F401  (wires the store)
from proofing.knowledge import KnowledgeBase, load_knowledge  # noqa: E402
from proofing.report_card import quarter_of, report_card  # noqa: E402
from proofing.store import AssessmentRow, Store, _dispose_engine  # noqa: E402
from proofing.store.followup import ActionRow, ReviewOutcomeRow, ReviewRow  # noqa: E402
from proofing.store.schema import ApprovalRow  # noqa: E402

TARGET_MS = 2000
YEARS = 3
DONE_TEXTS = (
    "Drop-in sessions held at each branch library",
    "Leaflets in Polish, Portuguese and Welsh sent to every household affected",
    "Interpreting booked for every consultation meeting",
    "Community leaders briefed at the Community Cohesion Co-ordination Group",
)
RESULTS = (
    "Use held steady against the baseline",
    "Fewer complaints than before the change",
    "Visits fell by a tenth; a Saturday session was added",
    "More people from this group now use the service",
)


def follow_up(url: str, kb: KnowledgeBase, ids: list[str], seed: int = 23) -> int:
    """Spread the assessments' start over three years and write approvals, actions and reviews for about one in
    five of them; how many were approved."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    strategy_actions = [action.id for action in kb.actions] + [task.id for task in kb.migrant_worker_tasks]
    outcomes = [outcome.id for outcome in kb.outcomes]
    groups = [item.id for item in kb.characteristics]
    store = Store(url)
    approved = 0
    with store._session(write=True) as session:  # noqa: SLF001 - a generator writes the tables directly
        started = {i: now - timedelta(days=rng.uniform(0, 365 * YEARS)) for i in ids}
        session.execute(
            update(AssessmentRow), [{"id": i, "created_at": at, "updated_at": at} for i, at in started.items()]
        )
        approvals, actions, reviews, held = [], [], [], []
        for assessment_id in ids:
            if rng.random() > 0.2:
                continue
            approved += 1
            decided = min(now, started[assessment_id] + timedelta(days=rng.uniform(10, 90)))
            gaps = [{"kind": "gap", "key": "gap:x", "text": "An open gap"}] if rng.random() < 0.15 else []
            approvals.append(
                {
                    "assessment_id": assessment_id,
                    "version": 1,
                    "outcome": "approved",
                    "submitted_by": "A service manager",
                    "submitted_at": decided - timedelta(days=3),
                    "decided_by": "An approver",
                    "decided_at": decided,
                    "decision": {"decision_taken": "Go ahead", "reasons": "Mitigated"},
                    "acknowledged": gaps,
                }
            )
            for number in range(rng.randint(2, 3)):
                due = (decided + timedelta(days=rng.uniform(20, 200))).date()
                roll = rng.random()
                done = roll < 0.6 and due <= now.date() + timedelta(days=60)
                done_on = min(now.date(), due + timedelta(days=rng.randint(-40, 30))) if done else None
                actions.append(
                    {
                        "assessment_id": assessment_id,
                        "key": f"rule_{number}:0",
                        "version": 1,
                        "finding_rule": f"rule_{number}",
                        "finding_title": "A finding",
                        "text": "Do what the mitigation says",
                        "adapted": False,
                        "strategy_actions": [rng.choice(strategy_actions)],
                        "outcomes": [rng.choice(outcomes)],
                        "owner": "The service manager",
                        "owner_subject": "local",
                        "due": due,
                        "status": "done" if done else ("dropped" if roll > 0.95 else "under_way"),
                        "evidence": rng.choice(DONE_TEXTS) if done else "",
                        "done_on": done_on,
                        "reason": "Covered by another plan" if roll > 0.95 else "",
                        "created_at": decided,
                        "updated_at": decided,
                        "updated_by": "local",
                        "revision": 1,
                    }
                )
            review_date = (decided + timedelta(days=365)).date()
            is_held = review_date < now.date() and rng.random() < 0.75
            reviews.append(
                {
                    "assessment_id": assessment_id,
                    "version": 1,
                    "review_date": review_date,
                    "state": "closed" if is_held else "open",
                    "approved_at": decided,
                    "approver": "An approver",
                    "approver_subject": None,
                    "level": "mitigate",
                    "rule_base": f"{kb.name} {kb.version}",
                    "findings": [],
                    "updated_at": decided,
                }
            )
            if is_held:
                held_at = datetime.combine(review_date, datetime.min.time(), tzinfo=UTC) + timedelta(
                    days=rng.randint(-20, 40)
                )
                by_group = {group: rng.choice(RESULTS) for group in rng.sample(groups, 2)}
                held.append(
                    {
                        "assessment_id": assessment_id,
                        "version": 1,
                        "review_date": review_date,
                        "held_at": min(held_at, now),
                        "held_by": "The service manager",
                        "held_subject": None,
                        "outcome": "closed",
                        "record": {"outcome": "closed", "monitoring": rng.choice(RESULTS), "by_group": by_group},
                    }
                )
        session.execute(
            update(AssessmentRow)
            .where(AssessmentRow.id.in_([a["assessment_id"] for a in approvals]))
            .values(status="final")
        )
        session.execute(insert(ApprovalRow), approvals)
        session.execute(insert(ActionRow), actions)
        session.execute(insert(ReviewRow), reviews)
        if held:
            session.execute(insert(ReviewOutcomeRow), held)
    return approved


def run(url: str, count: int, repeats: int) -> dict[str, object]:
    """Generate the register, then time the report cards."""
    kb = load_knowledge()
    start = time.perf_counter()
    ids = generate(url, count, kb=kb)
    approved = follow_up(url, kb, ids)
    generated_s = time.perf_counter() - start
    store = Store(url)
    last_quarter = quarter_of(date.today()).previous()
    last_year = str(date.today().year - 1)
    quarter_samples, year_samples = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        card = report_card(store, kb, last_quarter)
        quarter_samples.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        year = report_card(store, kb, last_year)
        year_samples.append((time.perf_counter() - start) * 1000)
    quarter_ms, year_ms = statistics.median(quarter_samples), statistics.median(year_samples)
    return {
        "benchmark": "report_card",
        "backend": make_url(url).get_backend_name(),
        "assessments": count,
        "approved": approved,
        "generated_s": round(generated_s, 1),
        "quarter": last_quarter.code,
        "quarter_approved": card.how_much.approved,
        "quarter_ms": round(quarter_ms, 1),
        "year": last_year,
        "year_approved": year.how_much.approved,
        "year_ms": round(year_ms, 1),
        "target_ms": TARGET_MS,
        "met": max(quarter_ms, year_ms) < TARGET_MS,
    }


def main() -> None:
    """Run the benchmark and print its figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="a fresh schema on PROOFING_TEST_PG_URL's server")
    parser.add_argument("--count", type=int, default=5_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--keep", metavar="FILE", help="keep the generated register in this SQLite file")
    options = parser.parse_args()
    if options.postgres:
        from tests.pg_schema import scratch_schema

        base = os.environ.get("PROOFING_TEST_PG_URL", "").strip()
        if not base:
            sys.exit('PROOFING_TEST_PG_URL is not set: export "$(bash tools/postgres.sh)" first')
        with scratch_schema(base, "bench") as url:
            report = run(url, options.count, options.repeats)
    elif options.keep:
        report = run(f"sqlite:///{Path(options.keep).resolve()}", options.count, options.repeats)
    else:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'bench.db'}"
            report = run(url, options.count, options.repeats)
            _dispose_engine(url)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
