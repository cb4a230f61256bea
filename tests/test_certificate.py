"""The certificate of completion (proofing/certificate.py): A4, in the record's Word template, naming the council,
the trainee, the cases passed with their scores, the pass mark and a line to sign; LibreOffice opens it."""

from __future__ import annotations

import io
import os
import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

from proofing.certificate import CertificateError, cases_passed, certificate
from proofing.knowledge import KnowledgeBase
from proofing.language import translator
from proofing.store import TrainingRound
from proofing.training import SCORING, needs_name, trainee_name, trainees
from tests.conftest import libreoffice_convert, tool


def _round(case: str, when: str, score: int, *, who: str = "Local user", name: str = "") -> TrainingRound:
    return TrainingRound(
        at=datetime.fromisoformat(when).replace(tzinfo=UTC),
        subject="local",
        who=who,
        organisation="Housing",
        case=case,
        prediction={"name": name} if name else {},
        score=score,
        found=[],
        missed=[],
        over_called=[],
    )


def _text(document: docx.document.Document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def _frame(document: docx.document.Document) -> str:
    """The text of every header and footer."""
    return "\n".join(
        "".join(t.text or "" for t in rel.target_part.element.iter(qn("w:t")))
        for rel in document.part.rels.values()
        if rel.reltype in (RT.HEADER, RT.FOOTER)
    )


@pytest.fixture()
def rounds(kb: KnowledgeBase) -> list[TrainingRound]:
    first, second, third = (case.id for case in kb.training[:3])
    return [
        _round(first, "2026-11-03T10:00", 40, name="The housing trainee"),
        _round(first, "2026-11-05T10:00", 85, name="The housing trainee"),
        _round(second, "2026-12-01T10:00", 80, name="The housing trainee"),
        _round(third, "2026-12-02T10:00", 60, name="The housing trainee"),  # not passed: not certified
    ]


def test_the_certificate_is_a4_in_the_record_style_with_council_trainee_pass_mark_and_signature(
    kb: KnowledgeBase, rounds: list[TrainingRound], tmp_path: Path
) -> None:
    made = certificate(kb, rounds)
    document = docx.Document(io.BytesIO(made))
    for section in document.sections:
        assert section.page_width is not None and section.page_height is not None
        assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)  # A4
    text = _text(document)
    assert "Certificate of completion" in text
    assert kb.council == "Wrexham County Borough Council" and f"{kb.council} certifies that" in text
    assert "The housing trainee" in text and "of Housing, has passed 2 worked cases" in text
    assert f"The pass mark is {SCORING.pass_mark} of 100 on each case" in text
    assert "Signature: ____" in text and "Name and role: ____" in text
    assert "Completed on 1 December 2026" in text
    # The record's Word template: its styles and its header, with the council's name in it.
    styles = {p.style.name for p in document.paragraphs if p.style is not None}
    assert {"Title", "Subtitle", "Heading 1"} <= styles
    frame = _frame(document)
    assert kb.council in frame and "Certificate of completion" in frame and "{{" not in frame
    assert "Equality Impact Assessment" not in frame and "{{body}}" not in text
    cells = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    titles = [case.title for case in kb.training[:2]]
    assert cells == [
        ["Case passed", "Date", "Score"],
        [titles[0], "5 November 2026", "85 of 100"],
        [titles[1], "1 December 2026", "80 of 100"],
    ]
    assert document.core_properties.title == "Certificate of completion: The housing trainee"

    # LibreOffice opens it as one A4 page; page 1 is kept as a picture for a person to look at.
    folder = Path(os.environ.get("PROOFING_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "certificate.docx"
    source.write_bytes(made)
    pdf = libreoffice_convert(source, tmp_path, "pdf")
    info = subprocess.run([tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.MULTILINE), info
    assert re.search(r"^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)$", info, re.MULTILINE), info
    words = subprocess.run([tool("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "The housing trainee" in words and kb.council in words and "Signature:" in words
    subprocess.run([tool("pdftoppm"), "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(folder / "certificate")])
    assert next(folder.glob("certificate*.png")).stat().st_size > 10_000


def test_a_certificate_in_welsh(kb: KnowledgeBase, rounds: list[TrainingRound]) -> None:
    text = _text(docx.Document(io.BytesIO(certificate(kb, rounds, say=translator("cy")))))
    assert "Tystysgrif cwblhau" in text and "Llofnod:" in text and "The housing trainee" in text


def test_only_passed_cases_are_certified_and_a_name_is_needed(kb: KnowledgeBase) -> None:
    case = kb.training[0].id
    failed = [_round(case, "2026-11-03T10:00", SCORING.pass_mark - 1, name="The housing trainee")]
    with pytest.raises(CertificateError, match=f"at least one case passed \\(the pass mark is {SCORING.pass_mark}"):
        certificate(kb, failed)
    assert cases_passed(failed) == {}
    nameless = [_round(case, "2026-11-03T10:00", SCORING.pass_mark)]  # local mode, and no name given
    assert trainee_name(nameless) == ""
    with pytest.raises(CertificateError, match="Say the trainee's name"):
        certificate(kb, nameless)
    text = _text(docx.Document(io.BytesIO(certificate(kb, nameless, name="The housing trainee"))))
    assert "The housing trainee" in text and "Local user" not in text


def test_the_name_on_a_certificate(kb: KnowledgeBase) -> None:
    case = kb.training[0].id
    assert needs_name("Local user") and needs_name("") and needs_name(" local USER ") and not needs_name("A trainee")
    signed_in = [_round(case, "2026-11-03T10:00", 80, who="An approver")]
    assert trainee_name(signed_in) == "An approver"  # the sign-in's own name, when it gives one
    given = [*signed_in, _round(case, "2026-11-04T10:00", 80, who="An approver", name="An approver, Housing")]
    assert trainee_name(given) == "An approver, Housing"  # the latest name the trainee gave
    assert trainees(given) == {"local": "An approver, Housing"}
    assert trainees([_round(case, "2026-11-03T10:00", 80)]) == {"local": "Local user"}
