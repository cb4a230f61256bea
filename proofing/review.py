"""Reviews that happen: every approved assessment has one review date; at review the owner records what monitoring
showed, sees what changed since approval against the current rule base, and confirms, revises or closes the plan.

Where they live (migration 0014, ``proofing.store.followup``):

* ``followup_reviews``: one row per approved assessment (its primary key is the assessment's id): ``version`` (the
  approved version under review), ``review_date``, ``state`` ("open": awaiting review; "revising": reviewed, a
  revised version on its way to sign-off; "closed"), ``approved_at``, ``approver`` ("Name <email>" as the sign-in
  gave it) and ``approver_subject``, and what the approved version found: ``level``, ``rule_base`` ("name
  version") and ``findings`` (JSON list of {rule, title}). Each approval (the first, or a revised version's) sets
  it to that version and its review date, open.
* ``followup_review_outcomes``: each review held: ``outcome`` ("confirmed", "revised", "closed"), ``record`` (the
  ReviewRecord as JSON: what monitoring showed overall and ``by_group`` {group id: text}, the note, the next review
  date, and the changes since approval), ``held_at``/``held_by``/``held_subject``, and for a revision the new
  draft's ``revised_assessment`` and ``revised_version``.

What other modules may use (``proofing.store.followup.FollowUp(store)``; ``by`` None sees everything):

* ``FollowUp.reviews(due_within=30)`` (due in the next 30 days, overdue included), ``reviews(overdue=True)``,
  ``reviews(assessment_id=A)``: ``ReviewDue`` items with the plan's title, service, owner (``owner``,
  ``owner_subject``) and approver (``approver``, ``approver_subject``); ``ReviewDue.overdue(today)``;
* ``FollowUp.held(assessment_id)``: the reviews held (``ReviewHeld``), monitoring results by group included;
* here: ``changes_since_approval`` (pure), ``monitoring_groups`` (the groups the plan promised to monitor by) and
  ``hold_review`` (the use case: record the review, and for "revised" reopen the plan as a new draft).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from proofing.access import User
from proofing.actions import (
    Commitment,
    FindingBrief,
    ReviewChanges,
    ReviewDue,
    ReviewHeld,
    ReviewRecord,
    decisions_after,
)
from proofing.approvals import SignOff
from proofing.assessment import Assessment, assess_agreed
from proofing.decisions import DecisionNotes, MitigationDecision, mitigation_key
from proofing.errors import StoreError
from proofing.knowledge import KnowledgeBase
from proofing.plan import Plan
from proofing.residual import Residual, residual
from proofing.store.followup import Approved, FollowUp, today

if TYPE_CHECKING:
    from proofing.store import Store

DUE_WINDOW_DAYS = 30  # "due" means due within the next 30 days (overdue included)


def _decision(value: MitigationDecision | Mapping[str, str] | None) -> MitigationDecision:
    if value is None:
        return MitigationDecision()
    if isinstance(value, MitigationDecision):
        return value
    try:
        return MitigationDecision.model_validate(dict(value))
    except ValueError:
        return MitigationDecision()


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()[:10]) if text.strip() else None
    except ValueError:
        return None


def commitments(
    assessment: Assessment,
    decisions: Mapping[str, MitigationDecision | Mapping[str, str]] | None,
    notes: DecisionNotes | Mapping[str, Any] | None,
) -> list[Commitment]:
    """The mitigations an approved version commits to: every suggested mitigation accepted, adapted (with its
    adapted wording) or already done, and every own mitigation accepted or done, in the order of the findings.

    A rejected or merely proposed mitigation commits to nothing. Pure: the approval hook hands these to the store.
    """
    decisions = decisions or {}
    kept = notes if isinstance(notes, DecisionNotes) else DecisionNotes.model_validate(dict(notes or {}))
    found: list[Commitment] = []
    titles = {finding.rule: finding.title for finding in assessment.findings}
    for finding in assessment.findings:
        for index, mitigation in enumerate(finding.mitigations):
            key = mitigation_key(finding, index)
            decision = _decision(decisions.get(key))
            note = kept.mitigations.get(key)
            adapted = note is not None and note.choice == "adapted" and decision.status != "rejected"
            if decision.status not in ("accepted", "done") and not adapted:
                continue
            found.append(
                Commitment(
                    key=key,
                    finding_rule=finding.rule,
                    finding_title=finding.title[:500],
                    text=(note.adapted if adapted and note is not None and note.adapted else mitigation.text)[:5_000],
                    adapted=adapted,
                    strategy_actions=list(mitigation.actions),
                    outcomes=list(finding.outcomes),
                    owner=decision.owner[:500],
                    due=_date(decision.due),
                    done=decision.status == "done",
                )
            )
    for own_id, own in sorted(kept.own.items()):
        if own.status in ("accepted", "done"):
            found.append(
                Commitment(
                    key=f"own:{own_id}"[:200],
                    finding_rule=own.finding,
                    finding_title=titles.get(own.finding, own.finding)[:500],
                    text=own.text,
                    owner=own.owner,
                    due=_date(own.due),
                    done=own.status == "done",
                )
            )
    return found


def review_date_for(kb: KnowledgeBase, plan: Plan, decision: SignOff, approved_on: date) -> date:
    """The one review date of an approved version: the approver's (the sign-off asks it, starting from the plan's),
    else the plan's own date, else its months from approval, else a year from approval."""
    if decision.review_date is not None:
        return decision.review_date
    roles = kb.questionnaire.roles
    given = plan.answers.get(roles.review_date) if roles.review_date else None
    if isinstance(given, str):
        try:
            return date.fromisoformat(given.strip()[:10])
        except ValueError:
            pass
    months = plan.answers.get(roles.review_months)
    if isinstance(months, int | float) and not isinstance(months, bool) and months > 0:
        return approved_on + timedelta(days=round(30.44 * float(months)))
    return approved_on + timedelta(days=365)


