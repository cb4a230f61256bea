"""The `proofing` command: the same library calls the app makes, for scripts and policy officers.

Exit codes: 0 done; 1 the rule base is unsound, an item was not found, or a file is not an intact
proofing record; 2 the command was mistyped or the plan cannot be assessed (bad input); 3 (verify)
the record is intact but the current rule base gives different findings.
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
from proofing.knowledge import DEFAULT_RULES_DIR, load_knowledge
from proofing.plan import PlanError, read_plan
from proofing.readout import describe, knowledge_as_json
from proofing.record import RecordError
from proofing.report import TemplateError, check_template, save_record
from proofing.verify import plan_as_yaml, plan_from_record, verify_record


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
    assess_command = with_rules_option(commands.add_parser("assess", help="assess a plan file, or a folder of them"))
    assess_command.add_argument("plan", type=Path, metavar="PLAN", help="a plan file (YAML), or a folder of plan files")
    assess_command.add_argument("--json", action="store_true", help="print the assessment as JSON")
    assess_command.add_argument(
        "--docx", type=Path, metavar="OUT", help="write the Word record here (a folder when PLAN is a folder)"
    )
    verify = with_rules_option(commands.add_parser("verify", help="check an exported Word record"))
    verify.add_argument("record", type=Path, metavar="FILE.docx")
    verify.add_argument("--json", action="store_true", help="print the verification as JSON")
    recover = commands.add_parser("import", help="recover the plan from a Word record, to revise it")
    recover.add_argument("record", type=Path, metavar="FILE.docx")
    recover.add_argument("--out", type=Path, required=True, metavar="PLAN.yaml", help="where to write the plan")
    return parser


def _assess_folder(arguments: argparse.Namespace) -> int:
    """Assess every plan in a folder, writing one record each, with progress on standard error."""
    plans = sorted(arguments.plan.glob("*.yaml")) + sorted(arguments.plan.glob("*.yml"))
    if not plans:
        raise PlanError(str(arguments.plan), ["holds no plan files (*.yaml)"])
    if arguments.docx is None:
        raise PlanError(str(arguments.plan), ["is a folder: say where the records go with --docx FOLDER"])
    kb = load_knowledge(arguments.rules, check_coverage=False)
    check_template()
    arguments.docx.mkdir(parents=True, exist_ok=True)
    failed = 0
    for number, path in enumerate(plans, start=1):
        _progress(number, len(plans), path.name)
        try:
            assessment = assess(kb, read_plan(path), str(path))
            save_record(kb, assessment, arguments.docx / f"{path.stem}.docx")
        except PlanError as error:
            failed += 1
            print(f"\nproofing: {error}", file=sys.stderr)
    print(file=sys.stderr)
    print(
        f"Wrote {len(plans) - failed} record(s) to {arguments.docx}"
        + (f"; {failed} plan(s) refused." if failed else ".")
    )
    return 2 if failed else 0


def _progress(done: int, total: int, name: str) -> None:
    width = 30
    filled = width * done // total
    bar = "#" * filled + "-" * (width - filled)
    end = "\r" if sys.stderr.isatty() else "\n"
    print(f"[{bar}] {done}/{total} {name[:40]}", end=end, file=sys.stderr, flush=True)


def _verify(arguments: argparse.Namespace) -> int:
    kb = load_knowledge(arguments.rules, check_coverage=False)
    result = verify_record(kb, arguments.record)
    if arguments.json:
        json.dump(result.model_dump(mode="json"), sys.stdout, indent=2, ensure_ascii=False)
        print()
    else:
        print(f"{arguments.record}: the embedded record is intact (sha256 {result.record_sha256[:16]}).")
        print(f"Plan: {result.plan_title}; recorded {result.produced_at or 'at an unknown time'}.")
        then, now = result.rule_base_then.version, result.rule_base_now.version
        print(f"Assessed against rule base {then}; checked against {now}.")
        if result.status == "intact":
            print("The current rule base gives the same findings.")
        else:
            print("The current rule base gives different findings:")
            for difference in result.differences:
                print(f"  - {difference}")
    return 0 if result.status == "intact" else 3


def _import(arguments: argparse.Namespace) -> int:
    plan = plan_from_record(arguments.record)
    arguments.out.write_text(plan_as_yaml(plan), encoding="utf-8")
    print(f"Wrote the plan '{plan.title}' to {arguments.out}")
    return 0


def _assess(arguments: argparse.Namespace) -> int:
    if arguments.plan.is_dir():
        return _assess_folder(arguments)
    kb = load_knowledge(arguments.rules, check_coverage=False)
    plan = read_plan(arguments.plan)
    assessment = assess(kb, plan, str(arguments.plan))
    if arguments.docx:
        save_record(kb, assessment, arguments.docx)
        print(f"Wrote the record to {arguments.docx}. {assessment.level_words}")
    elif arguments.json:
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
    commands = {"assess": _assess, "verify": _verify, "import": _import, "rules": _rules}
    try:
        return commands[arguments.command](arguments)
    except PlanError as error:
        print(f"proofing: {error}", file=sys.stderr)
        return 2
    except RecordError as error:
        print(f"proofing: {error}", file=sys.stderr)
        return 1
    except TemplateError as error:
        print(f"proofing: {error}", file=sys.stderr)
        return 1
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
