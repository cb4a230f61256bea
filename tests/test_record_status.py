"""A record that states its status (issue 22): its cover, page 1 and every page say draft, submitted or approved,
with the version; an approved record gives the decision actually taken, by whom and when, its conditions, review date
and what the approver acknowledged, where a draft asks for a decision; in Word and in HTML, in English and Welsh.

What went wrong: page 1 of an approved record was word for word the draft's and still ended "Decision asked for:
Stop and complete a full EIA"; the cover had no status; the approval showed only on page 10.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import docx
import pytest
from lxml import etree

from proofing.approvals import Acknowledgement, Approval
from proofing.assessment import Assessment, assess
from proofing.decisions import DecisionNotes
from proofing.knowledge import KnowledgeBase
from proofing.plan import read_plan
from proofing.report import ReportDetails, write_html_record, write_report
from proofing.report.status import record_file_name, record_status
from proofing.signoff import open_items

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
WHEN = datetime(2026, 12, 1, 10, 30, tzinfo=UTC)
FIXED = {"produced_at": "2026-12-01T10:30:00+00:00", "produced_by": "test"}


@pytest.fixture(scope="module")
def centre(kb: KnowledgeBase) -> Assessment:
    return assess(kb, read_plan(EXAMPLES / "day-centre-closure.yaml"))


def approval(
    outcome: str = "approved", version: int = 3, acknowledged: list[Acknowledgement] | None = None
) -> Approval:
    decided = outcome != "submitted"
    return Approval(
        assessment_id="0123456789abcdef0123456789abcdef",
        version=version,
        status="final" if outcome == "approved" else "draft",
        outcome=outcome,  # type: ignore[arg-type]
        advice="full_assessment",
        submitted_by="The service manager",
        submitted_at=WHEN,
        decided_by="The head of adult social care" if decided else None,
        decided_at=WHEN if decided else None,
        decision_taken="Close the centre in April, after the transport pilot" if decided else "",
        reasons="The pilot answers the main concern" if decided else "",
        conditions="Keep the lunch club open" if decided else "",
        review_date=date(2027, 6, 30) if decided else None,
        acknowledged=acknowledged or [],
    )


def page_one(data: bytes) -> str:
    """The title page's text: every paragraph and cell before the contents (the first page break)."""
    document = docx.Document(io.BytesIO(data))
    body = etree.tostring(document.element.body, encoding="unicode")
    before = body.split('w:type="page"')[0]
    return " ".join("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", before)).split())


