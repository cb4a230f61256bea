"""A rule-base text kept in English outside the rule base, said in a reader's language.

Some of the rule base's words are kept as words, not ids: the cumulative index and an approval keep each other
assessment's group ("Age") and level ("Full assessment needed") as the English rule base said them. A Welsh page or
record says them through the same catalogues (``rules*.po``) the Welsh rule base is built from, so "Oed" and
"Asesiad llawn yn ofynnol" stand where the English would, and the same English text never shows in a Welsh record.
"""

from __future__ import annotations

import functools
from pathlib import Path

from proofing.language import LOCALE_DIR, SOURCE, Language, catalogue


@functools.cache
def _rule_forms(language: Language, folder: Path) -> dict[str, str]:
    """Each rule-base text's English to its form in `language` (the first catalogue entry with a context), and
    each screening level's label (the first clause of its words) to the label in `language`."""
    forms: dict[str, str] = {}
    for (context, english), entry in catalogue(language, folder).entries.items():
        if context is None or not isinstance(entry.text, str):
            continue
        forms.setdefault(english, entry.text)
        if context.startswith("level."):  # a level's label is its words' first clause (screening.level_label)
            forms.setdefault(english.split(".")[0], entry.text.split(".")[0])
    return forms


def rule_words(text: str, language: Language, folder: Path = LOCALE_DIR) -> str:
    """`text`, a rule-base text in English, in `language`: its catalogue form, else the text as given (so a
    name the catalogues do not know, or a text already in `language`, is shown as it is)."""
    if language == SOURCE:
        return text
    return _rule_forms(language, folder).get(text, text)
