"""The command line's words: the language of this run, printing that never fails, and the assessment as text.

proofing.cli sets the language of each run (``use``); the command modules (proofing.cli_assess, cli_rules,
cli_translate) speak through ``_`` and ``n_`` here, so every one of them says its words in that language.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from typing import Any, TextIO

from proofing import safe_text
from proofing.assessment import Assessment, GroupReason, assess
from proofing.decisions import MitigationDecision
from proofing.impact import Residual, all_in_place, residual
from proofing.knowledge import KnowledgeBase
from proofing.language import (
    SOURCE,
    Language,
    Translator,
    is_language,
    localised,
    translator,
)
from proofing.report import (
    plan_suggestions,
    suggestion_sentence,
)
from proofing.whatif import Suggestion

Loader = Callable[..., KnowledgeBase]  # proofing.knowledge.load_knowledge, as proofing.cli hands it to a command

_translation: Translator = translator(SOURCE)


def current() -> Translator:
    """The translator of this run: the language the command line speaks now."""
    return _translation


def use(translation: Translator) -> None:
    """Make `translation` the language the command line speaks from now on (proofing.cli.main sets it per run)."""
    global _translation
    _translation = translation


def _(text: str, /, **values: Any) -> str:
    """One of the command line's own texts in the language of this run, its ``{placeholders}`` filled."""
    return _translation._(text, **values)


def n_(one: str, many: str, count: int, /, **values: Any) -> str:
    """A counted text of the command line in the language of this run (six forms in Welsh); ``{n}`` is the count."""
    return _translation.n_(one, many, count, **values)


def _default_language() -> str:
    """The language a run speaks without --lang: PROOFING_LANGUAGE when it names one, else English."""
    configured = os.environ.get("PROOFING_LANGUAGE", "")
    return configured if is_language(configured) else SOURCE


def _say(text: str, stream: TextIO | None = None, end: str = "\n") -> None:
    """Print to standard output (or `stream`), never failing on a character its encoding cannot hold.

    A terminal set to a narrow encoding (LANG=C on an old system, a Windows console) would otherwise
    turn a Welsh letter or an emoji in a plan into a UnicodeEncodeError; such a character is shown as
    its escape (\\u0175) instead. Every control character in it (a title's escape sequence or bell) is written
    as its escape too (proofing.safe_text.terminal), so no plan can drive the terminal.
    """
    out = stream if stream is not None else sys.stdout
    text = safe_text.terminal(text)
    try:
        out.write(text + end)
    except UnicodeEncodeError:
        encoding = getattr(out, "encoding", None) or "utf-8"
        out.write((text + end).encode(encoding, "backslashreplace").decode(encoding, "replace"))
    out.flush()


def _say_json(data: Any) -> None:
    """Print data as strict JSON (RFC 8259: no NaN or Infinity), as UTF-8 text, or escaped if the output is narrower."""
    text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        text = json.dumps(data, indent=2, ensure_ascii=True, allow_nan=False)
    _say(text)


def _level_words(kb: KnowledgeBase, assessment: Assessment, language: str) -> str:
    """The screening level in the rule base's words, in the language of this run."""
    if is_language(language) and language != SOURCE:
        return localised(kb, language).kb.scoring.level_words[assessment.level]
    return assessment.level_words


def _text_in(kb: KnowledgeBase, plan: Any, source: str, language: Language, accept_all: bool = False) -> str:
    """The assessment as text in `language`: assessed against the rule base in that language (the same ids, rules
    and scores, so the same findings), in the command line's words in that language."""
    global _translation
    kept = _translation
    _translation = translator(language)
    try:
        words = localised(kb, language).kb
        assessment = assess(words, plan, source)
        decisions = all_in_place(assessment) if accept_all else {}
        extra = before_and_after_text(words, assessment, decisions, accept_all, plan_suggestions(kb, assessment))
        return assessment_text(words, assessment).rstrip("\n") + "\n\n" + extra
    finally:
        _translation = kept


