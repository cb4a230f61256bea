"""The Word record: its sections in order, accessible, hostile text survives, and it verifies and re-imports."""

from __future__ import annotations

import copy
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.shared import Length
from lxml import etree
from PIL import Image, ImageFont

from proofing.assessment import Assessment, assess, group_reason_words
from proofing.cli import main
from proofing.knowledge import KnowledgeBase
from proofing.plan import parse_plan, read_plan
from proofing.record import RECORD_PARTNAME, read_record
from proofing.report import (
    DEFAULT_TEMPLATE,
    RAG_FILL,
    MitigationDecision,
    ReportDetails,
    TemplateError,
    check_template,
    mitigation_key,
    write_report,
)
from proofing.verify import plan_as_yaml, plan_from_record, verify_record
from tests.conftest import libreoffice_convert, tool

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
HEADINGS_IN_ORDER = [
    (1, "Summary for the board"),
    (1, "What the Welsh specific duties ask us to set out"),
    (2, "The purpose of the policy"),
    (2, "The steps taken to assess it"),
    (2, "The information taken into account"),
    (2, "The results"),
    (2, "The decisions taken"),
    (1, "Findings by characteristic and community"),
    (2, "Impact by group"),
    (1, "The findings in full"),
    (2, "What the findings bear on"),
    (1, "Mitigation action plan"),
    (2, "The strategy actions the mitigations draw on"),
    (1, "Monitoring and review"),
    (2, "How much did we do?"),
    (2, "How well did we do it?"),
    (2, "Is anyone better off?"),
    (1, "Quality gaps in this assessment"),
    (1, "Sign-off"),
    (1, "The plan as described"),
    (1, "Appendix for auditors"),
]


@pytest.fixture(scope="module")
def library(kb: KnowledgeBase) -> Assessment:
    return assess(kb, read_plan(EXAMPLES / "library-opening-hours.yaml"))


@pytest.fixture(scope="module")
def record(kb: KnowledgeBase, library: Assessment) -> bytes:
    return write_report(kb, library, ReportDetails(assessors=["Head of Libraries", "Equality Officer"]))