def findings_of(assessment: Assessment) -> list[FindingBrief]:
    """The findings of an assessment by rule and title (what a review compares)."""
    return [FindingBrief(rule=finding.rule, title=finding.title) for finding in assessment.findings]


def rule_base_name(kb: KnowledgeBase) -> str:
    """The rule base as a review names it: its name and version."""
    return f"{kb.name} {kb.version}".strip()


def open_follow_up(kb: KnowledgeBase, approval: Approved) -> None:
    """Open the follow-up of an approval, in its transaction: the actions its mitigations commit to and the review
    on its date (the hook the service layer hands the store, proofing.store.followup.use_followup)."""
    content = approval.content
    approved_on = today()
    try:
        plan = Plan.model_validate(content.get("plan") or {})
    except ValidationError:
        plan = None
    if plan is None:
        FollowUp.open_in(
            approval,
            [],
            review_date=approval.decision.review_date or approved_on + timedelta(days=365),
            level=None,
            rule_base=rule_base_name(kb),
            findings=[],
        )
        return
    assessment, problems = assess_agreed(kb, plan, content.get("notes"))
    FollowUp.open_in(
        approval,
        commitments(assessment, content.get("decisions"), content.get("notes")),
        review_date=review_date_for(kb, plan, approval.decision, approved_on),
        level=None if problems else assessment.level,
        rule_base=rule_base_name(kb),
        findings=findings_of(assessment),
    )


def decisions_followed(
    store: Store, assessment_id: str, version: int, decisions: Mapping[str, MitigationDecision | Mapping[str, str]]
) -> dict[str, MitigationDecision | Mapping[str, str]] | None:
    """The decisions the residual of version `version` counts once it is approved and followed through: each
    mitigation with an action as its action stands now (done: counted; open with a due date: counted; open with
    no date, or dropped: not counted; ``proofing.actions.decisions_after``), the others as decided. None when
    `version` is not the approved version that holds the plan's actions (a draft, or a plan with none): its
    decisions are then counted as given."""
    actions = [action for action in FollowUp(store).actions(assessment_id=assessment_id) if action.version == version]
    if not actions:
        return None
    return {**decisions, **decisions_after(actions)}


