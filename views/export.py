"""Export the assessment open in this session: the Word record, the plan file and the assessment as JSON.

Files are named from the plan's title, the version and its status (proofing.report.status), and the page says which
version and status it is exporting; when a later draft of an approved assessment is open, it offers the approved
version too, whose record is exported as it stood at approval (proofing.record_details). The record is written only
on request (it takes most of a second), in the language chosen here: Cymraeg, English, or both together. Whatever
its language, the record embeds the assessment made with the English rule base (the canonical record), so
``proofing verify`` checks every one alike.

When the council's signing key is configured (``PROOFING_SIGNING_KEY``, as for the command line) the record is
signed with it, in the name of the person signed in, and ``proofing verify --key`` shows it came from the council;
the page says so, and says in words when no key is configured (records unsigned) or the key cannot be read (no
record is written, rather than an unsigned one by accident).
"""

from __future__ import annotations

import inspect
import json
from typing import Any

import streamlit as st

from proofing.assessment import assessment_as_json
from proofing.language import BILINGUAL, RecordLanguage, language_name, record_languages
from proofing.record_details import approved_version, export_details, status_of
from proofing.report import ReportDetails, write_report
from proofing.report.status import STATUS_WORDS, exporting_words, record_file_name
from proofing.service import record_assessment
from proofing.signing import PRIVATE_KEY_ENV, Signer, SigningError, configured_signer
from proofing.verify import plan_as_yaml
from views import draft
from views.common import _, base_knowledge, guarded, knowledge, language, link, plain, store, translation

kb = knowledge()
BILINGUAL_WORDS = "Dwyieithog / Bilingual (Welsh and English together)"


def record_language_words(chosen: RecordLanguage) -> str:
    """Each language named in itself, as the language switch does (the same words on every page)."""
    return BILINGUAL_WORDS if chosen == BILINGUAL else language_name(chosen)


st.title(_("Export"))
if draft.select_assessment() is None:
    st.info(_("No assessment is open. Start one, or open one from the register, to export it."))
    link("views/assess.py", _("Start an assessment"))
    link("views/register.py", _("Open one from the register"))
    st.stop()
if not store().may("export", st.session_state.assessment_id):
    st.info(_("Your roles do not let you export this assessment; you can read it on the other pages."))
    st.stop()


@guarded
def exported(what: str) -> None:
    """Note the download in the assessment's audit trail (the store refuses one the person may not make)."""
    store().record_export(st.session_state.assessment_id, st.session_state.get("export_version", 1), what)


def record(assessment: Any, meta: ReportDetails, chosen: RecordLanguage, signer: Signer | None) -> bytes:
    """The Word record in the language chosen (proofing.report takes ``language`` once it speaks Welsh), signed by
    `signer` when the council's key is configured."""
    if "language" in inspect.signature(write_report).parameters:
        return write_report(base_knowledge(), assessment, meta, signer=signer, language=chosen)
    return write_report(base_knowledge(), assessment, meta, signer=signer)


def signer_here() -> tuple[Signer | None, str | None]:
    """Who signs a record exported now (the person signed in, with the council's key), and why not, in words."""
    try:
        return configured_signer(store().user.described()), None
    except SigningError as error:
        return None, str(error)


plan = draft.current_plan()
assessment, problems = draft.assessed(plan)
# Everything the record says comes from the STORED version the audit trail names, not from the page's widgets
# (the page saves every change before it gets here, so the two agree; the record must not depend on it).
stored = draft.base()
final = approved_version(store(), st.session_state.assessment_id)
if final is not None and final != stored.version:  # a later draft is open: its record, or the final one
    statuses = {stored.version: status_of(store(), st.session_state.assessment_id, stored.version)[0]}
    statuses[final] = "approved"
    picked = st.radio(
        _("Which version to export"),
        [stored.version, final],
        format_func=lambda number: _(
            "Version {version}: {status}", version=number, status=_(STATUS_WORDS[statuses[number]])
        ),
        key="export_pick",
    )
    if picked == final and (approved := store().version(st.session_state.assessment_id, final)) is not None:
        stored = approved
        plan = stored.plan
        assessment, problems = record_assessment(base_knowledge(), stored)
status, approval = status_of(store(), st.session_state.assessment_id, stored.version)
st.session_state.export_version = stored.version


