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
With ``--lang cy`` the command speaks Welsh: its own words from ``proofing/locale/cy/LC_MESSAGES/ui*.po``, the rule
base's from ``rules*.po`` (proofing.language); ``PROOFING_LANGUAGE=cy`` makes Welsh the default.
Output never fails on characters the terminal cannot show, and `--json` is strict JSON (no NaN or
Infinity; the plan reader refuses them).

This module is the parser and the dispatch; the commands live beside it, by concern: proofing.cli_assess (assess,
verify, import), proofing.cli_rules (rules, calibrate), proofing.cli_translate (translate, keys), and
proofing.cli_text (the run's language, printing, and the assessment as text).
"""

from __future__ import annotations

import argparse
import sys
import types
from collections.abc import Callable, Sequence
from pathlib import Path

from proofing import (
    audit_cli,
    cli_assess,
    cli_doctor,
    cli_followup,
    cli_remind,
    cli_report_card,
    cli_roles,
    cli_rules,
    cli_text,
    cli_translate,
)
from proofing.calibration import DEFAULT_CASES_DIR
from proofing.cli_assess import EXIT_AT_LEVEL, FAIL_ON_LEVELS, LEVELS
from proofing.cli_text import (
    _,
    _default_language,
    _say,
    _say_json,
    assessment_text,
    before_and_after_json,
    before_and_after_text,
    n_,
)
from proofing.cli_translate import TARGETS, UI_SOURCES
from proofing.corpus import DEFAULT_CORPUS_DIR
from proofing.errors import CommandError, ProofingError, RuleBaseError
from proofing.knowledge import DEFAULT_RULES_DIR, load_knowledge
from proofing.language import LOCALE_DIR, Translator, record_languages, translator
from proofing.messages import worded
from proofing.plan import PlanError
from proofing.record import RecordError
from proofing.report import TemplateError
from proofing.signing import PRIVATE_KEY_ENV, PUBLIC_KEY_ENV

# Kept importable from here, where scripts and tests have always found them.
__all__ = [
    "EXIT_AT_LEVEL",
    "FAIL_ON_LEVELS",
    "LEVELS",
    "TARGETS",
    "UI_SOURCES",
    "_",
    "_default_language",
    "_say",
    "_say_json",
    "assessment_text",
    "before_and_after_json",
    "before_and_after_text",
    "load_knowledge",
    "main",
    "n_",
]


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

    def with_locale_option(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument(
            "--locale",
            type=Path,
            default=LOCALE_DIR,
            metavar="DIR",
            help="the translation catalogues folder, DIR/cy/LC_MESSAGES/*.po (default: proofing/locale)",
        )
        return sub

    check = with_rules_option(
        rules_commands.add_parser("check", help="validate the rule base; one FILE:LINE per fault")
    )
    check.add_argument(
        "--lang",
        choices=TARGETS,
        help="also check the rule base's translation into this language: its coverage, and every placeholder",
    )
    with_locale_option(check)
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
        "--html", type=Path, metavar="OUT", help="write the accessible HTML record (one web page) here"
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
    assess_command.add_argument(
        "--accept-all",
        action="store_true",
        help="show the residual (Before and after) as if every suggested mitigation were in place (done): the best "
        "case the rule base's mitigations allow, for a board (a plan file carries no decisions, so without it none is "
        "counted)",
    )
    assess_command.add_argument(
        "--lang",
        choices=record_languages(),
        help="the language of the text and the Word record: cy, en or bilingual (default: PROOFING_LANGUAGE, or en)",
    )
    verify = with_rules_option(commands.add_parser("verify", help="check an exported record (Word or HTML)"))
    verify.add_argument("record", type=Path, metavar="FILE.docx|FILE.html")
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
    calibrate_command.add_argument(
        "--corpus",
        type=Path,
        nargs="?",
        const=DEFAULT_CORPUS_DIR,
        metavar="FOLDER",
        help="measure the rules against real published assessments instead (default: tests/corpus/cases)",
    )
    calibrate_command.add_argument(
        "--answerers",
        type=Path,
        nargs=2,
        metavar=("FIRST", "SECOND"),
        help="compare two people's answers to the same plans, question by question",
    )
    calibrate_command.add_argument("--json", action="store_true", help="with --corpus: the figures as JSON")
    translate = commands.add_parser("translate", help="hand the rule base to translators, take it back, check the UI")
    translate_commands = translate.add_subparsers(dest="translate_command", required=True, metavar="ACTION")

    def with_target_language(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument("--lang", choices=TARGETS, default=TARGETS[0], help="the language (default: cy)")
        return with_locale_option(with_rules_option(sub))

    export = with_target_language(
        translate_commands.add_parser("export", help="write the rule base's and the app's texts to review")
    )
    export.add_argument("--all", action="store_true", help="every text, confirmed ones too")
    export.add_argument("-o", "--out", type=Path, metavar="FILE.po", help="where to write it (default: in words)")
    take = with_target_language(
        translate_commands.add_parser("import", help="read a reviewed .po back: its texts confirmed or drafts")
    )
    take.add_argument("file", type=Path, metavar="FILE.po")
    with_target_language(
        translate_commands.add_parser("ui", help="the app's, the record's and the CLI's words: what is missing")
    )
    with_target_language(  # issue 25: every translated text against a spelling dictionary and the reviewed word list
        translate_commands.add_parser("check", help="check the spelling of every translated text (aspell)")
    )
    recover = commands.add_parser("import", help="recover the plan from a Word record, to revise it")
    recover.add_argument("record", type=Path, metavar="FILE.docx")
    recover.add_argument("--out", type=Path, required=True, metavar="PLAN.yaml", help="where to write the plan")
    audit_cli.add_parser(commands)
    cli_followup.add_parsers(commands)  # actions, reviews (issue 23)
    cli_remind.add_parser(commands)  # remind (issue 23)
    cli_doctor.add_parser(commands)  # doctor (issue 24)
    cli_roles.add_parser(commands)  # roles (issue 24)
    cli_report_card.add_parser(commands)  # report: the strategy's report card (issue 23)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    arguments = _parser().parse_args(argv)
    # `assess --lang` is the language of what it writes; `rules check --lang` and `translate --lang` name the
    # catalogue worked on, and speak the run's own language (PROOFING_LANGUAGE, else English).
    chosen = (arguments.lang if arguments.command == "assess" else None) or _default_language()
    cli_text.use(translator("cy" if chosen == "bilingual" else chosen))  # Welsh first, as the Standards ask
    commands: dict[str, Callable[[argparse.Namespace], int]] = {
        # load_knowledge is looked up here at each run, so a caller that replaces proofing.cli.load_knowledge
        # (a test loading the rule base once) replaces it for every command.
        "assess": lambda arguments: cli_assess.assess_command(arguments, load_knowledge),
        "verify": lambda arguments: cli_assess.verify_command(arguments, load_knowledge),
        "import": cli_assess.import_command,
        "rules": lambda arguments: cli_rules.rules_command(arguments, load_knowledge),
        "calibrate": lambda arguments: cli_rules.calibrate_command(arguments, load_knowledge),
        "keys": cli_translate.keys_command,
        "translate": lambda arguments: cli_translate.translate_command(arguments, load_knowledge),
        "audit": lambda arguments: audit_cli.run(arguments, _, n_, _say),
        "actions": cli_followup.actions_command,
        "reviews": cli_followup.reviews_command,
        "remind": cli_remind.remind_command,
        "doctor": cli_doctor.doctor_command,
        "roles": cli_roles.roles_command,
        "report": lambda arguments: cli_report_card.report_command(arguments, load_knowledge),
    }
    try:
        return commands[arguments.command](arguments)
    except (PlanError, CommandError) as error:
        _say("proofing: " + worded(error, cli_text.current()), sys.stderr)
        return 2
    except RecordError as error:
        _say("proofing: " + worded(error, cli_text.current()), sys.stderr)
        return 1
    except TemplateError as error:
        _say("proofing: " + worded(error, cli_text.current()), sys.stderr)
        return 1
    except RuleBaseError as error:
        for problem in error.problems:
            _say(str(problem), sys.stderr)
        count = len(error.problems)
        _say(n_("The rule base has {n} fault.", "The rule base has {n} faults.", count), sys.stderr)
        return 1
    except ProofingError as error:
        _say("proofing: " + worded(error, cli_text.current()), sys.stderr)
        return 1
    except BrokenPipeError:
        return 0


class _CommandLine(types.ModuleType):
    """proofing.cli as a module whose ``_translation`` is the language of this run, held in proofing.cli_text: reading
    or setting ``proofing.cli._translation`` (as a test does, to put the language back after a run) reads or sets the
    one every command speaks in."""

    @property
    def _translation(self) -> Translator:
        return cli_text.current()

    @_translation.setter
    def _translation(self, translation: Translator) -> None:
        cli_text.use(translation)


sys.modules[__name__].__class__ = _CommandLine


if __name__ == "__main__":
    sys.exit(main())
