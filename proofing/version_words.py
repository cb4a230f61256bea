"""A version history and a merge's conflicts in words, for the pages (the store returns them as data).

Kept out of the store, which never words: these read the questionnaire and the rule base (answer words, finding
titles) to say what changed from one version to the next and where two people's changes conflict.
"""

from __future__ import annotations

from typing import Any

from proofing.assessment import Assessment, answer_words, assess_agreed
from proofing.knowledge import KnowledgeBase
from proofing.language import Translator, translator
from proofing.models import Conflict, HistoryEntry, SavedVersion, VersionChange
from proofing.plan import Plan
from proofing.screening import level_label
from proofing.store.merge import changes_between
from proofing.vocabulary import DECISION_WORDS


def _(text: str, /) -> str:
    """Mark an English text for the catalogue (babel extracts ``_("...")``); it is translated where it is worded."""
    return text


_DETAIL_WORDS = {
    "title": _("Title"),
    "service": _("Service"),
    "owner": _("Owner"),
    "description": _("What the plan does"),
}
_DECISION_WORDS = {"status": _("decision"), "owner": _("owner"), "due": _("due date")}
_NOTE_WORDS = {
    "own": _("Your own mitigation ({name})"),
    "set_aside": _("Finding set aside ({name})"),
}


def conflict_words(kb: KnowledgeBase, conflict: Conflict, words: Translator | None = None) -> tuple[str, str, str]:
    """A conflict as a reader sees it: (what, yours, theirs), with the question's words, never its id, in the
    language of `words` (None: English); `kb` is the rule base in that language."""
    say = words or translator("en")

    def shown(value: Any) -> str:
        if value is None or value == "":
            return say._("(not answered)") if conflict.kind == "answer" else say._("(empty)")
        if conflict.kind == "answer":
            return answer_words(kb, conflict.key, value)
        if conflict.kind == "decision" and conflict.key.endswith("/status") and value in DECISION_WORDS:
            return say._(DECISION_WORDS[value])  # a decision's status in words, never its id
        return str(value)

    if conflict.kind == "detail":
        what = say._(_DETAIL_WORDS[conflict.key]) if conflict.key in _DETAIL_WORDS else conflict.key
    elif conflict.kind == "answer":
        question = kb.questionnaire.question(conflict.key)
        what = question.text if question is not None else conflict.key
    elif conflict.kind == "note":
        kind, name = conflict.key.split("/", 1)[0], conflict.key.rsplit("/", 1)[-1]
        what = say._(_NOTE_WORDS.get(kind, _("Mitigation ({name})")), name=name)
    else:
        name = conflict.key.rsplit("/", 1)[-1]
        field = say._(_DECISION_WORDS[name]) if name in _DECISION_WORDS else name
        what = say._("Mitigation {field}", field=field)
    return what, shown(conflict.mine), shown(conflict.theirs)


_DETAIL_CHANGED = {
    "title": "Title changed.",
    "service": "Service changed.",
    "owner": "Owner changed.",
    "description": "What the plan does changed.",
}
_AGREEMENT_KINDS = ("agreed", "dropped", "added", "agreements_removed")


def change_words(kb: KnowledgeBase, change: VersionChange, plan: Plan, words: Translator | None = None) -> str | None:
    """One change from a version to the next in words, in the language of `words` (None: English), with the
    question's and the finding's words from `kb` (the rule base in that language), never an id.

    `plan` is the later version's plan (a workshop's change names the rules' own scores, which it assesses).
    None for an answer to a question the questionnaire no longer asks.
    """
    say = words or translator("en")
    if change.kind == "started":
        return say._("Started.")
    if change.kind == "nothing":
        return say._("Nothing changed.")
    if change.kind == "detail":
        return say._(_DETAIL_CHANGED[change.key])
    if change.kind == "answer":
        question = kb.questionnaire.question(change.key)
        if question is None:
            return None
        unanswered = say._("(not answered)")
        earlier = answer_words(kb, change.key, change.before) if change.before is not None else unanswered
        later = answer_words(kb, change.key, change.after) if change.after is not None else unanswered
        return f"{question.text}: {earlier} → {later}"
    if change.kind == "decisions":
        return say.n_("{n} mitigation decision changed.", "{n} mitigation decisions changed.", change.count)
    if change.kind == "notes":
        return say._("Reasons, own mitigations or findings set aside changed.")
    if change.kind == "agreements_removed":
        return say.n_("{n} workshop agreement no longer kept.", "{n} workshop agreements no longer kept.", change.count)
    return _agreement_words(kb, change, plan, say)


def _agreement_words(kb: KnowledgeBase, change: VersionChange, plan: Plan, say: Translator) -> str:
    after: dict[str, Any] = change.after or {}
    if change.kind == "added":
        return say._(
            "The workshop added an impact the rules missed: '{title}' (likelihood {likelihood} × severity {severity}).",
            title=after.get("title", ""),
            likelihood=after.get("likelihood", ""),
            severity=after.get("severity", ""),
        )
    rules_view, _problems = assess_agreed(kb, plan, None)
    finding = next((found for found in rules_view.findings if found.rule == change.key), None)
    title = finding.title if finding is not None else change.key
    if change.kind == "dropped":
        if change.note:
            return say._("The workshop dropped '{title}': {note}", title=title, note=change.note)
        return say._("The workshop dropped '{title}'.", title=title)
    rules = f"{finding.likelihood} × {finding.severity}" if finding else say._("the rules' scores")
    return say._(
        "The workshop agreed '{title}' at likelihood {likelihood} × severity {severity} (the rules: {rules}).",
        title=title,
        likelihood=after.get("likelihood", ""),
        severity=after.get("severity", ""),
        rules=rules,
    )


