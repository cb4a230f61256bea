"""The audit trail in words: what each entry says happened, with titles and questions, never ids.

The store keeps each entry as data (``proofing.models.AuditEntry``): who, when, an action and a detail that may
name what changed by its key (a question's id, a mitigation's key, an assessment's id). Those keys stay as kept
(the trail is append-only and hash-chained); this module words them for a reader with the rule base: a question
by its own text, a mitigation by its finding's title (and its words, given the assessment), an assessment by its
title. The audit trail page, an assessment's own trail and the record's appendix all read it, so the trail says
one thing wherever it is read. An id this module cannot resolve is never shown: it reads as "another assessment"
or "a question no longer asked".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from proofing.assessment import Assessment
from proofing.decisions import mitigation_key
from proofing.knowledge import KnowledgeBase
from proofing.language import Translator, translator
from proofing.models import AuditEntry
from proofing.vocabulary import ROLE_WORDS, word


def _(text: str, /) -> str:
    """Mark an English text for the catalogue (babel extracts ``_("...")``); it is translated where it is worded."""
    return text


HEX_ID = re.compile(r"\b[0-9a-f]{32}\b")
"""An assessment's id (uuid4 hex), as older entries' details name a copy."""

_DETAIL_NAMES = {
    "title": _("Title"),
    "service": _("Service"),
    "owner": _("Owner"),
    "description": _("What the plan does"),
}
_ACTIONS = {
    "created": _("Started the assessment"),
    "answered": _("Changed the answers"),
    "accepted a mitigation": _("Accepted a mitigation"),
    "adapted a mitigation": _("Adapted a mitigation"),
    "decided on a mitigation": _("Decided on a mitigation"),
    "named a version": _("Named the version"),
    "restored": _("Restored an earlier version"),
    "submitted for approval": _("Submitted for approval"),
    "finalised": _("Approved"),
    "set back to draft": _("Set back to draft"),
    "sent back": _("Sent back"),
    "reopened": _("Reopened as a new draft"),
    "duplicated": _("Duplicated as a new assessment"),
    "exported": _("Exported"),
    "shared": _("Sharing changed"),
    "role changed": _("Roles changed"),
    "completed a training case": _("Completed a training case"),
    "opened a workshop": _("Opened an EIA workshop"),
    "joined a workshop": _("Joined an EIA workshop"),
    "revealed workshop scores": _("Revealed the workshop's scores"),
    "agreed a workshop view": _("Agreed the workshop's view"),
    "finalised a workshop": _("Finalised the EIA workshop"),
    "gave their name": _("Gave their name"),
}
_STATUS_DONE = {"proposed": _("not decided"), "accepted": _("accepted"), "rejected": _("rejected"), "done": _("done")}


class AuditLine(BaseModel):
    """One audit entry as a reader sees it: when, who, what happened (in words), on which assessment and version."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    at: datetime
    who: str
    what: str
    assessment: str = ""
    version: int | None = None


def audit_lines(
    kb: KnowledgeBase,
    entries: Sequence[AuditEntry],
    titles: Mapping[str, str] | None = None,
    assessment: Assessment | None = None,
    words: Translator | None = None,
) -> list[AuditLine]:
    """Audit entries in words, in the order given (`titles`: assessment id -> title, for the assessments the
    reader may see; `assessment`: the assessment the entries are of, for its mitigations' own words)."""
    named = dict(titles or {})
    return [
        AuditLine(
            at=entry.at,
            who=entry.who,
            what=what_happened(kb, entry, named, assessment, words),
            assessment=_title(entry.assessment_id, named, words or translator("en")) if entry.assessment_id else "",
            version=entry.version,
        )
        for entry in entries
    ]


def action_words(action: str, words: Translator | None = None) -> str:
    """An audit entry's action as a reader names it ("Approved", "Adapted a mitigation"), in `words`' language."""
    return (words or translator("en"))._(_ACTIONS[action]) if action in _ACTIONS else action


def what_happened(
    kb: KnowledgeBase,
    entry: AuditEntry,
    titles: Mapping[str, str] | None = None,
    assessment: Assessment | None = None,
    words: Translator | None = None,
) -> str:
    """What one audit entry says happened, as a sentence a reader takes at their word: no ids.

    Examples:
        >>> from datetime import UTC, datetime
        >>> from proofing.knowledge import DEFAULT_RULES_DIR, load_knowledge
        >>> entry = AuditEntry(at=datetime.now(UTC), subject="s", who="An approver", action="submitted for approval")
        >>> what_happened(load_knowledge(DEFAULT_RULES_DIR), entry)
        'Submitted for approval.'
    """
    say = words or translator("en")
    named = titles or {}
    if entry.action == "answered" and entry.detail == "Reasons, notes or the level changed":  # no answer changed
        return say._("Changed the reasons, the adapted wording, other notes or the screening level.")
    action = action_words(entry.action, say)
    detail = _detail(kb, entry, named, assessment, say)
    return f"{action}: {detail}" if detail else f"{action}."


