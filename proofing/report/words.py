"""The record's words that more than one section uses: the bands, severities and languages in words, and the
phrases built from an assessment's parts (a finding's groups, what it bears on, a workshop's scores, a what-if
change), each in the translator's language."""

from __future__ import annotations

import re
from datetime import datetime

from proofing.answer_types import answer_type
from proofing.assessment import Assessment, Finding, answer_words, group_reason_words, level_label
from proofing.knowledge import KnowledgeBase
from proofing.language import Translator, language_facts, translator  # noqa: F401 (the doctests use translator)
from proofing.plan import PlanError
from proofing.vocabulary import GAP_SEVERITY_WORDS, LANGUAGE_WORDS, RAG_WORDS, change_clause, level_fall_sentence
from proofing.whatif import AnswerChange, Suggestion, what_would_lower
from proofing.workshop import AddedOutcome, FindingOutcome, WorkshopRecord

__all__ = ["GAP_SEVERITY_WORDS", "LANGUAGE_WORDS", "RAG_WORDS"]  # kept here too: their home is proofing.vocabulary

RAG_FILL = {"red": "F4B6B6", "amber": "FFE0A3", "green": "C8E6C9"}
AUDIT_ROWS_SHOWN = 15  # the appendix lists the most recent entries; the app shows the whole trail
HEADER_FILL = "E7ECF3"  # the background of a row that heads a part of a table (a questionnaire section)
CORE_PROPERTY_LIMIT = 255  # python-docx refuses longer core properties


def N_(text: str) -> str:
    """Mark an English text for the catalogue where it is defined (babel extracts it); it is translated where it
    is shown."""
    return text


def language_words(language: str) -> str:
    """The English words for a record's language (translated where shown): "Welsh", "Welsh and English (Welsh
    first)", or, for a language added with its catalogues, its English name from its ``language.yaml``."""
    return LANGUAGE_WORDS.get(language) or language_facts(language).english


GAP_SEVERITY_FILL = {"high": RAG_FILL["red"], "medium": RAG_FILL["amber"]}
TEMPLATE_WORDS = (N_("Equality Impact Assessment"), N_("Rule base"), N_("Page"))
"""The words the template's header and footer write around their placeholders, which a Welsh record translates."""


def short_period(period: str) -> str:
    """A strategy's period as a label gives it, "2008-11" for "2008-2011"; any other form as written.

    Examples:
        >>> short_period("2008-2011"), short_period("2011-14"), short_period("2099-2101")
        ('2008-11', '2011-14', '2099-2101')
    """
    match = re.fullmatch(r"(\d{2})(\d{2})\s*[-–]\s*(\d{2})(\d{2})", period.strip())
    if match and match.group(1) == match.group(3):
        return f"{match.group(1)}{match.group(2)}-{match.group(4)}"
    return period


def number_of(item_id: str) -> str:
    """The number of an outcome, principle or indicator as the strategy prints it: "15" for CC15, "2" for P2."""
    return item_id.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def affects_words(t: Translator, finding: Finding) -> str:
    """The groups a finding affects and why each is named: those the plan names together, then each implied one
    with the answer that implies it (group_reason_words)."""
    named = [reason.name for reason in finding.group_reasons if reason.reason == "named"]
    implied = [group_reason_words(reason, t.language) for reason in finding.group_reasons if reason.reason != "named"]
    parts = []
    if named:
        together = (
            t._("{items} and {last}", items=", ".join(named[:-1]), last=named[-1]) if len(named) > 1 else named[0]
        )
        if finding.added_by_workshop:
            who = t.n_("the EIA workshop names it", "the EIA workshop names them", len(named))
        else:
            who = t.n_("the plan names it", "the plan names them", len(named))
        parts.append(f"{together} ({who})")
    return "; ".join(parts + implied)


def held_on(day: str) -> str:
    """A workshop's date as a record says it: "1 December 2026" for "2026-12-01" (as given, if not a date).

    Examples:
        >>> held_on("2026-12-01"), held_on("soon")
        ('1 December 2026', 'soon')
    """
    try:
        moment = datetime.fromisoformat(day)
    except ValueError:
        return day
    return f"{moment.day} {moment:%B %Y}"


def organisations(workshop: WorkshopRecord) -> list[str]:
    """The services and organisations the workshop's participants came from, each once, in the order they joined."""
    found: list[str] = []
    for person in workshop.participants:
        if person.organisation and person.organisation not in found:
            found.append(person.organisation)
    return found


def scores(t: Translator, likelihood: int | None, severity: int | None) -> str:
    """A likelihood and severity and their product: "4 × 3 = 12"; "Not agreed" when there are none.

    Examples:
        >>> scores(translator("en"), 4, 3), scores(translator("en"), None, None)
        ('4 × 3 = 12', 'Not agreed')
    """
    if likelihood is None or severity is None:
        return t._("Not agreed")
    return f"{likelihood} × {severity} = {likelihood * severity}"


