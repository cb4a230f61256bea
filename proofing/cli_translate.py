"""`proofing translate export|import|ui` and `proofing keys init`: the round trip with a council's translation unit,
the UI's coverage, and the council's signing keys."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from proofing.cli_assess import _output_file, _write_file
from proofing.cli_text import (
    Loader,
    _,
    _say,
    current,
    n_,
)
from proofing.drafts import UI_NOTE, export_all, import_reviewed, ui_texts
from proofing.errors import CommandError, display_path
from proofing.language import (
    PROJECT_DIR,
    SOURCE,
    CatalogueError,
    Language,
    catalogue,
    languages,
    rules_coverage,
    ui_coverage,
    ui_messages,
    write_catalogue,
)
from proofing.signing import (
    PRIVATE_KEY_ENV,
    generate_keys,
)
from proofing.spelling import check_catalogues

# The languages a translation unit translates into (English is the source).
TARGETS = tuple(language for language in languages() if language != SOURCE)  # every language with catalogues
# Where the command line looks for the words it must translate: the app, its pages, the library.
UI_SOURCES = (PROJECT_DIR / "app.py", PROJECT_DIR / "views", PROJECT_DIR / "proofing")


def translate_command(arguments: argparse.Namespace, load: Loader) -> int:
    """`translate export|import|ui`: the round trip with a council's translation unit, and the UI's coverage."""
    language: Language = arguments.lang
    folder: Path = arguments.locale
    catalogue.cache_clear()
    if arguments.translate_command == "ui":
        return _translate_ui(language, folder)
    if arguments.translate_command == "check":
        return _translate_check(language, folder)
    kb = load(arguments.rules, check_coverage=False)
    if arguments.translate_command == "export":
        out: Path = arguments.out or Path(f"proofing-rules-{language}-{kb.version}.po")
        _output_file(out)
        # issue 25: the app's own words too, so the translation unit reviews everything a Welsh reader sees
        own = ui_texts([path for path in UI_SOURCES if path.exists()], PROJECT_DIR)
        exported = export_all(kb, own, language, include_all=arguments.all, folder=folder)
        _write_file(out, lambda path: write_catalogue(exported, path))
        messages = [message for message in exported if message.id]
        untranslated = len([message for message in messages if not _translated(message.string)])
        drafts = len([message for message in messages if _translated(message.string) and message.fuzzy])
        app_words = len([message for message in messages if UI_NOTE in message.auto_comments])
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
                "{rules} of them are the rule base's texts, {app} the app's, the record's and the command line's own "
                "words.",
                rules=len(messages) - app_words,
                app=app_words,
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
        ours = [text.english for text in ui_texts([path for path in UI_SOURCES if path.exists()])]
        imported = import_reviewed(kb, ours, language, arguments.file, folder)  # issue 25: the app's words too
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
    _say(rules_coverage(kb, language, folder).words(current()) + ".")
    return 0


def _translated(string: str | tuple[str, ...] | list[str] | None) -> bool:
    """Whether a message has a translation: its text, or any of its plural forms for a counted text."""
    return bool(string) if isinstance(string, str) or string is None else any(string)


def _translate_ui(language: Language, folder: Path) -> int:
    """The UI catalogue's coverage of the texts the code marks with ``_`` and ``n_``, and which are missing."""
    messages = ui_messages([path for path in UI_SOURCES if path.exists()])
    coverage = ui_coverage(messages, language, folder)
    _say(_("The words of the app, the record and the command line: {coverage}.", coverage=coverage.words(current())))
    missing = set(coverage.missing)
    shown: set[str] = set()
    for message in messages:
        if message.english in missing and message.english not in shown:
            shown.add(message.english)
            _say(f"{display_path(message.path)}:{message.line}: {message.english}")
    for fault in coverage.placeholder_faults:
        _say(_("placeholder fault: {fault}", fault=fault), sys.stderr)
    return 1 if coverage.placeholder_faults else 0


def _translate_check(language: Language, folder: Path) -> int:
    """Every translated text against the language's spelling dictionary and the reviewed word list: each unknown word
    with its catalogue entry; 1 when there is any, so CI stops a misspelt draft."""
    report = check_catalogues(language, folder)
    for unknown in report.unknown:
        english = unknown.english if len(unknown.english) <= 70 else unknown.english[:69] + "…"
        _say(
            _(
                '{place}: {word}, in the text for "{english}"',
                place=f"{display_path(unknown.file)}:{unknown.line}",
                word=unknown.word,
                english=english,
            )
        )
    _say(
        _(
            "Checked {words} words in {texts} translated texts against the dictionary and the reviewed word list "
            "({path}): {unknown} unknown.",
            words=report.words,
            texts=report.texts,
            path=display_path(report.word_list),
            unknown=len(report.unknown),
        )
    )
    if not report.unknown:
        return 0
    _say(
        _(
            "Correct a misspelling in its catalogue; add a proper noun or a term to {path}, for the translation unit "
            "to review.",
            path=display_path(report.word_list),
        )
    )
    return 1


def keys_command(arguments: argparse.Namespace) -> int:
    """`keys init`: make the council's Ed25519 key pair and say how to sign with it."""
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
