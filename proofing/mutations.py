"""The initial mutations a Welsh sentence assembled from parts needs, in one place.

A Welsh text with a ``{placeholder}`` is a sentence built from parts: the words around the placeholder are the
translator's, the value put in it comes from elsewhere (an answer, a group, a level). Two rules join them as a Welsh
reader expects:

- the article after a vowel: a value that starts with the article ("yr ateb", "y cynllun") after a word ending in a
  vowel is joined to that word as 'r ("Pe bai'r ateb", "i'r cynllun"), never "Pe bai yr ateb";
- the soft mutation after the prepositions that cause it (i, o, ar, am, at, dan, tan, dros, trwy, drwy, wrth, heb,
  hyd, gan): "o {where}" with "canol y dref" reads "o ganol y dref", "gan {who}" with "rheolwr y gwasanaeth" reads
  "gan reolwr y gwasanaeth".

A value that starts with a capital, a digit or a mark (a name, a plan's title, a date, a count, a quotation) is left
as written: such values are often English or a name, where a mutation would be wrong or is left to the writer.
The translator (proofing.language) fills every Welsh text through `fill`; nothing else mutates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
# The prepositions after which a noun takes the soft mutation.
SOFT_AFTER = frozenset({"i", "o", "ar", "am", "at", "dan", "tan", "dros", "trwy", "drwy", "wrth", "heb", "hyd", "gan"})
# Welsh vowels, w and y included, with their accents: a word ending in one takes 'r for the article.
VOWELS = frozenset("aeiouwyâêîôûŵŷáéíóúẃýàèìòùẁỳäëïöüẅÿ")
# The soft mutation, the two-letter sounds first: ch, ph and th never mutate, and ll and rh lose a letter.
_SOFT = (("ch", "ch"), ("ph", "ph"), ("th", "th"), ("ll", "l"), ("rh", "r"))
_SOFT_ONE = {"p": "b", "t": "d", "c": "g", "b": "f", "d": "dd", "g": "", "m": "f"}
_ARTICLE = re.compile(r"(?:yr|y) (?=\S)")
_WORD_BEFORE = re.compile(r"(?:^|[\s(“\"'])([^\W\d_]+) $")
_PLAIN_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")  # letters only: not an address, an id or a number


def soft(word: str) -> str:
    """The soft mutation of a word (a capital kept a capital).

    Examples:
        >>> [soft(w) for w in ("cynllun", "pobl", "tref", "bws", "dinas", "gwasanaeth", "mam", "llyfrgell", "rhieni")]
        ['gynllun', 'bobl', 'dref', 'fws', 'ddinas', 'wasanaeth', 'fam', 'lyfrgell', 'rieni']
        >>> [soft(w) for w in ("chwaraeon", "theatr", "asesiad", "sgrinio", "Cyngor", "Llys", "Gwynedd")]
        ['chwaraeon', 'theatr', 'asesiad', 'sgrinio', 'Gyngor', 'Lys', 'Wynedd']
    """
    lower = word.lower()
    for start, becomes in _SOFT:
        if lower.startswith(start):
            return _capital_as(word, becomes + word[len(start) :])
    if lower[:1] in _SOFT_ONE:
        return _capital_as(word, _SOFT_ONE[lower[:1]] + word[1:])
    return word


def _capital_as(word: str, mutated: str) -> str:
    """The mutated word with the first letter a capital when the word's was."""
    return mutated[:1].upper() + mutated[1:] if word[:1].isupper() else mutated


def ends_in_vowel(word: str) -> bool:
    """Whether a word ends in a vowel (w and y count), so the article after it is 'r.

    Examples:
        >>> [ends_in_vowel(w) for w in ("bai", "i", "o", "gyda", "mae", "ar", "am", "yn")]
        [True, True, True, True, True, False, False, False]
    """
    return word[-1:].lower() in VOWELS


def join(before: str, value: str) -> tuple[str, str]:
    """The text before a placeholder and the value put in it, joined as Welsh asks: the article after a vowel as 'r,
    the soft mutation after a preposition that causes it. Returns the two parts to write one after the other.

    Examples:
        >>> join("Pe bai ", "yr ateb i'r cwestiwn")
        ("Pe bai'r", " ateb i'r cwestiwn")
        >>> join("Yn effeithio ar ", "pobl hŷn")
        ('Yn effeithio ar ', 'bobl hŷn')
        >>> join("Newidiwyd gan ", "Rheolwr y gwasanaeth"), join("Newidiwyd gan ", "manager@example.org")
        (('Newidiwyd gan ', 'Rheolwr y gwasanaeth'), ('Newidiwyd gan ', 'manager@example.org'))
    """
    found = _WORD_BEFORE.search(before)
    if found is None or not value[:1].islower():
        return before, value
    word = found.group(1)
    article = _ARTICLE.match(value)
    if article is not None:
        if ends_in_vowel(word):
            return before[:-1] + "'r", value[article.end() - 1 :]
        return before, value
    first, _, rest = value.partition(" ")
    if word.lower() in SOFT_AFTER and _PLAIN_WORD.fullmatch(first):
        return before, soft(first) + (" " + rest if rest else "")
    return before, value


def fill(text: str, values: Mapping[str, Any]) -> str:
    """A Welsh text with its ``{placeholders}`` filled, each value joined to the word before it by `join`; a
    placeholder the values do not name is kept as written.

    Examples:
        >>> fill("Pe bai {changes}, byddai'r lefel yn gostwng o {before} i {after}.",
        ...      {"changes": "yr ateb i 'Pwy' yn newid", "before": "gwyrdd", "after": "melyn"})
        "Pe bai'r ateb i 'Pwy' yn newid, byddai'r lefel yn gostwng o wyrdd i felyn."
    """
    out: list[str] = []
    last = 0
    for found in PLACEHOLDER.finditer(text):
        before = text[last : found.start()]
        if found.group(1) in values:
            value = str(values[found.group(1)])
            before, value = join(before, value)
        else:
            value = found.group(0)
        out += [before, value]
        last = found.end()
    out.append(text[last:])
    return "".join(out)


def mutation_sites(text: str) -> list[str]:
    """The placeholders of a Welsh text that follow a word after which their value mutates (a preposition that
    causes the soft mutation, or a word ending in a vowel, before which an article becomes 'r).

    Examples:
        >>> mutation_sites("Pe bai {changes}, byddai'r lefel yn gostwng o {before} i {after} ({n}).")
        ['{changes}', '{before}', '{after}']
    """
    sites = []
    for found in PLACEHOLDER.finditer(text):
        word = _WORD_BEFORE.search(text[: found.start()])
        if word is not None and (word.group(1).lower() in SOFT_AFTER or ends_in_vowel(word.group(1))):
            sites.append(found.group(0))
    return sites


# The language whose texts are filled through its own joining rules (proofing.language looks a language up here).
FILLERS: dict[str, Callable[[str, Mapping[str, Any]], str]] = {"cy": fill}