def changes_since_approval(kb: KnowledgeBase, review: ReviewDue, plan: Plan, notes: object = None) -> ReviewChanges:
    """What changed since approval: the approved answers (`plan`, `notes`) assessed again against the current rule
    base `kb`, against the findings and level kept at approval (`review`). New: rules that fire now and did not;
    gone: findings at approval that no longer fire. Pure."""
    assessment, problems = assess_agreed(kb, plan, notes)  # type: ignore[arg-type]
    now = findings_of(assessment)
    then_rules = {finding.rule for finding in review.findings}
    now_rules = {finding.rule for finding in now}
    return ReviewChanges(
        rule_base_then=review.rule_base,
        rule_base_now=rule_base_name(kb),
        level_then=review.level,
        level_now=None if problems else assessment.level,
        new=[finding for finding in now if finding.rule not in then_rules],
        gone=[finding for finding in review.findings if finding.rule not in now_rules],
    )


def monitoring_groups(kb: KnowledgeBase, plan: Plan, notes: object = None) -> list[tuple[str, str]]:
    """The groups a review records monitoring by (id, name): those the approved assessment found affected, when
    the plan promised monitoring broken down by group; none when it did not (monitoring is then recorded overall)."""
    if plan.answers.get(kb.questionnaire.roles.monitoring_by_group) is not True:
        return []
    assessment, _problems = assess_agreed(kb, plan, notes)  # type: ignore[arg-type]
    return [(profile.id, profile.name) for profile in assessment.profile if profile.negative or profile.positive]


def review_context(
    store: Store, kb: KnowledgeBase, assessment_id: str, *, by: User | None = None
) -> tuple[ReviewDue, ReviewChanges, list[tuple[str, str]]]:
    """What a review page shows before the owner records it: the review, what changed since approval and the groups
    to record monitoring by. Refused (StoreError) when the assessment has no review; a person who may not open the
    assessment is refused by the store (PermissionDenied)."""
    found = FollowUp(store).reviews(assessment_id=assessment_id, by=by)
    if not found:
        raise StoreError("this assessment has no review: it is not approved, or you may not see it")
    review = found[0]
    approved = (store.acting(by) if by is not None else store).version(assessment_id, review.version)
    if approved is None:
        raise StoreError(f"version {review.version} of {review.title!r} is missing")
    return (
        review,
        changes_since_approval(kb, review, approved.plan, approved.notes),
        monitoring_groups(kb, approved.plan, approved.notes),
    )


def residual_now(store: Store, kb: KnowledgeBase, review: ReviewDue, *, by: User | None = None) -> Residual | None:
    """The residual impact of the approved version under review as its actions stand now (a mitigation counts
    only when its action is done or firmly dated), for the review page; None when the version cannot be read."""
    approved = (store.acting(by) if by is not None else store).version(review.assessment_id, review.version)
    if approved is None:
        return None
    assessment, _problems = assess_agreed(kb, approved.plan, approved.notes)
    decisions = decisions_followed(store, review.assessment_id, review.version, approved.decisions)
    notes = DecisionNotes.model_validate(approved.notes or {})
    return residual(kb, assessment, approved.decisions if decisions is None else decisions, notes)


def hold_review(
    store: Store, kb: KnowledgeBase, assessment_id: str, record: ReviewRecord, *, by: User | None = None
) -> ReviewHeld:
    """Hold the review of an approved assessment: keep what monitoring showed and what changed since approval (worked
    out here against `kb`, whatever the record brought), and the outcome. "revised" reopens the plan as a new draft
    version, which goes through sign-off like any draft (its approval sets the next review); "confirmed" moves the
    review to its next date; "closed" ends the follow-up."""
    _review, changes, _groups = review_context(store, kb, assessment_id, by=by)
    record = record.model_copy(update={"changes": changes})
    revised: tuple[str, int] | None = None
    if record.outcome == "revised":
        revised = _reopen(store, assessment_id, by)
    return FollowUp(store).record_review(assessment_id, record, by=by, revised=revised)


def _reopen(store: Store, assessment_id: str, by: User | None) -> tuple[str, int]:
    """Reopen a final assessment as a new draft: the store's ``reopen`` (a new draft version of the same assessment,
    issue 22) where it has one, else a draft copy (``duplicate``). Returns the draft's id and version."""
    face = store.acting(by) if by is not None else store
    reopen = getattr(face, "reopen", None)
    if reopen is not None:
        return assessment_id, int(reopen(assessment_id))
    copy = face.duplicate(assessment_id)
    latest = store.latest(copy)
    return copy, latest.version if latest is not None else 1
