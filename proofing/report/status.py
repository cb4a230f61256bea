"""A record that states its status: draft, submitted or approved, on its cover, on page 1 and on every page.

A record is of one version of an assessment (``ReportDetails.version``; None for a plan file assessed from the
command line). Its status is that version's: *approved* when the approval on record is of this version, *submitted*
when this version awaits a decision, else a *draft* (never submitted, sent back, or a later version than the one
approved). ``record_status`` decides it, once; the composer (``StatusSections``) writes it on the cover, in the
board's summary (the decision actually taken, by whom and when, the conditions and the review date, where a draft
asks for a decision) and in the words every page carries (``ComposedRecord.status_mark``: the Word header, the
HTML banner); ``record_file_name`` names the file with the title, version and status.
"""

from __future__ import annotations

from typing import Literal

from proofing.approvals import Acknowledgement, Approval
from proofing.language import Translator, translator
from proofing.report.compose_base import ComposerBase
from proofing.report.words import N_, default_review
from proofing.steps import file_stem

RecordStatus = Literal["draft", "submitted", "approved"]
STATUS_WORDS: dict[RecordStatus, str] = {
    "draft": N_("Draft"),
    "submitted": N_("Submitted for approval"),
    "approved": N_("Approved"),
}
"""A record's status in one word or two (translated where shown)."""


def record_status(approval: Approval | None, version: int | None) -> RecordStatus:
    """The status of the record of `version` given the latest approval on record (None: never submitted).

    The approval counts only for the version it names; with no version (a plan file) it counts as given.

    Examples:
        >>> record_status(None, 3)
        'draft'
    """
    if approval is None or (version is not None and approval.version != version):
        return "draft"
    if approval.outcome == "approved":
        return "approved"
    return "submitted" if approval.outcome == "submitted" else "draft"


def record_file_name(title: str, version: int | None, status: RecordStatus, language: str, suffix: str) -> str:
    """A record's file name: its title, version and status (and its language when not English), so a draft and
    the approved record never share a name.

    Examples:
        >>> record_file_name("Reduce library hours", 3, "approved", "en", ".docx")
        'reduce-library-hours-v3-approved.docx'
        >>> record_file_name("Reduce library hours", None, "draft", "cy", ".html")
        'reduce-library-hours-draft-cy.html'
    """
    parts = [file_stem(title), *([f"v{version}"] if version is not None else []), status]
    if language != "en":
        parts.append(language)
    return "-".join(parts) + suffix


def exporting_words(t: Translator, version: int, status: RecordStatus, approval: Approval | None) -> str:
    """What the Export page says it is exporting: the version and its status, in `t`'s language."""
    if status == "approved" and approval is not None and approval.decided_at is not None:
        return t._(
            "You are exporting version {version}, approved on {day}: the final record, as it was approved.",
            version=version,
            day=t.date(approval.decided_at),
        )
    if status == "submitted":
        return t._(
            "You are exporting version {version}, submitted for approval and not yet approved: the record says so "
            "on every page.",
            version=version,
        )
    return t._(
        "You are exporting version {version}, a draft that has not been approved: the record says so on every page.",
        version=version,
    )


def gap_key(kind: str, question: str | None) -> str:
    """The key of a quality gap, the same in every language: "gap:" and its kind (and question, when it has one).

    Examples:
        >>> gap_key("no_engagement", None), gap_key("unanswered", "review_date")
        ('gap:no_engagement', 'gap:unanswered:review_date')
    """
    return f"gap:{kind}" + (f":{question}" if question else "")


