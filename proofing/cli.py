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
"""

from __future__ import annotations

import argparse
import getpass
import inspect
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from proofing import audit_cli, safe_text
from proofing.assessment import Assessment, GroupReason, assess, assessment_as_json
from proofing.calibration import DEFAULT_CASES_DIR, calibrate, report_as_text
from proofing.corpus import DEFAULT_CORPUS_DIR, run_corpus_command
from proofing.decisions import MitigationDecision
from proofing.engine import evaluate
from proofing.errors import CommandError, Problem, ProofingError, RuleBaseError, display_path
from proofing.impact import Residual, all_in_place, residual
from proofing.knowledge import DEFAULT_RULES_DIR, KnowledgeBase, load_knowledge
from proofing.language import (
    LOCALE_DIR,
    PROJECT_DIR,
    SOURCE,
    CatalogueError,
    Language,
    Translator,
    catalogue,
    catalogue_faults,
    export_rules,
    import_rules,
    is_language,
    language_name,
    languages,
    localised,
    record_languages,
    rules_coverage,
    translator,
    ui_coverage,
    ui_messages,
    write_catalogue,
)
from proofing.plan import PlanError, read_plan
from proofing.readout import describe, knowledge_as_json
from proofing.record import RecordError
from proofing.report import (
    TemplateError,
    check_template,
    plan_suggestions,
    save_html_record,
    save_report,
    suggestion_sentence,
)
from proofing.selfcheck import run_self_check
from proofing.signing import (
    PRIVATE_KEY_ENV,
    PUBLIC_KEY_ENV,
    Signer,
    configured_public_key,
    configured_signer,
    generate_keys,
    load_public_key,
)
from proofing.verify import plan_as_yaml, plan_from_record, verify_record
from proofing.whatif import Suggestion

# The screening levels from least to most serious (proofing.assessment.Level holds the same three).
LEVELS = ("screened_out", "mitigate", "full_assessment")
FAIL_ON_LEVELS = LEVELS[1:]
EXIT_AT_LEVEL = 4
# The languages a translation unit translates into (English is the source).
TARGETS = tuple(language for language in languages() if language != SOURCE)  # every language with catalogues
# Where the command line looks for the words it must translate: the app, its pages, the library.
UI_SOURCES = (PROJECT_DIR / "app.py", PROJECT_DIR / "views", PROJECT_DIR / "proofing")

_translation: Translator = translator(SOURCE)


def _(text: str, /, **values: Any) -> str:
    """One of the command line's own texts in the language of this run, its ``{placeholders}`` filled."""
    return _translation._(text, **values)


def n_(one: str, many: str, count: int, /, **values: Any) -> str:
    """A counted text of the command line in the language of this run (six forms in Welsh); ``{n}`` is the count."""
    return _translation.n_(one, many, count, **values)


def _default_language() -> str:
    """The language a run speaks without --lang: PROOFING_LANGUAGE when it names one, else English."""
    configured = os.environ.get("PROOFING_LANGUAGE", "")
    return configured if is_language(configured) else SOURCE


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
        help="show the residual (Before and after) as if every suggested mitigation were accepted: the best case the "
        "rule base's mitigations allow, for a board (a plan file carries no decisions, so without it none is accepted)",
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
        translate_commands.add_parser("export", help="write the rule base's texts to translate or confirm as a .po")
    )
    export.add_argument("--all", action="store_true", help="every text, confirmed ones too")
    export.add_argument("-o", "--out", type=Path, metavar="FILE.po", help="where to write it (default: in words)")
    take = with_target_language(
        translate_commands.add_parser("import", help="read a translated .po back into the rule base's catalogue")
    )
    take.add_argument("file", type=Path, metavar="FILE.po")
    with_target_language(
        translate_commands.add_parser("ui", help="the app's, the record's and the CLI's words: what is missing")
    )
    recover = commands.add_parser("import", help="recover the plan from a Word record, to revise it")
    recover.add_argument("record", type=Path, metavar="FILE.docx")
    recover.add_argument("--out", type=Path, required=True, metavar="PLAN.yaml", help="where to write the plan")
    audit_cli.add_parser(commands)
    return parser