def assessment_text(kb: KnowledgeBase, assessment: Assessment) -> str:
    """The assessment as readable text in the language of this run (``proofing assess``): the rule base's words
    from `kb` (give ``localised(kb, "cy").kb`` for Welsh), the command line's own through its catalogue. In English
    it is, word for word, proofing.assessment.assessment_as_text."""
    aims = {aim.id: aim.name for aim in kb.psed_aims}
    plan = assessment.plan
    rag = {"red": _("RED"), "amber": _("AMBER"), "green": _("GREEN")}
    severity = {"high": _("high"), "medium": _("medium"), "low": _("low")}
    lines = [
        f"{plan.title}",
        _("{service}, owner {owner}", service=plan.service, owner=plan.owner),
        "",
        _("Screening: {level}", level=assessment.level_words),
        *([_("Why: {reason}", reason=assessment.level_reason)] if assessment.level_reason else []),
        _("Decision asked for: {decision}", decision=assessment.decision),
    ]
    negatives = [f for f in assessment.findings if f.direction == "negative"]
    positives = [f for f in assessment.findings if f.direction == "positive"]
    lines.append(
        _(
            "{negative} negative and {positive} positive findings.",
            negative=len(negatives),
            positive=len(positives),
        )
    )
    for heading, group in ((_("Negative findings"), negatives), (_("Positive findings"), positives)):
        if not group:
            continue
        lines += ["", heading, ""]
        for finding in group:
            who = "; ".join(_group_reason(reason) for reason in finding.group_reasons)
            mark = rag[finding.rag] if finding.direction == "negative" else _("POSITIVE")
            score = _(
                "likelihood {likelihood} x severity {severity} = {score}",
                likelihood=finding.likelihood,
                severity=finding.severity,
                score=finding.score,
            )
            lines.append(f"* {finding.title} [{mark}, {score}]")
            if who:
                lines.append("  " + _("Affects: {groups}", groups=who))
            lines.append("  " + _("Duty: {aims}", aims="; ".join(aims[a] for a in finding.psed_aims)))
            lines.append("  " + _("Why: {rationale}", rationale=finding.rationale))
            if finding.consolidates:
                lines.append("  " + _("Also covers: {titles}", titles="; ".join(finding.consolidates)))
            for because in finding.because:
                lines.append("  " + _("Because: {reason}", reason=because.question_text + " " + because.answer_text))
            for fact in finding.facts:
                lines.append("  " + _("Because: {reason}", reason=fact))
            for mitigation in finding.mitigations:
                if finding.direction == "negative":
                    lines.append("  " + _("Mitigation: {text}", text=mitigation.text))
                else:
                    lines.append("  " + _("To make the most of it: {text}", text=mitigation.text))
                for action in mitigation.linked:
                    lead = " " + _("(lead: {lead})", lead=action.lead) if action.lead else ""
                    lines.append("    - " + _("strategy action {id}: {text}", id=action.id, text=action.text) + lead)
            lines.append("")
    if assessment.gaps:
        lines += [_("Gaps in this assessment (they do not change the screening; close them before the decision)"), ""]
        for gap in assessment.gaps:
            lines.append(f"* [{severity[gap.severity]}] {gap.message}")
            for remedy in gap.remedies:
                actions = ", ".join(action.id for action in remedy.linked)
                lines.append(
                    "  " + _("To close it: {text} (strategy action {actions})", text=remedy.text, actions=actions)
                )
    if assessment.warnings:
        lines += ["", _("Warnings"), ""]
        lines += [f"* {warning}" for warning in assessment.warnings]
    version = _(
        "Rule base {version} (sha256 {sha})", version=assessment.rule_base.version, sha=assessment.rule_base.sha256[:12]
    )
    lines += ["", version]
    return "\n".join(lines).rstrip() + "\n"


def _decisions(arguments: argparse.Namespace, assessment: Assessment) -> dict[str, MitigationDecision]:
    """The decisions the residual counts: every mitigation in place (done) with --accept-all, else none (a plan file
    carries answers only; the app keeps a service's decisions with its saved assessment)."""
    return all_in_place(assessment) if arguments.accept_all else {}