def _worded(kb: KnowledgeBase, changes: list[VersionChange], plan: Plan, words: Translator | None = None) -> list[str]:
    return [text for change in changes if (text := change_words(kb, change, plan, words)) is not None]


def _ordered(kb: KnowledgeBase, changes: list[VersionChange]) -> list[VersionChange]:
    """Details first, then answers in the questionnaire's order, then the rest as they came."""
    order = {question.id: number for number, question in enumerate(kb.questionnaire.questions)}
    rank = {"detail": 0, "answer": 1}
    return sorted(
        changes, key=lambda change: (rank.get(change.kind, 2), order.get(change.key, 0) * (change.kind == "answer"))
    )


def version_changes(kb: KnowledgeBase, before: SavedVersion, after: SavedVersion) -> list[str]:
    """What changed from one version to the next, in English words: details, answers (question by question in the
    questionnaire's order), decisions, a workshop's agreement, the other notes."""
    return _worded(kb, _ordered(kb, changes_between(before, after)), after.plan) or ["Nothing changed."]


def agreement_changes(kb: KnowledgeBase, before: SavedVersion, after: SavedVersion) -> list[str]:
    """What an EIA workshop changed from one version to the next, finding by finding, in English words."""
    changes = [change for change in changes_between(before, after) if change.kind in _AGREEMENT_KINDS]
    return _worded(kb, changes, after.plan)


def history_words(
    kb: KnowledgeBase, entry: HistoryEntry, versions: dict[int, SavedVersion], words: Translator | None = None
) -> list[str]:
    """One entry of a version history (Store.history, data) in words, in the language of `words`; `versions` are
    the assessment's versions by number (Store.versions), for the plan a workshop's change is read against.

    Who made the version comes first (from the audit trail's entries on it: the person signed in, or local mode's
    named user), then what changed, then what was done with it (submitted, approved, sent back, by whom)."""
    say = words or translator("en")
    made, done = _events_words(entry, say)
    worded = _worded(kb, _ordered(kb, list(entry.changes)), versions[entry.version].plan, words)
    nothing = say._("Nothing changed.")
    if any(action == "reopened" for action, _who in entry.events):  # the reopening says what this version is
        worded = [line for line in worded if line != nothing]
    if any(action == "created" for action, _who in entry.events):  # "Started by ..." says it
        worded = [line for line in worded if line != say._("Started.")]
    elif not worded:
        worded = [nothing]
    return [*made, *worded, *done]


_SAVES = ("answered", "accepted a mitigation", "adapted a mitigation", "decided on a mitigation", "restored")


def _events_words(entry: HistoryEntry, say: Translator) -> tuple[list[str], list[str]]:
    """Who made a version (first) and what was then done with it (last), from the audit trail's entries on it."""
    made: list[str] = []
    done: list[str] = []
    savers = list(dict.fromkeys(who for action, who in entry.events if action in _SAVES))
    for action, who in entry.events:
        if action == "created":
            made.append(say._("Started by {who}.", who=who))
        elif action == "reopened":
            made.append(
                say._(
                    "Reopened by {who} as a new draft of version {version}, which stays as it was approved.",
                    who=who,
                    version=entry.version - 1,
                )
            )
        elif action == "finalised a workshop":
            made.append(say._("Made from the EIA workshop {who} finalised.", who=who))
        elif action == "named a version":
            done.append(say._("Named by {who}.", who=who))
        elif action == "submitted for approval":
            done.append(say._("Submitted for approval by {who}.", who=who))
        elif action == "finalised":
            done.append(say._("Approved by {who}.", who=who))
        elif action == "sent back":
            done.append(say._("Sent back by {who}.", who=who))
    if savers:
        made.append(say._("Changed by {who}.", who=", ".join(savers)))
    return made, done


def reopened_words(approved: int, number: int, words: Translator | None = None) -> str:
    """What a page says once a final assessment is reopened: the new draft's number and the approved one kept."""
    return (words or translator("en"))._(
        "Reopened: version {number} is a new draft of this assessment. Version {approved}, as it was approved, is "
        "kept and stays approved.",
        number=number,
        approved=approved,
    )


def comparison_words(
    kb: KnowledgeBase,
    earlier: SavedVersion,
    later: SavedVersion,
    before: Assessment,
    after: Assessment,
    words: Translator | None = None,
) -> list[str]:
    """How the findings and the screening level differ from one version to another, in words, never an id.

    A version kept without a level (one that could not be screened yet: no answers, or required ones missing)
    reads as not screened, never as the level an empty plan would score (`before` and `after` are the two
    versions assessed as they stand; `earlier` and `later` the versions, for the level kept with each).
    """
    say = words or translator("en")
    differences: list[str] = []
    if earlier.level != later.level:
        differences.append(
            say._(
                "Screening level: {earlier} → {later}",
                earlier=level_label(kb, earlier.level),
                later=level_label(kb, later.level),
            )
        )
    then = {finding.rule: finding for finding in before.findings}
    now = {finding.rule: finding for finding in after.findings}
    for rule in [rule for rule in then if rule not in now]:
        differences.append(say._("No longer found: {title}", title=then[rule].title))
    for rule in [rule for rule in now if rule not in then]:
        differences.append(say._("Now also found: {title}", title=now[rule].title))
    for rule in [rule for rule in now if rule in then]:
        old, new = then[rule], now[rule]
        changed = [
            f"{say._(name)} {getattr(old, field)} → {getattr(new, field)}"
            for field, name in (("likelihood", _("likelihood")), ("severity", _("severity")), ("score", _("score")))
            if getattr(old, field) != getattr(new, field)
        ]
        if changed:
            differences.append(say._("Changed: {title}: {changes}", title=new.title, changes="; ".join(changed)))
    return differences