def _assess_folder(arguments: argparse.Namespace) -> int:
    """Assess every plan in a folder, writing one record each, with progress on standard error."""
    plans = sorted(arguments.plan.glob("*.yaml")) + sorted(arguments.plan.glob("*.yml"))
    if not plans:
        raise PlanError(str(arguments.plan), ["holds no plan files (*.yaml)"])
    if arguments.html is not None:
        raise CommandError(_("--html writes the record of one plan: give a plan file, not a folder"))
    if arguments.docx is None:
        raise PlanError(str(arguments.plan), ["is a folder: say where the records go with --docx FOLDER"])
    _output_folder(arguments.docx)
    _record_language(arguments.lang)
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
                lambda out, a=assessment: _save_report(kb, a, out, _signer(arguments), arguments.lang),
            )
        except (PlanError, CommandError) as error:
            failed += 1
            _say(f"\nproofing: {error}", sys.stderr)
            continue
        if _at_or_above(assessment, arguments.fail_on):
            at_level.append(path.name)
    _say("", sys.stderr)
    wrote = n_(
        "Wrote {n} record(s) to {folder}", "Wrote {n} record(s) to {folder}", len(plans) - failed, folder=arguments.docx
    )
    refused = n_("{n} plan(s) refused.", "{n} plan(s) refused.", failed) if failed else ""
    _say(f"{wrote}; {refused}" if failed else f"{wrote}.")
    if failed:
        return 2
    if at_level:
        screened = n_(
            "{n} plan(s) screened at '{level}' or above: {plans}",  # English as before: scripts read it
            "{n} plan(s) screened at '{level}' or above: {plans}",
            len(at_level),
            level=arguments.fail_on,
            plans=", ".join(at_level),
        )
        _say(f"proofing: {screened}", sys.stderr)
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
        _say(
            _(
                "{record}: the embedded record is intact (sha256 {sha}).",
                record=arguments.record,
                sha=result.record_sha256[:16],
            )
        )
        if result.signature_checked:
            _say(
                _(
                    "Signed by {who} with the council's key ({fingerprint}).",
                    who=result.signed_by,
                    fingerprint=result.key_fingerprint,
                )
            )
        else:  # a signed record whose key was not checked is refused by verify_record (SignatureNotChecked)
            _say(_("The record is not signed."))
        when = result.produced_at or _("at an unknown time")
        _say(_("Plan: {title}; recorded {when}.", title=result.plan_title, when=when))
        then, now = result.rule_base_then.version, result.rule_base_now.version
        _say(_("Assessed against rule base {then}; checked against {now}.", then=then, now=now))
        if result.visible_changes:
            _say(
                _(
                    "The document's visible text was edited after it was written, in: {sections}",
                    sections="; ".join(result.visible_changes),
                )
            )
        if not result.differences:
            _say(_("The current rule base gives the same findings."))
        else:
            _say(_("The current rule base gives different findings:"))
            for difference in result.differences:
                _say(f"  - {difference}")
    return {"intact": 0, "differs": 3, "visible_text_edited": 4}[result.status]


def _keys(arguments: argparse.Namespace) -> int:
    made = generate_keys(arguments.private, arguments.public)
    _say(
        _(
            "Made the council's key pair: private key {private} (keep it safe, never commit it), ",
            private=arguments.private,
        )
    )
    _say(
        _(
            "public key {public}, fingerprint {fingerprint}. Set {variable}={private} to sign.",
            public=arguments.public,
            fingerprint=made,
            variable=PRIVATE_KEY_ENV,
            private=arguments.private,
        )
    )
    return 0


def _signer(arguments: argparse.Namespace) -> Signer | None:
    """The signer of records written now: the key PROOFING_SIGNING_KEY names, or None (unsigned)."""
    return configured_signer(arguments.signer or getpass.getuser())


def _import(arguments: argparse.Namespace) -> int:
    _output_file(arguments.out)
    plan = plan_from_record(arguments.record)
    _write_file(arguments.out, lambda out: out.write_text(plan_as_yaml(plan), encoding="utf-8"))
    _say(_("Wrote the plan '{title}' to {path}", title=plan.title, path=arguments.out))
    return 0


def _record_language(language: str | None) -> None:
    """Refuse, before any work, a Word record language this version's record writer cannot write."""
    if language not in (None, SOURCE) and "language" not in inspect.signature(save_report).parameters:
        raise CommandError(
            _(
                "this version of proofing writes the Word record in English only; leave out --lang {language}",
                language=language,
            )
        )


