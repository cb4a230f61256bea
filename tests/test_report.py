"""The Word record: its sections in order, accessible, hostile text survives, and it verifies and re-imports."""

from __future__ import annotations

import copy
import io
import re
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from lxml import etree
from PIL import Image

from proofing.assessment import Assessment, assess
from proofing.cli import main
from proofing.knowledge import KnowledgeBase
from proofing.plan import parse_plan, read_plan
from proofing.record import RECORD_PARTNAME, read_record
from proofing.report import DEFAULT_TEMPLATE, RAG_FILL, RecordMeta, TemplateError, check_template, write_record
from proofing.verify import plan_as_yaml, plan_from_record, verify_record

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
HEADINGS_IN_ORDER = [
    (1, "Summary for the board"),
    (1, "What the Welsh specific duties ask us to set out"),
    (2, "The purpose of the policy"),
    (2, "The steps taken to assess it"),
    (2, "The information taken into account"),
    (2, "The results"),
    (2, "The decisions taken"),
    (1, "The plan as described"),
    (1, "Findings by characteristic and community"),
    (1, "The findings in full"),
    (1, "Impact by group"),
    (1, "Mitigation action plan"),
    (1, "Monitoring and review"),
    (2, "How much did we do?"),
    (2, "How well did we do it?"),
    (2, "Is anyone better off?"),
    (1, "Quality gaps in this assessment"),
    (1, "Sign-off"),
    (1, "Appendix for auditors"),
]


@pytest.fixture(scope="module")
def library(kb: KnowledgeBase) -> Assessment:
    return assess(kb, read_plan(EXAMPLES / "library-opening-hours.yaml"))


@pytest.fixture(scope="module")
def record(kb: KnowledgeBase, library: Assessment) -> bytes:
    return write_record(kb, library, RecordMeta(assessors=["Head of Libraries", "Equality Officer"]))


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


def test_mitigation_plan_cites_the_action_plan(record: bytes, kb: KnowledgeBase) -> None:
    document = opened(record)
    plan_table = next(t for t in document.tables if t.rows[0].cells[0].text == "Mitigation")
    header = [c.text for c in plan_table.rows[0].cells]
    assert header == ["Mitigation", "Strategy action", "Lead organisation", "Timescale", "Owner", "Due", "Status"]
    action_21 = next(a for a in kb.actions if a.id == "2.1")
    rows = [[c.text for c in row.cells] for row in plan_table.rows[1:]]
    assert any(row[1].startswith("2.1 " + action_21.text) and action_21.lead in row[2] for row in rows)


def test_accessibility(record: bytes) -> None:
    document = opened(record)
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    headed = [
        t
        for t in document.tables
        if t.rows[0].cells[0].text in {"Question", "Finding", "Mitigation", "Indicator", "Name"}
    ]
    assert len(headed) >= 5
    for table in headed:
        properties = table.rows[0]._tr.trPr
        assert properties is not None and properties.find(f"{w}tblHeader") is not None, table.rows[0].cells[0].text
    pictures = document.element.body.findall(
        ".//{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
    )
    assert pictures and pictures[0].get("descr", "").startswith("Bar chart of the highest negative")
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
    data = write_record(kb, assessment)
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
    document = opened(write_record(kb, assessment))
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
    assert sorted(p.name for p in out.iterdir()) == ["one-wrexham-festival.docx", "street-lighting-led.docx"]
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
    data = write_record(kb, assessment, RecordMeta(council="{{plan_title}} Council"))
    texts = header_footer_texts(data)
    headers = [text for name, text in texts.items() if "header" in name]
    footers = [text for name, text in texts.items() if "footer" in name]
    assert headers == ["{{plan_title}} Council · Equality Impact Assessment"]
    assert footers == [f"{typed} · Rule base {library.rule_base.version} · Page 1"]
    # the sections after the landscape mitigation plan inherit the same header and footer
    assert len(opened(data).sections) == 3
    assert all(section.footer.is_linked_to_previous for section in opened(data).sections[1:])


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
    data = write_record(kb, library, template=template)
    footers = [text for name, text in header_footer_texts(data).items() if "footer" in name]
    assert footers == [f"{library.plan.title} · Rule base {library.rule_base.version} · Page 1"]
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert b'w:instr="PAGE"' in package.read("word/footer1.xml")


def test_the_content_goes_where_the_template_says(kb: KnowledgeBase, library: Assessment, tmp_path: Path) -> None:
    template = split_template(tmp_path, before="Before the record", after="After the record")
    texts = [p.text for p in opened(write_record(kb, library, template=template)).paragraphs if p.text]
    assert texts[:2] == ["Before the record", "Equality Impact Assessment"]
    assert texts[-1] == "After the record"
    assert "{{body}}" not in texts


