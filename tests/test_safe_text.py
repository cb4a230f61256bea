"""proofing.safe_text: user text made safe for each face (Markdown, plain text, a terminal, a spreadsheet cell), and
the faces that use it: the command line's output, the register's exports and an uploaded record.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from proofing import safe_text
from proofing.cli import main
from proofing.knowledge import KnowledgeBase
from proofing.plan import Plan, read_plan
from proofing.register import plan_from_upload, register_rows, rows_as_xlsx
from proofing.store import Store

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CONTROLS = "".join(chr(code) for code in [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0x85, 0x9B])
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")

CASES = [
    "![p](http://evil.example/p.png)",
    "[click](https://evil.example/x)",
    ":red[APPROVED] :material/warning: :smile:",
    "<img src=x onerror=alert(1)> <b>bold</b>",
    "**strong** _em_ ~~gone~~ `code` $x^2$ # heading",
    "> quote\n- item\n1. first",
    "bell\x07 esc\x1b[2J\x1b]0;owned\x07 del\x7f csi\x9b",
    "lone \ud800 half \udfff",
    "right-to-left \u202eevil\u202c and \u2066isolate\u2069",
    "Dŵr, tŷ, 🙂, שלום, مرحبا",
]


@pytest.mark.parametrize("text", CASES)
def test_the_markdown_face_escapes_every_punctuation_character_and_no_control_survives(text: str) -> None:
    shown = safe_text.markdown(text)
    assert RAW_CONTROL.search(shown) is None
    unescaped = re.sub(r"\\[!-/:-@\[-`{-~]", "", shown)
    assert re.search(r"[!-/:-@\[-`{-~]", unescaped) is None  # nothing left for Markdown to act on


@pytest.mark.parametrize("text", CASES)
def test_the_text_and_cell_faces_keep_the_words_and_show_the_controls(text: str) -> None:
    shown = safe_text.text(text)
    assert RAW_CONTROL.search(shown) is None and "\u202e" not in shown
    assert RAW_CONTROL.search(str(safe_text.cell(text))) is None
    plain_words = re.sub(r"[^\w ]", "", text)
    assert re.sub(r"[^\w ]", "", shown).replace("\ufffd", "") == plain_words.replace("\ufffd", "")


def test_every_control_character_is_shown_not_dropped() -> None:
    shown = safe_text.text(CONTROLS)
    assert len(shown) == len(CONTROLS) and RAW_CONTROL.search(shown) is None
    assert safe_text.text("a\x07b") == "a\u2407b" and safe_text.text("x\r\ny") == "x\ny"


@pytest.mark.parametrize("formula", ["=1+1", "+1", "-1+2", "@SUM(A1)", " =HYPERLINK(1)", "\t=1"])
def test_a_spreadsheet_never_runs_a_formula(formula: str) -> None:
    assert str(safe_text.cell(formula)).startswith("'")
    assert safe_text.cell(3) == 3 and safe_text.cell(None) is None


def test_the_terminal_face_escapes_what_would_drive_a_terminal() -> None:
    shown = safe_text.terminal("t\x1b]0;owned\x07 \x1b[2J \x9b2J \ud800 ok\n\tend")
    assert shown == "t\\x1b]0;owned\\x07 \\x1b[2J \\u009b2J \\ud800 ok\n\tend"


def test_the_command_line_never_writes_a_titles_escape_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = read_plan(EXAMPLES / "library-opening-hours.yaml")
    text = (EXAMPLES / "library-opening-hours.yaml").read_text(encoding="utf-8")
    hostile = text.replace(f"title: {plan.title}", 'title: "Library\\e]0;owned\\a\\e[2J hours"', 1)
    assert hostile != text
    path = tmp_path / "plan.yaml"
    path.write_text(hostile, encoding="utf-8")
    assert main(["assess", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert "Library\\x1b]0;owned\\x07\\x1b[2J hours" in out


def test_an_uploaded_record_with_a_lone_surrogate_is_stored_with_a_replacement(
    kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What the record reader gives back for a record whose embedded JSON carries "\ud800" (its digest recomputed).
    carried = Plan(title="Hours", service="Libraries", owner="Head", answers={"evidence_gaps": "lone \ud800 half"})
    monkeypatch.setattr("proofing.register.plan_from_record", lambda data: carried)
    plan = plan_from_upload("record.docx", b"PK")
    assert plan.answers["evidence_gaps"] == "lone \ufffd half"
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    assessment_id = store.create(plan)  # a lone surrogate would make every save, and the Export page, fail
    assert store.latest(assessment_id).plan.model_dump_json()  # type: ignore[union-attr]


def test_the_register_exports_a_title_with_a_bell(kb: KnowledgeBase, tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    store.create(Plan(title="Bell\x07 and escape\x1b[31m", service="=cmd|' /C calc'!A0", owner="@owner"))
    rows = register_rows(kb, store.list())
    sheet = load_workbook(io.BytesIO(rows_as_xlsx(rows))).active  # openpyxl refused the bell: the page stopped
    expected = ["Bell\u2407 and escape\u241b[31m", "'=cmd|' /C calc'!A0", "'@owner"]
    assert [cell.value for cell in sheet[2]][:3] == expected