def _save_report(
    kb: KnowledgeBase, assessment: Assessment, out: Path, signer: Signer | None, language: str | None
) -> None:
    """Write the Word record in `language` (cy, en or bilingual); the record writer localises the rule base itself, so
    it is given the English rule base and assessment, and the embedded canonical record stays English."""
    if language in (None, SOURCE):
        save_report(kb, assessment, out, signer=signer)
    else:
        save_report(kb, assessment, out, signer=signer, language=language)  # type: ignore[call-arg]


def _write_records(arguments: argparse.Namespace, kb: KnowledgeBase, assessment: Assessment, language: str) -> None:
    """Write the Word record (--docx) and the HTML record (--html) asked for, each signed as configured, and say so."""
    level = _level_words(kb, assessment, language)
    if arguments.docx:
        _write_file(arguments.docx, lambda out: _save_report(kb, assessment, out, _signer(arguments), arguments.lang))
        _say(_("Wrote the record to {path}.", path=arguments.docx) + f" {level}")
    if arguments.html:
        shown_in = arguments.lang if arguments.lang != SOURCE else None
        _write_file(
            arguments.html,
            lambda out: save_html_record(kb, assessment, out, signer=_signer(arguments), language=shown_in),
        )
        _say(_("Wrote the HTML record to {path}.", path=arguments.html) + f" {level}")


def _assess(arguments: argparse.Namespace) -> int:
    if _is_folder(arguments.plan):
        return _assess_folder(arguments)
    language = arguments.lang or _default_language()
    if arguments.json and language == "bilingual":
        raise CommandError(_("--json speaks one language: give --lang cy or --lang en (its ids are the same in both)"))
    if arguments.docx:
        _output_file(arguments.docx)
        _record_language(arguments.lang)
    if arguments.html:
        _output_file(arguments.html)
    plan = read_plan(arguments.plan)  # before the rule base is loaded: a bad plan is refused at once
    kb = load_knowledge(arguments.rules, check_coverage=False)
    assessment = assess(kb, plan, str(arguments.plan))
    if arguments.docx or arguments.html:
        _write_records(arguments, kb, assessment, language)
    elif arguments.json:
        shown_kb = localised(kb, language).kb if language != SOURCE else kb
        shown = assess(shown_kb, plan, str(arguments.plan)) if language != SOURCE else assessment
        extra = before_and_after_json(shown_kb, shown, _decisions(arguments, assessment), arguments.accept_all)
        if language == SOURCE and arguments.lang is None:
            _say_json({**assessment_as_json(assessment), **extra})
        else:  # the same ids, levels and scores; the texts a person reads in the language asked for
            _say_json({**assessment_as_json(shown), **extra, "language": language})
    else:
        texts = []
        for each in ("cy", "en") if language == "bilingual" else (language,):
            texts.append(_text_in(kb, plan, str(arguments.plan), each, arguments.accept_all))
        _say("\n".join(texts), end="")
    for warning in assessment.warnings:
        _say(_("warning: {warning}", warning=warning), sys.stderr)
    if _at_or_above(assessment, arguments.fail_on):
        level = _level_words(kb, assessment, language).split(".")[0]
        _say(
            "proofing: "
            + _(
                "screened as {level_id} ({level}), at or above --fail-on {fail_on}",
                level_id=assessment.level,
                level=level,
                fail_on=arguments.fail_on,
            ),
            sys.stderr,
        )
        return EXIT_AT_LEVEL
    return 0


def _level_words(kb: KnowledgeBase, assessment: Assessment, language: str) -> str:
    """The screening level in the rule base's words, in the language of this run."""
    if is_language(language) and language != SOURCE:
        return localised(kb, language).kb.scoring.level_words[assessment.level]  # type: ignore[arg-type]
    return assessment.level_words


def _text_in(kb: KnowledgeBase, plan: Any, source: str, language: Language, accept_all: bool = False) -> str:
    """The assessment as text in `language`: assessed against the rule base in that language (the same ids, rules
    and scores, so the same findings), in the command line's words in that language."""
    global _translation
    kept = _translation
    _translation = translator(language)
    try:
        words = localised(kb, language).kb
        assessment = assess(words, plan, source)
        decisions = all_in_place(assessment) if accept_all else {}
        extra = before_and_after_text(words, assessment, decisions, accept_all, plan_suggestions(kb, assessment))
        return assessment_text(words, assessment).rstrip("\n") + "\n\n" + extra
    finally:
        _translation = kept


