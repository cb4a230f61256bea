"""Generate many assessments fast, straight into the store's tables: for the cumulative benchmark and screenshots.

A handful of the example plans (each in a few combinations of named wards, or county-wide) are assessed once with
the rule base; then `count` assessments are written in bulk (assessments, versions and the cumulative index
rows those plans give), dated over the last two years, about one in five final. Run on its own:

    python benchmarks/generate_assessments.py --url sqlite:///data/demo.db --count 300
"""

from __future__ import annotations

import argparse
import random
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import insert, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's proofing

from proofing.knowledge import KnowledgeBase, load_knowledge  # noqa: E402
from proofing.plan import Plan  # noqa: E402
from proofing.service import cumulative_entries, screening_level  # noqa: E402
from proofing.store import (  # noqa: E402
    LOCAL_SUBJECT,
    AssessmentRow,
    CumulativeRow,
    Store,
    VersionRow,
)

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PLANS = (
    "library-opening-hours",
    "school-eal-support",
    "housing-allocations-policy",
    "day-centre-closure",
    "hr-shift-pattern",
    "staff-relocation-package",
    "traveller-site-extension",
    "payroll-software",
)
WARDS = ("Caia Park", "Hightown", "Gwersyllt", "Rhos", "Plas Madoc", "Brymbo", "Chirk", "Gresford")
SERVICES = ("Libraries", "Education", "Housing", "Social care", "Human resources", "Environment")
BATCH = 2000


def templates(kb: KnowledgeBase, rng: random.Random) -> list[tuple[Plan, list[dict[str, Any]], str | None]]:
    """Plans to copy: each example county-wide and in a few ward combinations, with its index rows and level."""
    made = []
    for name in PLANS:
        data = yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8"))
        answers = dict(data.get("answers") or {})
        choices: list[list[str] | None] = [None] + [rng.sample(WARDS, rng.randint(1, 3)) for _ in range(4)]
        for wards in choices:
            given = dict(answers)
            if wards is None:
                given["geography"] = "county_wide"
                given.pop("wards", None)
            else:
                given["geography"], given["wards"] = "named_wards", ", ".join(wards)
            plan = Plan.model_validate({**data, "answers": given})
            now = datetime.now(UTC)
            made.append((plan, cumulative_entries(kb, plan, None, now), screening_level(kb, plan)))
    return made


def generate(url: str, count: int, *, seed: int = 15, kb: KnowledgeBase | None = None) -> list[str]:
    """Write `count` assessments into the store at `url` in bulk; their ids."""
    rules = kb or load_knowledge()
    store = Store(url)
    rng = random.Random(seed)
    shapes = templates(rules, rng)
    now = datetime.now(UTC)
    ids: list[str] = []
    with store._session(write=True) as session:  # noqa: SLF001 - a generator writes the tables directly
        for start in range(0, count, BATCH):
            assessments, versions, index = [], [], []
            for number in range(start, min(count, start + BATCH)):
                plan, entries, level = shapes[rng.randrange(len(shapes))]
                when = now - timedelta(days=rng.uniform(0, 730))
                assessment_id = uuid.uuid4().hex
                title = f"{plan.title} ({number + 1})"
                service = SERVICES[number % len(SERVICES)]
                status = "final" if rng.random() < 0.2 else "draft"
                assessments.append(
                    {
                        "id": assessment_id,
                        "title": title,
                        "service": service,
                        "owner": plan.owner,
                        "status": status,
                        "level": level,
                        "created_at": when,
                        "updated_at": when,
                        "owner_subject": LOCAL_SUBJECT,
                    }
                )
                versions.append(
                    {
                        "assessment_id": assessment_id,
                        "version": 1,
                        "plan": {**plan.model_dump(mode="json"), "title": title, "service": service},
                        "decisions": {},
                        "notes": {},
                        "level": level,
                        "saved_at": when,
                        "revision": 0,
                    }
                )
                for entry in entries:
                    quarter = f"{when.year} Q{(when.month - 1) // 3 + 1}"
                    index.append(
                        {
                            "assessment_id": assessment_id,
                            "version": 1,
                            "level": level,
                            "status": status,
                            "service": service,
                            "title": title,
                            **entry,
                            "dated": when,
                            "quarter": quarter,
                        }
                    )
                ids.append(assessment_id)
            session.execute(insert(AssessmentRow), assessments)
            session.execute(insert(VersionRow), versions)
            if index:
                session.execute(insert(CumulativeRow), index)
    if store.url.startswith("postgresql"):  # as autovacuum would soon after: the planner's statistics of the bulk
        with store._session(write=True) as session:  # noqa: SLF001
            for table in ("assessments", "versions", "cumulative_impacts"):
                session.execute(text(f"ANALYZE {table}"))
    return ids


def main() -> None:
    """Generate assessments into the database named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="the store's database URL")
    parser.add_argument("--count", type=int, default=300)
    arguments = parser.parse_args()
    print(f"{len(generate(arguments.url, arguments.count)):,} assessments written")


if __name__ == "__main__":
    main()