# --- the layout the template and the record promise -----------------------------------------------------------


def test_pages_are_a4_with_the_mitigation_plan_in_landscape(record: bytes) -> None:
    document = opened(record)
    sizes = [(round(s.page_width.cm, 1), round(s.page_height.cm, 1), s.orientation) for s in document.sections]
    assert sizes == [
        (21.0, 29.7, WD_ORIENT.PORTRAIT),
        (29.7, 21.0, WD_ORIENT.LANDSCAPE),
        (21.0, 29.7, WD_ORIENT.PORTRAIT),
    ]
    # the landscape section ends just after the mitigation plan: its last table is that plan
    ends = document.element.body.findall(f"{W}p/{W}pPr/{W}sectPr")[1].getparent().getparent()
    table = next(el for el in ends.itersiblings(preceding=True) if el.tag == f"{W}tbl")
    assert table.find(f"{W}tr/{W}tc/{W}p").xpath("string()") == "Mitigation"


def test_tables_keep_their_column_widths(record: bytes) -> None:
    document = opened(record)
    plan_table = next(t for t in document.tables if t.rows[0].cells[0].text == "Mitigation")
    expected = [6.5, 5.8, 3.4, 2.5, 2.2, 1.9, 2.3]
    grid = [round(column.width.cm, 1) for column in plan_table.columns]
    assert grid == expected
    assert all([round(cell.width.cm, 1) for cell in row.cells] == expected for row in plan_table.rows)
    assert plan_table._tbl.tblPr.find(f"{W}tblLayout").get(f"{W}type") == "fixed"
    assert all(table.style.name == "Table Grid" for table in document.tables)


def test_runs_leave_the_look_to_the_template_styles(record: bytes) -> None:
    document = opened(record)
    formatting = {child.tag for rpr in document.element.body.iter(f"{W}rPr") for child in rpr}
    assert formatting == {f"{W}b"}
    assert not document.element.body.xpath("//w:b[@w:val]")  # never "not bold": a style may make it bold
    headings = [p for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings and all(run.bold is None for p in headings for run in p.runs)
    labels = [row.cells[0].paragraphs[0].runs[0] for row in document.tables[0].rows]
    assert all(run.bold for run in labels)


def test_red_and_amber_findings_are_shaded(record: bytes, library: Assessment) -> None:
    document = opened(record)
    shaded: dict[str, set[str]] = {}
    for table in document.tables:
        if table.rows[0].cells[-1].text != "RAG":
            continue
        for row in table.rows[1:]:
            fill = row.cells[-1]._tc.tcPr.find(f"{W}shd")
            shaded.setdefault(row.cells[-1].text, set()).add(fill.get(f"{W}fill") if fill is not None else "none")
    assert shaded["Red"] == {RAG_FILL["red"]} and shaded["Amber"] == {RAG_FILL["amber"]}
    assert {f.rag for f in library.findings} >= {"red", "amber"}


def test_the_chart_is_a_png_shown_undistorted_with_bars_in_both_colours(kb: KnowledgeBase) -> None:
    # A plan with both negative and positive findings on named groups, so both colours are drawn.
    festival = assess(kb, read_plan(EXAMPLES / "traveller-site-extension.yaml"))
    document = opened(write_record(kb, festival))
    inline = document.inline_shapes[0]
    blip = inline._inline.graphic.graphicData.pic.blipFill.blip
    picture = Image.open(io.BytesIO(document.part.related_parts[blip.embed].blob))
    assert picture.format == "PNG"
    assert abs(picture.height / picture.width - inline.height / inline.width) < 0.01
    assert round(inline.width.cm, 1) == 16.0
    counts = {colour: count for count, colour in picture.convert("RGB").getcolors(maxcolors=100_000)}

    def pixels_near(rgb: tuple[int, int, int]) -> int:
        return sum(n for colour, n in counts.items() if max(abs(a - b) for a, b in zip(colour, rgb, strict=True)) <= 8)

    assert pixels_near((192, 57, 43)) > 2_000 and pixels_near((46, 125, 50)) > 2_000  # negative and positive bars
    groups = sum(1 for e in festival.profile if e.negative or e.positive)
    assert f"for each of {groups} groups affected" in inline._inline.docPr.get("descr")


def test_a_plan_with_no_findings_has_no_chart(kb: KnowledgeBase) -> None:
    quiet = assess(kb, read_plan(EXAMPLES / "street-lighting-led.yaml")).model_copy(update={"profile": []})
    document = opened(write_record(kb, quiet))
    assert not document.inline_shapes
    assert "No group is affected, so there is nothing to chart." in [p.text for p in document.paragraphs]


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