def room_words(t: Translator, outcome: FindingOutcome) -> str:
    """The room's lowest, middle and highest score of a finding, and how many scored it."""
    if not outcome.scored_by or outcome.low is None or outcome.middle is None or outcome.high is None:
        return t._("Nobody scored it")
    return t._(
        "{low} / {middle} / {high} (scored by {count})",
        low=outcome.low,
        middle=f"{outcome.middle:g}",
        high=outcome.high,
        count=outcome.scored_by,
    )


def added_outcome_words(t: Translator, impact: AddedOutcome) -> str:
    """Whether the room accepted a missed impact, with its agreed scores, and the room's note."""
    if impact.accepted:
        words = t._(
            "Accepted as a finding: likelihood {likelihood} × severity {severity}",
            likelihood=impact.agreed_likelihood,
            severity=impact.agreed_severity,
        )
        if impact.agreed_likelihood is not None and impact.agreed_severity is not None:
            words += f" = {impact.agreed_likelihood * impact.agreed_severity}"
    else:
        words = t._("Not accepted")
    return t._("{words}. The room's note: {note}", words=words, note=impact.note) if impact.note else f"{words}."


def bears_on_words(t: Translator, finding: Finding, aims: dict[str, str]) -> str:
    """What a finding bears on in one sentence: the duty's aims in words, the strategy's outcomes, principles
    and indicators by number (the table "What the findings bear on" gives each in words, once)."""
    parts = []
    if finding.psed_aims:
        duty = "; ".join(aims[a][0].lower() + aims[a][1:] for a in finding.psed_aims)
        parts.append(t._("the equality duty to {aims}", aims=duty))
    for ids, kind in ((finding.outcomes, "outcomes"), (finding.principles, "principles"), (finding.indicators, "")):
        if ids:
            numbers = sorted((number_of(i) for i in ids), key=lambda n: (len(n), n))
            listed = (
                numbers[0]
                if len(numbers) == 1
                else t._("{items} and {last}", items=", ".join(numbers[:-1]), last=numbers[-1])
            )
            if kind == "outcomes":
                parts.append(
                    t.n_("strategy outcome {numbers}", "strategy outcomes {numbers}", len(ids), numbers=listed)
                )
            elif kind == "principles":
                parts.append(t.n_("core principle {numbers}", "core principles {numbers}", len(ids), numbers=listed))
            else:
                parts.append(
                    t.n_("cohesion indicator {numbers}", "cohesion indicators {numbers}", len(ids), numbers=listed)
                )
    return "; ".join(parts) + "." if parts else t._("nothing in the strategy or the duty.")


def short(text: str) -> str:
    """A document property cut to the length python-docx accepts."""
    return text if len(text) <= CORE_PROPERTY_LIMIT else text[: CORE_PROPERTY_LIMIT - 1] + "…"


def default_review(t: Translator, kb: KnowledgeBase, assessment: Assessment) -> str:
    """The review date the plan gives (a date), else within the months it gives, else still to be set."""
    roles = kb.questionnaire.roles
    day = assessment.answers.get(roles.review_date) if roles.review_date else None
    if isinstance(day, str) and day:
        return day
    months = assessment.answers.get(roles.review_months)
    if isinstance(months, int | float):
        return t._("within {months} months of the decision", months=f"{months:g}")
    return t._("to be set")


def plan_suggestions(kb: KnowledgeBase, assessment: Assessment) -> list[Suggestion] | None:
    """What would lower the plan's level (proofing.whatif, from the English rule base), or None when the plan is
    not complete enough to be changed and assessed again (a draft still missing answers)."""
    try:
        return what_would_lower(kb, assessment.plan)
    except PlanError:
        return None


def suggestion_sentence(kb: KnowledgeBase, suggestion: Suggestion, t: Translator) -> str:
    """A what-if suggestion as one sentence in the translator's language: in English the sentence proofing.whatif
    wrote; otherwise built from its parts with translated templates, the question and answer words from `kb` (the
    rule base in that language, e.g. ``localised(kb, "cy").kb``) and the level words from its scoring."""
    if t.language == "en":
        return suggestion.sentence
    clauses = [change_words(kb, change, t) for change in suggestion.changes]
    before, after = level_label(kb, suggestion.level_before), level_label(kb, suggestion.level_after)
    return level_fall_sentence(t, clauses, before, after)


def change_words(kb: KnowledgeBase, change: AnswerChange, t: Translator) -> str:
    """One answer change as the middle of "If ..., the level would fall", in the translator's language (as
    proofing.whatif words it in English)."""
    question = kb.questionnaire.question(change.question)
    text = question.text if question is not None else change.question_text
    now = answer_words(kb, change.question, change.after)
    one = answer_type(question.type).option_change(change.before, change.after) if question is not None else None
    option = (one[0], question.label_of(one[1])) if question is not None and one is not None else None
    was = None if change.before is None else answer_words(kb, change.question, change.before)
    return change_clause(t, text, now, was, option)