def assessment_text(kb: KnowledgeBase, assessment: Assessment) -> str:
    """The assessment as readable text in the language of this run (``proofing assess``): the rule base's words
    from `kb` (give ``localised(kb, "cy").kb`` for Welsh), the command line's own through its catalogue. In English
    it is, word for word, proofing.assessment.assessment_as_text."""
    aims = {aim.id: aim.name for aim in kb.psed_aims}
    plan = assessment.plan
    rag = {"red": _("RED"), "amber": _("AMBER"), "green": _("GREEN")}
    severity = {"high": _("high"), "medium": _("medium"), "low": _("low")}
    lines = [
        f"{plan.title}",
        _("{service}, owner {owner}", service=plan.service, owner=plan.owner),
        "",
        _("Screening: {level}", level=assessment.level_words),
        *([_("Why: {reason}", reason=assessment.level_reason)] if assessment.level_reason else []),
        _("Decision asked for: {decision}", decision=assessment.decision),
    ]
    negatives = [f for f in assessment.findings if f.direction == "negative"]
    positives = [f for f in assessment.findings if f.direction == "positive"]
    lines.append(
        _(
            "{negative} negative and {positive} positive findings.",
            negative=len(negatives),
            positive=len(positives),
        )
    )
    for heading, group in ((_("Negative findings"), negatives), (_("Positive findings"), positives)):
        if not group:
            continue
        lines += ["", heading, ""]
        for finding in group:
            who = "; ".join(_group_reason(reason) for reason in finding.group_reasons)
            mark = rag[finding.rag] if finding.direction == "negative" else _("POSITIVE")
            score = _(
                "likelihood {likelihood} x severity {severity} = {score}",
                likelihood=finding.likelihood,
                severity=finding.severity,
                score=finding.score,
            )
            lines.append(f"* {finding.title} [{mark}, {score}]")
            if who:
                lines.append("  " + _("Affects: {groups}", groups=who))
            lines.append("  " + _("Duty: {aims}", aims="; ".join(aims[a] for a in finding.psed_aims)))
            lines.append("  " + _("Why: {rationale}", rationale=finding.rationale))
            if finding.consolidates:
                lines.append("  " + _("Also covers: {titles}", titles="; ".join(finding.consolidates)))
            for because in finding.because:
                lines.append("  " + _("Because: {reason}", reason=because.question_text + " " + because.answer_text))
            for fact in finding.facts:
                lines.append("  " + _("Because: {reason}", reason=fact))
            for mitigation in finding.mitigations:
                if finding.direction == "negative":
                    lines.append("  " + _("Mitigation: {text}", text=mitigation.text))
                else:
                    lines.append("  " + _("To make the most of it: {text}", text=mitigation.text))
                for action in mitigation.linked:
                    lead = " " + _("(lead: {lead})", lead=action.lead) if action.lead else ""
                    lines.append("    - " + _("strategy action {id}: {text}", id=action.id, text=action.text) + lead)
            lines.append("")
    if assessment.gaps:
        lines += [_("Gaps in this assessment (they do not change the screening; close them before the decision)"), ""]
        for gap in assessment.gaps:
            lines.append(f"* [{severity[gap.severity]}] {gap.message}")
            for remedy in gap.remedies:
                actions = ", ".join(action.id for action in remedy.linked)
                lines.append(
                    "  " + _("To close it: {text} (strategy action {actions})", text=remedy.text, actions=actions)
                )
    if assessment.warnings:
        lines += ["", _("Warnings"), ""]
        lines += [f"* {warning}" for warning in assessment.warnings]
    version = _(
        "Rule base {version} (sha256 {sha})", version=assessment.rule_base.version, sha=assessment.rule_base.sha256[:12]
    )
    lines += ["", version]
    return "\n".join(lines).rstrip() + "\n"


def _decisions(arguments: argparse.Namespace, assessment: Assessment) -> dict[str, MitigationDecision]:
    """The decisions the residual counts: every mitigation accepted with --accept-all, else none (a plan file
    carries answers only; the app keeps a service's decisions with its saved assessment)."""
    return all_in_place(assessment) if arguments.accept_all else {}


