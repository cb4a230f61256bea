"""Approval binds content: what an approver signs off is exactly the version submitted, by someone else.

Submitting names a version and keeps its *content digest* (``content_digest``: a SHA-256 of the version's plan,
mitigation decisions and decision notes, as canonical JSON), and freezes that version: an editing session that
was amending it starts a new version instead (``frozen``), so the page a manager still has open can never change
what the approver reads. A sign-off names the version and the digest the approver saw (``SignOff``); the store
refuses it if either no longer matches (``check_content``). Nobody approves their own submission
(``check_not_own``), whatever roles they hold; and an approved assessment is never set back to draft in place:
it is reopened as a new draft, leaving the approved one as it was signed off.

The rules live here, the store calls them (proofing.store: submit, sign_off, set_status, save).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from proofing.access import User
from proofing.errors import N_, ProofingError

DIGEST_PATTERN = r"^[0-9a-f]{64}$"


def content_digest(plan: dict[str, Any], decisions: dict[str, Any], notes: dict[str, Any] | None) -> str:
    """The SHA-256 of a version's content: its plan (details and answers), decisions and decision notes.

    Canonical JSON (sorted keys, no spaces, UTF-8), so the same content always gives the same digest on any
    database, and any change to an answer, a decision or a note gives another.

    Examples:
        >>> plan = {"title": "Library hours", "answers": {"people_affected": 5000}}
        >>> content_digest(plan, {}, {}) == content_digest(dict(plan), {}, None)
        True
        >>> changed = {"title": "Library hours", "answers": {"people_affected": 250000}}
        >>> content_digest(plan, {}, {}) == content_digest(changed, {}, {})
        False
    """
    content = {"plan": plan, "decisions": decisions or {}, "notes": notes or {}}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def short_digest(digest: str | None) -> str:
    """The first 12 characters of a digest, as a page shows it for a person to compare ("" when there is none)."""
    return (digest or "")[:12]


class SignOff(BaseModel):
    """What an approver records on a submitted version: approved (a decision) or sent back (with comments).

    Approving records the decision actually taken, which may differ from the tool's advice, the reasons for it,
    any conditions, and the date it is to be reviewed; sending back needs the comments for the manager. ``version``
    and ``digest`` name exactly what the approver looked at (Approval.version and Approval.digest).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    outcome: Literal["approved", "sent_back"]
    version: int = Field(ge=1, description="the version the approver looked at")
    digest: str = Field(pattern=DIGEST_PATTERN, description="the content digest of the version the approver read")
    decision_taken: str = Field("", max_length=5000)
    reasons: str = Field("", max_length=20_000)
    conditions: str = Field("", max_length=20_000)
    review_date: date | None = None
    comments: str = Field("", max_length=20_000)
    acknowledged: list[str] = Field(
        default=[], max_length=500, description="the keys of the open items the approver acknowledged (signoff)"
    )

    @model_validator(mode="after")
    def _complete(self) -> SignOff:
        if self.outcome == "approved":
            missing = [
                words
                for words, given in (
                    ("the decision taken", self.decision_taken),
                    ("the reasons", self.reasons),
                    ("a review date", self.review_date),
                )
                if not given
            ]
            if missing:
                raise ValueError("an approval needs " + " and ".join(missing))
        elif not self.comments:
            raise ValueError("sending an assessment back needs comments saying what to change")
        return self


