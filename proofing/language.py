"""Welsh and English: one translation mechanism for the app, the Word record, the command line and the rule base.

A Welsh council works under the Welsh Language Standards: what the public and staff see is offered in Welsh, and
Welsh is not treated less favourably than English. Every text is written in English in the code and the rule base
and translated through gettext catalogues (``.po`` files, which a council's translation unit opens in its own
tools) under ``proofing/locale/<language>/LC_MESSAGES/``:

* ``ui*.po``: the words of the app, the Word record and the command line, each message its English text (no
  context). Code marks them with ``_("...")`` (or ``n_(one, many, n)`` for a count: Welsh has six plural forms,
  taken from babel's ``cy`` rules, never a hand-written "s"); values go in as ``{name}`` placeholders, so a
  translation may put them in another order.
* ``rules*.po``: the rule base's texts, each with a context naming where it comes from (``question.<id>.text``,
  ``rule.<id>.rationale`` ...; ``rule_texts`` lists them). ``localised(kb, "cy")`` is the rule base with its Welsh
  texts in place, which the app and the record use as they use the English one; ids, conditions and scores are
  the same, so the findings are the same. A text with no Welsh form stays English, and is listed in
  ``fallbacks`` so a page can mark it.

A translation marked *fuzzy* is a draft (drafted by someone other than the council's translators, or left from an
English text that has since changed): it is used, so a Welsh reader is never given English they need not be, but
it is counted as a draft (``Coverage``), never as confirmed, until a translator clears the flag.

The canonical record embedded in a Word document stays English whatever language the document is written in, so
``proofing verify`` re-checks a Welsh record exactly as an English one.
"""

from __future__ import annotations

import functools
import gettext
import io
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_file
from babel.messages.pofile import PoFileError, read_po, write_po
from babel.numbers import format_decimal
from pydantic import BaseModel, ConfigDict, ValidationError

from proofing.errors import CommandError
from proofing.mutations import FILLERS
from proofing.strategy_texts import STRATEGY_PARTS, effect_walk, strategy_walk

if TYPE_CHECKING:
    from proofing.knowledge import KnowledgeBase
    from proofing.strategy import Characteristic, Community

Language = str  # a language code with a folder of catalogues under the locale folder ("cy"), or the source "en"
RecordLanguage = str  # a Language, or "bilingual" (Welsh, then English) when Welsh is one
SOURCE: Language = "en"
BILINGUAL: RecordLanguage = "bilingual"
LOCALE_DIR = Path(os.environ.get("PROOFING_LOCALE_DIR") or Path(__file__).resolve().parent / "locale")
LANGUAGE_FILE = "language.yaml"  # beside a language's LC_MESSAGES: its own name, its English name, its tags