def headers(data: bytes) -> list[str]:
    """The text of every header part of the document."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return [
            "".join(etree.fromstring(package.read(name)).itertext())
            for name in package.namelist()
            if re.fullmatch(r"word/header\d*\.xml", name)
        ]


def cover(data: bytes) -> dict[str, str]:
    document = docx.Document(io.BytesIO(data))
    return {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}


def test_a_draft_says_draft_on_its_cover_and_on_every_page(kb: KnowledgeBase, centre: Assessment) -> None:
    data = write_report(kb, centre, ReportDetails(version=3, **FIXED))
    rows = cover(data)
    assert rows["Status"] == "Draft: not approved, and no decision has been taken on it"
    assert rows["Version"] == "Version 3" and rows["Review date"] == "within 6 months of the decision"
    assert headers(data) and all("DRAFT: not approved · version 3" in text for text in headers(data))
    first = page_one(data)
    assert "DRAFT: not approved · version 3" in first  # under the title too
    assert "Decision asked for: " + centre.decision in first and "Decision taken" not in first


def test_a_submitted_record_is_not_approved(kb: KnowledgeBase, centre: Assessment) -> None:
    data = write_report(kb, centre, ReportDetails(version=3, approval=approval("submitted"), **FIXED))
    assert cover(data)["Status"] == "Submitted for approval on 1 December 2026: no decision yet, so not approved"
    assert all("Submitted for approval: not approved · version 3" in text for text in headers(data))
    assert "Status: submitted for approval by The service manager on 1 December 2026" in page_one(data)


def test_an_approved_record_gives_the_decision_taken_on_page_one(kb: KnowledgeBase, centre: Assessment) -> None:
    items = open_items(centre, {}, DecisionNotes())
    data = write_report(kb, centre, ReportDetails(version=3, approval=approval(acknowledged=items), **FIXED))
    rows = cover(data)
    assert rows["Status"] == (
        "Approved by The head of adult social care on 1 December 2026: the decision is taken and this record is final"
    )
    assert rows["Review date"] == "30 June 2027"
    first = page_one(data)
    assert "Decision taken: Close the centre in April, after the transport pilot" in first
    assert "Approved by: The head of adult social care on 1 December 2026" in first
    assert "Conditions: Keep the lunch club open" in first and "Review date: 30 June 2027" in first
    mitigations = sum(item.kind == "mitigation" for item in items)
    assert f"Acknowledged at approval: {mitigations} undecided mitigations and 1 open high-severity gap" in first
    assert "Decision asked for" not in first and "DRAFT" not in first
    assert all("Approved · version 3" in text for text in headers(data))
    document = docx.Document(io.BytesIO(data))
    listed = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert all(item.text in listed for item in items)  # each acknowledged item, under Sign-off
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert "0123456789abcdef0123456789abcdef" not in " ".join(cells)  # the title and version, never the id


def test_a_later_draft_is_a_draft_whatever_an_earlier_version_was(kb: KnowledgeBase, centre: Assessment) -> None:
    data = write_report(kb, centre, ReportDetails(version=4, approval=approval(version=3), **FIXED))
    assert cover(data)["Status"].startswith("Draft: not approved")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "Approved: the assessment is final." not in text  # sign-off is a table to sign, for this version
    assert record_status(approval(version=3), 4) == "draft" and record_status(approval(version=3), 3) == "approved"
    assert record_status(approval("sent_back"), 3) == "draft" and record_status(None, None) == "draft"


def test_a_welsh_approved_record_says_so_in_welsh(kb: KnowledgeBase, centre: Assessment) -> None:
    data = write_report(kb, centre, ReportDetails(version=3, approval=approval(), **FIXED), language="cy")
    first = page_one(data)
    assert "Approved by" not in first and "Decision taken" not in first  # every word of it in Welsh
    assert "Close the centre in April" in first  # what the approver wrote, as written


def test_the_html_record_carries_its_status_in_a_banner(kb: KnowledgeBase, centre: Assessment) -> None:
    draft = etree.fromstring(write_html_record(kb, centre, ReportDetails(version=3, **FIXED)), etree.HTMLParser())
    [banner] = draft.xpath("//body/p[contains(@class, 'status')]")
    assert banner.get("class") == "status status-draft" and banner.text == "DRAFT: not approved · version 3"
    final = write_html_record(kb, centre, ReportDetails(version=3, approval=approval(), **FIXED))
    page = etree.fromstring(final, etree.HTMLParser())
    [banner] = page.xpath("//body/p[contains(@class, 'status')]")
    assert banner.get("class") == "status status-approved" and banner.text == "Approved · version 3"
    text = " ".join("".join(page.itertext()).split())
    assert "Decision taken: Close the centre in April" in text and "Decision asked for" not in text


def test_file_names_carry_the_title_version_and_status() -> None:
    names = {record_file_name("Close the day centre", 2, status, "en", ".docx") for status in ("draft", "approved")}
    assert names == {"close-the-day-centre-v2-draft.docx", "close-the-day-centre-v2-approved.docx"}
    assert record_file_name("Close the day centre", 2, "submitted", "bilingual", ".docx") == (
        "close-the-day-centre-v2-submitted-bilingual.docx"
    )


def every_word(data: bytes) -> str:
    """The Word record's paragraphs and table cells, one text."""
    document = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return " ".join(" ".join([p.text for p in document.paragraphs] + cells).split())


def test_an_approved_record_has_one_review_date_the_approvers(kb: KnowledgeBase, centre: Assessment) -> None:
    """Issue 22: the plan says review within 6 months; the approver set 30 June 2027 at sign-off. Monitoring said
    "reviewed within 6 months" while the cover said 30 June 2027: the approved record names only the approver's."""
    draft = every_word(write_report(kb, centre, ReportDetails(version=3, **FIXED)))
    assert "and the plan reviewed within 6 months." in draft and "Review date: within 6 months of the decision" in draft
    assert "30 June 2027" not in draft

    final = every_word(write_report(kb, centre, ReportDetails(version=3, approval=approval(), **FIXED)))
    assert "and the plan reviewed by 30 June 2027." in final  # How well did we do it?
    assert "Review date 30 June 2027" in final and "Review date: 30 June 2027" in final  # the cover, page 1
    assert "within 6 months" not in final and "2027-06-30" not in final  # no second date, nor the same one twice over
    page = etree.fromstring(
        write_html_record(kb, centre, ReportDetails(version=3, approval=approval(), **FIXED)), etree.HTMLParser()
    )
    html = " ".join("".join(page.itertext()).split())
    assert "and the plan reviewed by 30 June 2027." in html and "within 6 months" not in html
