"""Checking an exported record months later: is it intact, and does the rule base still agree?

An auditor hands ``verify_record`` a .docx, or an HTML record (proofing.verify_html reads it and checks it alike).
The package is read the way Word reads it, by its relationships (proofing.package: a part nobody names, or of a
kind a record never has, is refused); the embedded record must be present, named by the main part, and unaltered
(proofing.record checks its sha256); with the council's public key its signature must hold. What the document
shows (every part a reader sees, as it renders: proofing.visible) must be what the record was written with. A
RecordError says in words why a record is not intact.

Without a key, a signed record is never reported intact: ``SignatureNotChecked`` says it is signed by a key that
was not checked (anyone can sign a record with a key of their own). A record whose digests of its visible text
were removed, or written before they covered headers, footers and hidden text, is refused.

The plan inside it is then assessed again against the rule base in use now, and every difference is described
finding by finding, so a changed rule base is visible rather than silently re-scoring old decisions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import BaseModel, ConfigDict, ValidationError

from proofing.assessment import Assessment, Finding, RuleBaseRef, answer_words, assess, with_agreement
from proofing.decisions import DecisionNotes
from proofing.knowledge import KnowledgeBase
from proofing.package import Package, read_package
from proofing.plan import Plan, PlanError
from proofing.record import EmbeddedRecord, RecordError, document_bytes, record_in
from proofing.signing import PUBLIC_KEY_ENV, fingerprint, signature_holds
from proofing.verify_html import html_record, is_html
from proofing.visible import PREVIEW_SECTION, TITLE_SECTION, VISIBLE_FORMAT, digests, from_package

_DROPPABLE = frozenset({PREVIEW_SECTION})  # a digest compared only when its part is there (editors drop it)
_CUSTOM_XML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"


class SignatureNotChecked(RecordError):
    """A signed record verified without a key: it is signed by a key nobody checked, so it is not shown intact."""


class Verification(BaseModel):
    """The outcome of verifying a record.

    ``status`` is what the command line's exit code says: ``intact`` (0), ``visible_text_edited`` (4: the
    record is intact but what a reader sees was changed; ``visible_changes`` names the sections) or
    ``differs`` (3: intact, but today's rule base finds otherwise). A record that is not one, was altered,
    was signed by another key, or whose package or content could show a reader what its digests do not cover is
    a RecordError (1); a signed record verified without a key is SignatureNotChecked, a RecordError (1).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    status: Literal["intact", "differs", "visible_text_edited"]
    record_sha256: str
    plan_title: str
    produced_at: str
    rule_base_then: RuleBaseRef
    rule_base_now: RuleBaseRef
    level_then: str
    level_now: str | None
    differences: list[str]
    signed_by: str | None = None
    key_fingerprint: str | None = None
    signature_checked: bool = False
    visible_changes: list[str] = []


def embedded_assessment(source: Path | bytes) -> tuple[Assessment, dict[str, Any], str]:
    """The assessment inside a record, its metadata and the record's sha256; RecordError if unusable."""
    assessment, meta, record = _embedded(source)
    return assessment, meta, record.sha256


def _embedded(source: Path | bytes) -> tuple[Assessment, dict[str, Any], EmbeddedRecord]:
    label, data = document_bytes(source)
    record = html_record(data, label)[0] if is_html(data) else record_in(data, label)[1]
    assessment, meta = _assessment_in(record)
    return assessment, meta, record


def _assessment_in(record: EmbeddedRecord) -> tuple[Assessment, dict[str, Any]]:
    """The assessment a checked record holds, and its metadata; RecordError when it holds none."""
    try:
        assessment = Assessment.model_validate(record.payload["assessment"])
    except (KeyError, TypeError, ValidationError):
        raise RecordError("the embedded record is intact but does not hold a proofing assessment") from None
    meta = record.payload.get("meta")
    return assessment, meta if isinstance(meta, dict) else {}


def verify_record(kb: KnowledgeBase, source: Path | bytes, key: Ed25519PublicKey | None = None) -> Verification:
    """Check a record is intact (and, with `key`, signed by it), that what it shows is what it was written with, and
    re-run its plan against `kb`. RecordError when it is not a record, was altered or was signed by another key;
    SignatureNotChecked (a RecordError) when it is signed and no key was given to check the signature."""
    label, data = document_bytes(source)
    package: Package | None = None
    if is_html(data):  # an HTML record (proofing.verify_html): its record script and the digests of its page
        record, page_changes = html_record(data, label)
    else:
        package = read_package(data, label)
        member, record = record_in(data, label)
        if member.lower() not in package.related(package.main, _CUSTOM_XML):
            raise RecordError(f"{label}: its record part is not the one the document names (a record put beside it?)")
    then, meta = _assessment_in(record)
    named = record.payload.get("signer")
    signer: dict[str, Any] = named if isinstance(named, dict) else {}
    if (record.signature is None) != (not signer):
        raise RecordError(
            f"{label}: the record's signature was removed: it names a signer but carries no signature, or the reverse"
        )
    if key is not None:
        _check_signature(record, signer, key)
    elif record.signature is not None:
        raise SignatureNotChecked(
            f"{label}: the record is signed, by a key you did not check ({signer.get('key') or 'no key named'}), "
            f"so it cannot be shown to be the council's: anyone can sign a record with a key of their own. Give "
            f"--key PUBLIC.pem (the council's public key) or set {PUBLIC_KEY_ENV} to check it"
        )
    visible_changes = page_changes if package is None else _visible_changes(record, package, label)
    now_ref = RuleBaseRef(name=kb.name, version=kb.version, sha256=kb.sha256)
    try:
        agreed = with_agreement(kb, assess(kb, then.plan, "the recorded plan"), _agreement(meta))
        now: Assessment | None = agreed
        differences = compare(then, agreed)
    except PlanError as error:
        now = None
        differences = [f"The recorded answers no longer fit the questionnaire: {'; '.join(error.problems)}"]
    status: Literal["intact", "differs", "visible_text_edited"] = "intact"
    if visible_changes:
        status = "visible_text_edited"
    elif differences:
        status = "differs"
    return Verification(
        status=status,
        record_sha256=record.sha256,
        plan_title=then.plan.title,
        produced_at=str(meta.get("produced_at", "")),
        rule_base_then=then.rule_base,
        rule_base_now=now_ref,
        level_then=then.level,
        level_now=now.level if now else None,
        differences=differences,
        signed_by=str(signer["identity"]) if signer.get("identity") else None,
        key_fingerprint=str(signer["key"]) if signer.get("key") else None,
        signature_checked=key is not None,
        visible_changes=visible_changes,
    )


def _agreement(meta: dict[str, Any]) -> DecisionNotes:
    """The EIA workshop agreement a record's metadata holds (none for a record without one), to apply again."""
    try:
        return DecisionNotes.model_validate(meta.get("notes") or {})
    except ValidationError:
        raise RecordError("the embedded record is intact but its decision notes cannot be read") from None


def _check_signature(record: EmbeddedRecord, signer: dict[str, Any], key: Ed25519PublicKey) -> None:
    """Refuse a record that is not signed, or not signed by this key, in words."""
    if record.signature is None and not signer:
        raise RecordError("the record is intact but not signed, so it cannot be shown to come from the council")
    if record.signature is None or not signer:
        raise RecordError(
            "the record's signature was removed: it names a signer but carries no signature, or the reverse"
        )
    if signer.get("key") != fingerprint(key) or not signature_holds(key, record.canonical, record.signature):
        raise RecordError(
            f"the record's signature is not the council's: it was signed by another key ({signer.get('key')}, "
            f"not {fingerprint(key)}) or altered and its hash recomputed"
        )


def _visible_changes(record: EmbeddedRecord, package: Package, label: str) -> list[str]:
    """The things a reader sees that differ from what was written; RecordError when the record is another's or
    carries no digests that cover everything a reader sees."""
    written = record.payload.get("visible")
    if not isinstance(written, dict) or not written or record.payload.get("visible_format") != VISIBLE_FORMAT:
        raise RecordError(
            f"{label}: the record carries no digests of everything its document shows (removed, or written by an "
            "earlier version of proofing that did not cover headers, footers and hidden text), so what it shows "
            "cannot be checked; write the record again"
        )
    now = digests(from_package(package), record.sha256)
    changed = [
        name for name, digest in written.items() if now.get(name, digest if name in _DROPPABLE else None) != digest
    ]
    changed += [name for name in now if name not in written]
    if TITLE_SECTION in changed and len(changed) * 2 > len(written):
        raise RecordError(
            "the record does not belong to this document: almost none of the document's text is the text the "
            "record was written with (a record part copied from another file?)"
        )
    return changed


def compare(then: Assessment, now: Assessment) -> list[str]:
    """Every way the re-run differs from the record, one sentence per finding."""
    differences: list[str] = []
    if then.level != now.level:
        differences.append(f"Screening level: recorded '{then.level_words}', now '{now.level_words}'")
    before = {finding.rule: finding for finding in then.findings}
    after = {finding.rule: finding for finding in now.findings}
    for rule in sorted(before.keys() - after.keys()):
        differences.append(f"No longer found: {before[rule].title} ({rule}, score {before[rule].score})")
    for rule in sorted(after.keys() - before.keys()):
        differences.append(f"Now also found: {after[rule].title} ({rule}, score {after[rule].score})")
    for rule in sorted(before.keys() & after.keys()):
        changes = _changes(before[rule], after[rule])
        if changes:
            differences.append(f"Changed: {after[rule].title} ({rule}): {'; '.join(changes)}")
    return differences


def answer_changes(kb: KnowledgeBase, earlier: Plan, later: Plan) -> list[tuple[str, str, str]]:
    """The answers that differ between two versions of a plan: (question, earlier, later), in words."""
    changes = []
    for question in kb.questionnaire.questions:
        before, after = earlier.answers.get(question.id), later.answers.get(question.id)
        if before != after:
            changes.append(
                (
                    question.text,
                    answer_words(kb, question.id, before) if before is not None else "(not answered)",
                    answer_words(kb, question.id, after) if after is not None else "(not answered)",
                )
            )
    return changes


def _changes(then: Finding, now: Finding) -> list[str]:
    changes = []
    for field in ("direction", "likelihood", "severity", "score", "characteristics", "communities", "psed_aims"):
        old, new = getattr(then, field), getattr(now, field)
        if old != new:
            changes.append(f"{field} {_shown(old)} → {_shown(new)}")
    old_actions = [m.actions for m in then.mitigations]
    new_actions = [m.actions for m in now.mitigations]
    if [m.text for m in then.mitigations] != [m.text for m in now.mitigations] or old_actions != new_actions:
        changes.append("mitigations changed")
    if then.rationale != now.rationale:
        changes.append("rationale reworded")
    return changes


def _shown(value: Any) -> str:
    return ", ".join(value) if isinstance(value, list) else str(value)


def plan_from_record(source: Path | bytes) -> Plan:
    """The plan inside a record, so it can be revised and assessed again."""
    assessment, _meta, _sha = embedded_assessment(source)
    return assessment.plan


def plan_as_yaml(plan: Plan) -> str:
    """A plan file's text, as `proofing assess` reads it."""
    return yaml.safe_dump(plan.model_dump(mode="json"), sort_keys=False, allow_unicode=True, width=100)