class LanguageFacts(BaseModel):
    """What a language's ``language.yaml`` says of it (every field may be left out: babel's data fills it in)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    name: str  # the language's own name, as its speakers write it ("Cymraeg")
    english: str  # its name in English ("Welsh"), the words a record uses for it
    tag: str  # the BCP 47 tag Word and screen readers read ("cy-GB")
    babel: str  # the babel locale that writes its dates and numbers ("cy")


def _babel_knows(code: str) -> Locale | None:
    """The babel locale `code` names, or None when babel does not know it."""
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return None


@functools.cache
def language_facts(code: str, folder: Path = LOCALE_DIR) -> LanguageFacts:
    """What is known of language `code`: its ``language.yaml`` beside its catalogues, else babel's data, else the
    code itself (so a language added with nothing but a ``.po`` file still has a name to show)."""
    path = next(
        (each / code / LANGUAGE_FILE for each in (folder, LOCALE_DIR) if (each / code / LANGUAGE_FILE).is_file()),
        folder / code / LANGUAGE_FILE,
    )
    given: dict[str, Any] = {}
    if path.is_file():
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
            raise CatalogueError(f"{path} cannot be read as YAML ({error})") from None
        if not isinstance(loaded, dict):
            raise CatalogueError(f"{path} should map name, english, tag and babel to text")
        given = {str(key): str(value) for key, value in loaded.items()}
        unknown = sorted(set(given) - {"name", "english", "tag", "babel"})
        if unknown:
            raise CatalogueError(f"{path} names what a language file does not hold: {', '.join(unknown)}")
    known = _babel_knows(given.get("babel", code))
    try:
        return LanguageFacts(
            code=code,
            name=given.get("name") or (known.get_display_name(known) if known else None) or code,
            english=given.get("english") or (known.get_display_name("en") if known else None) or code,
            tag=given.get("tag") or code,
            babel=given.get("babel") or (str(known) if known else "en_GB"),
        )
    except ValidationError as error:
        raise CatalogueError(f"{path} does not describe a language ({error.error_count()} faults)") from None


@functools.cache
def languages(folder: Path = LOCALE_DIR) -> tuple[Language, ...]:
    """Every language the app speaks: English (the source) and each folder under `folder` that holds a catalogue
    (``<code>/LC_MESSAGES/*.po``), in the order of their codes, so Welsh comes before English as the Welsh Language
    Standards ask. This is the one list: a new language is a folder of catalogues, with no change to the code."""
    found = {SOURCE}
    if folder.is_dir():
        found |= {each.name for each in folder.iterdir() if any((each / "LC_MESSAGES").glob("*.po"))}
    return tuple(sorted(found))


def record_languages(folder: Path = LOCALE_DIR) -> tuple[RecordLanguage, ...]:
    """The languages a record can be written in: each language, and a bilingual record (Welsh, then English) when
    the app speaks Welsh."""
    spoken = languages(folder)
    return (*spoken, BILINGUAL) if "cy" in spoken else spoken


def language_name(code: str, folder: Path = LOCALE_DIR) -> str:
    """A language's own name ("Cymraeg", "English"), the words a language switch shows for it."""
    return language_facts(code, folder).name


# The lists as they stand on disk when the process starts, for code that reads them as constants.
LANGUAGES: tuple[Language, ...] = languages()
LANGUAGE_NAMES: dict[Language, str] = {code: language_name(code) for code in LANGUAGES}
TAGS: dict[Language, str] = {code: language_facts(code).tag for code in LANGUAGES}
BABEL_LOCALES: dict[Language, str] = {code: language_facts(code).babel for code in LANGUAGES}
RECORD_LANGUAGES: tuple[RecordLanguage, ...] = record_languages()
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
COUNT = "{n}"  # the count of a plural text: a Welsh form may leave it out ("Un canfyddiad", "Dim canfyddiadau")
PROJECT_DIR = Path(__file__).resolve().parent.parent
# The keywords that mark a text for translation in the code, as babel's extractor reads them.
KEYWORDS: dict[str, tuple[int, ...] | None] = {"_": None, "n_": (1, 2)}


class CatalogueError(CommandError):
    """A file given as a translation catalogue that is not a readable ``.po`` file (the command line exits 2)."""


def is_language(value: object, folder: Path = LOCALE_DIR) -> bool:
    """Whether `value` names a language the app speaks (English, or one with catalogues on disk)."""
    return value in languages(folder)


# --- catalogues ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One translation: its text (a tuple of forms for a plural) and whether it is still a draft (fuzzy)."""

    text: str | tuple[str, ...]
    fuzzy: bool
    plural: str | None = None  # the English plural (msgid_plural) of a counted text


@dataclass
class Catalogue:
    """Every ``.po`` file of one language merged: English text (and context) to its translation."""

    language: Language
    entries: dict[tuple[str | None, str], Entry] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)

    def lookup(self, text: str, context: str | None = None) -> Entry | None:
        """The translation of `text` (in `context`), or None when there is none yet."""
        return self.entries.get((context, text))


def read_catalogue(path: Path, language: Language, *, strict: bool = False) -> Catalog:
    """A ``.po`` file as babel reads it (an empty catalogue for `language` when the file does not exist).

    With `strict`, a file that is not a ``.po`` file (a line babel cannot read, text that is not UTF-8, a folder,
    a file with no messages and no header) raises CatalogueError, its line named when there is one.
    """
    if not path.exists():
        if strict:
            raise CatalogueError(f"{path} does not exist")
        return Catalog(locale=language)
    try:
        data = path.read_bytes()
        if strict and b"msgid" not in data:
            raise CatalogueError(f"{path} is not a .po file: it holds no msgid/msgstr entries")
        found = read_po(io.BytesIO(data), locale=language, abort_invalid=strict)
    except PoFileError as error:
        line = getattr(error, "lineno", 0) or 0
        raise CatalogueError(f"{path}:{line + 1}: is not a .po file that can be read ({error})") from None
    except UnicodeDecodeError:
        raise CatalogueError(f"{path} is not a .po file: it is not UTF-8 text (a .mo or Word file?)") from None
    except IsADirectoryError:
        raise CatalogueError(f"{path} is a folder, not a .po file") from None
    except OSError as error:
        raise CatalogueError(f"cannot read {path} ({error.strerror or error})") from None
    except ValueError as error:  # babel refuses a header it cannot read (an unknown charset, a bad Plural-Forms)
        raise CatalogueError(f"{path} is not a .po file that can be read ({error})") from None
    return found


@functools.cache
def catalogue(language: Language, folder: Path = LOCALE_DIR) -> Catalogue:
    """The merged catalogues of `language`, read once per process (English has none: it is the source)."""
    merged = Catalogue(language)
    if language == SOURCE:
        return merged
    for path in sorted((folder / language / "LC_MESSAGES").glob("*.po")):
        merged.files.append(path)
        for message in read_catalogue(path, language):
            if not message.id or not message.string:
                continue
            ids = _forms(message.id)
            english = ids[0] if isinstance(ids, tuple) else ids
            plural = ids[1] if isinstance(ids, tuple) else None
            text = _forms(message.string)
            if isinstance(text, tuple):
                if not all(text):
                    continue
            merged.entries[(message.context, english)] = Entry(text=text, fuzzy=message.fuzzy, plural=plural)
    return merged


def _forms(value: str | tuple[str, ...] | list[str]) -> str | tuple[str, ...]:
    """A babel message's id or string as this module keeps it: one text, or a plural's forms as a tuple.

    Examples:
        >>> _forms("a"), _forms(["one", "many"])
        ('a', ('one', 'many'))
    """
    return tuple(value) if isinstance(value, list) else value


def plural_index(language: Language, count: int) -> int:
    """Which plural form of `language` a count takes (babel's rules: six forms in Welsh, two in English).

    Examples:
        >>> [plural_index("cy", n) for n in (0, 1, 2, 3, 4, 6, 7)], [plural_index("en", n) for n in (0, 1, 2)]
        ([0, 1, 2, 3, 5, 4, 5], [1, 0, 1])
    """
    return int(_plural_function(language)(count))


@functools.cache
def _plural_function(language: Language) -> Any:
    """gettext's own reading of the Plural-Forms expression babel gives for `language` (CLDR's rules)."""
    return gettext.c2py(Catalog(locale=language).plural_expr)


def placeholders(text: str) -> set[str]:
    """The ``{name}`` placeholders in a text.

    Examples:
        >>> sorted(placeholders("{count} findings on {group}"))
        ['{count}', '{group}']
    """
    return set(PLACEHOLDER.findall(text))


def placeholder_fault(english: str | tuple[str, ...], translation: str | tuple[str, ...]) -> str | None:
    """What is wrong with a translation's placeholders, in words, or None when they agree with the English.

    Both ways are faults: a placeholder the English does not have is never filled (the reader sees "{name}"), and
    one the English has but the translation leaves out loses what it says (a count, a group, a date). Of a plural
    text, each form must name the English placeholders except the count ``{n}``, which a form may spell out.

    Examples:
        >>> placeholder_fault("{n} findings for {group}", "{n} canfyddiad ar gyfer {grwp}")
        "names ['{grwp}'], which the English does not; leaves out ['{group}']"
        >>> placeholder_fault(("{n} finding", "{n} findings"), ("Dim", "Un", "{n}", "{n}", "{n}", "{n}")) is None
        True
    """
    english_forms = english if isinstance(english, tuple) else (english,)
    forms = translation if isinstance(translation, tuple) else (translation,)
    wanted = set().union(*(placeholders(form) for form in english_forms))
    required = wanted - {COUNT} if isinstance(english, tuple) else wanted
    extra: set[str] = set()
    lost: set[str] = set()
    for form in forms:
        named = placeholders(form)
        extra |= named - wanted
        lost |= required - named
    words = []
    if extra:
        words.append(f"names {sorted(extra)}, which the English does not")
    if lost:
        words.append(f"leaves out {sorted(lost)}")
    return "; ".join(words) or None


def _format(text: str, values: dict[str, Any], language: Language = SOURCE) -> str:
    """`text` with its placeholders filled; a translation that names a value the code does not give keeps it. A
    language with joining rules (Welsh: the article and the mutations, proofing.mutations) fills through them."""
    if not values:
        return text
    if language in FILLERS:
        return FILLERS[language](text, values)
    return PLACEHOLDER.sub(lambda found: str(values.get(found.group(0)[1:-1], found.group(0))), text)


# --- the words of the app, the record and the command line ----------------------------------------------------


@dataclass
class Translator:
    """Translates the words of the app, the record and the command line into one language, and formats dates and
    numbers for it. English is the source: its translator gives every text back as written."""

    language: Language
    drafts_used: set[str] = field(default_factory=set)  # English texts shown from a draft (fuzzy) translation
    served: set[str] = field(default_factory=set)  # English texts shown translated, draft or confirmed (issue 25)
    folder: Path = LOCALE_DIR  # where the catalogues are (a test's own folder; the project's by default)

    @property
    def tag(self) -> str:
        """The BCP 47 tag of the language (cy-GB, en-GB)."""
        return language_facts(self.language, self.folder).tag

    def _(self, text: str, /, **values: Any) -> str:
        """`text` in this language (English when it has no translation yet), its ``{placeholders}`` filled."""
        entry = catalogue(self.language, self.folder).lookup(text) if self.language != SOURCE else None
        if entry is None or not isinstance(entry.text, str):
            return _format(text, values)
        self.served.add(text)
        if entry.fuzzy:
            self.drafts_used.add(text)
        return _format(entry.text, values, self.language)

    def n_(self, one: str, many: str, count: int, /, **values: Any) -> str:
        """The form of a counted text that `count` takes in this language; ``{n}`` is the count."""
        values = {"n": self.number(count)} | values
        entry = catalogue(self.language, self.folder).lookup(one) if self.language != SOURCE else None
        if entry is not None and isinstance(entry.text, tuple):
            forms = entry.text
            self.served.add(one)
            if entry.fuzzy:
                self.drafts_used.add(one)
            return _format(forms[min(plural_index(self.language, count), len(forms) - 1)], values, self.language)
        return _format(one if count == 1 else many, values)

    def date(self, day: date | datetime | str) -> str:
        """A date as this language writes it in full: "1 December 2026", "1 Rhagfyr 2026"."""
        if isinstance(day, str):
            try:
                day = datetime.fromisoformat(day)
            except ValueError:
                return str(day)
        if isinstance(day, datetime):
            day = day.date()
        return format_date(day, format="long", locale=language_facts(self.language, self.folder).babel)

    def moment(self, when: datetime) -> str:
        """A date and time, as this language writes them."""
        return format_datetime(when, format="medium", locale=language_facts(self.language, self.folder).babel)

    def number(self, value: float) -> str:
        """A number as this language writes it."""
        return format_decimal(value, locale=language_facts(self.language, self.folder).babel)


def translator(language: Language, folder: Path = LOCALE_DIR) -> Translator:
    """A translator into `language` (a new one each time, so the drafts it used are its own)."""
    return Translator(language, folder=folder)


# --- the rule base ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleText:
    """One text of the rule base a user sees: where it comes from (the catalogue's context) and its English."""

    context: str
    english: str


def rule_texts(kb: KnowledgeBase) -> list[RuleText]:
    """Every user-facing text of the rule base, with its context: questions, help, options, sections, finding
    titles, rationales, mitigations, gap messages, facts, level and decision words, groups and PSED aims, the
    training cases, the names of the places, the council and the rule base; and the strategy's own texts a reader
    sees (proofing.strategy_texts: actions, outcomes, principles, indicators) and the mitigations' effect notes."""
    texts = dict.fromkeys(RuleText(context, english) for context, english, _path in _walk(kb))
    return list(texts)  # a place offered by a question is still one text


def _walk(kb: KnowledgeBase) -> Iterator[tuple[str, str, tuple[str | int, ...]]]:
    """(context, English, where in the dumped rule base) for every translatable text."""
    q = kb.questionnaire
    yield "questionnaire.title", q.title, ("questionnaire", "title")
    yield "questionnaire.intro", q.intro, ("questionnaire", "intro")
    for s, section in enumerate(q.sections):
        base = ("questionnaire", "sections", s)
        yield f"section.{section.id}.title", section.title, (*base, "title")
        if section.intro:
            yield f"section.{section.id}.intro", section.intro, (*base, "intro")
        for n, question in enumerate(section.questions):
            where: tuple[str | int, ...] = (*base, "questions", n)
            yield f"question.{question.id}.text", question.text, (*where, "text")
            if question.help:
                yield f"question.{question.id}.help", question.help, (*where, "help")
            if question.unanswered_gap:
                yield f"question.{question.id}.unanswered_gap", question.unanswered_gap, (*where, "unanswered_gap")
            for o, option in enumerate(question.options):
                # A place is named once (place.<id>.name), wherever a question offers it.
                context = f"place.{option.id}.name" if question.options_source == "places" else None
                yield context or f"option.{question.id}.{option.id}", option.label, (*where, "options", o, "label")
                if option.help:
                    yield f"option.{question.id}.{option.id}.help", option.help, (*where, "options", o, "help")
    for r, rule in enumerate(kb.rules):
        where = ("rules", r)
        yield f"rule.{rule.id}.title", rule.title, (*where, "title")
        if rule.finding is not None:
            yield f"rule.{rule.id}.rationale", rule.finding.rationale, (*where, "finding", "rationale")
            for m, mitigation in enumerate(rule.finding.mitigations):
                yield f"rule.{rule.id}.mitigation.{m}", mitigation.text, (*where, "finding", "mitigations", m, "text")
        if rule.gap is not None:
            yield f"rule.{rule.id}.gap", rule.gap.message, (*where, "gap", "message")
            for m, remedy in enumerate(rule.gap.remedies):
                yield f"rule.{rule.id}.remedy.{m}", remedy.text, (*where, "gap", "remedies", m, "text")
    for f, fact in enumerate(kb.facts):
        yield f"fact.{fact.id}", fact.text, ("facts", f, "text")
    for level, words in kb.scoring.level_words.items():
        yield f"level.{level}", words, ("scoring", "level_words", level)
    for level, words in kb.scoring.decision_words.items():
        yield f"decision.{level}", words, ("scoring", "decision_words", level)
    groups: tuple[tuple[str, Sequence[Characteristic | Community]], ...] = (
        ("characteristic", kb.characteristics),
        ("community", kb.communities),
    )
    for kind, members in groups:
        attribute = "characteristics" if kind == "characteristic" else "communities"
        for g, group in enumerate(members):
            yield f"{kind}.{group.id}.name", group.name, (attribute, g, "name")
            yield f"{kind}.{group.id}.description", group.description, (attribute, g, "description")
    for a, aim in enumerate(kb.psed_aims):
        yield f"psed_aim.{aim.id}.name", aim.name, ("psed_aims", a, "name")
        yield f"psed_aim.{aim.id}.text", aim.text, ("psed_aims", a, "text")
    for p, place in enumerate(kb.places):
        yield f"place.{place.id}.name", place.name, ("places", p, "name")
    yield "council.name", kb.council, ("council",)
    yield "rule_base.name", kb.name, ("name",)
    for c, case in enumerate(kb.training):
        where = ("training", c)
        for attribute in ("title", "theme", "scenario", "context"):
            yield f"training.{case.id}.{attribute}", getattr(case, attribute), (*where, attribute)
        for i, point in enumerate(case.learning_points):
            yield f"training.{case.id}.learning.{i}", point, (*where, "learning_points", i)
    yield from strategy_walk(kb)
    yield from effect_walk(kb)


@dataclass(frozen=True)
class Localised:
    """The rule base in one language, and which of its texts fell back to English (no translation yet)."""

    kb: KnowledgeBase
    language: Language
    fallbacks: frozenset[str]  # English texts shown as English for want of a translation
    drafts: frozenset[str]  # texts shown from a draft (fuzzy) translation

    def fell_back(self, text: str) -> bool:
        """Whether `text` is English shown for want of a Welsh form (a page marks it)."""
        return text in self.fallbacks


_LOCALISED: dict[tuple[str, Language, int, Path], Localised] = {}


def localised(kb: KnowledgeBase, language: Language, folder: Path = LOCALE_DIR) -> Localised:
    """`kb` with its texts in `language` (cached per rule base, language and catalogue folder). English is `kb`."""
    if language == SOURCE:
        return Localised(kb, language, frozenset(), frozenset())
    key = (kb.sha256, language, id(kb), folder)
    if key in _LOCALISED:
        return _LOCALISED[key]
    found = catalogue(language, folder)
    parts = {name: getattr(kb, name) for name in ("questionnaire", "rules", "facts", "scoring")}
    parts |= {name: getattr(kb, name) for name in ("characteristics", "communities", "psed_aims", "places")}
    parts |= {name: getattr(kb, name) for name in ("training", "council", "name", *STRATEGY_PARTS)}
    parts = {name: value for name, value in parts.items() if value is not None}  # a part this rule base lacks
    dumped: dict[str, Any] = {
        name: value
        if isinstance(value, str)
        else [item.model_dump(by_alias=True, exclude_unset=True) for item in value]
        if isinstance(value, list)
        else value.model_dump(by_alias=True, exclude_unset=True)
        for name, value in parts.items()
    }
    fallbacks, drafts = set(), set()
    for context, english, path in _walk(kb):
        entry = found.lookup(english, context)
        if entry is None or not isinstance(entry.text, str):
            fallbacks.add(english)
            continue
        if entry.fuzzy:
            drafts.add(entry.text)
        target: Any = dumped
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = entry.text
    rebuilt = {
        name: dumped[name]
        if isinstance(value, str)
        else [type(item).model_validate(data) for item, data in zip(value, dumped[name], strict=True)]
        if isinstance(value, list)
        else type(value).model_validate(dumped[name])
        for name, value in parts.items()
    }
    copy = type(kb).model_construct(**(dict(kb) | rebuilt | {"language": language}))
    result = Localised(copy, language, frozenset(fallbacks), frozenset(drafts))
    _LOCALISED[key] = result
    return result


# --- coverage, export and import --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    """How much of a set of texts a language covers: confirmed, draft (fuzzy), missing, and placeholder faults."""

    total: int
    confirmed: int
    drafts: int
    missing: list[str]
    placeholder_faults: list[str]

    @property
    def covered(self) -> int:
        """Texts with a translation, confirmed or draft."""
        return self.confirmed + self.drafts

    def words(self, translate: Translator | None = None) -> str:
        """The coverage in a sentence, for `rules check --lang` (in English, or in `translate`'s language)."""
        share = 100 * self.covered / self.total if self.total else 100.0
        return (translate or Translator(SOURCE))._(
            "{covered} of {total} texts have a translation ({share}%): {confirmed} confirmed, "
            "{drafts} drafts for the council's translators to confirm, {missing} missing",
            covered=self.covered,
            total=self.total,
            share=format(share, ".1f"),
            confirmed=self.confirmed,
            drafts=self.drafts,
            missing=len(self.missing),
        )


def coverage_of(pairs: Iterable[tuple[str | None, str]], language: Language, folder: Path = LOCALE_DIR) -> Coverage:
    """The coverage of (context, English) texts by `language`'s catalogues (a placeholder fault either way)."""
    found = catalogue(language, folder)
    confirmed = drafts = total = 0
    missing: list[str] = []
    faults: list[str] = []
    for context, english in pairs:
        total += 1
        entry = found.lookup(english, context)
        if entry is None:
            missing.append(f"{context}: {english}" if context else english)
            continue
        if entry.fuzzy:
            drafts += 1
        else:
            confirmed += 1
        source = (english, entry.plural) if entry.plural is not None else english
        fault = placeholder_fault(source, entry.text)
        if fault is not None:
            where = f"{context}: " if context else ""
            faults.append(f"{where}{english!r}: the translation {fault}")
    return Coverage(total, confirmed, drafts, missing, faults)


def rules_coverage(kb: KnowledgeBase, language: Language, folder: Path = LOCALE_DIR) -> Coverage:
    """How much of the rule base's user-facing text `language` covers."""
    return coverage_of(((text.context, text.english) for text in rule_texts(kb)), language, folder)


def rules_catalogue_path(language: Language, folder: Path = LOCALE_DIR) -> Path:
    """The ``.po`` file the rule base's translations are imported into."""
    return folder / language / "LC_MESSAGES" / "rules.po"


def export_rules(
    kb: KnowledgeBase, language: Language, *, include_all: bool = False, folder: Path = LOCALE_DIR
) -> Catalog:
    """A catalogue of the rule base's texts still to translate or confirm in `language`: untranslated ones, drafts,
    and ones whose English changed since they were translated (with the old translation as a fuzzy suggestion).
    With `include_all`, every text."""
    found = catalogue(language, folder)
    by_context: dict[str, Entry] = {}
    for (context, _english), known in found.entries.items():
        if context:
            by_context.setdefault(context, known)
    out = Catalog(locale=language, project="proofing rule base", version=kb.version)
    for text in rule_texts(kb):
        entry = found.lookup(text.english, text.context)
        if entry is not None and not entry.fuzzy and not include_all:
            continue
        if entry is not None:
            out.add(text.english, string=entry.text, context=text.context, flags=("fuzzy",) if entry.fuzzy else ())
            continue
        changed = by_context.get(text.context)
        if changed is not None and isinstance(changed.text, str):
            out.add(text.english, string=changed.text, context=text.context, flags=("fuzzy",))
        else:
            out.add(text.english, string="", context=text.context)
    return out


PO_WIDTH = 100  # lines of a written catalogue are wrapped at this width, as translation tools expect
_LONG_RUN = re.compile(rf"\S{{{PO_WIDTH},}}")  # a run of text with no space that no wrapping can break


def _wrappable(catalog: Catalog) -> bool:
    """Whether babel can wrap every text of `catalog` in linear time: no run of non-space text wider than a line.

    babel's wrapper splits lines with a regular expression that backtracks over every run of letters (or of
    punctuation) it meets: time quadratic in the longest such run (a 300 kB word took minutes). Runs no wider than
    a line keep it linear; a catalogue with a longer one is written unwrapped (still a valid .po file).
    """
    for message in catalog:
        texts = [message.context or ""]
        ids = _forms(message.id)
        texts += list(ids) if isinstance(ids, tuple) else [ids]
        strings = message.string
        texts += [str(item) for item in strings] if isinstance(strings, tuple | list) else [str(strings or "")]
        if any(_LONG_RUN.search(text) for text in texts):
            return False
    return True


def write_catalogue(catalog: Catalog, path: Path) -> None:
    """Write a catalogue as a ``.po`` file (UTF-8, wrapped as translation tools expect), in time linear in its size.

    A text with a run wider than a line (a long word, a pasted address) is not wrapped: see ``_wrappable``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    width = PO_WIDTH if _wrappable(catalog) else 0
    with path.open("wb") as handle:
        write_po(handle, catalog, width=width, sort_output=False)


@dataclass(frozen=True)
class Imported:
    """What an import changed: texts added or updated, drafts, and entries refused (with why)."""

    added: int
    updated: int
    drafts: int
    refused: list[str]


def import_rules(kb: KnowledgeBase, language: Language, source: Path, folder: Path = LOCALE_DIR) -> Imported:
    """Read a translated ``.po`` file back into the rule base's catalogue of `language`.

    An entry for a text the rule base no longer has, or whose placeholders differ from the English (either way), is
    refused; a fuzzy entry stays a draft. A file that is not a ``.po`` file raises CatalogueError, before anything
    is written.
    """
    known = {(text.context, text.english) for text in rule_texts(kb)}
    incoming = read_catalogue(source, language, strict=True)
    target_path = rules_catalogue_path(language, folder)
    target = read_catalogue(target_path, language)
    added = updated = drafts = 0
    refused: list[str] = []
    for message in incoming:
        if not message.id or not message.string or isinstance(message.id, tuple):
            continue
        key = (message.context, message.id)
        if key not in known:
            refused.append(f"{message.context}: no such text in the rule base now ({message.id[:60]!r})")
            continue
        fault = placeholder_fault(_forms(message.id), str(message.string))
        if fault is not None:
            refused.append(f"{message.context}: the translation {fault}")
            continue
        existing = target.get(message.id, context=message.context)
        if existing is None:
            added += 1
        elif existing.string != message.string or existing.fuzzy != message.fuzzy:
            updated += 1
        else:
            continue  # the same as before: nothing to count or rewrite
        drafts += message.fuzzy
        target.delete(message.id, context=message.context)
        target[message.id] = Message(
            message.id, message.string, context=message.context, flags=("fuzzy",) if message.fuzzy else ()
        )
    write_catalogue(target, target_path)
    catalogue.cache_clear()
    _LOCALISED.clear()
    return Imported(added, updated, drafts, refused)


def catalogue_faults(language: Language, folder: Path = LOCALE_DIR) -> list[tuple[Path, int, str]]:
    """Every fault of `language`'s ``.po`` files, as (file, line, words): a file that does not parse, and a
    translation whose placeholders differ from the English's (for `rules check --lang`). A missing translation
    is not a fault."""
    faults: list[tuple[Path, int, str]] = []
    for path in sorted((folder / language / "LC_MESSAGES").glob("*.po")):
        try:
            found = read_catalogue(path, language, strict=True)
        except CatalogueError as error:
            line = re.match(rf"{re.escape(str(path))}:(\d+):", str(error))
            faults.append((path, int(line.group(1)) if line else 1, str(error).split(": ", 1)[-1]))
            continue
        for message in found:
            if not message.id or not message.string:
                continue
            if isinstance(message.string, tuple) and not all(message.string):
                continue
            fault = placeholder_fault(_forms(message.id), _forms(message.string))
            if fault is not None:
                where = f"{message.context}: " if message.context else ""
                english = message.id[0] if isinstance(message.id, tuple) else message.id
                faults.append((path, message.lineno or 1, f"{where}the translation of {english[:60]!r} {fault}"))
    return faults


@dataclass(frozen=True)
class UiMessage:
    """A text the code marks for translation: where, its English, and its English plural (for ``n_``)."""

    path: Path
    line: int
    english: str
    plural: str | None = None


def ui_messages(paths: Iterable[Path]) -> list[UiMessage]:
    """Every text marked ``_("...")`` or ``n_(one, many, count)`` in these Python files (or folders of them), as
    babel's extractor (the one a translation unit's ``pybabel extract`` runs) reads them."""
    found: list[UiMessage] = []
    for path in paths:
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            for line, message, _comments, _context in extract_from_file(
                "python", str(file), keywords=KEYWORDS, comment_tags=(), options={}, strip_comment_tags=False
            ):
                if isinstance(message, tuple):
                    found.append(UiMessage(file, line, message[0], message[1] if len(message) > 1 else None))
                elif message:
                    found.append(UiMessage(file, line, message))
    return found


def ui_coverage(messages: Iterable[UiMessage], language: Language, folder: Path = LOCALE_DIR) -> Coverage:
    """How much of the app's, the record's and the command line's words `language`'s catalogues cover."""
    unique = dict.fromkeys(message.english for message in messages)
    return coverage_of(((None, english) for english in unique), language, folder)
