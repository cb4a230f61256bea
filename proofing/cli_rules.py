"""`proofing rules check|dump|show` and `proofing calibrate`: the rule base checked, printed and measured."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from proofing.calibration import calibrate, report_as_text
from proofing.cli_text import (
    Loader,
    _,
    _say,
    _say_json,
    current,
    n_,
)
from proofing.corpus import run_corpus_command
from proofing.engine import evaluate
from proofing.errors import CommandError, Problem, RuleBaseError
from proofing.knowledge import KnowledgeBase
from proofing.language import (
    Language,
    catalogue,
    catalogue_faults,
    language_name,
    rules_coverage,
)
from proofing.readout import describe, knowledge_as_json
from proofing.selfcheck import run_self_check


def calibrate_command(arguments: argparse.Namespace, load: Loader) -> int:
    """Exit 0 when every calibration case passes, 1 when any fails; the report says which and why."""
    if arguments.corpus is not None or arguments.answerers is not None:
        return run_corpus_command(load(arguments.rules, check_coverage=False), arguments, _say)
    if not arguments.cases.is_dir():
        raise CommandError(_("{path} is not a folder of calibration cases", path=arguments.cases))
    report = calibrate(load(arguments.rules, check_coverage=False), arguments.cases)
    _say(report_as_text(report).rstrip("\n"))
    return 0 if report.passed == len(report.results) else 1


def rules_command(arguments: argparse.Namespace, load: Loader) -> int:
    """`rules check` (exit 1 on any fault, each listed), `rules dump` (JSON) or `rules show ID` (exit 1 if unknown)."""
    # Only `check` insists that every characteristic and community is reachable by a rule; a council
    # part-way through writing its rules can still read, dump and use them.
    kb = load(arguments.rules, check_coverage=arguments.rules_command == "check")
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
                coverage=coverage.words(current()),
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
