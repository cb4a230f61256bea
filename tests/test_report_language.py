"""The Word record in Welsh, in English, or bilingual: headings from the catalogue, language tags, dates, and a
record that verifies (and catches an edit of its Welsh text) whatever language it is written in."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from proofing.assessment import Assessment, assess
from proofing.cli import main
from proofing.knowledge import KnowledgeBase
from proofing.plan import read_plan
from proofing.record import read_record
from proofing.report import ReportDetails, write_report
from proofing.verify import verify_record
from tests.conftest import libreoffice_convert, tool

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WELSH_HEADINGS = [
    "Crynodeb i'r bwrdd",
    "Y canfyddiadau yn llawn",
    "Cynllun gweithredu lliniaru",
    "Atodiad i archwilwyr",
]
ENGLISH_HEADINGS = ["Summary for the board", "The findings in full", "Mitigation action plan", "Appendix for auditors"]


@pytest.fixture(scope="module")
def library(kb: KnowledgeBase) -> Assessment:
    return assess(kb, read_plan(EXAMPLES / "library-opening-hours.yaml"))


def details() -> ReportDetails:
    return ReportDetails(assessors=["Head of Libraries"], produced_at="2026-12-01T10:00:00+00:00")


@pytest.fixture(scope="module")
def welsh(kb: KnowledgeBase, library: Assessment) -> bytes:
    return write_report(kb, library, details(), language="cy")


@pytest.fixture(scope="module")
def bilingual(kb: KnowledgeBase, library: Assessment) -> bytes:
    return write_report(kb, library, details(), language="bilingual")


def headings(data: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(data))
    return [p.text for p in document.paragraphs if p.style.name == "Heading 1"]


def styles_xml(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read("word/styles.xml"))


def run_tags(data: bytes) -> set[str | None]:
    body = docx.Document(io.BytesIO(data)).element.body
    return {
        (run.find(f"{W}rPr/{W}lang").get(f"{W}val") if run.find(f"{W}rPr/{W}lang") is not None else None)
        for run in body.iter(f"{W}r")
        if run.find(f"{W}t") is not None
    }


def test_an_english_record_is_written_as_before(kb: KnowledgeBase, library: Assessment) -> None:
    data = write_report(kb, library, details())
    assert set(ENGLISH_HEADINGS) <= set(headings(data))
    assert run_tags(data) == {"en-GB"}  # every run says its language, as in a Welsh record
    assert read_record(data).payload["meta"]["language"] == "en"
    assert headings(data) == headings(write_report(kb, library, details(), language="en"))


def test_a_welsh_record_has_welsh_headings_tags_and_dates(welsh: bytes) -> None:
    found = headings(welsh)
    assert set(WELSH_HEADINGS) <= set(found)
    assert not set(ENGLISH_HEADINGS) & set(found)
    default = styles_xml(welsh).find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert default is not None and default.get(f"{W}val") == "cy-GB"
    assert "cy-GB" in run_tags(welsh)
    assert None not in run_tags(welsh)  # every run says its language
    document = docx.Document(io.BytesIO(welsh))
    assert document.core_properties.language == "cy-GB"
    assert "1 Rhagfyr 2026" in document.tables[0]._tbl.xpath("string()")
    assert read_record(welsh).payload["meta"]["language"] == "cy"


def test_rule_texts_still_in_english_are_tagged_english(rules_copy: Path, library: Assessment) -> None:
    """A rule title reworded in English has no Welsh yet: the Welsh record shows it in English, tagged en-GB."""
    from proofing.knowledge import load_knowledge
    from proofing.language import localised

    title = library.findings[0].title
    source = next(path for path in (rules_copy / "impacts").glob("*.yaml") if f"title: {title}" in path.read_text())
    source.write_text(source.read_text().replace(f"title: {title}", f"title: {title} (reworded)"))
    kb = load_knowledge(rules_copy)
    reworded = f"{title} (reworded)"
    assert localised(kb, "cy").fell_back(reworded)
    welsh = write_report(kb, assess(kb, library.plan), details(), language="cy")
    body = docx.Document(io.BytesIO(welsh)).element.body
    tagged = {
        "".join(t.text or "" for t in run.iter(f"{W}t")): run.find(f"{W}rPr/{W}lang").get(f"{W}val")
        for run in body.iter(f"{W}r")
        if run.find(f"{W}rPr/{W}lang") is not None
    }
    assert tagged.get(reworded) == "en-GB"
    assert tagged.get("Crynodeb i'r bwrdd") == "cy-GB"


def test_a_welsh_record_verifies_and_an_edited_welsh_word_is_caught(
    kb: KnowledgeBase, welsh: bytes, tmp_path: Path
) -> None:
    assert verify_record(kb, welsh).status == "intact"
    path = tmp_path / "cofnod.docx"
    path.write_bytes(welsh)
    assert main(["verify", str(path)]) == 0
    document = docx.Document(io.BytesIO(welsh))
    for paragraph in document.paragraphs:
        if "Canfu'r asesiad" in paragraph.text:
            for run in paragraph.runs:
                run.text = run.text.replace("Canfu'r asesiad", "Ni chanfu'r asesiad")
            break
    else:
        pytest.fail("the Welsh summary sentence is missing")
    buffer = io.BytesIO()
    document.save(buffer)
    result = verify_record(kb, buffer.getvalue())
    assert result.status == "visible_text_edited"
    assert result.visible_changes == ["Crynodeb i'r bwrdd"]


def test_a_bilingual_record_holds_both_languages_and_verifies(
    kb: KnowledgeBase, bilingual: bytes, tmp_path: Path
) -> None:
    found = headings(bilingual)
    assert set(WELSH_HEADINGS) <= set(found) and set(ENGLISH_HEADINGS) <= set(found)
    assert found.index(WELSH_HEADINGS[0]) < found.index(ENGLISH_HEADINGS[0])  # Welsh first
    assert {"cy-GB", "en-GB"} <= run_tags(bilingual)
    default = styles_xml(bilingual).find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert default is not None and default.get(f"{W}val") == "cy-GB"
    assert verify_record(kb, bilingual).status == "intact"
    path = tmp_path / "dwyieithog.docx"
    path.write_bytes(bilingual)
    assert main(["verify", str(path)]) == 0
    names = [b.get(f"{W}name") for b in docx.Document(io.BytesIO(bilingual)).element.body.iter(f"{W}bookmarkStart")]
    assert len(names) == len(set(names))  # each half's contents points to its own headings


def test_the_embedded_record_is_the_english_assessment(
    library: Assessment, welsh: bytes, bilingual: bytes, kb: KnowledgeBase
) -> None:
    english = read_record(write_report(kb, library, details())).payload["assessment"]
    assert read_record(welsh).payload["assessment"] == english
    assert read_record(bilingual).payload["assessment"] == english


def test_the_bilingual_record_prints(bilingual: bytes, tmp_path: Path) -> None:
    source = tmp_path / "dwyieithog.docx"
    source.write_bytes(bilingual)
    pdf = libreoffice_convert(source, tmp_path, "pdf")
    import subprocess

    text = subprocess.run([tool("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Asesiad o'r Effaith ar Gydraddoldeb" in text or "Asesiad o’r Effaith ar Gydraddoldeb" in text
    assert "Equality Impact Assessment" in text


def test_no_welsh_word_breaks_inside_a_table_cell(welsh: bytes) -> None:
    """Welsh words are longer than English ones ("Canfyddiadau", "Arfaethedig"): every word of every cell, up to 14
    letters, fits its column, measured as tests/test_report.py measures the English record."""
    from PIL import ImageFont

    from tests.test_report import bold_font

    document = docx.Document(io.BytesIO(welsh))
    size = document.styles["Table Text"].font.size.pt
    font = ImageFont.truetype(bold_font(), 100)
    checked = 0
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for word in cell.text.split():
                    if len(word) <= 14:
                        width = font.getlength(word) / 100 * size * 20
                        assert width <= cell.width.twips - 2 * 108, (
                            f"{word!r} breaks in a {cell.width.cm:.2f} cm column"
                        )
                        checked += 1
    assert checked > 1000


def test_the_header_and_footer_words_are_in_the_records_language(welsh: bytes, bilingual: bytes) -> None:
    def parts(data: bytes) -> str:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = [n for n in package.namelist() if n.startswith(("word/header", "word/footer"))]
            return " ".join(etree.fromstring(package.read(n)).xpath("string()") for n in names)

    assert "Asesiad o'r Effaith ar Gydraddoldeb" in parts(welsh) and "Tudalen" in parts(welsh)
    assert "Equality Impact Assessment" not in parts(welsh)
    assert "Tudalen / Page" in parts(bilingual) and "Sylfaen reolau / Rule base" in parts(bilingual)