def _detail(
    kb: KnowledgeBase, entry: AuditEntry, titles: Mapping[str, str], assessment: Assessment | None, say: Translator
) -> str:
    detail = entry.detail.strip()
    if entry.action == "answered" and detail.startswith("Changed: "):
        return _answers_changed(kb, [name.strip() for name in detail.removeprefix("Changed: ").split(",")], say)
    if entry.action in ("accepted a mitigation", "adapted a mitigation"):
        return _mitigation(kb, detail, assessment, say)
    if entry.action == "decided on a mitigation":
        key, _sep, status = detail.rpartition(": ")
        done = say._(_STATUS_DONE[status]) if status in _STATUS_DONE else say._("removed")
        return f"{_mitigation(kb, key or detail, assessment, say)}, {done}"
    if entry.action == "finalised" and detail.startswith("Approved: "):
        return say._("decision taken: {decision}", decision=detail.removeprefix("Approved: "))
    if entry.action == "finalised" and detail == "Final":
        return say._("marked final")
    if entry.action == "role changed":
        subject, _sep, roles = detail.rpartition(": ")
        names = ", ".join(word(ROLE_WORDS, role.strip(), say) for role in roles.split(",") if role.strip())
        return say._("{who}: {roles}", who=subject, roles=names if roles != "no role" else say._("no role"))
    if entry.action == "completed a training case":
        case, _sep, score = detail.partition(": ")
        title = next((found.title for found in kb.training if found.id == case), case)
        return f"“{title}”: {score}" if score else f"“{title}”"
    if entry.action == "exported":
        return say._(detail) if detail else ""
    if entry.action in ("reopened", "duplicated"):  # older entries repeat the action before the copy's id
        detail = detail.removeprefix("Reopened as a new draft: ").removeprefix("Duplicated: ")
    return HEX_ID.sub(lambda found: f"“{_title(found.group(0), titles, say)}”", detail)


SHOWN_CHANGES = 8
"""The most changed answers an entry names one by one; the rest are counted."""


def _answers_changed(kb: KnowledgeBase, names: list[str], say: Translator) -> str:
    """The answers (and details) one save changed, in the questionnaire's order, the first few by their questions."""
    order = {question.id: number for number, question in enumerate(kb.questionnaire.questions)}
    names = sorted(names, key=lambda name: (name in _DETAIL_NAMES, order.get(name, len(order))))
    shown = "; ".join(_changed(kb, name, say) for name in names[:SHOWN_CHANGES])
    more = len(names) - SHOWN_CHANGES
    return shown + (" " + say.n_("and {n} more", "and {n} more", more) if more > 0 else "")


def _changed(kb: KnowledgeBase, name: str, say: Translator) -> str:
    """A changed answer or detail by what the person read: the question's own text, or the detail's name."""
    if name in _DETAIL_NAMES:
        return say._(_DETAIL_NAMES[name])
    question = kb.questionnaire.question(name)
    return f"“{question.text}”" if question is not None else say._("a question no longer asked")


def _mitigation(kb: KnowledgeBase, key: str, assessment: Assessment | None, say: Translator) -> str:
    """A mitigation by its words and its finding's title (from the assessment when given, else the rule base)."""
    rule = key.rsplit(":", 1)[0]
    if assessment is not None:
        for finding in assessment.findings:
            for index, mitigation in enumerate(finding.mitigations):
                if mitigation_key(finding, index) == key:
                    return say._("“{mitigation}” (for “{finding}”)", mitigation=mitigation.text, finding=finding.title)
    title = next((found.title for found in kb.rules if found.id == rule), None)
    if title is None:
        return say._("a mitigation the rule base no longer suggests")
    return say._("a mitigation for “{finding}”", finding=title)


def _title(assessment_id: str, titles: Mapping[str, str], say: Translator) -> str:
    """An assessment by its title; one the reader may not see, or that is gone, as "another assessment"."""
    return titles.get(assessment_id) or say._("another assessment")
