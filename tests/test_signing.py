"""Signed records: forged, swapped, re-signed or visibly edited records are found out, by the exit code.

`proofing verify --key PUBLIC.pem` exits 0 for an intact record signed by that key; 1 for a record that is not
one, was altered (even with its hash recomputed), is unsigned, or was signed by another key, or whose record
part was copied from another file, or whose package holds parts nobody names; 3 when today's rule base finds
otherwise; 4 when the record is intact but what the document shows was edited, naming where. Without a key a
signed record exits 1: it is signed by a key nobody checked.

The four forgeries of issue 20 that verified with the key on main have a regression test each here; the wider
campaign is tests/test_forgery.py.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from proofing.access import LOCAL_USER
from proofing.assessment import assess
from proofing.knowledge import KnowledgeBase
from proofing.plan import read_plan
from proofing.report import ReportDetails, Signatory, write_report
from proofing.signing import (
    PRIVATE_KEY_ENV,
    PUBLIC_KEY_ENV,
    Signer,
    SigningError,
    configured_signer,
    fingerprint,
    generate_keys,
    load_private_key,
    load_public_key,
)
from proofing.verify import verify_record
from tests.forgeries import (
    FORGED,
    FORGERIES,
    RECORD,
    edit,
    edit_xml,
    level_paragraph,
    make_keys,
    part_of,
    rewritten,
    set_run_property,
    without_digests,
)
from tests.forgeries import verify as verify_file

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_keys(tmp_path_factory.mktemp("keys"))


def record_of(kb: KnowledgeBase, example: str, key: Path | None, **meta: object) -> bytes:
    assessment = assess(kb, read_plan(EXAMPLES / example))
    signer = Signer(identity="Head of Libraries", key=load_private_key(key)) if key else None
    return write_report(kb, assessment, ReportDetails(assessors=["Head of Libraries"], **meta), signer=signer)


def verify(tmp_path: Path, data: bytes, key: Path | None, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    return verify_file(tmp_path / "record.docx", data, key, capsys)


def test_an_untouched_signed_record_exits_0(
    kb: KnowledgeBase, keys: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = verify(
        tmp_path, record_of(kb, "library-opening-hours.yaml", keys["council"]), keys["council_public"], capsys
    )
    assert code == 0 and "Signed by Head of Libraries with the council's key" in out


def set_level(payload: dict[str, Any]) -> None:
    payload["assessment"]["level"] = "screened_out"


def rename_signatory(payload: dict[str, Any]) -> None:
    payload["meta"]["signoff"][0]["name"] = "Someone else"


@pytest.mark.parametrize("forge", [set_level, rename_signatory], ids=["a recomputed hash", "an edited sign-off"])
def test_a_forged_record_exits_1(
    kb: KnowledgeBase,
    keys: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    forge: Callable[[dict[str, Any]], None],
) -> None:
    signed_off = [Signatory(name="Head of Service", role="Approver", date="2026-12-01")]
    data = record_of(kb, "library-opening-hours.yaml", keys["council"], signoff=signed_off)
    forged = edit(data, RECORD, rewritten(forge))  # the hash recomputed, the old signature kept (no key to make one)
    code, out = verify(tmp_path, forged, keys["council_public"], capsys)
    assert code == 1 and "signature is not the council's" in out


def test_a_record_signed_with_another_key_exits_1(
    kb: KnowledgeBase, keys: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = record_of(kb, "library-opening-hours.yaml", keys["other"])
    code, out = verify(tmp_path, data, keys["council_public"], capsys)
    assert code == 1 and "signed by another key" in out


def test_an_unsigned_record_exits_1_when_a_key_is_given(
    kb: KnowledgeBase, keys: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = verify(tmp_path, record_of(kb, "library-opening-hours.yaml", None), keys["council_public"], capsys)
    assert code == 1 and "not signed" in out


def test_a_record_part_swapped_in_from_another_file_exits_1(
    kb: KnowledgeBase, keys: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    library = record_of(kb, "library-opening-hours.yaml", keys["council"])
    festival = record_of(kb, "one-wrexham-festival.yaml", keys["council"])
    swapped = edit(library, RECORD, lambda _part: part_of(festival, RECORD))
    code, out = verify(tmp_path, swapped, keys["council_public"], capsys)
    assert code == 1 and "does not belong to this document" in out


def test_red_changed_to_green_in_the_visible_text_exits_4_naming_the_section(
    kb: KnowledgeBase, keys: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = record_of(kb, "library-opening-hours.yaml", keys["council"])
    body = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    assert body.count(b"(Red, score") >= 1
    edited = edit(data, "word/document.xml", lambda xml: xml.replace(b"(Red, score", b"(Green, score", 1))
    code, out = verify(tmp_path, edited, keys["council_public"], capsys)
    assert code == 4 and "visible text was edited" in out
    section = out.split("edited after it was written, in: ")[1].splitlines()[0]
    assert section and section != "Title page"


def test_a_key_is_never_written_into_the_project_or_over_another(tmp_path: Path) -> None:
    project = Path(__file__).resolve().parent.parent
    with pytest.raises(SigningError, match="inside the project folder"):
        generate_keys(project / "council.pem", tmp_path / "council.pub.pem")
    generate_keys(tmp_path / "a.pem", tmp_path / "a.pub.pem")
    with pytest.raises(SigningError, match="already exists"):
        generate_keys(tmp_path / "a.pem", tmp_path / "b.pub.pem")
    assert (tmp_path / "a.pem").stat().st_mode & 0o077 == 0  # readable by its owner only


# --- issue 20: forgeries that verified with the key ------------------------------------------------------------


@pytest.fixture(scope="module")
def signed(kb: KnowledgeBase, keys: dict[str, Path]) -> bytes:
    return record_of(kb, "library-opening-hours.yaml", keys["council"])


def test_a_new_main_part_named_by_the_package_with_the_original_left_as_an_orphan_exits_1(
    signed: bytes, keys: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """(a) Word and LibreOffice open the main part _rels/.rels names; verify read word/document.xml by name."""
    forged = FORGERIES["(a) a new main part named by _rels/.rels, the original an orphan"](signed, {})
    assert FORGED.encode() in zipfile.ZipFile(io.BytesIO(forged)).read("word/main.xml")
    code, out = verify(tmp_path, forged, keys["council_public"], capsys)
    assert code == 1 and "word/document.xml is named by no relationship" in out


def test_an_edited_header_and_footer_exit_4_naming_them(
    signed: bytes, keys: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """(b) Every page's header and footer read a forged approval; only the main part was digested."""
    forged = FORGERIES["(b) the footer edited"](FORGERIES["(b) the header edited"](signed, {}), {})
    code, out = verify(tmp_path, forged, keys["council_public"], capsys)
    assert code == 4, out
    named = out.split("edited after it was written, in: ")[1].splitlines()[0]
    assert set(named.split("; ")) == {"Page header", "Page footer"}