def before_and_after_json(
    kb: KnowledgeBase, assessment: Assessment, decisions: dict[str, MitigationDecision], accept_all: bool
) -> dict[str, Any]:
    """The ``residual`` and ``what_if`` members of ``proofing assess --json``: each negative finding before and
    after the mitigations counted (``proofing.impact.residual``), both levels and the matrix moves; and the
    smallest changes to the plan's own choices that would lower the level (``proofing.whatif``), in words."""
    result = residual(kb, assessment, decisions)
    counted = "every mitigation accepted (--accept-all)" if accept_all else "no mitigation accepted yet"
    suggestions = plan_suggestions(kb, assessment)
    return {
        "residual": {
            "mitigations_counted": counted,
            "level": result.level,
            "level_words": result.level_words,
            "residual_level": result.residual_level,
            "residual_level_words": result.residual_level_words,
            "level_lowered": result.level_lowered,
            "findings": [finding.model_dump(mode="json") for finding in result.findings],
            "moves": [move.model_dump(mode="json") for move in result.matrix.moves],
        },
        "what_if": [_suggestion_json(kb, s) for s in suggestions] if suggestions is not None else [],
    }


def _suggestion_json(kb: KnowledgeBase, suggestion: Suggestion) -> dict[str, Any]:
    """One what-if suggestion for --json: the changes by question id and answer ids and in words, the levels, the
    findings it removes, lowers or brings, and its sentence in the language of this run."""
    return {
        "changes": [change.model_dump(mode="json") for change in suggestion.changes],
        "level_before": suggestion.level_before,
        "level_after": suggestion.level_after,
        "level_before_words": suggestion.level_before_words,
        "level_after_words": suggestion.level_after_words,
        "steps": suggestion.steps,
        "findings_removed": [f.model_dump(mode="json") for f in suggestion.findings_removed],
        "findings_lowered": [f.model_dump(mode="json") for f in suggestion.findings_lowered],
        "findings_added": [f.model_dump(mode="json") for f in suggestion.findings_added],
        "no_longer_asked": suggestion.no_longer_asked,
        "sentence": suggestion_sentence(kb, suggestion, _translation),
    }


def before_and_after_text(
    kb: KnowledgeBase,
    assessment: Assessment,
    decisions: dict[str, MitigationDecision],
    accept_all: bool,
    suggestions: list[Suggestion] | None,
) -> str:
    """The "Before and after" and "What would change the level" sections of ``proofing assess``, in the language
    of this run (`kb` the rule base in that language)."""
    result: Residual = residual(kb, assessment, decisions)
    lines = [_("Before and after"), ""]
    if not result.findings:
        lines.append(_("No negative impact was found, so there is nothing to mitigate."))
    else:
        lines.append(
            _("With every suggested mitigation accepted (--accept-all):")
            if accept_all
            else _("No mitigation accepted yet: the residual scores are the scores as assessed.")
        )
        for finding in result.findings:
            lines.append(
                "* "
                + _(
                    "{title}: {before} before, {after} after",
                    title=finding.title,
                    before=f"{finding.likelihood} x {finding.severity} = {finding.score}",
                    after=f"{finding.residual_likelihood} x {finding.residual_severity} = {finding.residual_score}",
                )
            )
        lines += [
            "",
            _("Screening: {level}", level=result.level_words),
            _("Residual level: {level}", level=result.residual_level_words),
        ]
    lines += ["", _("What would change the level"), ""]
    if suggestions is None:
        lines.append(_("The plan is not complete, so what would change its level is not worked out yet."))
    elif not suggestions:
        lines.append(_("Nothing within two of the plan's own choices would lower the level."))
    else:
        lines += ["* " + suggestion_sentence(kb, suggestion, _translation) for suggestion in suggestions]
    return "\n".join(lines) + "\n"


def _group_reason(reason: GroupReason) -> str:
    """Why a finding names a group, in the language of this run (proofing.assessment.group_reason_words in English)."""
    if reason.reason == "named":
        return _("{name} (the plan names it)", name=reason.name)
    return _("{name} (because: {because})", name=reason.name, because=reason.because)


