"""Every translated text of a language checked against a real spelling dictionary (Welsh: Debian's aspell-cy, through
pyenchant and Enchant's aspell provider), less the proper nouns and terms of the reviewed word list kept beside the
catalogues (``locale/<language>/words.txt``). `proofing translate check` reports what neither knows, entry by entry,
so a slip in a draft is caught before a Welsh reader meets it.

Placeholders (``{title}``), markup (HTML tags, Markdown link targets, code in backticks), web and e-mail addresses,
file names, command-line options and numbers are not words and are never checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from proofing.errors import CommandError
from proofing.language import LOCALE_DIR, Language, read_catalogue

WORD_LIST = "words.txt"  # beside the language's LC_MESSAGES folder: one word per line, '#' starts a comment
# What is not a word, removed before the words are found (each replaced by a space, so no two words run together).
_NOT_WORDS = re.compile(
    r"\{[^{}]*\}"  # a placeholder
    r"|https?://\S*|\S+@\S+"  # a web or e-mail address
    r"|\b\w*(?:\d|_)\w*\b"  # a number, an id or a name in code (sha256, CC15, migrant_workers, PROOFING_PUBLIC_URL)
    r"|`[^`]*`"  # code
    r"|<[^>]+>"  # an HTML tag
    r"|\]\([^)]*\)"  # a Markdown link's target
    r"|(?<![\w-])--?[A-Za-z][\w-]*"  # a command-line option
    r"|[\w*/-]*\.[a-z]{2,5}\b"  # a file name or its extension (record.docx, .json, rules/training/*.yaml)
)
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# The short forms an apostrophe leaves (Mae'r, i'w, byddai'n, y'i, a'th): known once split off.
_CLITICS = frozenset({"r", "n", "i", "w", "m", "th", "ch", "u", "ei", "ein", "eich", "y", "ym", "yn"})


class UnknownWord(BaseModel):
    """One word neither the dictionary nor the word list knows, and the catalogue entry it stands in."""

    model_config = ConfigDict(frozen=True)

    word: str
    file: Path
    line: int
    english: str  # the entry's msgid (its singular, for a counted text)


class SpellingReport(BaseModel):
    """What a check found: how much it read, and every unknown word with its entry."""

    language: Language
    word_list: Path
    texts: int
    words: int
    unknown: list[UnknownWord]


def words_of(text: str) -> list[str]:
    """The words of a translated text, placeholders, markup, addresses, options and numbers left out.

    Examples:
        >>> words_of("Mae'r cynllun '{title}' yn <b>barod</b>: gweler [y canllaw](https://example.org) a --lang 2.1")
        ["Mae'r", 'cynllun', 'yn', 'barod', 'gweler', 'y', 'canllaw', 'a']
    """
    return _WORD.findall(_NOT_WORDS.sub(" ", text.replace("’", "'")))


def read_word_list(path: Path) -> set[str]:
    """The reviewed word list: one word per line; blank lines and lines starting with '#' are not words."""
    if not path.exists():
        return set()
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return {line for line in lines if line and not line.startswith("#")}


def dictionary(language: Language) -> Callable[[str], bool]:
    """Whether the language's aspell dictionary knows a word, asked of aspell by name (Enchant would otherwise take
    the first provider with a dictionary for the language, hunspell's included).

    Raises CommandError in words when the dictionary or the Enchant library is not installed.
    """
    missing = (
        f"The spelling dictionary for '{language}' is not installed: run `bash tools/aspell.sh` "
        f"(as root; it installs aspell, aspell-{language} and libenchant-2-2)."
    )
    try:
        import enchant
    except ImportError:
        raise CommandError(missing) from None
    broker = enchant.Broker()
    broker.set_ordering(language, "aspell")
    try:
        found = broker.request_dict(language)
    except enchant.errors.DictNotFoundError:
        raise CommandError(missing) from None
    if found.provider.name != "aspell":
        raise CommandError(missing)
    check: Callable[[str], bool] = found.check
    return check


class _Speller:
    """The dictionary and the word list asked together, each word's answer kept (a catalogue repeats its words)."""

    def __init__(self, known: Callable[[str], bool], word_list: set[str]) -> None:
        self._dictionary = known
        self._list = word_list | {word.lower() for word in word_list}
        self._answers: dict[str, bool] = {}

    def _knows(self, word: str) -> bool:
        if word in self._list or word.lower() in self._list:
            return True
        if word not in self._answers:
            self._answers[word] = self._dictionary(word) or (word[:1].isupper() and self._dictionary(word.lower()))
        return self._answers[word]

    def knows(self, word: str) -> bool:
        """Whether a word is spelt right: known whole, or each part known once split at apostrophes and hyphens."""
        if self._knows(word):
            return True
        if "'" in word:
            return all(part.lower() in _CLITICS or self.knows(part) for part in word.split("'") if part)
        if "-" in word:
            return all(self.knows(part) for part in word.split("-") if part)
        return False


def _texts(language: Language, folder: Path) -> Iterator[tuple[Path, int, str, str]]:
    """Every translated text of the language's catalogues: file, line, English (msgid), translation (each form)."""
    for path in sorted((folder / language / "LC_MESSAGES").glob("*.po")):
        for message in read_catalogue(path, language):
            if not message.id:
                continue  # the header
            english = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
            string = message.string
            forms: Iterable[str | None] = string if isinstance(string, (list, tuple)) else [string]
            for form in forms:
                if form:
                    yield path, message.lineno or 0, english, form


def check_catalogues(
    language: Language, folder: Path = LOCALE_DIR, known: Callable[[str], bool] | None = None
) -> SpellingReport:
    """Check every translated text (msgstr) of a language's catalogues, the rule base's and the UI's, against its
    dictionary (`known`, by default the aspell one) and the reviewed word list, and report each unknown word with its
    entry. An unknown word counts once per entry it stands in."""
    word_list = folder / language / WORD_LIST
    speller = _Speller(known or dictionary(language), read_word_list(word_list))
    texts = words = 0
    unknown: list[UnknownWord] = []
    seen: set[tuple[Path, int, str]] = set()
    for path, line, english, text in _texts(language, folder):
        texts += 1
        for word in words_of(text):
            words += 1
            if (path, line, word) not in seen and not speller.knows(word):
                unknown.append(UnknownWord(word=word, file=path, line=line, english=english))
            seen.add((path, line, word))
    return SpellingReport(language=language, word_list=word_list, texts=texts, words=words, unknown=unknown)
