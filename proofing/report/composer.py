"""The composer: an assessment and what is known about it, worked out first (the rule base and assessment in each
language of the record, the residual scores, what would lower the level, the approval, workshops, versions and
cumulative overlaps in ``ReportDetails``), composed into typed blocks (proofing.report.blocks) that hold every word
of the record in its language. The renderers (proofing.report.word, proofing.report.html) only lay them out.

This module holds the later sections: the mitigation action plan, before and after, what would change the level,
the cumulative impact, monitoring and review, the quality gaps, sign-off, the plan as described and the appendix.
"""

from __future__ import annotations

from importlib.metadata import version

from proofing.assessment import (
    Assessment,
    LinkedAction,
    answer_words,
    assess,
    assess_draft,
    level_label,
    with_agreement,
)
from proofing.audit_words import action_words, audit_lines
from proofing.decisions import MitigationDecision, mitigation_key
from proofing.drafts import rule_drafts
from proofing.errors import ProofingError
from proofing.impact import counting_words, residual
from proofing.knowledge import KnowledgeBase
from proofing.language import Language, RecordLanguage, localised, translator
from proofing.plan import PlanError
from proofing.record import clean_text
from proofing.report.blocks import Cell, ComposedRecord, PageBreak
from proofing.report.compose_base import Half, RecordFormat
from proofing.report.compose_sections import FindingSections
from proofing.report.details import ReportDetails, Signatory, producer_words
from proofing.report.drafts import draft_note
from proofing.report.words import (
    AUDIT_ROWS_SHOWN,
    GAP_SEVERITY_FILL,
    GAP_SEVERITY_WORDS,
    HEADER_FILL,
    N_,
    RAG_FILL,
    TEMPLATE_WORDS,
    language_words,
    number_of,
    plan_suggestions,
    short,
    suggestion_sentence,
)
from proofing.rule_words import rule_words
from proofing.store import Approval
from proofing.visible import RECORD_SHA_PLACEHOLDER


def prepare(
    kb: KnowledgeBase, assessment: Assessment, meta: ReportDetails | None, language: RecordLanguage | None
) -> tuple[ReportDetails, list[Half]]:
    """Work out, before composing, everything a record is composed from: the details with the language and the
    council named, and for each language of the record (Welsh, then English, in a bilingual one) its rule base and
    assessment, the residual scores and what would lower the level (from the English plan, once).

    `kb` and `assessment` are English; the record's language is `language`, else ``meta.language``. The council is
    named as the rule base names it in each language ("Cyngor ... / ... Council") unless the caller named it.
    """
    meta = meta or ReportDetails(assessors=[assessment.plan.owner])
    chosen: RecordLanguage = language or meta.language
    languages: tuple[Language, ...] = ("cy", "en") if chosen == "bilingual" else (chosen,)
    council = meta.council or " / ".join(dict.fromkeys(localised(kb, half).kb.council for half in languages))
    meta = meta.model_copy(update={"language": chosen, "council": council})
    suggestions = plan_suggestions(kb, assessment)
    halves = []
    for half in languages:
        shown_kb, shown, fallbacks = _shown_in(kb, assessment, meta, half)
        halves.append(
            Half(
                language=half,
                kb=shown_kb,
                assessment=shown,
                meta=meta,
                residual=residual(shown_kb, shown, meta.decisions, meta.notes),
                suggestions=suggestions,
                fallbacks=fallbacks,
                rule_drafts=rule_drafts(kb, half),
            )
        )
    return meta, halves


def compose(halves: list[Half], record_format: RecordFormat = "docx") -> list[ComposedRecord]:
    """Each half's record as blocks, the appendix quoting the record's sha256 as a placeholder (the sha256 is
    known only once the visible text is digested into the record, and replaces it then); the second half starts
    on a page of its own."""
    composed = []
    for index, half in enumerate(halves):
        composer = Composer(half, translator(half.language), record_format)
        if index:
            composer.blocks.append(PageBreak())
        composer.write()
        composer.appendix(RECORD_SHA_PLACEHOLDER)
        draft_note(composer, half.rule_drafts)  # issue 25: how much of its Welsh is draft, in the front matter
        composed.append(composer.framed())
    return composed


