"""`proofing assess`, `proofing verify` and `proofing import`: a plan to its findings and records, a record checked,
a record's plan recovered; with the checks that refuse, before any work, an output path that cannot be written."""

from __future__ import annotations

import argparse
import getpass
import inspect
import sys
from collections.abc import Callable
from pathlib import Path

from proofing.assessment import Assessment, assess, assessment_as_json
from proofing.cli_text import (
    Loader,
    _,
    _decisions,
    _default_language,
    _level_words,
    _say,
    _say_json,
    _text_in,
    before_and_after_json,
    n_,
)
from proofing.errors import CommandError
from proofing.knowledge import KnowledgeBase
from proofing.language import (
    SOURCE,
    localised,
)
from proofing.plan import PlanError, read_plan
from proofing.report import (
    check_template,
    save_html_record,
    save_report,
)
from proofing.report.status import record_file_name
from proofing.signing import (
    Signer,
    configured_public_key,
    configured_signer,
    load_public_key,
)
from proofing.verify import plan_as_yaml, plan_from_record, verify_record

# The screening levels from least to most serious (proofing.assessment.Level holds the same three).
LEVELS = ("screened_out", "mitigate", "full_assessment")
FAIL_ON_LEVELS = LEVELS[1:]
EXIT_AT_LEVEL = 4


def _assess_folder(arguments: argparse.Namespace, load: Loader) -> int:
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
    kb = load(arguments.rules, check_coverage=False)
    check_template()
    failed = 0
    at_level = []
    named: set[str] = set()
    for number, path in enumerate(plans, start=1):
        _progress(number, len(plans), path.name)
        try:
            assessment = assess(kb, read_plan(path), str(path))

            def write(out: Path, a: Assessment = assessment) -> None:
                _save_report(kb, a, out, _signer(arguments), arguments.lang)

            # Named by the plan's title and its status, as the app names records (a plan file has no version);
            # two plans of one title are told apart by their files' names.
            name = record_file_name(assessment.plan.title, None, "draft", arguments.lang or SOURCE, ".docx")
            if name in named:
                title = f"{assessment.plan.title} {path.stem}"
                name = record_file_name(title, None, "draft", arguments.lang or SOURCE, ".docx")
            named.add(name)
            _write_file(arguments.docx / name, write)
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


def verify_command(arguments: argparse.Namespace, load: Loader) -> int:
    """0 intact (and signed by the key, when one is given); 1 (RecordError) not a record, altered or another key's;
    3 intact but today's rule base finds otherwise; 4 intact but the document's visible text was edited."""
    kb = load(arguments.rules, check_coverage=False)
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


def _signer(arguments: argparse.Namespace) -> Signer | None:
    """The signer of records written now: the key PROOFING_SIGNING_KEY names, or None (unsigned)."""
    return configured_signer(arguments.signer or getpass.getuser())


def import_command(arguments: argparse.Namespace) -> int:
    """Recover the plan from a Word record and write it as a plan file, to revise and assess again."""
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
        save_report(kb, assessment, out, signer=signer, language=language)


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


def assess_command(arguments: argparse.Namespace, load: Loader) -> int:
    """Assess a plan file (or a folder of them): print the findings, or write the records asked for."""
    if _is_folder(arguments.plan):
        return _assess_folder(arguments, load)
    language = arguments.lang or _default_language()
    if arguments.json and language == "bilingual":
        raise CommandError(_("--json speaks one language: give --lang cy or --lang en (its ids are the same in both)"))
    if arguments.docx:
        _output_file(arguments.docx)
        _record_language(arguments.lang)
    if arguments.html:
        _output_file(arguments.html)
    plan = read_plan(arguments.plan)  # before the rule base is loaded: a bad plan is refused at once
    kb = load(arguments.rules, check_coverage=False)
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