def file_name(suffix: str, chosen: str = "en") -> str:
    """A file's name: the plan's title, the version and its status (and the record's language)."""
    return record_file_name(plan.title, stored.version, status, chosen, suffix)


st.markdown(_("**Plan:** {title}", title=plain(plan.title)))
st.info(exporting_words(translation(), stored.version, status, approval))
link("views/assess.py", _("← Back to the questionnaire"))

st.header(_("The Word record"))
meta = export_details(  # produced by the person signed in (local mode: their name); never "command line"
    base_knowledge(), store(), st.session_state.assessment_id, stored, produced_by=store().user.described()
)
if missing := draft.missing_details():
    st.warning(_("The Word record can be prepared once the plan has {details}.", details=draft.needed(missing)))
elif problems:
    st.warning(_("The Word record can be downloaded once every required question is answered."))
    link("views/results.py", _("See what is still needed on the results page"))
elif (signing := signer_here())[1] is not None:
    st.error(
        _(
            "The Word record cannot be written: the council's signing key ({variable}) cannot be used: {problem}. "
            "Ask whoever runs this service to fix it; no unsigned record is written in its place.",
            variable=PRIVATE_KEY_ENV,
            problem=signing[1],
        )
    )
else:
    signer = signing[0]
    if signer is None:
        st.info(
            _(
                "Records are not signed: no signing key is configured ({variable}). An unsigned record shows it was "
                "not changed by accident, but not that it came from the council.",
                variable=PRIVATE_KEY_ENV,
            )
        )
    else:
        st.caption(
            _(
                "The record is signed with the council's key ({fingerprint}) in the name of {who}; "
                "`proofing verify --key` checks it.",
                fingerprint=signer.fingerprint,
                who=plain(signer.identity),
            )
        )
    if st.session_state.get("record_language") not in record_languages():
        st.session_state.record_language = language()
    chosen: RecordLanguage = st.radio(
        _("Language of the record"),
        record_languages(),
        format_func=record_language_words,
        key="record_language",
        help=_(
            "The record is written in the language chosen; a bilingual record gives the Welsh and the English "
            "together. Whichever you choose, it keeps the same assessment, so it verifies alike."
        ),
    )
    # The record embeds the assessment made with the English rule base: verify is the same in every language.
    # Written from the STORED version the audit trail names (the page saves every change before it gets here).
    english, _problems = record_assessment(base_knowledge(), stored)
    fingerprint = (
        chosen,
        english.model_dump_json(),
        meta.model_dump_json(exclude={"produced_at", "audit"}),
        signer.fingerprint if signer else None,
    )
    this_record = (st.session_state.assessment_id, stored.version, chosen)
    prepared = st.session_state.get("record_of") == this_record  # a record of this version, in this language
    current = prepared and st.session_state.get("record_for") == fingerprint
    if prepared and not current:  # others changed what it holds meanwhile (a workshop's scores, another assessment)
        st.caption(
            _(
                "What the record holds has changed since you prepared it (a workshop's scores, a decision or "
                "another assessment nearby): the file below is the record as it was then. Prepare it again for "
                "the latest."
            )
        )
    if not current and st.button(
        _("Prepare the Word record again") if prepared else _("Prepare the Word record"),
        type="secondary" if prepared else "primary",
    ):
        with st.spinner(_("Writing the Word record...")):
            st.session_state.record = record(english, meta, chosen, signer)
            st.session_state.record_for = fingerprint
            st.session_state.record_of = this_record
        st.rerun()
    if prepared:
        st.download_button(
            _("Download the Word record (.docx)"),
            data=st.session_state.record,
            file_name=file_name(".docx", chosen),
            mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            type="primary",
            on_click=exported,
            args=("the Word record" if chosen == "en" else f"the Word record ({chosen})",),
        )

st.header(_("Other files"))
st.download_button(
    _("Download the plan file (.yaml)"),
    data=plan_as_yaml(plan),
    file_name=file_name(".yaml"),
    on_click=exported,
    args=("the plan file",),
)
st.download_button(
    _("Download the assessment (.json)"),
    data=json.dumps(assessment_as_json(assessment), indent=2, ensure_ascii=False).encode("utf-8"),
    file_name=file_name(".json"),
    on_click=exported,
    args=("the assessment as JSON",),
)
