"""A hostile-record campaign: every way we could think of to make a Word record show what it was not signed as.

Each forgery takes a record proofing wrote and changes what a reader of it would see (or where Word would look),
the way a forger with a zip tool, a text editor and their own copy of proofing would: by the package's
relationships, orphan and extra parts, zip tricks, headers, footers, notes and comments, hidden, tiny and faint
text, field results, text boxes, alt chunks, styles, the document's properties, the pictures, and the embedded
record itself (edited, unsigned, re-signed with another key, its digests removed, swapped from another record).

Every forgery is tried on a signed record, verified with the council's key and without one, and (where it is not
about the signature) on an unsigned record, verified without a key. None may exit 0, no run may print a
traceback, and proofing's own untouched records (English, Welsh, bilingual, every example) still exit 0.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from proofing.assessment import assess
from proofing.knowledge import KnowledgeBase
from proofing.plan import read_plan
from proofing.report import ReportDetails, write_report
from proofing.signing import Signer, load_private_key
from proofing.verify import plan_from_record
from tests.forgeries import (
    EXAMPLES,
    FORGERIES,
    Forgery,
    digests_of_a_forged_header,
    header_edited,
    in_record,
    level_screened_out,
    make_keys,
    nothing,
    rewritten,
    verify,
    without_digests,
    without_signer,
)

# --- the campaign --------------------------------------------------------------------------------------------


SIGNATURE_FORGERIES: dict[str, Callable[[dict[str, Any]], Forgery]] = {
    "the level edited and re-signed with another install's key": lambda k: in_record(
        rewritten(level_screened_out, k["other"])
    ),
    "re-signed with another key, unchanged": lambda k: in_record(rewritten(nothing, k["other"])),
    "the signature removed": lambda k: in_record(rewritten(nothing, keep_signature=False)),
    "the signature and the signer removed, hash recomputed": lambda k: in_record(
        rewritten(without_signer, keep_signature=False)
    ),
    "the visible-text digests removed and re-signed with another key": lambda k: in_record(
        rewritten(without_digests, k["other"])
    ),
    "the header's digest replaced by the forged header's": lambda k: _both(
        in_record(rewritten(digests_of_a_forged_header)), header_edited
    ),
}


def _both(first: Forgery, second: Forgery) -> Forgery:
    return lambda data, context: second(first(data, context), context)


@pytest.fixture(autouse=True)
def rule_base_loaded_once(kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    """`proofing verify` as the command line runs it, with the rule base it would load (1.4 s a time) loaded once."""
    monkeypatch.setattr("proofing.cli.load_knowledge", lambda *_args, **_kwargs: kb)


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_keys(tmp_path_factory.mktemp("keys"))


def written(kb: KnowledgeBase, example: str, key: Path | None, language: str = "en") -> bytes:
    assessment = assess(kb, read_plan(EXAMPLES / example))
    signer = Signer(identity="Head of Libraries", key=load_private_key(key)) if key else None
    details = ReportDetails(assessors=["Head of Libraries"])
    return write_report(kb, assessment, details, signer=signer, language=language)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def records(kb: KnowledgeBase, keys: dict[str, Path]) -> dict[str, bytes]:
    return {
        "signed": written(kb, "library-opening-hours.yaml", keys["council"]),
        "unsigned": written(kb, "library-opening-hours.yaml", None),
        "other": written(kb, "one-wrexham-festival.yaml", keys["council"]),
        "other_unsigned": written(kb, "one-wrexham-festival.yaml", None),
    }


def outcomes(
    data: bytes, keys: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], signed: bool
) -> dict[str, tuple[int, str]]:
    if signed:
        return {
            "with the key": verify(tmp_path / "forged.docx", data, keys["council_public"], capsys),
            "without a key": verify(tmp_path / "forged.docx", data, None, capsys),
        }
    return {"unsigned, without a key": verify(tmp_path / "forged.docx", data, None, capsys)}


@pytest.mark.parametrize("name", list(FORGERIES))
@pytest.mark.parametrize("signed", [True, False], ids=["signed", "unsigned"])
def test_no_forgery_verifies_as_intact(
    name: str,
    signed: bool,
    records: dict[str, bytes],
    keys: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    context = {"other": records["other" if signed else "other_unsigned"]}
    forged = FORGERIES[name](records["signed" if signed else "unsigned"], context)
    assert forged != records["signed" if signed else "unsigned"]
    for how, (code, out) in outcomes(forged, keys, tmp_path, capsys, signed).items():
        assert code in (1, 4), f"{name}, {how}: exit {code}\n{out}"


@pytest.mark.parametrize("name", list(SIGNATURE_FORGERIES))
def test_no_forged_signature_verifies_as_intact(
    name: str, records: dict[str, bytes], keys: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    forged = SIGNATURE_FORGERIES[name](keys)(records["signed"], {"other": records["other"]})
    code, out = verify(tmp_path / "forged.docx", forged, keys["council_public"], capsys)
    assert code == 1, f"{name}, with the key: exit {code}\n{out}"
    code, out = verify(tmp_path / "forged.docx", forged, None, capsys)
    assert code in (1, 4), f"{name}, without a key: exit {code}\n{out}"


def test_a_record_made_again_unsigned_is_never_reported_signed_and_a_key_refuses_it(
    kb: KnowledgeBase,
    records: dict[str, bytes],
    keys: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The limit of a record without a key: a forger with proofing can make an unsigned record say anything (here
    the signed record's plan written again, unsigned). Without a key it is reported as not signed, never as signed
    or as the council's; with the key (or PROOFING_VERIFY_KEY) it is refused."""
    source = tmp_path / "signed.docx"
    source.write_bytes(records["signed"])
    remade = write_report(kb, assess(kb, plan_from_record(source)), ReportDetails(assessors=["Head of Libraries"]))
    code, out = verify(tmp_path / "forged.docx", remade, None, capsys)
    assert code == 0 and "The record is not signed." in out and "Signed by" not in out, out
    code, out = verify(tmp_path / "forged.docx", remade, keys["council_public"], capsys)
    assert code == 1 and "not signed" in out, out


@pytest.mark.parametrize("language", ["en", "cy", "bilingual"])
def test_untouched_records_in_every_language_still_verify(
    kb: KnowledgeBase, keys: dict[str, Path], language: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = written(kb, "library-opening-hours.yaml", keys["council"], language)
    code, out = verify(tmp_path / "record.docx", data, keys["council_public"], capsys)
    assert code == 0 and "with the council's key" in out, out
    code, out = verify(
        tmp_path / "record.docx", written(kb, "library-opening-hours.yaml", None, language), None, capsys
    )
    assert code == 0 and "The record is not signed." in out, out


@pytest.mark.parametrize("example", sorted(path.name for path in EXAMPLES.glob("*.yaml")))
def test_every_example_signed_verifies_with_the_key(
    kb: KnowledgeBase, keys: dict[str, Path], example: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = verify(tmp_path / "record.docx", written(kb, example, keys["council"]), keys["council_public"], capsys)
    assert code == 0, out
