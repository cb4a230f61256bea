"""The `proofing` command: the same library calls the app makes, for scripts and policy officers.

Exit codes: 0 done; 1 the rule base is unsound or an item was not found; 2 the command was mistyped
or the plan cannot be assessed (bad input).
A fault is always printed in words; a traceback means a bug in proofing and is never the answer.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from proofing.assessment import assess, assessment_as_json, assessment_as_text
from proofing.errors import ProofingError, RuleBaseError
from proofing.knowledge import DEFAULT_RULES_DIR, describe, knowledge_as_json, load_knowledge
from proofing.plan import PlanError, read_plan


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="proofing",
        description="Cohesion proofing: check the rule base, and assess plans against it.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    rules = commands.add_parser("rules", help="check, dump or show the rule base")
    rules_commands = rules.add_subparsers(dest="rules_command", required=True, metavar="ACTION")

    def with_rules_option(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument(
            "--rules",
            type=Path,
            default=DEFAULT_RULES_DIR,
            metavar="DIR",
            help="the rule base folder (default: this project's rules/)",
        )
        return sub

    with_rules_option(rules_commands.add_parser("check", help="validate the rule base; one FILE:LINE per fault"))
    with_rules_option(rules_commands.add_parser("dump", help="print the whole rule base as JSON"))
    show = with_rules_option(rules_commands.add_parser("show", help="print one item, e.g. CC15, 15.1, MW23"))
    show.add_argument("item_id", metavar="ID", help="an outcome, action, measure, task, principle, ...")
    assess_command = with_rules_option(commands.add_parser("assess", help="assess a plan file"))
    assess_command.add_argument("plan", type=Path, metavar="PLAN.yaml", help="the plan to assess")
    assess_command.add_argument("--json", action="store_true", help="print the assessment as JSON")
    return parser


def _assess(arguments: argparse.Namespace) -> int:
    kb = load_knowledge(arguments.rules, check_coverage=False)
    plan = read_plan(arguments.plan)
    assessment = assess(kb, plan, str(arguments.plan))
    if arguments.json:
        json.dump(assessment_as_json(assessment), sys.stdout, indent=2, ensure_ascii=False)
        print()
    else:
        sys.stdout.write(assessment_as_text(kb, assessment))
    for warning in assessment.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0


def _rules(arguments: argparse.Namespace) -> int:
    # Only `check` insists that every characteristic and community is reachable by a rule; a council
    # part-way through writing its rules can still read, dump and use them.
    kb = load_knowledge(arguments.rules, check_coverage=arguments.rules_command == "check")
    if arguments.rules_command == "check":
        measures = sum(len(action.measures) for action in kb.actions)
        print(
            f"The rule base is sound: {len(kb.outcomes)} outcomes, {len(kb.actions)} actions, "
            f"{measures} measures, {len(kb.migrant_worker_tasks)} Migrant Worker tasks "
            f"(version {kb.version}, sha256 {kb.sha256[:12]})."
        )
    elif arguments.rules_command == "dump":
        json.dump(knowledge_as_json(kb), sys.stdout, indent=2, ensure_ascii=False)
        print()
    else:
        text = describe(kb, arguments.item_id)
        if text is None:
            print(
                f"proofing: nothing in the rule base has the id '{arguments.item_id}'. Ids look like "
                "CC15 (outcome), 15.1 (action), 15.1.2 (measure), MW23 (Migrant Worker task), P1, V3, I4, "
                "2011-3, race, migrant_workers, foster_good_relations.",
                file=sys.stderr,
            )
            return 1
        print(text)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    arguments = _parser().parse_args(argv)
    try:
        return _assess(arguments) if arguments.command == "assess" else _rules(arguments)
    except PlanError as error:
        print(f"proofing: {error}", file=sys.stderr)
        return 2
    except RuleBaseError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        count = len(error.problems)
        print(f"The rule base has {count} fault{'s' if count != 1 else ''}.", file=sys.stderr)
        return 1
    except ProofingError as error:
        print(f"proofing: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
