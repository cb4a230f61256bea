"""Welsh drafts shown as drafts (issue 25): how many of the translated texts a page or a record shows are drafts
that no Welsh speaker has confirmed yet, and the import that confirms them.

Every translated text is a draft (``#, fuzzy`` in its catalogue) until the council's translation unit confirms it.
A page or a record counts what it showed: the app's and the record's own words through the translator (which
records each text it served, and which of them it served from a draft), and the rule base's texts through
``rule_drafts``. The app shows a discreet note on a page that holds any draft, and the record says in its front
matter how much of its Welsh is draft (proofing.report.drafts). A reviewed catalogue brought back by
``proofing translate import`` (entries without ``#, fuzzy``) marks its texts confirmed: the rule base's texts go to
the rule base's catalogue (``import_rules``), the app's own words to ``ui.po``, read after every other catalogue.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from pydantic import BaseModel, ConfigDict

from proofing.knowledge import KnowledgeBase
from proofing.language import (
    LOCALE_DIR,
    SOURCE,
    Imported,
    Language,
    Translator,
    catalogue,
    import_rules,
    placeholder_fault,
    read_catalogue,
    rule_texts,
    write_catalogue,
)


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


def import_reviewed(
    kb: KnowledgeBase, ui_texts: Iterable[str], language: Language, source: Path, folder: Path = LOCALE_DIR
) -> Imported:
    """Read a reviewed ``.po`` file back: the rule base's texts into its catalogue (``import_rules``, which refuses
    what the rule base no longer has), the app's own words into ``ui.po``. An entry without ``#, fuzzy`` is
    confirmed, one with it stays a draft; an entry that is neither, or whose placeholders differ, is refused."""
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
        english = message.id[0] if isinstance(message.id, tuple) else message.id
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
        existing = target.get(message.id)
        if existing is None:
            added += 1
        elif existing.string != message.string or existing.fuzzy != message.fuzzy:
            updated += 1
        else:
            continue
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