def _calibrate(arguments: argparse.Namespace) -> int:
    """Exit 0 when every calibration case passes, 1 when any fails; the report says which and why."""
    if arguments.corpus is not None or arguments.answerers is not None:
        return run_corpus_command(load_knowledge(arguments.rules, check_coverage=False), arguments, _say)
    if not arguments.cases.is_dir():
        raise CommandError(_("{path} is not a folder of calibration cases", path=arguments.cases))
    report = calibrate(load_knowledge(arguments.rules, check_coverage=False), arguments.cases)
    _say(report_as_text(report).rstrip("\n"))
    return 0 if report.passed == len(report.results) else 1


def _rules(arguments: argparse.Namespace) -> int:
    # Only `check` insists that every characteristic and community is reachable by a rule; a council
    # part-way through writing its rules can still read, dump and use them.
    kb = load_knowledge(arguments.rules, check_coverage=arguments.rules_command == "check")
    if arguments.rules_command == "check":
        evaluate(kb, {})  # compiling the rules finds a rule base beyond the engine's limits (EngineError)
        # The rule base's own tests, as `openfisca test` runs a tax code's: every rule's YAML cases on the oracle and
        # the engine, every training card, and every mitigation's declared effect (the loader lets a plan be
        # assessed meanwhile, so a council can draft effects as it goes). Every fault is listed, then exit 1.
        selfcheck = run_self_check(kb)
        counted = _(
            "{cases} rule cases, {cards} training cards, {faults} faults (run in {seconds} s).",
            cases=selfcheck.rule_cases,
            cards=selfcheck.training_cards,
            faults=len(selfcheck.faults),
            seconds=f"{selfcheck.seconds:.1f}",
        )
        if selfcheck.faults:
            _say(counted, sys.stderr)
            raise RuleBaseError(selfcheck.faults)
        measures = sum(len(action.measures) for action in kb.actions)
        tasks = (
            _(", {tasks} Migrant Worker tasks", tasks=len(kb.migrant_worker_tasks)) if kb.migrant_worker_tasks else ""
        )
        _say(
            _(
                "The rule base is sound: {outcomes} outcomes, {actions} actions, {measures} measures{tasks} "
                "(version {version}, sha256 {sha}).",
                outcomes=len(kb.outcomes),
                actions=len(kb.actions),
                measures=measures,
                tasks=tasks,
                version=kb.version,
                sha=kb.sha256[:12],
            )
        )
        _say(counted)
        if arguments.lang:
            return _check_translation(kb, arguments.lang, arguments.locale)
    elif arguments.rules_command == "dump":
        _say_json(knowledge_as_json(kb))
    else:
        text = describe(kb, arguments.item_id)
        if text is None:
            _say(
                "proofing: "
                + _(
                    "nothing in the rule base has the id '{id}'. Ids look like "
                    "CC15 (outcome), 15.1 (action), 15.1.2 (measure), MW23 (Migrant Worker task), P1, V3, I4, "
                    "2011-3, race, migrant_workers, foster_good_relations.",
                    id=arguments.item_id,
                ),
                sys.stderr,
            )
            return 1
        _say(text)
    return 0


def _check_translation(kb: KnowledgeBase, language: Language, folder: Path) -> int:
    """`rules check --lang`: 1 when a catalogue does not parse or a translation's placeholders differ from the
    English (either way: an extra one is never filled, a missing one loses a value); missing translations are
    counted, not a fault, since English stands in for them."""
    catalogue.cache_clear()  # the catalogues as they are on disk now
    faults = [Problem(path, line, message) for path, line, message in catalogue_faults(language, folder)]
    for fault in sorted(faults):
        _say(str(fault), sys.stderr)
    coverage = rules_coverage(kb, language, folder) if not faults else None
    if coverage is not None:
        _say(
            _(
                "The rule base in {language}: {coverage}.",
                language=language_name(language),
                coverage=coverage.words(_translation),
            )
        )
        if coverage.missing:
            _say(
                n_(
                    "{n} text shows in English until it is translated: proofing translate export --lang {language}",
                    "{n} texts show in English until they are translated: proofing translate export --lang {language}",
                    len(coverage.missing),
                    language=language,
                )
            )
    if faults:
        _say(
            n_(
                "The {language} catalogues have {n} fault.",
                "The {language} catalogues have {n} faults.",
                len(faults),
                language=language_name(language),
            ),
            sys.stderr,
        )
        return 1
    return 0