def _shown_in(
    kb: KnowledgeBase, assessment: Assessment, meta: ReportDetails, language: Language
) -> tuple[KnowledgeBase, Assessment, frozenset[str]]:
    """The rule base and the assessment a record shows in `language`, and the rule-base texts that fell back to
    English (whitespace folded), which the record tags as English.

    In Welsh the plan is assessed again with the Welsh rule base and the same recorded agreement: the same ids,
    conditions and scores give the same findings, in Welsh words. That they are the same is checked, so that the
    visible record can never say other than the embedded one.
    """
    if language == "en":
        return kb, assessment, frozenset()
    found = localised(kb, language)
    try:
        shown = assess(found.kb, assessment.plan)
    except PlanError:  # a draft the app exports while answers are still missing: assessed as the draft was
        shown = assess_draft(found.kb, assessment.plan)[0]
    shown = with_agreement(found.kb, shown, meta.notes)
    if _scored(shown) != _scored(assessment):
        raise ProofingError(
            "the assessment cannot be written in Welsh: the Welsh rule base gives other findings than the English "
            f"one ({found.kb.version}); run `proofing rules check --lang cy`"
        )
    return found.kb, shown, frozenset(" ".join(text.split()) for text in found.fallbacks)


def _scored(assessment: Assessment) -> tuple[object, ...]:
    """What must be the same in every language: the level, each finding's rule and scores, and the gaps' kinds."""
    findings = [(f.rule, f.direction, f.likelihood, f.severity, f.score, f.rag) for f in assessment.findings]
    return (
        assessment.level,
        findings,
        [f.rule for f in assessment.dropped],
        [(g.kind, g.severity, g.question) for g in assessment.gaps],
    )