class Acknowledgement(BaseModel):
    """One open item an approver acknowledged when approving: an undecided mitigation or an open high-severity gap.

    ``key`` names it whatever the language (a mitigation's key, "gap:" and the gap's kind and question); ``text``
    says it in words (English), as the sign-off form listed it, so the record can show it even if the rule base
    changes later.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["mitigation", "gap"]
    key: str = Field(min_length=1, max_length=500)
    text: str = Field(max_length=20_000)


class Approval(BaseModel):
    """One submission for approval and its outcome, with the assessment's id, version and status (for the record).

    ``outcome`` is "submitted" (awaiting a decision), "approved" (the assessment is final) or "sent_back".
    ``advice`` is the tool's screening level of that version, beside the decision the approver actually took.
    ``digest`` is the content digest of the version when it was submitted (None for a submission made before
    digests were kept); ``submitted_subject`` who submitted it (their sign-in identity), when known.
    ``acknowledged`` and ``also_affected`` are kept with an approval, so the record of the approved version says
    what the approver acknowledged and the cumulative impact as it stood then, however the register changes later.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    assessment_id: str
    version: int
    status: str  # the assessment's status now: "draft" or "final"
    outcome: Literal["submitted", "approved", "sent_back"]
    advice: str | None = None
    submitted_by: str
    submitted_at: datetime
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_taken: str = ""
    reasons: str = ""
    conditions: str = ""
    review_date: date | None = None
    comments: str = ""
    digest: str | None = None
    submitted_subject: str | None = None
    acknowledged: list[Acknowledgement] = Field(
        default=[], description="the open items the approver acknowledged when approving (0011)"
    )
    also_affected: list[dict[str, Any]] | None = Field(
        default=None,
        description="the cumulative impact as it stood at approval (proofing.cumulative.Overlap as JSON); None when "
        "it was not kept (an approval made before 0011)",
    )


class ApprovalRefused(ProofingError):
    """A submission or sign-off the rules of approval refuse, in words; nothing was written."""


class OwnSubmissionError(ApprovalRefused):
    """An approval of a version the approver submitted themself: refused, whatever roles they hold."""

    def __init__(self, who: str, title: str, version: int) -> None:
        super().__init__(
            N_(
                "{who} submitted version {version} of '{title}' for approval, so {who} may not approve it: nobody "
                "approves their own submission. Another approver must sign it off."
            ),
            who=who,
            version=version,
            title=title,
        )


class ContentChangedError(ApprovalRefused):
    """A sign-off naming content that is not what was submitted: nothing was recorded."""

    def __init__(self, title: str, version: int) -> None:
        super().__init__(
            N_(
                "version {version} of '{title}' is not what was submitted for approval, or not what you looked at, so "
                "the sign-off was not recorded. Open the assessment again, read it as it is now, and sign off what "
                "you read."
            ),
            version=version,
            title=title,
        )


def check_not_own(submitted_subject: str | None, by: User | None, title: str, version: int) -> None:
    """Refuse (OwnSubmissionError) an approval by the person who submitted the version.

    Checked by sign-in identity, so holding both the manager's and the approver's roles does not help; in local
    mode everyone at the machine is one person, so nothing submitted there can be approved there. A submission or
    sign-off by the raw store (a script, `by` None) names nobody and is not checked.
    """
    if by is not None and submitted_subject is not None and submitted_subject == by.subject:
        raise OwnSubmissionError(by.name, title, version)


def check_content(
    decision: SignOff, submitted_digest: str | None, current: dict[str, Any], title: str, version: int
) -> None:
    """Refuse (ContentChangedError) a sign-off unless the version's content now, the content submitted and the
    content the approver names are one and the same (`current`: the version's plan, decisions and notes)."""
    now = content_digest(current["plan"], current["decisions"], current["notes"])
    if decision.digest != now or (submitted_digest is not None and submitted_digest != now):
        raise ContentChangedError(title, version)


class ApprovedIsKeptError(ApprovalRefused):
    """Setting an approved assessment back to draft in place: refused; it is reopened as a new draft instead."""

    def __init__(self, title: str) -> None:
        super().__init__(
            N_(
                "'{title}' was approved, so it is never set back to draft: reopen it as a new draft, which leaves the "
                "approved version as it was signed off"
            ),
            title=title,
        )


def never_back_to_draft(status: str, approved: bool, title: str) -> None:
    """Refuse (ApprovedIsKeptError) setting an approved assessment back to draft in place."""
    if status == "draft" and approved:
        raise ApprovedIsKeptError(title)
