"""Welsh drafts shown as drafts (issue 25): how many of the translated texts a page or a record shows are drafts
that no Welsh speaker has confirmed yet, and the import that confirms them.

Every translated text is a draft (``#, fuzzy`` in its catalogue) until the council's translation unit confirms it.
A page or a record counts what it showed: the app's and the record's own words through the translator (which
records each text it served, and which of them it served from a draft), and the rule base's texts through
``rule_drafts``. The app shows a discreet note on a page that holds any draft, and the record says in its front
matter how much of its Welsh is draft (proofing.report.drafts). A reviewed catalogue brought back by
``proofing translate import`` (entries without ``#, fuzzy``) marks its texts confirmed: the rule base's texts go to
the rule base's catalogue (``import_rules``), the app's own words to ``ui.po``, read after every other catalogue.
``proofing translate export`` hands the translation unit both: the rule base's texts (``export_rules``) and the
app's, the record's and the command line's own words (``export_ui``), so one file carries everything to review.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_file
from pydantic import BaseModel, ConfigDict

from proofing.knowledge import KnowledgeBase
from proofing.language import (
    KEYWORDS,
    LOCALE_DIR,
    SOURCE,
    Imported,
    Language,
    Translator,
    catalogue,
    export_rules,
    import_rules,
    placeholder_fault,
    read_catalogue,
    rule_texts,
    write_catalogue,
)

# The marks of the app's own words: _() and n_() where shown, N_() where a text is kept to be shown later.
UI_KEYWORDS: dict[str, tuple[int, ...] | None] = {**KEYWORDS, "N_": None}
UI_NOTE = "The app's, the record's or the command line's own words"


class DraftCount(BaseModel):
    """How many of the translated texts one page or one record shows are drafts, and how many it shows in all."""

    model_config = ConfigDict(frozen=True)

    drafts: int
    texts: int

    @property
    def confirmed(self) -> int:
        """The translated texts shown that the translation unit has confirmed."""
        return self.texts - self.drafts


def start_count(words: Translator) -> None:
    """Forget what `words` has served so far: a new page render (or record) counts its own texts."""
    words.drafts_used.clear()
    words.served.clear()


def rule_drafts(kb: KnowledgeBase, language: Language, folder: Path = LOCALE_DIR) -> dict[str, bool]:
    """Each of the rule base's texts translated into `language`, as shown (whitespace folded), and whether it is a
    draft. English has none."""
    if language == SOURCE:
        return {}
    found = catalogue(language, folder)
    shown: dict[str, bool] = {}
    for text in rule_texts(kb):
        entry = found.lookup(text.english, text.context)
        if entry is not None and isinstance(entry.text, str) and entry.text.strip():
            folded = " ".join(entry.text.split())
            shown[folded] = shown.get(folded, False) or entry.fuzzy
    return shown


def count(words: Translator, rule_texts_shown: Iterable[str] = (), drafts: dict[str, bool] | None = None) -> DraftCount:
    """The drafts among the texts shown: the ones `words` served, and the rule-base texts shown (each looked up in
    `drafts`, from ``rule_drafts``). English shows no translated text."""
    if words.language == SOURCE:
        return DraftCount(drafts=0, texts=0)
    known = drafts or {}
    rules = {" ".join(text.split()) for text in rule_texts_shown} & known.keys()
    return DraftCount(
        drafts=len(words.drafts_used) + sum(1 for text in rules if known[text]),
        texts=len(words.served) + len(rules),
    )


def rule_texts_in(shown: str, drafts: dict[str, bool]) -> set[str]:
    """The rule-base texts (keys of `drafts`) that a record's text `shown` holds: a long text anywhere in it, a
    short one (a group's name) only as a whole line, so a word inside a sentence is not taken for it."""
    folded = " ".join(shown.split())
    lines = {" ".join(line.split()) for line in shown.splitlines()}
    return {text for text in drafts if (text in folded if len(text) >= 25 else text in lines)}


def page_note(words: Translator, counted: DraftCount) -> str | None:
    """The discreet note a page in a translated language shows when it holds any draft (None when it holds none)."""
    if counted.drafts == 0 or words.language == SOURCE:
        return None
    return words.n_(
        "{n} of the Welsh texts on this page is a draft not yet confirmed by a Welsh speaker.",
        "{n} of the Welsh texts on this page are drafts not yet confirmed by a Welsh speaker.",
        counted.drafts,
    )


class UiText(BaseModel):
    """One of the app's own texts to translate: its English (and English plural, for a counted text), and where the
    code says it (for the translator's context)."""

    model_config = ConfigDict(frozen=True)

    english: str
    plural: str | None = None
    places: tuple[tuple[str, int], ...] = ()


def ui_texts(paths: Iterable[Path], root: Path | None = None) -> list[UiText]:
    """Every text the code in `paths` (files or folders of them) marks with ``_``, ``n_`` or ``N_``, once each, with
    the places it is marked (relative to `root` when given)."""
    found: dict[str, UiText] = {}
    for path in paths:
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            name = str(file.relative_to(root)) if root is not None and file.is_relative_to(root) else str(file)
            with contextlib.redirect_stderr(io.StringIO()):  # babel's note on each f-string it skips: not ours
                extracted = list(
                    extract_from_file(
                        "python", str(file), keywords=UI_KEYWORDS, comment_tags=(), options={}, strip_comment_tags=False
                    )
                )
            for line, message, _comments, _context in extracted:
                english, plural = (message[0], message[1]) if isinstance(message, tuple) else (message, None)
                if not english:
                    continue
                known = found.get(english)
                places = (*(known.places if known else ()), (name, line))
                found[english] = UiText(
                    english=english, plural=plural or (known.plural if known else None), places=places
                )
    return list(found.values())


def export_ui(
    texts: Iterable[UiText], language: Language, *, include_all: bool = False, folder: Path = LOCALE_DIR
) -> Catalog:
    """A catalogue of the app's own words still to translate or confirm in `language`: untranslated ones and drafts
    (every one with `include_all`), each a draft until the translation unit clears its fuzzy flag."""
    found = catalogue(language, folder)
    out = Catalog(locale=language, project="proofing")
    for text in texts:
        entry = found.lookup(text.english)
        if entry is not None and not entry.fuzzy and not include_all:
            continue
        message_id: str | tuple[str, str] = (text.english, text.plural) if text.plural else text.english
        if entry is None:
            empty: str | tuple[str, ...] = ("",) * out.num_plurals if text.plural else ""
            out.add(message_id, string=empty, locations=text.places, auto_comments=[UI_NOTE])
        else:
            flags = ("fuzzy",) if entry.fuzzy else ()
            out.add(message_id, string=entry.text, locations=text.places, flags=flags, auto_comments=[UI_NOTE])
    return out


def export_all(
    kb: KnowledgeBase,
    texts: Iterable[UiText],
    language: Language,
    *,
    include_all: bool = False,
    folder: Path = LOCALE_DIR,
) -> Catalog:
    """One catalogue for the translation unit: the rule base's texts to translate or confirm (each with its
    context), then the app's own words (``export_ui``)."""
    out = export_rules(kb, language, include_all=include_all, folder=folder)
    for message in export_ui(texts, language, include_all=include_all, folder=folder):
        if message.id:
            out[message.id] = message
    return out


def import_reviewed(
    kb: KnowledgeBase, ui_texts: Iterable[str], language: Language, source: Path, folder: Path = LOCALE_DIR
) -> Imported:
    """Read a reviewed ``.po`` file back: the rule base's texts into its catalogue (``import_rules``, which refuses
    what the rule base no longer has), the app's own words into ``ui.po``. An entry without ``#, fuzzy`` is
    confirmed, one with it stays a draft; an entry that is neither, or whose placeholders differ, is refused; an
    entry the catalogues already hold as it is (an exported draft sent back untouched) changes nothing."""
    incoming = read_catalogue(source, language, strict=True)
    ui = set(ui_texts)
    rules_known = {(text.context, text.english) for text in rule_texts(kb)}
    rule_part = Catalog(locale=language)
    target_path = folder / language / "LC_MESSAGES" / "ui.po"
    target = read_catalogue(target_path, language) if target_path.exists() else Catalog(locale=language)
    added = updated = drafts = 0
    refused: list[str] = []
    for message in incoming:
        if not message.id:
            continue
        english = message.id if isinstance(message.id, str) else message.id[0]
        string = message.string if isinstance(message.string, str) else tuple(message.string or ())
        served = catalogue(language, folder).lookup(english, message.context)
        if served is not None and served.text == string and served.fuzzy == message.fuzzy:
            continue  # as the catalogues already say it (an exported text sent back unchanged)
        if (message.context, english) in rules_known or english not in ui or message.context:
            rule_part[message.id] = message  # import_rules takes it, or refuses it in words
            continue
        if not message.string or (isinstance(message.string, tuple) and not all(message.string)):
            continue
        fault = placeholder_fault(
            message.id if isinstance(message.id, str) else tuple(message.id),
            message.string if isinstance(message.string, str) else tuple(message.string),
        )
        if fault is not None:
            refused.append(f"{english[:60]!r}: the translation {fault}")
            continue
        if target.get(message.id) is None and served is None:
            added += 1
        else:
            updated += 1
        drafts += message.fuzzy
        target.delete(message.id)
        target[message.id] = Message(message.id, message.string, flags=("fuzzy",) if message.fuzzy else ())
    ruled = Imported(0, 0, 0, [])
    if len(rule_part):
        with tempfile.TemporaryDirectory() as scratch:
            part = Path(scratch) / "rules.po"
            write_catalogue(rule_part, part)
            ruled = import_rules(kb, language, part, folder)
    if added or updated:
        target_path.parent.mkdir(parents=True, exist_ok=True)
        write_catalogue(target, target_path)
    catalogue.cache_clear()
    return Imported(ruled.added + added, ruled.updated + updated, ruled.drafts + drafts, [*ruled.refused, *refused])