def opened(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def test_sections_are_real_headings_in_order(record: bytes) -> None:
    document = opened(record)
    headings = [
        (int(p.style.name.removeprefix("Heading ")), p.text)
        for p in document.paragraphs
        if p.style.name.startswith("Heading")
    ]
    positions = [headings.index(heading) for heading in HEADINGS_IN_ORDER]
    assert positions == sorted(positions)
    assert document.paragraphs[0].style.name == "Title"


def test_title_page_and_summary(record: bytes, library: Assessment) -> None:
    document = opened(record)
    first_table = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert ["Service", library.plan.service] in first_table
    assert ["Assessors", "Head of Libraries, Equality Officer"] in first_table
    assert ["Screening level", library.level_words] in first_table
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Decision asked for: " + library.decision in text
    assert f"found {sum(f.direction == 'negative' for f in library.findings)} likely negative impacts" in text


def test_plan_is_described_in_words_not_ids(record: bytes) -> None:
    document = opened(record)
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert "What kind of change does the plan make?" in cells
    assert "A reduction in a service (less of it, fewer hours, fewer places); " in "".join(cells)
    assert "change_type" not in cells and "affected_communities" not in cells


def table_rows(document: docx.document.Document, first_header: str, second_header: str) -> list[list[str]]:
    """The rows (header first) of the one table whose header begins with these two cells."""
    (table,) = [t for t in document.tables if [c.text for c in t.rows[0].cells[:2]] == [first_header, second_header]]
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_mitigation_plan_sets_each_mitigation_beside_its_finding(record: bytes, library: Assessment) -> None:
    rows = table_rows(opened(record), "Finding", "Mitigation")
    assert rows[0] == ["Finding", "Mitigation", "Action", "Owner", "Due date", "Status"]
    expected: list[tuple[str, ...]] = []
    for number, finding in enumerate(library.findings, start=1):
        if finding.direction == "negative":
            expected.append((f"{number}. {finding.title} ({finding.rag.capitalize()}, score {finding.score})",))
            expected += [(str(number), m.text, ", ".join(m.actions)) for m in finding.mitigations]
    # each finding heads its mitigations, and every mitigation's row gives the finding's number
    assert [tuple(row[:3]) if row[1] != row[0] else (row[0],) for row in rows[1:]] == expected
    mitigations = [row for row in rows[1:] if row[1] != row[0]]
    assert {row[4] for row in mitigations} == {"To be agreed"} and {row[5] for row in mitigations} == {"Proposed"}


def test_the_strategy_timescales_are_labelled_as_the_strategy_s_apart_from_the_due_date(
    kb: KnowledgeBase, library: Assessment
) -> None:
    finding = next(f for f in library.findings if f.direction == "negative")
    meta = ReportDetails(
        decisions={mitigation_key(finding, 0): MitigationDecision(status="accepted", due="2027-03-31")}
    )
    document = opened(write_report(kb, library, meta))
    plan = table_rows(document, "Finding", "Mitigation")
    assert plan[2][4:] == ["2027-03-31", "Accepted"]
    actions = table_rows(document, "Action", "What the strategy says")
    assert actions[0] == [
        "Action",
        "What the strategy says",
        "Lead named in the strategy (2008-11)",
        "Strategy timescale (2008-11)",
    ]
    cited = list(
        dict.fromkeys(
            a for f in library.findings if f.direction == "negative" for m in f.mitigations for a in m.actions
        )
    )
    assert [row[0] for row in actions[1:]] == cited  # each action once, in the order the plan first cites it
    action_21 = next(a for a in kb.actions if a.id == "2.1")
    assert ["2.1", action_21.text, action_21.lead, action_21.timescale] in actions
    task = next(t for t in kb.migrant_worker_tasks if t.id == "MW5")  # a task with a target, March 2006
    assert task.target
    row = next(row for row in actions if row[0] == "MW5")
    assert row[3] == f"{task.target} (the Migrant Worker plan's target; plan updated {kb.migrant_worker_plan.updated})"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "the lead and the timescale the strategy gave them for 2008-11" in text
    assert "not when it is due" in text


def test_each_finding_is_set_out_once_and_the_by_group_view_is_a_table(record: bytes, library: Assessment) -> None:
    document = opened(record)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    for number, finding in enumerate(library.findings, start=1):
        assert headings.count(f"{number}. {finding.title}") == 1
    assert not [p for p in document.paragraphs if p.style.name == "Heading 3" and p.text in library.plan.title]
    rows = table_rows(document, "Group", "Negative findings")
    assert rows[0] == ["Group", "Negative findings", "Positive findings", "Highest score", "Findings"]
    by_group = {row[0]: row for row in rows[1:]}
    for entry in library.profile:
        numbers = [
            str(n) for n, f in enumerate(library.findings, start=1) if entry.id in f.characteristics + f.communities
        ]
        assert by_group[entry.name][1:3] == [str(entry.negative), str(entry.positive)]
        assert by_group[entry.name][4] == ", ".join(numbers)
    # the groups a finding affects are listed in it, with why each is named
    text = [p.text for p in document.paragraphs]
    consolidated = next(f for f in library.findings if f.consolidates)
    assert f"Also covers: {'; '.join(consolidated.consolidates)}" in text
    implied = next(r for f in library.findings for r in f.group_reasons if r.reason == "implied")
    assert any(t.startswith("Affects: ") and group_reason_words(implied) in t for t in text)
    assert "Affects: Age, Disability, Socio-economic disadvantage and Older people (the plan names them)" in text


def test_the_contents_lists_every_section_and_finding_with_a_page_field(record: bytes) -> None:
    document = opened(record)
    body = document.element.body
    bookmarks = {b.get(f"{W}name"): b.getparent() for b in body.iter(f"{W}bookmarkStart")}
    entries = [p for p in body.iter(f"{W}p") if p.find(f"{W}hyperlink") is not None]
    headings = [p for p in document.paragraphs if p.style.name in ("Heading 1", "Heading 2")]
    assert [p.xpath("string(w:hyperlink/w:r/w:t)") for p in entries] == [h.text for h in headings]
    for entry in entries:
        anchor = entry.find(f"{W}hyperlink").get(f"{W}anchor")
        assert bookmarks[anchor].xpath("string()") in {h.text for h in headings}
        assert entry.xpath("string(.//w:instrText)") == f" PAGEREF {anchor} \\h "
    assert entries[0].getprevious().xpath("string()") == "Contents"


def test_accessibility(record: bytes) -> None:
    document = opened(record)
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    headed = [
        t
        for t in document.tables
        if t.rows[0].cells[0].text in {"Question", "Group", "Finding", "Action", "Indicator", "Severity", "Name"}
    ]
    assert len(headed) >= 7
    for table in headed:
        properties = table.rows[0]._tr.trPr
        assert properties is not None and properties.find(f"{w}tblHeader") is not None, table.rows[0].cells[0].text
    pictures = document.element.body.findall(
        ".//{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
    )
    assert pictures and pictures[0].get("descr", "").startswith("Bar chart. The number of findings for each of")
    assert document.core_properties.language == "en-GB"
    styles = document.styles.element.xml
    assert 'w:val="en-GB"' in styles


def test_header_and_footer_are_filled(record: bytes, library: Assessment) -> None:
    section = opened(record).sections[0]
    assert "Wrexham County Borough Council" in section.header.paragraphs[0].text
    assert library.rule_base.version in section.footer.paragraphs[0].text
    assert "{{" not in section.header.paragraphs[0].text + section.footer.paragraphs[0].text
    assert all("{{body}}" not in p.text for p in opened(record).paragraphs)


def test_the_record_travels_inside_and_round_trips(
    kb: KnowledgeBase, record: bytes, library: Assessment, tmp_path: Path
) -> None:
    assert RECORD_PARTNAME.lstrip("/") in zipfile.ZipFile(io.BytesIO(record)).namelist()
    embedded = read_record(record)
    assert embedded.payload["assessment"]["findings"] == library.model_dump(mode="json")["findings"]
    plan = plan_from_record(record)
    assert plan == library.plan
    again = assess(kb, parse_plan(plan_as_yaml(plan)))
    assert again.findings == library.findings and again.level == library.level
    result = verify_record(kb, record)
    assert result.status == "intact" and result.differences == []


def test_hostile_text_never_breaks_an_export(kb: KnowledgeBase, tmp_path: Path) -> None:
    hostile = "Bad\x00\x07\x0b\x0c\x1f text \ud800 {{ plan_title }} {% if x %} & <b> ]]> ŵ ŷ مرحبا שלום 🎉"
    source = (EXAMPLES / "library-opening-hours.yaml").read_text(encoding="utf-8")
    plan = parse_plan(source).model_copy(
        update={
            "title": hostile * 3,
            "description": "x" * 100_000,
            "answers": parse_plan(source).answers | {"wards": hostile, "evidence_gaps": "long " * 20_000},
        }
    )
    assessment = assess(kb, plan)
    data = write_report(kb, assessment)
    document = opened(data)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "ŵ ŷ مرحبا שלום 🎉" in text and "{{ plan_title }}" in text and "\x00" not in text
    assert verify_record(kb, data).status == "intact"
    out = tmp_path / "hostile.docx"
    out.write_bytes(data)
    assert main(["verify", str(out)]) == 0


def test_line_breaks_tabs_and_edge_spaces_come_through_as_typed(kb: KnowledgeBase, library: Assessment) -> None:
    described = "  Two branches close.\nRenewals move online.\r\nPhone:\t01978 292000  "
    assessment = library.model_copy(update={"plan": library.plan.model_copy(update={"description": described})})
    document = opened(write_report(kb, assessment))
    purpose = next(p for p in document.paragraphs if "Two branches close." in p.text)
    assert purpose.text == described.replace("\r\n", "\n")
    assert len(purpose._p.findall(f".//{W}br")) == 2 and len(purpose._p.findall(f".//{W}tab")) == 1


def test_cli_assess_verify_tamper_and_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "record.docx"
    assert main(["assess", str(EXAMPLES / "translation-contract.yaml"), "--docx", str(out)]) == 0
    assert main(["verify", str(out)]) == 0
    assert "intact" in capsys.readouterr().out
    plan_file = tmp_path / "plan.yaml"
    assert main(["import", str(out), "--out", str(plan_file)]) == 0
    assert read_plan(plan_file) == read_plan(EXAMPLES / "translation-contract.yaml")
    # Alter the embedded record: exit 1, in words.
    altered = tmp_path / "altered.docx"
    with zipfile.ZipFile(out) as source, zipfile.ZipFile(altered, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == RECORD_PARTNAME.lstrip("/"):
                data = data.replace(b'\\"likelihood\\":3', b'\\"likelihood\\":1', 1).replace(
                    b'"likelihood":3', b'"likelihood":1', 1
                )
            target.writestr(item, data)
    capsys.readouterr()
    assert main(["verify", str(altered)]) == 1
    assert "altered" in capsys.readouterr().err


def test_verify_reports_a_changed_rule_base_finding_by_finding(
    kb: KnowledgeBase, rules_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "record.docx"
    assert main(["assess", str(EXAMPLES / "library-opening-hours.yaml"), "--docx", str(out)]) == 0
    access = rules_copy / "impacts" / "access.yaml"
    text = access.read_text(encoding="utf-8")
    marker = "  - id: access_closure_older_disabled\n"
    start = text.index(marker)
    likelihood = text.index("      likelihood: 4\n", start)
    access.write_text(
        text[:likelihood] + "      likelihood: 5\n" + text[likelihood + len("      likelihood: 4\n") :],
        encoding="utf-8",
    )
    capsys.readouterr()
    assert main(["verify", str(out), "--rules", str(rules_copy)]) == 3
    printed = capsys.readouterr().out
    assert "Changed: Closing or cutting a service that older or disabled people rely on" in printed
    assert "likelihood 4 → 5" in printed


def test_a_folder_of_plans_gives_one_record_each(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    for name in ("street-lighting-led.yaml", "one-wrexham-festival.yaml"):
        shutil.copy(EXAMPLES / name, folder / name)
    out = tmp_path / "records"
    assert main(["assess", str(folder), "--docx", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [  # each named by its title and status (issue 22)
        "one-wrexham-community-festival-in-the-town-centre-draft.docx",
        "replace-street-lights-with-led-lanterns-on-the-same-columns-draft.docx",
    ]
    assert "2/2" in capsys.readouterr().err


def test_a_broken_template_is_refused_before_export(tmp_path: Path) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(TemplateError, match="not a Word document"):
        check_template(broken)
    document = docx.Document(str(DEFAULT_TEMPLATE))
    for paragraph in document.sections[0].footer.paragraphs:
        for run in paragraph.runs:
            run.text = run.text.replace("{{plan_title}}", "")
    missing = tmp_path / "missing.docx"
    document.save(str(missing))
    with pytest.raises(TemplateError, match=r"placeholder \{\{plan_title\}\} is missing from the footer"):
        check_template(missing)


# --- the template is filled, never its user text -----------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def header_footer_texts(data: bytes) -> dict[str, str]:
    """The text of every header and footer part, read from the zip (not through python-docx's sections)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {
            name: "".join(etree.fromstring(package.read(name)).itertext())
            for name in package.namelist()
            if re.fullmatch(r"word/(header|footer)\d*\.xml", name)
        }


def test_user_text_is_never_expanded_as_a_placeholder(kb: KnowledgeBase, library: Assessment) -> None:
    typed = "Review of {{council}} hubs, {{rule_base_version}} and {{plan_title}}"
    assessment = library.model_copy(update={"plan": library.plan.model_copy(update={"title": typed})})
    data = write_report(kb, assessment, ReportDetails(council="{{plan_title}} Council"))
    texts = header_footer_texts(data)
    headers = [text for name, text in texts.items() if "header" in name]
    footers = [text for name, text in texts.items() if "footer" in name]
    assert headers == ["{{plan_title}} Council · Equality Impact AssessmentDRAFT: not approved"]  # and its status
    assert footers == [f"{typed} · Rule base {library.rule_base.version} · Page 1"]


def split_template(tmp_path: Path, before: str = "", after: str = "") -> Path:
    """The default template with the footer's placeholders split across runs, as Word leaves them after an edit,
    and optionally a paragraph before and after {{body}}."""
    document = docx.Document(str(DEFAULT_TEMPLATE))
    run = document.sections[0].footer.paragraphs[0].runs[0]
    text = run.text
    cut = text.index("{{plan_title}}") + len("{{plan")
    run.text = text[:cut]
    second = copy.deepcopy(run._r)
    run._r.addnext(second)
    second.find(f"{W}t").text = text[cut:]
    body = next(p for p in document.paragraphs if p.text == "{{body}}")
    if before:
        body.insert_paragraph_before(before)
    if after:
        body._p.addnext(copy.deepcopy(body._p))
        document.paragraphs[[p.text for p in document.paragraphs].index("{{body}}") + 1].runs[0].text = after
    path = tmp_path / "template.docx"
    document.save(str(path))
    return path


def test_a_placeholder_split_across_runs_is_filled_and_the_page_field_kept(
    kb: KnowledgeBase, library: Assessment, tmp_path: Path
) -> None:
    template = split_template(tmp_path)
    footer = docx.Document(str(template)).sections[0].footer.paragraphs[0]
    assert len(footer.runs) == 2 and "{{plan_title}}" not in footer.runs[0].text
    data = write_report(kb, library, template=template)
    footers = [text for name, text in header_footer_texts(data).items() if "footer" in name]
    assert footers == [f"{library.plan.title} · Rule base {library.rule_base.version} · Page 1"]
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert b'w:instr="PAGE"' in package.read("word/footer1.xml")


def test_the_content_goes_where_the_template_says(kb: KnowledgeBase, library: Assessment, tmp_path: Path) -> None:
    template = split_template(tmp_path, before="Before the record", after="After the record")
    texts = [p.text for p in opened(write_report(kb, library, template=template)).paragraphs if p.text]
    assert texts[:2] == ["Before the record", "Equality Impact Assessment"]
    assert texts[-1] == "After the record"
    assert "{{body}}" not in texts


# --- the layout the template and the record promise -----------------------------------------------------------


def test_pages_are_a4_portrait_in_one_section(record: bytes) -> None:
    document = opened(record)
    sizes = [(round(s.page_width.cm, 1), round(s.page_height.cm, 1), s.orientation) for s in document.sections]
    assert sizes == [(21.0, 29.7, WD_ORIENT.PORTRAIT)]


def test_tables_fill_the_text_width_in_fixed_columns(record: bytes) -> None:
    document = opened(record)
    section = document.sections[0]
    text_width = Length(section.page_width - section.left_margin - section.right_margin)
    plan_table = next(t for t in document.tables if t.rows[0].cells[0].text == "Finding")
    expected = [1.75, 8.75, 1.45, 1.6, 1.55, 1.9]  # shares of the 17 cm of text width
    grid = [round(column.width.cm, 2) for column in plan_table.columns]
    assert grid == expected
    assert all([round(cell.width.cm, 2) for cell in row.cells] == expected for row in plan_table.rows[:3:2])
    assert plan_table._tbl.tblPr.find(f"{W}tblLayout").get(f"{W}type") == "fixed"
    for table in document.tables:
        assert table.style.name == "Table Grid"
        assert sum(int(col.get(f"{W}w")) for col in table._tbl.tblGrid.findall(f"{W}gridCol")) == text_width.twips


def bold_font() -> str:
    """The file of Liberation Sans Bold (Arial's metrics), the face LibreOffice sets the record's Arial in."""
    found = shutil.which("fc-match")
    assert found, "fc-match is missing: run `bash tools/libreoffice.sh` (as root) to install the fonts"
    path = subprocess.run(
        [found, "-f", "%{file}", "Liberation Sans:bold"], capture_output=True, text=True, check=True
    ).stdout
    assert "LiberationSans-Bold" in path, "Liberation Sans is missing: run `bash tools/libreoffice.sh` (as root)"
    return path


def test_no_word_breaks_inside_a_table_cell(record: bytes) -> None:
    """So that no header breaks mid-word ("Likelihoo/d"), nor "To be agree/d" in a narrow column: every word of
    every cell, up to 14 letters (a checksum may break), fits its cell, measured in bold at the table text size."""
    document = opened(record)
    size = document.styles["Table Text"].font.size.pt
    font = ImageFont.truetype(bold_font(), 100)
    margins = 2 * 108  # twips: the Table Grid style's cell margins, left and right
    checked = 0
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for word in cell.text.split():
                    if len(word) <= 14:
                        width = font.getlength(word) / 100 * size * 20  # twips
                        assert width <= cell.width.twips - margins, (
                            f"{word!r} breaks in a {cell.width.cm:.2f} cm column"
                        )
                        checked += 1
    assert checked > 1000


def test_runs_leave_the_look_to_the_template_styles(record: bytes) -> None:
    document = opened(record)
    formatting = {child.tag for rpr in document.element.body.iter(f"{W}rPr") for child in rpr}
    assert formatting == {f"{W}b", f"{W}lang"}  # bold, and the run's language: never a font, size or colour
    languages = {lang.get(f"{W}val") for lang in document.element.body.iter(f"{W}lang")}
    assert languages == {"en-GB"}
    assert not document.element.body.xpath("//w:b[@w:val]")  # never "not bold": a style may make it bold
    headings = [p for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings and all(run.bold is None for p in headings for run in p.runs)
    labels = [row.cells[0].paragraphs[0].runs[0] for row in document.tables[0].rows]
    assert all(run.bold for run in labels)


def test_red_and_amber_groups_and_high_gaps_are_shaded(record: bytes, library: Assessment) -> None:
    document = opened(record)
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Group")
    shaded: dict[str, set[str]] = {}
    for row in table.rows[1:]:
        cell = row.cells[3]
        if cell._tc.tcPr.find(f"{W}gridSpan") is not None:
            continue  # the row that heads characteristics or communities
        fill = cell._tc.tcPr.find(f"{W}shd")
        shaded.setdefault(cell.text.split()[-1], set()).add(fill.get(f"{W}fill") if fill is not None else "none")
    assert shaded["Red"] == {RAG_FILL["red"]} and shaded["Amber"] == {RAG_FILL["amber"]}
    assert {f.rag for f in library.findings} >= {"red", "amber"}
    gaps = next(t for t in document.tables if t.rows[0].cells[0].text == "Severity")
    assert [row.cells[0].text for row in gaps.rows[1:]] == [g.severity.capitalize() for g in library.gaps]
    high = next(row for row in gaps.rows[1:] if row.cells[0].text == "High")
    assert high.cells[0]._tc.tcPr.find(f"{W}shd").get(f"{W}fill") == RAG_FILL["red"]


def test_the_chart_is_a_png_shown_undistorted_with_bars_in_both_colours(kb: KnowledgeBase) -> None:
    # A plan with both negative and positive findings on named groups, so both colours are drawn.
    festival = assess(kb, read_plan(EXAMPLES / "traveller-site-extension.yaml"))
    document = opened(write_report(kb, festival))
    inline = document.inline_shapes[0]
    blip = inline._inline.graphic.graphicData.pic.blipFill.blip
    picture = Image.open(io.BytesIO(document.part.related_parts[blip.embed].blob))
    assert picture.format == "PNG"
    assert abs(picture.height / picture.width - inline.height / inline.width) < 0.01
    assert round(inline.width.cm, 1) == 16.0
    counts = {colour: count for count, colour in picture.convert("RGB").getcolors(maxcolors=100_000)}

    def pixels_near(rgb: tuple[int, int, int]) -> int:
        return sum(n for colour, n in counts.items() if max(abs(a - b) for a, b in zip(colour, rgb, strict=True)) <= 8)

    assert pixels_near((192, 57, 43)) > 2_000 and pixels_near((31, 58, 95)) > 2_000  # red and positive findings
    groups = sum(1 for e in festival.profile if e.negative or e.positive)
    assert f"for each of {groups} groups affected" in inline._inline.docPr.get("descr")
    # The key sits above the bars and covers none: the first rows holding red are the key's swatch alone (a
    # square about 16 pixels wide), then white rows, then the bars.
    rgb = picture.convert("RGB")

    def red_at(y: int) -> list[int]:
        return [
            x
            for x in range(rgb.width)
            if max(abs(a - b) for a, b in zip(rgb.getpixel((x, y)), (192, 57, 43), strict=True)) <= 8
        ]

    red_rows = [y for y in range(rgb.height) if red_at(y)]
    key_end = next(y for y, below in zip(red_rows, red_rows[1:], strict=False) if below - y > 1)
    first_bar = red_rows[red_rows.index(key_end) + 1]
    swatch = [x for y in red_rows if y <= key_end for x in red_at(y)]
    assert max(swatch) - min(swatch) <= 20, "only the key's swatch is red above the first bar"
    assert first_bar - key_end >= 10  # pixels of white between the key and the first bar


def test_a_plan_with_no_findings_has_no_chart(kb: KnowledgeBase) -> None:
    quiet = assess(kb, read_plan(EXAMPLES / "street-lighting-led.yaml")).model_copy(update={"profile": []})
    document = opened(write_report(kb, quiet))
    assert not document.inline_shapes
    assert "No group is affected, so there is nothing to chart." in [p.text for p in document.paragraphs]


def test_a_plan_with_no_findings_says_so_under_each_heading(kb: KnowledgeBase) -> None:
    quiet = assess(kb, read_plan(EXAMPLES / "payroll-software.yaml"))
    assert not quiet.findings
    texts = [p.text for p in opened(write_report(kb, quiet)).paragraphs]
    for heading, words in (
        ("Findings by characteristic and community", "The rules found no likely impact on any group."),
        ("The findings in full", "The rules found no likely impact, so there is no finding to set out."),
        ("Mitigation action plan", "No negative impact was found, so no mitigation is needed."),
    ):
        assert texts[texts.index(heading) + 1] == words


def test_a_template_without_a_style_the_record_uses_is_refused(tmp_path: Path) -> None:
    document = docx.Document(str(DEFAULT_TEMPLATE))
    subtitle = document.styles["Subtitle"].element
    subtitle.getparent().remove(subtitle)
    path = tmp_path / "no-subtitle.docx"
    document.save(str(path))
    with pytest.raises(TemplateError, match="no style named Subtitle"):
        check_template(path)


def test_a_template_without_a_body_placeholder_is_refused(tmp_path: Path) -> None:
    document = docx.Document(str(DEFAULT_TEMPLATE))
    next(p for p in document.paragraphs if p.text == "{{body}}").runs[0].text = "Content"
    path = tmp_path / "no-body.docx"
    document.save(str(path))
    with pytest.raises(TemplateError, match=r"\{\{body\}\} is missing from the body"):
        check_template(path)


# --- the record as printed: LibreOffice makes the PDF a board member or auditor would read ------------------

MAX_PAGES = 12  # the libraries example, the target


@pytest.fixture(scope="module")
def library_pdf(record: bytes, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The libraries record converted to PDF by LibreOffice."""
    folder = tmp_path_factory.mktemp("pdf")
    source = folder / "library.docx"
    source.write_bytes(record)
    return libreoffice_convert(source, folder, "pdf")


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page of a PDF, by pdftotext."""
    count = int(re.search(r"^Pages:\s+(\d+)$", pdf_info(pdf), re.MULTILINE).group(1))  # type: ignore[union-attr]
    return [
        subprocess.run(
            [tool("pdftotext"), "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for page in range(1, count + 1)
    ]


def pdf_info(pdf: Path) -> str:
    return subprocess.run([tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout


def test_the_libraries_record_prints_on_at_most_twelve_pages(library_pdf: Path) -> None:
    pages = int(re.search(r"^Pages:\s+(\d+)$", pdf_info(library_pdf), re.MULTILINE).group(1))  # type: ignore[union-attr]
    assert pages <= MAX_PAGES, f"the libraries record is {pages} pages; the target is {MAX_PAGES}"


def test_the_printed_contents_gives_the_page_each_section_starts_on(record: bytes, library_pdf: Path) -> None:
    pages = pdf_pages(library_pdf)
    assert "Summary for the board" in pages[0] and "Contents" in pages[1]
    entries = dict(re.findall(r"^\s*(\S.*?)\s*\.{3,}\s*(\d+)\s*$", pages[1], re.MULTILINE))
    sections = [p.text for p in opened(record).paragraphs if p.style.name == "Heading 1"]
    assert set(sections) <= set(entries), "every section is in the contents, with a page number"
    for section in sections:
        page = pages[int(entries[section]) - 1]
        assert re.search(rf"^\s*{re.escape(section)}\s*$", page, re.MULTILINE), f"{section} is not on its page"


def test_the_services_own_words_are_in_the_record(kb: KnowledgeBase) -> None:
    """Adapted wording, reasons, the service's own mitigation and a finding set aside all reach the record."""
    from proofing.decisions import DecisionNotes, MitigationNote, OwnMitigation, SetAside, mitigation_key

    library = assess(kb, read_plan(EXAMPLES / "library-opening-hours.yaml"))
    first, second = [f for f in library.findings if f.direction == "negative"][:2]
    notes = DecisionNotes(
        mitigations={
            mitigation_key(first, 0): MitigationNote(choice="adapted", adapted="Keep a weekly assisted session"),
            mitigation_key(first, 1): MitigationNote(reason="Already done by the contact centre"),
        },
        own={"own-1": OwnMitigation(finding=first.rule, text="Lend tablets with help to use them", owner="Librarian")},
        set_aside={second.rule: SetAside(reason="The site stays open on the same bus route")},
    )
    text = "\n".join(p.text for p in opened(write_report(kb, library, ReportDetails(notes=notes))).paragraphs)
    document = opened(write_report(kb, library, ReportDetails(notes=notes)))
    cells = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "Keep a weekly assisted session (adapted from:" in cells
    assert "Reason given: Already done by the contact centre" in cells
    assert "The service's own mitigation: Lend tablets with help to use them" in cells
    assert "Finding set aside: The site stays open on the same bus route" in cells
    assert "The site stays open on the same bus route" in text  # and under the finding in full


def test_the_review_the_plan_gives_is_the_records_one_review_date(kb: KnowledgeBase) -> None:
    """Issue 22: the review is asked once, as months; a date answered before then is not a second review date."""
    plan = read_plan(EXAMPLES / "street-lighting-led.yaml")
    dated = plan.model_copy(update={"answers": plan.answers | {"review_date": "2027-06-30"}})
    text = "\n".join(p.text for p in opened(write_report(kb, assess(kb, dated))).paragraphs)
    assert f"Review date: within {plan.answers['review_months']:g} months of the decision" in text
    assert "Review date: 2027-06-30" not in text
    assert "The answer to review_date ('2027-06-30'), a question the questionnaire no longer asks, was not used" in text


def test_the_record_shows_who_approved_it_and_the_audit_trail(kb: KnowledgeBase) -> None:
    from datetime import UTC, date, datetime

    from proofing.store import Approval, AuditEntry

    library = assess(kb, read_plan(EXAMPLES / "library-opening-hours.yaml"))
    when = datetime(2026, 12, 1, 10, 30, tzinfo=UTC)
    approval = Approval(
        assessment_id="a1b2c3",
        version=4,
        status="final",
        outcome="approved",
        advice="full_assessment",
        submitted_by="Head of Libraries",
        submitted_at=when,
        decided_by="Head of Service",
        decided_at=when,
        decision_taken="Proceed with two of the three libraries, after a full assessment of the third",
        reasons="Consultation showed the third library is the only one on a bus route",
        conditions="Keep the computers open during the reduced hours",
        review_date=date(2027, 6, 30),
    )
    audit = [
        AuditEntry(at=when, subject="m1", who="Head of Libraries", action="created", assessment_id="a1b2c3", version=1),
        AuditEntry(at=when, subject="h1", who="Head of Service", action="approved", assessment_id="a1b2c3", version=4),
    ]
    document = opened(write_report(kb, library, ReportDetails(approval=approval, audit=audit)))
    cells = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Approved: the assessment is final." in text
    # the version approved by the plan's title, never the assessment's id (issue 22: ids where a sentence belongs)
    assert f"{library.plan.title}, version 4" in cells and "Head of Service, 2026-12-01 10:30 UTC" in cells
    assert "a1b2c3" not in cells
    assert (
        "Proceed with two of the three libraries" in cells and "30 June 2027" in cells
    )  # the one review date, as the cover writes it
    assert "The tool's advice" in cells and "Full assessment needed" in cells
    assert "2 entries from 2026-12-01 to 2026-12-01: Started the assessment 1; approved 1" in text  # in words