def open_items_words(items: list[Acknowledgement], words: Translator | None = None) -> str:
    """The open items counted in a sentence: "19 undecided mitigations and 1 open high-severity gap" ("" for none).

    Examples:
        >>> from proofing.approvals import Acknowledgement as A
        >>> open_items_words([A(kind="mitigation", key="r:0", text=""), A(kind="gap", key="gap:x", text="")])
        '1 undecided mitigation and 1 open high-severity gap'
        >>> open_items_words([])
        ''
    """
    t = words or translator("en")
    mitigations = sum(1 for item in items if item.kind == "mitigation")
    gaps = len(items) - mitigations
    parts = []
    if mitigations:
        parts.append(t.n_("{n} undecided mitigation", "{n} undecided mitigations", mitigations))
    if gaps:
        parts.append(t.n_("{n} open high-severity gap", "{n} open high-severity gaps", gaps))
    return t._("{items} and {last}", items=parts[0], last=parts[1]) if len(parts) == 2 else "".join(parts)


class StatusSections(ComposerBase):
    """The words about the record's status: the cover's rows, the notice under the title, the board's decision
    lines, the mark on every page, and what the approver acknowledged."""

    @property
    def record_state(self) -> RecordStatus:
        """This record's status (record_status)."""
        return record_status(self.meta.approval, self.meta.version)

    @property
    def own_approval(self) -> Approval | None:
        """The approval on record when it is of this record's version, else None (a later draft's record shows a
        table to sign, not the approval of an earlier version)."""
        approval = self.meta.approval
        if approval is None or (self.meta.version is not None and approval.version != self.meta.version):
            return None
        return approval

    def version_words(self) -> str:
        """The version in words: "Version 3", or that a plan file has none."""
        if self.meta.version is None:
            return self._("None: assessed from a plan file, not kept in the register")
        return self._("Version {version}", version=self.meta.version)

    def status_words(self) -> str:
        """The cover's status: draft, submitted on a day, or approved by someone on a day."""
        approval = self.own_approval
        if self.record_state == "approved" and approval is not None:
            return self._(
                "Approved by {who} on {day}: the decision is taken and this record is final",
                who=approval.decided_by or self._("an approver"),
                day=self.day(f"{approval.decided_at:%Y-%m-%d}") if approval.decided_at else "",
            )
        if self.record_state == "submitted" and approval is not None:
            return self._(
                "Submitted for approval on {day}: no decision yet, so not approved",
                day=self.day(f"{approval.submitted_at:%Y-%m-%d}"),
            )
        return self._("Draft: not approved, and no decision has been taken on it")

    def status_mark(self) -> str:
        """What every page says of the record's status (the Word header, the HTML banner)."""
        version = self._("version {version}", version=self.meta.version) if self.meta.version else ""
        if self.record_state == "approved":
            text = self._("Approved")
        elif self.record_state == "submitted":
            text = self._("Submitted for approval: not approved")
        else:
            text = self._("DRAFT: not approved")
        return f"{text} · {version}" if version else text

    def review_given(self) -> str:
        """The review date set for this record ("2027-06-30"): once approved, the approver's (who may change the
        plan's at sign-off); else the one given for the record, else the date the plan gives; "" when the plan gives
        months or nothing."""
        approval = self.own_approval
        if self.record_state == "approved" and approval is not None and approval.review_date is not None:
            return approval.review_date.isoformat()
        if self.meta.review_date:
            return self.meta.review_date
        roles = self.kb.questionnaire.roles
        day = self.a.answers.get(roles.review_date) if roles.review_date else None
        return day if isinstance(day, str) else ""

    def review_words(self) -> str:
        """The record's one review date in words, wherever it names it (the cover, page 1, monitoring, sign-off):
        review_given as a date, else within the months the plan gives, else still to be set."""
        given = self.review_given()
        if not given:
            return default_review(self.t, self.kb, self.a)
        return self.day(given) if len(given) == 10 and given[4] == "-" else given

    def status_rows(self) -> list[tuple[str, str]]:
        """The cover's rows about status: the status, the version, and the review date."""
        return [
            (self._("Status"), self.status_words()),
            (self._("Version"), self.version_words()),
            (self._("Review date"), self.review_words()),
        ]

    def status_notice(self) -> None:
        """Under the title: a draft or a submitted Word record says, in bold, that it is not approved (the HTML page
        has its banner just above the title)."""
        if self.record_state != "approved" and self.format == "docx":
            self.para(self.status_mark(), bold=True)

    def decision_lines(self) -> None:
        """The end of the board's summary: the decision actually taken, by whom and when, its conditions and the
        review date, and what the approver acknowledged; or, before approval, the decision asked for."""
        approval = self.own_approval
        if self.record_state != "approved" or approval is None:
            self.runs([(self._("Decision asked for: "), True), (self.a.decision, False)])
            if self.record_state == "submitted" and approval is not None:
                self.labelled(
                    self._("Status"),
                    self._(
                        "submitted for approval by {who} on {day}; no decision yet.",
                        who=approval.submitted_by,
                        day=self.day(f"{approval.submitted_at:%Y-%m-%d}"),
                    ),
                )
            return
        self.labelled(self._("Decision taken"), approval.decision_taken)
        self.labelled(
            self._("Approved by"),
            self._(
                "{who} on {day} (the tool advised: {advice})",
                who=approval.decided_by or self._("an approver"),
                day=self.day(f"{approval.decided_at:%Y-%m-%d}") if approval.decided_at else "",
                advice=self.a.decision.rstrip("."),
            ),
        )
        self.labelled(self._("Conditions"), approval.conditions or self._("None"))
        self.labelled(self._("Review date"), self.review_words())
        if approval.acknowledged:
            self.labelled(
                self._("Acknowledged at approval"),
                self._("{items}, each listed under Sign-off.", items=open_items_words(approval.acknowledged, self.t)),
            )

    def decisions_taken(self, accepted: int) -> str:
        """The Welsh duties' "decisions taken": the decision actually taken once approved, else the one asked for;
        and how many mitigations are accepted."""
        approval = self.own_approval
        mitigations = self.n_("{n} mitigation(s) accepted so far", "{n} mitigation(s) accepted so far", accepted)
        if self.record_state == "approved" and approval is not None:
            return self._(
                "Decision taken: {decision} (approved by {who}; the tool advised: {advice}). {accepted}; the "
                "mitigation action plan lists each with its owner, due date and status.",
                decision=approval.decision_taken.rstrip("."),
                who=approval.decided_by or self._("an approver"),
                advice=self.a.decision.rstrip("."),
                accepted=mitigations[:1].upper() + mitigations[1:],
            )
        return self._(
            "Decision asked for: {decision} {accepted}; the mitigation action plan lists each with its owner, "
            "due date and status.",
            decision=self.a.decision,
            accepted=mitigations,
        )

    def acknowledged(self, approval: Approval) -> None:
        """Under Sign-off: each open item the approver acknowledged when approving, in the record's words."""
        if not approval.acknowledged:
            if approval.outcome == "approved" and approval.also_affected is not None:
                self.para(
                    self._(
                        "Nothing was open when it was approved: every mitigation was decided and no high-severity "
                        "gap was open."
                    )
                )
            return
        self.para(
            self._(
                "When approving, {who} acknowledged each of these open items, knowing it was open:",
                who=approval.decided_by or self._("the approver"),
            ),
            keep_next=True,
        )
        for item in approval.acknowledged:
            self.bullet(self.acknowledged_words(item))

    def acknowledged_words(self, item: Acknowledgement) -> str:
        """An acknowledged item in the record's language, found again in this record's assessment by its key;
        as kept (English) if it cannot be."""
        if item.kind == "gap":
            for gap in self.a.gaps:
                if gap_key(gap.kind, gap.question) == item.key:
                    return self._("Open high-severity gap: {message}", message=gap.message)
            return item.text
        rule, _sep, index = item.key.rpartition(":")
        for finding in self.a.findings:
            if finding.rule == rule and index.isdigit() and int(index) < len(finding.mitigations):
                return self._(
                    "Undecided mitigation for finding {number} ({title}): {text}",
                    number=self.number[finding.rule],
                    title=finding.title,
                    text=finding.mitigations[int(index)].text,
                )
        return item.text