def test_a_field_result_on_the_level_paragraph_with_its_real_runs_hidden_exits_4(
    signed: bytes, keys: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """(c) Field results were left out of the digest and hidden text was counted: the forged level showed, the
    real one did not, and the digest was unchanged."""
    forged = FORGERIES["(c) a field result on the level paragraph, its runs hidden"](signed, {})
    code, out = verify(tmp_path, forged, keys["council_public"], capsys)
    assert code == 4 and "Title page" in out, out


def test_every_run_white_at_1_pt_is_not_intact(
    signed: bytes, keys: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """(d) Every run white at 1 pt, the forged words in black in a field result: nothing a reader sees is what was
    signed."""
    forged = FORGERIES["(d) every run white at 1 pt"](signed, {})
    code, out = verify(tmp_path, forged, keys["council_public"], capsys)
    assert code == 1 and "almost none of the document's text is the text the record was written with" in out, out


def test_white_text_alone_is_seen(
    signed: bytes, keys: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The level paragraph made white on white, nothing added: a reader sees no level, and verify says where."""

    def whiten(root: Any) -> None:
        set_run_property(root, '<w:color w:val="FFFFFF"/>', only=level_paragraph(root))

    code, out = verify(tmp_path, edit_xml(signed, "word/document.xml", whiten), keys["council_public"], capsys)
    assert code == 4 and "Title page" in out, out


# --- issue 20: without a key -------------------------------------------------------------------------------


def test_without_a_key_a_record_re_signed_with_another_key_is_not_intact(
    kb: KnowledgeBase, keys: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Another install of proofing, with a key of its own, writes the record again: without a key to check the
    signature against, it must not read as intact."""
    forged = record_of(kb, "library-opening-hours.yaml", keys["other"])
    code, out = verify(tmp_path, forged, None, capsys)
    assert code == 1 and "signed, by a key you did not check" in out and PUBLIC_KEY_ENV in out, out


def test_without_a_key_a_record_whose_digests_were_removed_is_not_intact(
    kb: KnowledgeBase, signed: bytes, keys: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = verify(tmp_path, edit(signed, RECORD, rewritten(without_digests, keys["other"])), None, capsys)
    assert code == 1, out
    unsigned = record_of(kb, "library-opening-hours.yaml", None)
    code, out = verify(tmp_path, edit(unsigned, RECORD, rewritten(without_digests)), None, capsys)
    assert code == 1 and "no digests of everything its document shows" in out, out


def test_an_untouched_signed_record_is_only_intact_once_its_key_is_checked(
    signed: bytes,
    keys: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, out = verify(tmp_path, signed, None, capsys)
    assert code == 1 and "by a key you did not check" in out and "--key PUBLIC.pem" in out, out
    monkeypatch.setenv(PUBLIC_KEY_ENV, str(keys["council_public"]))
    code, out = verify(tmp_path, signed, None, capsys)
    assert code == 0 and "with the council's key" in out, out


# --- the app signs what it exports ------------------------------------------------------------------------


def export_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: Path | None) -> Any:
    """The Export page (AppTest) on a complete assessment, with PROOFING_SIGNING_KEY naming `key` (or unset)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from proofing.store import Store

    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("PROOFING_DB_URL", url)
    if key is None:
        monkeypatch.delenv(PRIVATE_KEY_ENV, raising=False)
    else:
        monkeypatch.setenv(PRIVATE_KEY_ENV, str(key))
    st.cache_resource.clear()
    assessment_id = Store(url).create(read_plan(EXAMPLES / "translation-contract.yaml"))
    at = AppTest.from_file(str(EXAMPLES.parent / "app.py"), default_timeout=60)
    at.query_params["assessment"] = assessment_id
    at.switch_page("views/export.py")
    return at.run()


def test_the_export_page_signs_with_the_configured_key_in_the_name_of_who_is_signed_in(
    kb: KnowledgeBase, keys: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = export_page(tmp_path, monkeypatch, keys["council"])
    assert not at.exception
    assert any("signed with the council's key" in caption.value for caption in at.caption)
    next(b for b in at.button if b.label == "Prepare the Word record").click().run()
    assert not at.exception
    result = verify_record(kb, at.session_state["record"], load_public_key(keys["council_public"]))
    assert result.status == "intact" and result.signature_checked and result.signed_by == LOCAL_USER.described()


def test_the_export_page_says_records_are_unsigned_without_a_key_and_refuses_a_key_it_cannot_read(
    kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = export_page(tmp_path, monkeypatch, None)
    assert not at.exception
    assert any("Records are not signed" in info.value for info in at.info)
    at = export_page(tmp_path, monkeypatch, tmp_path / "missing.pem")
    assert not at.exception
    assert any("cannot be used" in error.value and "does not exist" in error.value for error in at.error)
    assert not any(b.label == "Prepare the Word record" for b in at.button)  # no unsigned record in its place


def test_the_signer_is_the_configured_key_or_none(keys: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PRIVATE_KEY_ENV, raising=False)
    assert configured_signer("Head of Libraries") is None
    monkeypatch.setenv(PRIVATE_KEY_ENV, str(keys["council"]))
    signer = configured_signer("Head of Libraries")
    assert signer is not None and signer.identity == "Head of Libraries"
    assert signer.fingerprint == fingerprint(load_public_key(keys["council_public"]))
    monkeypatch.setenv(PRIVATE_KEY_ENV, str(keys["council_public"]))  # a public key where the private one goes
    with pytest.raises(SigningError):
        configured_signer("Head of Libraries")
