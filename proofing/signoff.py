"""Signing off with the open items in view: what an approver must acknowledge, and the approval that keeps it.

An approver who approves a plan with mitigations still undecided, or a high-severity quality gap still open, must
do so knowingly: the sign-off form lists each of them (``open_items``) and asks the approver to acknowledge each
one; ``approve`` refuses an approval that leaves any unacknowledged (``UnacknowledgedError``) and keeps the items
with the approval, with the cumulative impact as it stands at that moment, so that the record of the approved
version says both however the register changes later (proofing.store keeps them: migration 0011).

The page draws the list and the checkboxes; every rule and every word is here.
"""

from __future__ import annotations

from proofing.approvals import Acknowledgement, ApprovalRefused, SignOff
from proofing.assessment import Assessment
from proofing.cumulative import overlaps_for
from proofing.decisions import DecisionNotes, MitigationDecision, mitigation_key
from proofing.errors import N_
from proofing.knowledge import KnowledgeBase
from proofing.language import Translator, translator
from proofing.report.status import gap_key
from proofing.service import approving_with, record_assessment
from proofing.store import UserStore


def open_items(
    assessment: Assessment,
    decisions: dict[str, MitigationDecision],
    notes: DecisionNotes,
    words: Translator | None = None,
) -> list[Acknowledgement]:
    """What an approver must acknowledge before approving, in `words`' language (English when not given):

    - each suggested mitigation of a negative finding still "proposed" (neither accepted, adapted, rejected nor
      done), unless the finding was set aside with a reason, and each of the service's own mitigations still
      proposed;
    - each high-severity quality gap still open.

    The keys are the same in every language (the mitigation's key; ``gap_key``), so the page can list the items
    in the reader's language and the store keep them in English.
    """
    t = words or translator("en")
    items: list[Acknowledgement] = []
    number = {finding.rule: index for index, finding in enumerate(assessment.findings, start=1)}
    for finding in assessment.findings:
        if finding.direction != "negative" or finding.rule in notes.set_aside:
            continue
        for index, mitigation in enumerate(finding.mitigations):
            key = mitigation_key(finding, index)
            if decisions.get(key, MitigationDecision()).status != "proposed":
                continue
            items.append(
                Acknowledgement(
                    kind="mitigation",
                    key=key,
                    text=t._(
                        "Undecided mitigation for finding {number} ({title}): {text}",
                        number=number[finding.rule],
                        title=finding.title,
                        text=mitigation.text,
                    ),
                )
            )
        for own_id, own in notes.own.items():
            if own.finding == finding.rule and own.status == "proposed":
                items.append(
                    Acknowledgement(
                        kind="mitigation",
                        key=f"own:{own_id}",
                        text=t._(
                            "Undecided mitigation of the service's own for finding {number} ({title}): {text}",
                            number=number[finding.rule],
                            title=finding.title,
                            text=own.text,
                        ),
                    )
                )
    for gap in assessment.gaps:
        if gap.severity == "high":
            items.append(
                Acknowledgement(
                    kind="gap",
                    key=gap_key(gap.kind, gap.question),
                    text=t._("Open high-severity gap: {message}", message=gap.message),
                )
            )
    return items


class UnacknowledgedError(ApprovalRefused):
    """An approval that leaves open items unacknowledged: refused, nothing recorded."""

    def __init__(self, count: int) -> None:
        super().__init__(
            N_(
                "{count} open item(s) listed on the sign-off form were not acknowledged, so the approval was not "
                "recorded. Tick each undecided mitigation and open high-severity gap to say you approve knowing it is "
                "open, or send the assessment back."
            ),
            count=count,
        )


def items_of_version(
    kb: KnowledgeBase, store: UserStore, assessment_id: str, version: int, words: Translator | None = None
) -> list[Acknowledgement]:
    """The open items of a stored version: its plan assessed with `kb` as any workshop agreed it, with its decisions
    and notes, in `words`' language (English, as the approval keeps them, when not given; a page passes its rule
    base and translator to list them in the reader's language, with the same keys)."""
    saved = store.version(assessment_id, version)
    if saved is None:
        return []
    assessment, _problems = record_assessment(kb, saved)
    decisions = {key: MitigationDecision(**fields) for key, fields in saved.decisions.items()}
    return open_items(assessment, decisions, DecisionNotes.model_validate(saved.notes or {}), words)


def sign_off(kb: KnowledgeBase, store: UserStore, assessment_id: str, decision: SignOff) -> None:
    """Record an approver's sign-off (`kb`: the English rule base). An approval must acknowledge every open item of
    the version submitted (UnacknowledgedError otherwise); it keeps them, and the cumulative impact as it stands
    now, with the approval. Sending back keeps neither. The store's own refusals apply as ever (proofing.approvals).
    """
    if decision.outcome != "approved":
        store.sign_off(assessment_id, decision)
        return
    items = items_of_version(kb, store, assessment_id, decision.version)
    missing = [item for item in items if item.key not in set(decision.acknowledged)]
    if missing:
        raise UnacknowledgedError(len(missing))
    overlaps = overlaps_for(store, kb, assessment_id)
    with approving_with(kb):  # its actions and review are worked out with this rule base
        store.sign_off(
            assessment_id,
            decision,
            acknowledged=items,
            also_affected=[overlap.model_dump(mode="json") for overlap in overlaps],
        )
