"""The `proofing` command: the same library calls the app makes, for scripts and policy officers.

Exit codes (the README's table is the same):

    0  done (for `assess --fail-on LEVEL`: and the screening level is below LEVEL)
    1  the rule base is unsound, an item was not found, the Word template is unusable, a key cannot
       be made or read, or a file is not an intact proofing record (not one, altered, unsigned when a
       key is given, or signed by another key)
    2  bad input: the command was mistyped, a plan cannot be assessed, or an output path cannot
       be written (a folder, or in a folder that does not exist)
    3  `verify`: the record is intact but the current rule base gives different findings
    4  `assess --fail-on LEVEL`: the screening level is LEVEL or above, like a linter's threshold;
       `verify`: the record is intact but the document's visible text was edited (the sections named)

A fault is always printed in words; a traceback means a bug in proofing and is never the answer.
Output never fails on characters the terminal cannot show, and `--json` is strict JSON (no NaN or
Infinity; the plan reader refuses them).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from proofing.assessment import Assessment, assess, assessment_as_json, assessment_as_text
from proofing.calibration import DEFAULT_CASES_DIR, calibrate, report_as_text
from proofing.engine import evaluate
from proofing.errors import CommandError, ProofingError, RuleBaseError
from proofing.knowledge import DEFAULT_RULES_DIR, load_knowledge
from proofing.plan import PlanError, read_plan
from proofing.readout import describe, knowledge_as_json
from proofing.record import RecordError
from proofing.report import TemplateError, check_template, save_report
from proofing.signing import (
    PRIVATE_KEY_ENV,
    PUBLIC_KEY_ENV,
    Signer,
    configured_private_key,
    configured_public_key,
    generate_keys,
    load_public_key,
)
from proofing.verify import plan_as_yaml, plan_from_record, verify_record

# The screening levels from least to most serious (proofing.assessment.Level holds the same three).
LEVELS = ("screened_out", "mitigate", "full_assessment")
FAIL_ON_LEVELS = LEVELS[1:]
EXIT_AT_LEVEL = 4


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
    assess_command.add_argument(
        "--signer",
        metavar="WHO",
        help=f"who signs the record (with the key {PRIVATE_KEY_ENV} names; default: this computer's user name)",
    )
    assess_command.add_argument(
        "--fail-on",
        choices=FAIL_ON_LEVELS,
        metavar="LEVEL",
        help="exit 4 when the screening level is LEVEL or above: mitigate or full_assessment",
    )
    verify = with_rules_option(commands.add_parser("verify", help="check an exported Word record"))
    verify.add_argument("record", type=Path, metavar="FILE.docx")
    verify.add_argument(
        "--key",
        type=Path,
        metavar="PUBLIC.pem",
        help=f"check the record is signed by this public key (default: the key {PUBLIC_KEY_ENV} names, if set)",
    )
    verify.add_argument("--json", action="store_true", help="print the verification as JSON")
    keys = commands.add_parser("keys", help="make the council's signing keys")
    keys_commands = keys.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    init = keys_commands.add_parser("init", help="make an Ed25519 key pair: the private key outside the project")
    init.add_argument("--private", type=Path, required=True, metavar="PRIVATE.pem", help="where the private key goes")
    init.add_argument("--public", type=Path, required=True, metavar="PUBLIC.pem", help="where the public key goes")
    calibrate_command = with_rules_option(
        commands.add_parser("calibrate", help="run the officer's calibration cases and report how the rules fare")
    )
    calibrate_command.add_argument(
        "cases",
        type=Path,
        nargs="?",
        default=DEFAULT_CASES_DIR,
        metavar="FOLDER",
        help="the folder of calibration cases, C1.yaml ... (default: this project's tests/calibration)",
    )
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
    _output_folder(arguments.docx)
    kb = load_knowledge(arguments.rules, check_coverage=False)
    check_template()
    failed = 0
    at_level = []
    for number, path in enumerate(plans, start=1):
        _progress(number, len(plans), path.name)
        try:
            assessment = assess(kb, read_plan(path), str(path))
            _write_file(
                arguments.docx / f"{path.stem}.docx",
                lambda out, a=assessment: save_report(kb, a, out, signer=_signer(arguments)),
            )
        except (PlanError, CommandError) as error:
            failed += 1
            _say(f"\nproofing: {error}", sys.stderr)
            continue
        if _at_or_above(assessment, arguments.fail_on):
            at_level.append(path.name)
    _say("", sys.stderr)
    _say(
        f"Wrote {len(plans) - failed} record(s) to {arguments.docx}"
        + (f"; {failed} plan(s) refused." if failed else ".")
    )
    if failed:
        return 2
    if at_level:
        _say(
            f"proofing: {len(at_level)} plan(s) screened at '{arguments.fail_on}' or above: {', '.join(at_level)}",
            sys.stderr,
        )
        return EXIT_AT_LEVEL
    return 0


def _at_or_above(assessment: Assessment, fail_on: str | None) -> bool:
    """Whether the screening level reaches the --fail-on threshold (never, when none was given)."""
    return fail_on is not None and LEVELS.index(assessment.level) >= LEVELS.index(fail_on)


def _output_file(path: Path) -> None:
    """Refuse, before any work is done, a file path that cannot be written: a folder, or a missing folder."""
    try:
        if path.is_dir():
            raise CommandError(f"{path} is a folder; give the name of the file to write inside it")
        folder = path.parent
        if not folder.exists():
            raise CommandError(f"cannot write {path}: the folder {folder} does not exist (create it first)")
        if not folder.is_dir():
            raise CommandError(f"cannot write {path}: {folder} is a file, not a folder")
    except OSError as error:  # a name too long for the file system, a symlink loop
        raise CommandError(f"cannot write {path} ({error.strerror or error})") from None


def _is_folder(path: Path) -> bool:
    """Whether `path` is a folder; False when the system cannot say (read_plan then says why in words)."""
    try:
        return path.is_dir()
    except OSError:
        return False


def _output_folder(path: Path) -> None:
    """Make the folder records go to, or refuse in words when it cannot be (a file is in the way, no permission)."""
    try:
        if path.exists() and not path.is_dir():
            raise CommandError(f"{path} is a file; with a folder of plans, --docx names the folder the records go to")
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CommandError(f"cannot make the folder {path} ({error.strerror or error})") from None


def _write_file(path: Path, write: Callable[[Path], object]) -> None:
    """Run `write(path)`, turning a failure of the file system (full disk, no permission) into words."""
    try:
        write(path)
    except OSError as error:
        raise CommandError(f"cannot write {path} ({error.strerror or error})") from None


def _progress(done: int, total: int, name: str) -> None:
    width = 30
    filled = width * done // total
    bar = "#" * filled + "-" * (width - filled)
    end = "\r" if sys.stderr.isatty() else "\n"
    _say(f"[{bar}] {done}/{total} {name[:40]}", sys.stderr, end=end)


def _verify(arguments: argparse.Namespace) -> int:
    """0 intact (and signed by the key, when one is given); 1 (RecordError) not a record, altered or another key's;
    3 intact but today's rule base finds otherwise; 4 intact but the document's visible text was edited."""
    kb = load_knowledge(arguments.rules, check_coverage=False)
    key = load_public_key(arguments.key) if arguments.key else configured_public_key()
    result = verify_record(kb, arguments.record, key)
    if arguments.json:
        _say_json(result.model_dump(mode="json"))
    else:
        _say(f"{arguments.record}: the embedded record is intact (sha256 {result.record_sha256[:16]}).")
        if result.signature_checked:
            _say(f"Signed by {result.signed_by} with the council's key ({result.key_fingerprint}).")
        elif result.signed_by:
            _say(f"Signed by {result.signed_by} (key {result.key_fingerprint}); give --key PUBLIC.pem to check it.")
        else:
            _say("The record is not signed.")
        _say(f"Plan: {result.plan_title}; recorded {result.produced_at or 'at an unknown time'}.")
        then, now = result.rule_base_then.version, result.rule_base_now.version
        _say(f"Assessed against rule base {then}; checked against {now}.")
        if result.visible_changes:
            _say(
                "The document's visible text was edited after it was written, in: " + "; ".join(result.visible_changes)
            )
        if not result.differences:
            _say("The current rule base gives the same findings.")
        else:
            _say("The current rule base gives different findings:")
            for difference in result.differences:
                _say(f"  - {difference}")
    return {"intact": 0, "differs": 3, "visible_text_edited": 4}[result.status]


def _keys(arguments: argparse.Namespace) -> int:
    made = generate_keys(arguments.private, arguments.public)
    _say(f"Made the council's key pair: private key {arguments.private} (keep it safe, never commit it), ")
    _say(f"public key {arguments.public}, fingerprint {made}. Set {PRIVATE_KEY_ENV}={arguments.private} to sign.")
    return 0


def _signer(arguments: argparse.Namespace) -> Signer | None:
    """The signer of records written now: the key PROOFING_SIGNING_KEY names, or None (unsigned)."""
    key = configured_private_key()
    if key is None:
        return None
    return Signer(identity=arguments.signer or getpass.getuser(), key=key)


def _import(arguments: argparse.Namespace) -> int:
    _output_file(arguments.out)
    plan = plan_from_record(arguments.record)
    _write_file(arguments.out, lambda out: out.write_text(plan_as_yaml(plan), encoding="utf-8"))
    _say(f"Wrote the plan '{plan.title}' to {arguments.out}")
    return 0


def _assess(arguments: argparse.Namespace) -> int:
    if _is_folder(arguments.plan):
        return _assess_folder(arguments)
    if arguments.docx:
        _output_file(arguments.docx)
    plan = read_plan(arguments.plan)  # before the rule base is loaded: a bad plan is refused at once
    kb = load_knowledge(arguments.rules, check_coverage=False)
    assessment = assess(kb, plan, str(arguments.plan))
    if arguments.docx:
        _write_file(arguments.docx, lambda out: save_report(kb, assessment, out, signer=_signer(arguments)))
        _say(f"Wrote the record to {arguments.docx}. {assessment.level_words}")
    elif arguments.json:
        _say_json(assessment_as_json(assessment))
    else:
        _say(assessment_as_text(kb, assessment), end="")
    for warning in assessment.warnings:
        _say(f"warning: {warning}", sys.stderr)
    if _at_or_above(assessment, arguments.fail_on):
        level = assessment.level_words.split(".")[0]
        _say(
            f"proofing: screened as {assessment.level} ({level}), at or above --fail-on {arguments.fail_on}", sys.stderr
        )
        return EXIT_AT_LEVEL
    return 0


def _calibrate(arguments: argparse.Namespace) -> int:
    """Exit 0 when every calibration case passes, 1 when any fails; the report says which and why."""
    if not arguments.cases.is_dir():
        raise CommandError(f"{arguments.cases} is not a folder of calibration cases")
    report = calibrate(load_knowledge(arguments.rules, check_coverage=False), arguments.cases)
    _say(report_as_text(report).rstrip("\n"))
    return 0 if report.passed == len(report.results) else 1


def _rules(arguments: argparse.Namespace) -> int:
    # Only `check` insists that every characteristic and community is reachable by a rule; a council
    # part-way through writing its rules can still read, dump and use them.
    kb = load_knowledge(arguments.rules, check_coverage=arguments.rules_command == "check")
    if arguments.rules_command == "check":
        evaluate(kb, {})  # compiling the rules finds a rule base beyond the engine's limits (EngineError)
        measures = sum(len(action.measures) for action in kb.actions)
        tasks = f", {len(kb.migrant_worker_tasks)} Migrant Worker tasks" if kb.migrant_worker_tasks else ""
        _say(
            f"The rule base is sound: {len(kb.outcomes)} outcomes, {len(kb.actions)} actions, "
            f"{measures} measures{tasks} (version {kb.version}, sha256 {kb.sha256[:12]})."
        )
    elif arguments.rules_command == "dump":
        _say_json(knowledge_as_json(kb))
    else:
        text = describe(kb, arguments.item_id)
        if text is None:
            _say(
                f"proofing: nothing in the rule base has the id '{arguments.item_id}'. Ids look like "
                "CC15 (outcome), 15.1 (action), 15.1.2 (measure), MW23 (Migrant Worker task), P1, V3, I4, "
                "2011-3, race, migrant_workers, foster_good_relations.",
                sys.stderr,
            )
            return 1
        _say(text)
    return 0


def _say(text: str, stream: TextIO | None = None, end: str = "\n") -> None:
    """Print to standard output (or `stream`), never failing on a character its encoding cannot hold.

    A terminal set to a narrow encoding (LANG=C on an old system, a Windows console) would otherwise
    turn a Welsh letter or an emoji in a plan into a UnicodeEncodeError; such a character is shown as
    its escape (\\u0175) instead.
    """
    out = stream if stream is not None else sys.stdout
    try:
        out.write(text + end)
    except UnicodeEncodeError:
        encoding = getattr(out, "encoding", None) or "utf-8"
        out.write((text + end).encode(encoding, "backslashreplace").decode(encoding, "replace"))
    out.flush()


def _say_json(data: Any) -> None:
    """Print data as strict JSON (RFC 8259: no NaN or Infinity), as UTF-8 text, or escaped if the output is narrower."""
    text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        text = json.dumps(data, indent=2, ensure_ascii=True, allow_nan=False)
    _say(text)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    arguments = _parser().parse_args(argv)
    commands = {
        "assess": _assess,
        "verify": _verify,
        "import": _import,
        "rules": _rules,
        "calibrate": _calibrate,
        "keys": _keys,
    }
    try:
        return commands[arguments.command](arguments)
    except (PlanError, CommandError) as error:
        _say(f"proofing: {error}", sys.stderr)
        return 2
    except RecordError as error:
        _say(f"proofing: {error}", sys.stderr)
        return 1
    except TemplateError as error:
        _say(f"proofing: {error}", sys.stderr)
        return 1
    except RuleBaseError as error:
        for problem in error.problems:
            _say(str(problem), sys.stderr)
        count = len(error.problems)
        _say(f"The rule base has {count} fault{'s' if count != 1 else ''}.", sys.stderr)
        return 1
    except ProofingError as error:
        _say(f"proofing: {error}", sys.stderr)
        return 1
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