def before_and_after_json(
    kb: KnowledgeBase, assessment: Assessment, decisions: dict[str, MitigationDecision], accept_all: bool
) -> dict[str, Any]:
    """The ``residual`` and ``what_if`` members of ``proofing assess --json``: each negative finding before and
    after the mitigations counted (``proofing.impact.residual``), both levels and the matrix moves; and the
    smallest changes to the plan's own choices that would lower the level (``proofing.whatif``), in words."""
    result = residual(kb, assessment, decisions)
    counted = "every mitigation in place (done, with --accept-all)" if accept_all else "no mitigation accepted yet"
    suggestions = plan_suggestions(kb, assessment)
    return {
        "residual": {
            "mitigations_counted": counted,
            "level": result.level,
            "level_words": result.level_words,
            "residual_level": result.residual_level,
            "residual_level_words": result.residual_level_words,
            "level_lowered": result.level_lowered,
            "findings": [finding.model_dump(mode="json") for finding in result.findings],
            "moves": [move.model_dump(mode="json") for move in result.matrix.moves],
        },
        "what_if": [_suggestion_json(kb, s) for s in suggestions] if suggestions is not None else [],
    }


def _suggestion_json(kb: KnowledgeBase, suggestion: Suggestion) -> dict[str, Any]:
    """One what-if suggestion for --json: the changes by question id and answer ids and in words, the levels, the
    findings it removes, lowers or brings, and its sentence in the language of this run."""
    return {
        "changes": [change.model_dump(mode="json") for change in suggestion.changes],
        "level_before": suggestion.level_before,
        "level_after": suggestion.level_after,
        "level_before_words": suggestion.level_before_words,
        "level_after_words": suggestion.level_after_words,
        "steps": suggestion.steps,
        "findings_removed": [f.model_dump(mode="json") for f in suggestion.findings_removed],
        "findings_lowered": [f.model_dump(mode="json") for f in suggestion.findings_lowered],
        "findings_added": [f.model_dump(mode="json") for f in suggestion.findings_added],
        "no_longer_asked": suggestion.no_longer_asked,
        "sentence": suggestion_sentence(kb, suggestion, _translation),
    }


def before_and_after_text(
    kb: KnowledgeBase,
    assessment: Assessment,
    decisions: dict[str, MitigationDecision],
    accept_all: bool,
    suggestions: list[Suggestion] | None,
) -> str:
    """The "Before and after" and "What would change the level" sections of ``proofing assess``, in the language
    of this run (`kb` the rule base in that language)."""
    result: Residual = residual(kb, assessment, decisions)
    lines = [_("Before and after"), ""]
    if not result.findings:
        lines.append(_("No negative impact was found, so there is nothing to mitigate."))
    else:
        lines.append(
            _("With every suggested mitigation in place (done, with --accept-all):")
            if accept_all
            else _("No mitigation accepted yet: the residual scores are the scores as assessed.")
        )
        for finding in result.findings:
            lines.append(
                "* "
                + _(
                    "{title}: {before} before, {after} after",
                    title=finding.title,
                    before=f"{finding.likelihood} x {finding.severity} = {finding.score}",
                    after=f"{finding.residual_likelihood} x {finding.residual_severity} = {finding.residual_score}",
                )
            )
        lines += [
            "",
            _("Screening: {level}", level=result.level_words),
            _("Residual level: {level}", level=result.residual_level_words),
        ]
    lines += ["", _("What would change the level"), ""]
    if suggestions is None:
        lines.append(_("The plan is not complete, so what would change its level is not worked out yet."))
    elif not suggestions:
        lines.append(_("Nothing within two of the plan's own choices would lower the level."))
    else:
        lines += ["* " + suggestion_sentence(kb, suggestion, _translation) for suggestion in suggestions]
    return "\n".join(lines) + "\n"


def _group_reason(reason: GroupReason) -> str:
    """Why a finding names a group, in the language of this run (proofing.assessment.group_reason_words in English)."""
    if reason.reason == "named":
        return _("{name} (the plan names it)", name=reason.name)
    return _("{name} (because: {because})", name=reason.name, because=reason.because)
