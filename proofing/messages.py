"""The library's messages worded in the reader's language (issue 25): the one place a face turns an error into words.

The library raises its errors as a code and values (proofing.errors: ``ProofingError.code`` is the English template,
which is the catalogues' msgid, and ``values`` fill it); ``str(error)`` is the English. A page, the record or the
command line words an error here, through the one translator (proofing.language), so a Welsh reader reads it in
Welsh: the template translated, its values filled, and any value that is one of our own words (a ``Term``: a role,
an action) translated too. An error with no Welsh form yet, or one that is not ours, reads as its English.

A page that showed ``str(error)`` shows ``worded(error, words)`` instead; nothing else changes.
"""

from __future__ import annotations

from typing import Any

from proofing.errors import ProofingError, Term, Terms
from proofing.language import Translator


def _value(value: Any, words: Translator) -> Any:
    """One value of an error, as the reader reads it: our own words translated, anything else as it is."""
    if isinstance(value, Terms):
        return ", ".join(words._(term) for term in value)
    if isinstance(value, Term):
        return words._(str(value))
    return value


def worded(error: BaseException, words: Translator) -> str:
    """`error` in `words`' language: a ProofingError's code translated and filled with its values (our own words
    among them translated too); any other error, or one raised with a text that is not a code, as its English.

    Examples:
        >>> from proofing.errors import StoreError
        >>> from proofing.language import translator
        >>> worded(StoreError("there is no assessment '{id}'", id="a1"), translator("en"))
        "there is no assessment 'a1'"
    """
    if not isinstance(error, ProofingError) or not error.code:
        return str(error)
    values = {name: _value(value, words) for name, value in error.values.items()}
    return words._(error.code, **values)


def said(error: BaseException, words: Translator) -> str:
    """`error` worded as a sentence: a capital first and a full stop last (a message from the library is written to
    follow a colon; a page shows it alone)."""
    text = worded(error, words).strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else f"{text}."


def problem_words(problem: object, words: Translator) -> str:
    """One thing wrong with a plan's answers (proofing.plan.AnswerProblem) as a person at a page reads it, in
    `words`' language: its code filled with the question's words (from the rule base in that language), else its
    English sentence."""
    code = getattr(problem, "code", "")
    if code:
        return words._(code, question=getattr(problem, "question_text", ""))
    return str(getattr(problem, "sentence", problem))