class Composer(FindingSections):
    """Composes one language's record, section by section, in the order a board and then an auditor read them."""

    def framed(self) -> ComposedRecord:
        """The composed record with the words of its frame: the document's title, subject, author and keywords,
        the header's and footer's values, and the template's own words in the record's language."""
        record = self.record
        title = clean_text(self.a.plan.title)
        record.plan_title = title
        record.council = clean_text(self.meta.council)
        record.rule_base_version = clean_text(self.a.rule_base.version)
        record.document_title = self._("Equality Impact Assessment: {title}", title=title)
        record.subject = short(clean_text(self.a.plan.service))
        record.author = short(clean_text(self.meta.produced_by))
        record.keywords = short(self._("EIA; cohesion proofing; {level}", level=self.a.level))
        record.frame_words = {words: self._(words) for words in TEMPLATE_WORDS}
        record.status, record.status_mark = self.record_state, self.status_mark()
        return record

    def write(self) -> None:
        """Write every section but the appendix, in the order a board and then an auditor read them."""
        self.title_page()
        self.contents()
        self.welsh_duties()
        self.findings_by_group()
        self.findings_in_full()
        self.workshops()
        self.mitigation_plan()
        self.before_and_after()
        self.what_would_change()
        self.cumulative()
        self.monitoring()
        self.gaps()
        self.signoff()
        self.plan_as_described()

    def mitigation_plan(self) -> None:
        """The plan: each mitigation beside the finding it answers, with the strategy actions it draws on and
        the service's owner, due date and status; then those actions, each once, with the lead and timescale
        the strategy gave them, labelled as the strategy's so that no one takes them for deadlines.

        Portrait, like the rest: with the actions' words in a table of their own the plan fits the page, and a
        landscape section would start and end on a page of its own, most of each left blank.
        """
        self.heading(self._("Mitigation action plan"), 1)
        rows: list[list[str | Cell]] = []
        cited: dict[str, LinkedAction] = {}
        for finding in self.a.findings:
            if finding.direction != "negative":
                continue
            if finding.mitigations:  # a row across the table with the finding's title, then its mitigations
                rag = self._("{rag}, score {score}", rag=self.rag(finding.rag), score=finding.score)
                rows.append([Cell(f"{self.finding_label(finding)} ({rag})", bold=True, fill=HEADER_FILL, span=6)])
            own = [entry for entry in self.meta.notes.own.values() if entry.finding == finding.rule]
            if (
                own or finding.rule in self.meta.notes.set_aside or finding.added_by_workshop
            ) and not finding.mitigations:
                rows.append([Cell(self.finding_label(finding), bold=True, fill=HEADER_FILL, span=6)])
            if finding.added_by_workshop and not own:  # the rules know nothing of it, so suggest nothing
                rows.append(
                    [
                        str(self.number[finding.rule]),
                        self._(
                            "Added by the EIA workshop: no mitigation suggested by the rules; the service's own to "
                            "agree."
                        ),
                        self._("None"),
                        self._("To be agreed"),
                        self._("To be agreed"),
                        self._("To be agreed"),
                    ]
                )
            if finding.rule in self.meta.notes.set_aside:
                reason = self.meta.notes.set_aside[finding.rule].reason
                rows.append(
                    [
                        str(self.number[finding.rule]),
                        self._("Finding set aside: {reason}", reason=reason),
                        "",
                        "",
                        "",
                        self._("Set aside"),
                    ]
                )
            for index, mitigation in enumerate(finding.mitigations):
                key = mitigation_key(finding, index)
                decision = self.meta.decisions.get(key, MitigationDecision())
                note = self.meta.notes.mitigations.get(key)
                cited |= {action.id: action for action in mitigation.linked if action.id not in cited}
                text = mitigation.text
                status = self.status(decision.status)
                if note is not None and note.choice == "adapted" and note.adapted:
                    text = self._("{adapted} (adapted from: {text})", adapted=note.adapted, text=mitigation.text)
                    status = self._("Adapted")
                if note is not None and note.reason:
                    text = self._("{text} Reason given: {reason}", text=text, reason=note.reason)
                rows.append(
                    [
                        str(self.number[finding.rule]),
                        text,
                        ", ".join(mitigation.actions) or self._("None"),
                        decision.owner or self._("To be agreed"),
                        decision.due or self._("To be agreed"),
                        status,
                    ]
                )
            for entry in own:
                text = self._("The service's own mitigation: {text}", text=entry.text)
                if entry.reason:
                    text = self._("{text} Reason given: {reason}", text=text, reason=entry.reason)
                rows.append(
                    [
                        str(self.number[finding.rule]),
                        text,
                        self._("None"),
                        entry.owner or self._("To be agreed"),
                        entry.due or self._("To be agreed"),
                        self.status(entry.status),
                    ]
                )
        if not rows:
            self.para(
                self._("No negative impact remains after the EIA workshop, so no mitigation is needed.")
                if any(f.direction == "negative" for f in self.a.dropped)
                else self._("No negative impact was found, so no mitigation is needed.")
            )
            return
        self.para(
            self._(
                "Each mitigation is listed under the finding it answers, with that finding's number. The owner, the "
                "due date and the status are the service's. The strategy actions are listed after the plan with the "
                "lead and the timescale the strategy gave them for {period}: they show what a mitigation draws on, "
                "not when it is due.",
                period=self.period,
            ),
            keep_next=True,
        )
        self.table(
            [
                self._("Finding"),
                self._("Mitigation"),
                self._("Action"),
                self._("Owner"),
                self._("Due date"),
                self._("Status"),
            ],
            rows,
            [1.75, 8.75, 1.45, 1.6, 1.55, 1.9],
        )
        self.heading(self._("The strategy actions the mitigations draw on"), 2)
        if not cited:
            self.para(self._("None: no mitigation above draws on a strategy action."))
            return
        self.table(
            [
                self._("Action"),
                self._("What the strategy says"),
                self._("Lead named in the strategy ({period})", period=self.period),
                self._("Strategy timescale ({period})", period=self.period),
            ],
            [self.action_row(action) for action in cited.values()],
            [1.45, 7.6, 4.6, 3.35],
        )

    def action_row(self, action: LinkedAction) -> list[str | Cell]:
        """One strategy action or Migrant Worker task as the actions table lists it, its timescale labelled.

        A Migrant Worker task's timescale is that plan's target, older than the strategy's, and says so.
        """
        timescale = action.timescale or self._("Not given")
        found = self.kb.find(action.id)
        plan = self.kb.migrant_worker_plan
        if found is not None and found[0] == "Migrant Worker task" and action.timescale and plan is not None:
            timescale = self._(
                "{timescale} (the Migrant Worker plan's target; plan updated {updated})",
                timescale=timescale,
                updated=plan.updated,
            )
        return [action.id, action.text, action.lead or self._("Not given"), timescale]

    def status(self, status: str) -> str:
        """A mitigation's status in words: "Proposed", "Accepted", "Done"..."""
        words = {
            "proposed": N_("Proposed"),
            "accepted": N_("Accepted"),
            "rejected": N_("Rejected"),
            "done": N_("Done"),
            "adapted": N_("Adapted"),
        }
        return self._(words[status]) if status in words else status.capitalize()

    def score_words(self, likelihood: int, severity: int, score: int, rag: str) -> str:
        """A score as the tables give it: "4 × 4 = 16 (Red)"."""
        return self._(
            "{likelihood} × {severity} = {score} ({rag})",
            likelihood=likelihood,
            severity=severity,
            score=score,
            rag=self.rag(rag),
        )

    def before_and_after(self) -> None:
        """Each negative finding's inherent score (as assessed) beside its residual score (after the mitigations in
        place, by the effects the rule base declares for them), and the residual level. The table is the matrix of
        the moves: each row is a finding's move from its cell before to its cell after (a 5 × 5 grid as well cost
        the libraries record its twelve-page limit, and a table reads aloud where a picture needs alt text)."""
        self.heading(self._("Before and after"), 1)
        result = self.result
        if not result.findings:
            self.para(self._("No negative impact was found, so there is nothing to mitigate."))
            return
        self.labelled(self._("Screening level (before mitigation)"), result.level_words)
        self.labelled(self._("Residual level (after the mitigations in place)"), result.residual_level_words)
        # which mitigations were counted, and why others were not: one paragraph
        self.para(" ".join(counting_words(result, self.t, short=80)), keep_next=bool(result.counted))
        if not result.counted:  # nothing moved: a table repeating every score as assessed would only lengthen it
            return
        rows: list[list[str | Cell]] = []
        for finding in result.findings:
            moved_by = [
                self._("{text} ({reason})", text=short(applied.text), reason=applied.reason)
                for applied in finding.applied
                if applied.after < applied.before
            ]
            moved_by += [self._("{text} (no declared effect)", text=short(u.text)) for u in finding.unscored]
            rows.append(
                [
                    f"{self.number.get(finding.rule, '')}. {finding.title}",
                    Cell(
                        self.score_words(finding.likelihood, finding.severity, finding.score, finding.rag),
                        fill=RAG_FILL[finding.rag],
                    ),
                    Cell(
                        self.score_words(
                            finding.residual_likelihood,
                            finding.residual_severity,
                            finding.residual_score,
                            finding.residual_rag,
                        ),
                        fill=RAG_FILL[finding.residual_rag],
                    ),
                    "; ".join(moved_by) or self._("Nothing yet"),
                ]
            )
        self.table(
            [
                self._("Finding"),
                self._("Before: likelihood × severity"),
                self._("After: likelihood × severity"),
                self._("What moved it"),
            ],
            rows,
            [5.5, 2.6, 2.6, 6.3],
        )

    def what_would_change(self) -> None:
        """The smallest changes to the plan's own choices that would lower its level, in the record's language."""
        self.heading(self._("What would change the level"), 2)
        if self.suggestions is None:
            self.para(self._("The plan is not complete, so what would change its level is not worked out yet."))
            return
        if not self.suggestions:
            self.para(self._("Nothing within two of the plan's own choices would lower the level."))
            return
        self.para(
            self._(
                "Changes to the plan's own choices (never to facts about the people it serves) that would lower the "
                "screening level, fewest changes first. They are options to consider, not advice to take."
            )
        )
        titles = {f.rule: f.title for f in self.a.findings}  # in the record's language
        for suggestion in self.suggestions:
            self.bullet(suggestion_sentence(self.kb, suggestion, self.t))
            removed = [titles.get(f.rule, f.title) for f in suggestion.findings_removed]
            if removed:
                self.para("  " + self._("It would remove: {titles}", titles="; ".join(removed)))

    def cumulative(self) -> None:
        """The other live assessments hitting the same groups in the same wards or period ("also affected by")."""
        self.heading(self._("Cumulative impact"), 2)
        overlaps = self.meta.also_affected
        if not overlaps:
            self.para(self._("No other live assessment hits the same groups in the same wards or period."))
            return
        self.para(
            self._(
                "Other live assessments with negative findings on the same groups, in the same wards or period. "
                "Consider them together: one community may be absorbing several changes at once."
            ),
            keep_next=True,
        )
        rows: list[list[str | Cell]] = [
            [
                self._hidden(overlap.hidden) if overlap.hidden else overlap.title,
                overlap.service,
                rule_words(overlap.group, self.t.language),
                self._("not shown")  # the level of the assessments a person may not open, counted together
                if overlap.hidden
                else rule_words(overlap.level, self.t.language)
                if overlap.level
                else self._("Not screened yet"),
                ", ".join(overlap.wards) or overlap.period,
            ]
            for overlap in overlaps
        ]
        self.table(
            [self._("Assessment"), self._("Service"), self._("Group"), self._("Level"), self._("Wards or period")],
            rows,
            [4.5, 3.2, 3.2, 2.6, 3.5],
        )

    def _hidden(self, count: int) -> str:
        """The assessments a person may not open, counted in the record's language (never named)."""
        return self.t.n_("{n} other assessment not shared with you", "{n} other assessments not shared with you", count)

    def monitoring(self) -> None:
        answers = self.a.answers
        self.heading(self._("Monitoring and review"), 1)
        if self.kb.strategy_2011 is not None:
            self.para(
                self._(
                    "Monitored in Results Based Accountability terms, as the {strategy} adopted for its own "
                    "monitoring.",
                    strategy=self.kb.strategy_2011.title,
                )
            )
        else:
            self.para(self._("Monitored in Results Based Accountability terms."))
        mitigations = sum(len(f.mitigations) for f in self.a.findings if f.direction == "negative")
        accepted = sum(1 for d in self.meta.decisions.values() if d.status in ("accepted", "done"))
        self.heading(self._("How much did we do?"), 2)
        self.para(
            self._(
                "{accepted} of {mitigations} suggested mitigations accepted; each is tracked in the action plan above.",
                accepted=accepted,
                mitigations=mitigations,
            )
        )
        self.heading(self._("How well did we do it?"), 2)
        roles = self.kb.questionnaire.roles
        if answers.get(roles.monitoring) is True:
            by_group = (
                self._("broken down by the groups affected")
                if answers.get(roles.monitoring_by_group)
                else self._("not broken down by group")
            )
            months = answers.get(roles.review_months)
            if self.review_given():  # the approver's date (or one given), never the plan's months beside it
                self.para(
                    self._(
                        "The effect will be monitored, {by_group}, and the plan reviewed by {day}.",
                        by_group=by_group,
                        day=self.review_words(),
                    )
                )
            elif isinstance(months, int | float):
                self.para(
                    self._(
                        "The effect will be monitored, {by_group}, and the plan reviewed within {months} months.",
                        by_group=by_group,
                        months=f"{months:g}",
                    )
                )
            else:
                self.para(self._("The effect will be monitored, {by_group}.", by_group=by_group))
        else:
            self.para(self._("No monitoring plan was described. This is reported as a gap below."))
        self.heading(self._("Is anyone better off?"), 2)
        cited = sorted({i for f in self.a.findings for i in f.indicators}, key=lambda i: int(number_of(i)))
        if cited:
            self.para(
                self.n_(
                    "The findings bear on cohesion indicator {numbers} (below, with the baselines the strategy "
                    "reports and the findings that bear on each); track it for the groups affected.",
                    "The findings bear on cohesion indicators {numbers} (below, with the baselines the strategy "
                    "reports and the findings that bear on each); track them for the groups affected.",
                    len(cited),
                    numbers=self.and_list([number_of(i) for i in cited]),
                )
            )
        else:
            self.para(self._("The findings bear on none of the national cohesion indicators."))
        self.heading(self._("The cohesion indicators and their baselines"), 3)
        rows: list[list[str | Cell]] = []
        for indicator in self.kb.indicators:
            figures = "; ".join(
                f"{b.date}{' ' + b.setting if b.setting else ''}: {b.percent:g}%" for b in indicator.baselines
            )
            if indicator.national_comparison:
                figures += self._("; national {percent}%", percent=f"{indicator.national_comparison.percent:g}")
            findings = [str(self.number[f.rule]) for f in self.a.findings if indicator.id in f.indicators]
            rows.append(
                [
                    f"{number_of(indicator.id)}. {indicator.text}",
                    figures or self._("No baseline given in the strategy"),
                    ", ".join(findings) or self._("None"),
                ]
            )
        self.table([self._("Indicator"), self._("People's Voice baseline"), self._("Findings")], rows, [8.6, 5.6, 2.8])

    def gaps(self) -> None:
        """The gaps in the assessment itself, most severe first, each beside the strategy actions that close it."""
        self.heading(self._("Quality gaps in this assessment"), 1)
        if not self.a.gaps:
            self.para(self._("None found."))
            return
        self.para(
            self._("Gaps do not change the screening level; close them before the decision is taken."), keep_next=True
        )
        rows: list[list[str | Cell]] = []
        for gap in self.a.gaps:
            remedies = [
                self._(
                    "{text} (strategy action {actions})",
                    text=remedy.text,
                    actions=", ".join(action.id for action in remedy.linked),
                )
                if remedy.linked
                else remedy.text
                for remedy in gap.remedies
            ]
            if len(remedies) > 1:  # each its own line, marked, so two remedies never read as one
                remedies = [f"• {remedy}" for remedy in remedies]
            rows.append(
                [
                    Cell(self._(GAP_SEVERITY_WORDS[gap.severity]), fill=GAP_SEVERITY_FILL.get(gap.severity)),
                    gap.message,
                    "\n".join(remedies)
                    or self._("The strategy names no action for this; the gap says what is missing."),
                ]
            )
        self.table([self._("Severity"), self._("Gap"), self._("To close it")], rows, [1.9, 8.3, 6.8])

    def signoff(self) -> None:
        """The sign-off: who approved the decision, or a table to sign."""
        self.heading(self._("Sign-off"), 1)
        approval = self.own_approval  # an earlier version's approval is not this draft's (proofing.report.status)
        if approval is not None:
            self.approval(approval)
            return
        people = self.meta.signoff or [Signatory(), Signatory()]
        self.table(
            [self._("Name"), self._("Role"), self._("Date"), self._("Signature")],
            [[p.name, p.role, p.date, ""] for p in people],
            [5, 5, 2.6, 4.4],
            row_height_cm=1.0,
        )
        self.para(self._("Review date: {day}", day=self.review_words()))

    def approval(self, approval: Approval) -> None:
        """Who signed off the decision actually taken, when, and on which version; or where the approval stands."""
        outcome = {
            "approved": self._("Approved: the assessment is final."),
            "submitted": self._("Submitted for approval; no decision yet."),
            "sent_back": self._("Sent back to the service with comments."),
        }[approval.outcome]
        self.para(outcome, bold=True)
        rows = [
            (
                self._("Assessment"),
                self._("{title}, version {version}", title=self.a.plan.title, version=approval.version),
            ),
            (self._("Submitted by"), f"{approval.submitted_by}, {approval.submitted_at:%Y-%m-%d %H:%M} UTC"),
            (self._("The tool's advice"), level_label(self.kb, approval.advice)),
        ]
        if approval.decided_by:
            when = f", {approval.decided_at:%Y-%m-%d %H:%M} UTC" if approval.decided_at else ""
            rows.append(
                (
                    self._("Approved by") if approval.outcome == "approved" else self._("Decided by"),
                    f"{approval.decided_by}{when}",
                )
            )
        for label, value in (
            (self._("Decision taken"), approval.decision_taken),
            (self._("Reasons"), approval.reasons),
            (self._("Conditions"), approval.conditions),
            (self._("Comments"), approval.comments),
        ):
            if value:
                rows.append((label, value))
        rows.append((self._("Review date"), self.review_words()))
        self.key_values(rows)
        self.acknowledged(approval)

    def plan_as_described(self) -> None:
        """The manager's answers, question by question in words: one table, a shaded row for each section."""
        self.heading(self._("The plan as described"), 1)
        rows: list[list[str | Cell]] = []
        for section in self.kb.questionnaire.sections:
            answered: list[list[str | Cell]] = [
                [question.text, answer_words(self.kb, question.id, self.a.answers[question.id])]
                for question in section.questions
                if question.id in self.a.answers
            ]
            if answered:
                rows.append([Cell(section.title, bold=True, fill=HEADER_FILL, span=2)])
                rows += answered
        if rows:
            self.table([self._("Question"), self._("Answer")], rows, [10.2, 6.8])
        if self.a.warnings:
            self.heading(self._("Answers set aside"), 2)
            for warning in self.a.warnings:
                self.bullet(warning)

    def appendix(self, record_sha: str) -> None:
        """The appendix for auditors: what made the record, its sha256, how to verify it, and the audit trail."""
        self.heading(self._("Appendix for auditors"), 1)
        self.key_values(
            [
                (self._("Rule base"), self.a.rule_base.name),
                (self._("Rule base version"), self.a.rule_base.version),
                (self._("Rule base sha256"), self.a.rule_base.sha256),
                (self._("Engine"), f"{self.a.engine.name} {self.a.engine.version}"),
                (self._("Produced with"), f"proofing {version('proofing')}"),
                (self._("Produced at"), self.meta.produced_at),
                (self._("Produced by"), producer_words(self.meta.produced_by, self.t)),
                (self._("Embedded record sha256"), record_sha),
                *(
                    [(self._("Language of this record"), self._(language_words(self.meta.language)))]
                    if self.meta.language != "en"
                    else []
                ),
            ]
        )
        self.para(
            self._(
                "The assessment's machine record travels inside this file. To check that it is intact and that the "
                "current rule base still gives the same findings, run: proofing verify THIS-FILE.docx"
            )
            if self.format == "docx"
            else self._(
                "The assessment's machine record travels inside this page. To check that it is intact and that the "
                "current rule base still gives the same findings, save the page and run: proofing verify "
                "THIS-FILE.html"
            )
        )
        if self.meta.language != "en":
            self.para(
                self._(
                    "The machine record is in English whatever language this document is written in, so that it is "
                    "checked the same way in every language."
                )
            )
        if self.meta.audit:
            self.heading(self._("Audit trail"), 2)
            entries = self.meta.audit
            counts: dict[str, int] = {}
            for entry in entries:
                named = action_words(entry.action, self.t)
                counts[named] = counts.get(named, 0) + 1
            self.para(
                self.n_(
                    "{n} entry from {first} to {last}: {counts}. The most recent:",
                    "{n} entries from {first} to {last}: {counts}. The most recent:",
                    len(entries),
                    first=f"{entries[0].at:%Y-%m-%d}",
                    last=f"{entries[-1].at:%Y-%m-%d}",
                    counts="; ".join(f"{action} {count}" for action, count in counts.items()),
                )
            )
            self.table(
                [self._("When (UTC)"), self._("Who"), self._("What")],
                [  # in words: titles, questions and mitigations, never ids (proofing.audit_words)
                    [f"{line.at:%Y-%m-%d %H:%M}", line.who, line.what]
                    for line in audit_lines(self.kb, entries[-AUDIT_ROWS_SHOWN:], assessment=self.a, words=self.t)
                ],
                [3.2, 5.0, 8.8],
            )
