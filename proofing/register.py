"""The register of assessments as rows a person reads and exports: words, never ids; CSV and Excel; imports.

The page (views/register.py) shows these rows and offers them for download; an uploaded plan file or Word record
becomes a plan here, so the page holds no parsing of its own.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from proofing import safe_text
from proofing.assessment import level_label
from proofing.errors import N_, ProofingError
from proofing.knowledge import KnowledgeBase
from proofing.plan import Plan, parse_plan
from proofing.store import STATUS_WORDS, AssessmentSummary
from proofing.verify import plan_from_record

COLUMNS = ("Title", "Service", "Owner", "Level", "Status", "Versions", "Updated")
MAX_PLAN_BYTES = 2_000_000  # as a plan file is refused past 2 MB


class UploadError(ProofingError):
    """An uploaded file that is neither a plan file nor a proofing record; the message says why, in words."""


def register_rows(kb: KnowledgeBase, summaries: Iterable[AssessmentSummary]) -> list[dict[str, Any]]:
    """One row per assessment, in words (the level as its label, the status as a word, the time to the minute)."""
    return [
        {
            "Title": s.title,
            "Service": s.service,
            "Owner": s.owner,
            "Level": level_label(kb, s.level),
            "Status": STATUS_WORDS[s.status],
            "Versions": s.versions,
            "Updated": s.updated_at.strftime("%Y-%m-%d %H:%M"),
        }
        for s in summaries
    ]


def rows_as_csv(rows: list[dict[str, Any]]) -> bytes:
    """The rows as CSV (UTF-8 with a byte order mark, so Excel reads Welsh letters), formulas defused and control
    characters shown visibly (proofing.safe_text)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS))
    writer.writeheader()
    for row in rows:
        writer.writerow({key: safe_text.cell(value) for key, value in row.items()})
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def rows_as_xlsx(rows: list[dict[str, Any]]) -> bytes:
    """The rows as an Excel workbook with a bold header row, formulas defused (openpyxl).

    Every cell goes through proofing.safe_text: openpyxl refuses a control character (a bell in a title would
    otherwise stop the whole Register page), and a formula is kept as text.
    """
    book = Workbook()
    sheet = book.active
    sheet.title = "Register"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_text.cell(row[column]) for column in COLUMNS])
    for letter, width in zip("ABCDEFG", (50, 30, 30, 24, 10, 10, 18), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def plan_from_upload(name: str, data: bytes) -> Plan:
    """The plan in an uploaded file: a plan file (.yaml, .yml) or a proofing Word record (.docx).

    A record is read as hostile (proofing.record's limits); anything else is refused with UploadError in words.
    A lone surrogate (which a YAML or JSON escape can carry but no database or UTF-8 file can hold) becomes U+FFFD.
    """
    plan = _plan_from_upload(name, data)
    return Plan.model_validate(safe_text.clean(plan.model_dump(mode="python")))


def _plan_from_upload(name: str, data: bytes) -> Plan:
    lowered = name.lower()
    try:
        if lowered.endswith(".docx"):
            return plan_from_record(data)
        if lowered.endswith((".yaml", ".yml")):
            if len(data) > MAX_PLAN_BYTES:
                raise UploadError(N_("{name} is over 2 MB; a plan file is far smaller"), name=name)
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                raise UploadError(N_("{name} is not a text file; a plan file is YAML text"), name=name) from None
            return parse_plan(text, name)
    except UploadError:
        raise
    except ProofingError as error:
        raise UploadError(error.code, **error.values) from None  # its code and values, for the face to word
    raise UploadError(N_("{name} is neither a plan file (.yaml) nor a Word record made by proofing (.docx)"), name=name)
