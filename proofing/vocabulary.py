"""One home for every word list: the roles, statuses, decisions, workshop stages and verdicts, bands and
likelihoods, each once, as ids to English msgids, and the one wording of a what-if change.

The library keeps ids and values; a face (a page, the record, the command line) words them through the one
translator (proofing.language): ``worded(ROLE_WORDS, t)`` is the role names in ``t``'s language. The English here
is the msgid the catalogues already translate, so no Welsh is lost when a copy goes. Before this module the app's
pages each kept their own copy of the library's lists (a role or status added in one place was missing in
another); now a page asks here.

This module imports nothing of the domain, so any layer may use it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, TypeVar

from proofing.language import Translator

K = TypeVar("K")


def _(text: str, /) -> str:
    """Mark an English text for the catalogue (babel extracts ``_("...")``); it is translated where it is worded."""
    return text


LISTS: dict[str, dict[Any, str]] = {
    # proofing.access's roles.
    "roles": {
        "service_manager": _("Service manager"),
        "approver": _("Approver (head of service)"),
        "facilitator": _("Workshop facilitator"),
        "trainer": _("Trainer"),
        "trainee": _("Trainee"),
        "auditor": _("Auditor"),
        "administrator": _("Administrator"),
    },
    # An assessment's statuses (proofing.store's STATUSES).
    "statuses": {"draft": _("Draft"), "final": _("Final")},
    # What the service decides about a mitigation (proofing.decisions's statuses, and adapting one).
    "decisions": {
        "proposed": _("Not decided"),
        "accepted": _("Accept"),
        "adapted": _("Adapt"),
        "rejected": _("Reject"),
        "done": _("Done"),
    },
    # What an approver may do with a submitted assessment (proofing.approvals's outcomes).
    "sign_offs": {"approved": _("Approve"), "sent_back": _("Send back with comments")},
    # A workshop's stages (proofing.workshop's Stage).
    "stages": {
        "scoring": _("Scoring on their own: nobody sees anyone else's scores yet"),
        "revealed": _("Scores revealed: agreeing a view"),
        "finalised": _("Finalised: the agreed view is a new version of the assessment"),
    },
    # A workshop participant's verdicts on a finding, in full (proofing.workshop's VERDICTS) ...
    "verdicts": {"agree": _("Agree it is a likely impact"), "disagree": _("Disagree"), "unsure": _("Unsure")},
    # ... and short, where a table has room for one word.
    "verdicts_short": {"agree": _("Agree"), "disagree": _("Disagree"), "unsure": _("Unsure")},
    # A finding's band (rules/scoring.yaml's rag bands), as a sentence says it ...
    "rag": {"red": _("Red"), "amber": _("Amber"), "green": _("Green")},
    # ... and as a tag beside a finding (capitals, as a RAG label is printed).
    "rag_tags": {"red": _("RED"), "amber": _("AMBER"), "green": _("GREEN")},
    # rules/scoring.yaml's likelihood scale, 5 down to 1.
    "likelihoods": {5: _("almost certain"), 4: _("likely"), 3: _("possible"), 2: _("unlikely"), 1: _("rare")},
    # How serious a gap in the evidence is.
    "gap_severities": {"high": _("High"), "medium": _("Medium"), "low": _("Low")},
    # The languages a record is written in, named in a sentence (not the language switch, which names each in itself).
    "record_languages": {"cy": _("Welsh"), "en": _("English"), "bilingual": _("Welsh and English (Welsh first)")},
}
"""Every word list once, by name: ids to the English msgids (a test checks each covers the library's ids)."""

# Each list by its own name, for the modules that word one of them (the same dict, not a copy).
ROLE_WORDS: dict[str, str] = LISTS["roles"]
STATUS_WORDS: dict[str, str] = LISTS["statuses"]
DECISION_WORDS: dict[str, str] = LISTS["decisions"]
SIGN_OFF_WORDS: dict[str, str] = LISTS["sign_offs"]
STAGE_WORDS: dict[str, str] = LISTS["stages"]
VERDICT_WORDS: dict[str, str] = LISTS["verdicts"]
VERDICT_SHORT_WORDS: dict[str, str] = LISTS["verdicts_short"]
RAG_WORDS: dict[str, str] = LISTS["rag"]
RAG_TAGS: dict[str, str] = LISTS["rag_tags"]
LIKELIHOOD_WORDS: dict[int, str] = LISTS["likelihoods"]
GAP_SEVERITY_WORDS: dict[str, str] = LISTS["gap_severities"]
LANGUAGE_WORDS: dict[str, str] = LISTS["record_languages"]


def worded(words: Mapping[K, str], t: Translator) -> dict[K, str]:
    """A word list in `t`'s language: the same ids, each English msgid translated (English as written)."""
    return {key: t._(english) for key, english in words.items()}


def word(words: Mapping[K, str], key: K, t: Translator) -> str:
    """One id of a word list in `t`'s language; an id the list does not know is shown as it is (never a crash)."""
    english = words.get(key)
    return t._(english) if english is not None else str(key)


# --- a what-if change in words: one wording for the command line, the app and the record ---------------------


def change_clause(
    t: Translator,
    question: str,
    now: str,
    was: str | None,
    option: tuple[Literal["added", "removed"], str] | None = None,
) -> str:
    """One answer change as the middle of "If ..., the level would fall", in `t`'s language: an option added to or
    taken from a many-of answer, an answer given where there was none, or one answer for another.

    Examples:
        >>> from proofing.language import translator
        >>> en = translator("en")
        >>> change_clause(en, "Which routes?", "Online; Face to face", "Online", ("added", "Face to face"))
        'the answer to "Which routes?" also included "Face to face"'
        >>> change_clause(en, "Is it new?", "Yes", None)
        'the answer to "Is it new?" were "Yes" (it is not answered now)'
        >>> change_clause(en, "Is it new?", "Yes", "No")
        'the answer to "Is it new?" were "Yes" rather than "No"'
    """
    if option is not None:
        how, label = option
        if how == "added":
            return t._('the answer to "{question}" also included "{option}"', question=question, option=label)
        return t._('the answer to "{question}" no longer included "{option}"', question=question, option=label)
    if was is None:
        return t._('the answer to "{question}" were "{now}" (it is not answered now)', question=question, now=now)
    return t._('the answer to "{question}" were "{now}" rather than "{was}"', question=question, now=now, was=was)


def level_fall_sentence(t: Translator, clauses: Sequence[str], before: str, after: str) -> str:
    """A what-if suggestion as one sentence in `t`'s language: "If <changes>, the level would fall from <before> to
    <after>." (the changes joined "a and b", or "a, b and c").

    Examples:
        >>> from proofing.language import translator
        >>> level_fall_sentence(translator("en"), ["x", "y"], "High", "Low")
        'If x and y, the level would fall from High to Low.'
    """
    joined = (
        clauses[0] if len(clauses) == 1 else t._("{items} and {last}", items=", ".join(clauses[:-1]), last=clauses[-1])
    )
    template = "If {changes}, the level would fall from {before} to {after}."
    return t._(template, changes=joined, before=before, after=after)