def _translate(arguments: argparse.Namespace) -> int:
    """`translate export|import|ui`: the round trip with a council's translation unit, and the UI's coverage."""
    language: Language = arguments.lang
    folder: Path = arguments.locale
    catalogue.cache_clear()
    if arguments.translate_command == "ui":
        return _translate_ui(language, folder)
    kb = load_knowledge(arguments.rules, check_coverage=False)
    if arguments.translate_command == "export":
        out: Path = arguments.out or Path(f"proofing-rules-{language}-{kb.version}.po")
        _output_file(out)
        exported = export_rules(kb, language, include_all=arguments.all, folder=folder)
        _write_file(out, lambda path: write_catalogue(exported, path))
        messages = [message for message in exported if message.id]
        untranslated = sum(1 for message in messages if not message.string)
        drafts = sum(1 for message in messages if message.string and message.fuzzy)
        _say(
            n_(
                "Wrote {n} text to {path}: {untranslated} untranslated, {drafts} drafts or changed since translated.",
                "Wrote {n} texts to {path}: {untranslated} untranslated, {drafts} drafts or changed since translated.",
                len(messages),
                path=out,
                untranslated=untranslated,
                drafts=drafts,
            )
        )
        _say(
            _(
                "Translate them in any .po tool; clear the fuzzy flag of each one the translator confirms; then "
                "run: proofing translate import {path} --lang {language}",
                path=out,
                language=language,
            )
        )
        return 0
    try:
        imported = import_rules(kb, language, arguments.file, folder)
    except CatalogueError as error:
        raise CommandError(str(error)) from None
    _say(
        _(
            "Read {path}: {added} added, {updated} updated ({drafts} of them drafts), {refused} refused.",
            path=arguments.file,
            added=imported.added,
            updated=imported.updated,
            drafts=imported.drafts,
            refused=len(imported.refused),
        )
    )
    for refusal in imported.refused:
        _say("  " + _("refused: {why}", why=refusal))
    _say(rules_coverage(kb, language, folder).words(_translation) + ".")
    return 0


def _translate_ui(language: Language, folder: Path) -> int:
    """The UI catalogue's coverage of the texts the code marks with ``_`` and ``n_``, and which are missing."""
    messages = ui_messages([path for path in UI_SOURCES if path.exists()])
    coverage = ui_coverage(messages, language, folder)
    _say(_("The words of the app, the record and the command line: {coverage}.", coverage=coverage.words(_translation)))
    missing = set(coverage.missing)
    shown: set[str] = set()
    for message in messages:
        if message.english in missing and message.english not in shown:
            shown.add(message.english)
            _say(f"{display_path(message.path)}:{message.line}: {message.english}")
    for fault in coverage.placeholder_faults:
        _say(_("placeholder fault: {fault}", fault=fault), sys.stderr)
    return 1 if coverage.placeholder_faults else 0


def _say(text: str, stream: TextIO | None = None, end: str = "\n") -> None:
    """Print to standard output (or `stream`), never failing on a character its encoding cannot hold.

    A terminal set to a narrow encoding (LANG=C on an old system, a Windows console) would otherwise
    turn a Welsh letter or an emoji in a plan into a UnicodeEncodeError; such a character is shown as
    its escape (\\u0175) instead. Every control character in it (a title's escape sequence or bell) is written
    as its escape too (proofing.safe_text.terminal), so no plan can drive the terminal.
    """
    out = stream if stream is not None else sys.stdout
    text = safe_text.terminal(text)
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
    global _translation
    arguments = _parser().parse_args(argv)
    # `assess --lang` is the language of what it writes; `rules check --lang` and `translate --lang` name the
    # catalogue worked on, and speak the run's own language (PROOFING_LANGUAGE, else English).
    chosen = (arguments.lang if arguments.command == "assess" else None) or _default_language()
    _translation = translator("cy" if chosen == "bilingual" else chosen)  # Welsh first, as the Standards ask
    commands = {
        "assess": _assess,
        "verify": _verify,
        "import": _import,
        "rules": _rules,
        "calibrate": _calibrate,
        "keys": _keys,
        "translate": _translate,
        "audit": lambda arguments: audit_cli.run(arguments, _, n_, _say),
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
        _say(n_("The rule base has {n} fault.", "The rule base has {n} faults.", count), sys.stderr)
        return 1
    except ProofingError as error:
        _say(f"proofing: {error}", sys.stderr)
        return 1
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
