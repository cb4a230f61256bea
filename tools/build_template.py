"""Build templates/record.docx, the styled base document every EIA record is written into.

The committed .docx is the template: a council restyles it in Word (fonts, colours, logo in the header)
without touching Python. This script only makes the first version, and can make it again.
Placeholders: {{council}} in the header; {{plan_title}} and {{rule_base_version}} in the footer;
{{body}} marks where the record's content goes.

Besides Word's own styles it defines three the record uses when a template has them: "Table Text" (the
text of table cells, smaller than the body, so wide tables stay legible without running on for pages),
and "toc 1" and "toc 2" (Word's names for the contents entries).

Usage: .venv/bin/python tools/build_template.py [OUT.docx]
"""

from __future__ import annotations

import sys
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

OUT = Path(__file__).resolve().parent.parent / "templates" / "record.docx"


def page_number_field(paragraph: docx.text.paragraph.Paragraph) -> None:
    """Append a PAGE field, so Word numbers the pages itself."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def paragraph_style(
    document: docx.document.Document, name: str, style_id: str, size: float, after: int, indent: int = 0
) -> None:
    """Add a paragraph style based on Normal: a size in points, space after and a left indent in twips.

    Written as XML so that the style id is Word's own (TOC1 for "toc 1"), which Word and LibreOffice
    both recognise as the contents levels.
    """
    style = OxmlElement("w:style")
    style.set(qn("w:type"), "paragraph")
    style.set(qn("w:styleId"), style_id)
    for tag, value in (("w:name", name), ("w:basedOn", "Normal"), ("w:next", "Normal"), ("w:uiPriority", "39")):
        child = OxmlElement(tag)
        child.set(qn("w:val"), value)
        style.append(child)
    paragraph = OxmlElement("w:pPr")
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:after"), str(after))
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")
    paragraph.append(spacing)
    if indent:
        indentation = OxmlElement("w:ind")
        indentation.set(qn("w:left"), str(indent))
        paragraph.append(indentation)
    style.append(paragraph)
    run = OxmlElement("w:rPr")
    for tag in ("w:sz", "w:szCs"):
        child = OxmlElement(tag)
        child.set(qn("w:val"), str(round(size * 2)))
        run.append(child)
    style.append(run)
    document.styles.element.append(style)


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    document = docx.Document()
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10.5)
    # The document language, for screen readers and spelling: English (United Kingdom).
    defaults = styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    language = run_defaults.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        run_defaults.append(language)
    language.set(qn("w:val"), "en-GB")
    language.set(qn("w:bidi"), "ar-SA")
    # 6 pt after a paragraph, single spacing: easy to read, and a board paper's length.
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.0
    for name, size, before in (("Title", 26, 0), ("Heading 1", 16, 12), ("Heading 2", 12.5, 8), ("Heading 3", 11, 6)):
        style = styles[name]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0x1F, 0x3A, 0x5F)
        if before:
            style.paragraph_format.space_before = Pt(before)
            style.paragraph_format.space_after = Pt(3)
    for name in ("Header", "Footer"):  # small enough that the plan's title and the page number share a line
        styles[name].font.size = Pt(9)
    paragraph_style(document, "Table Text", "TableText", 9, 0)
    paragraph_style(document, "toc 1", "TOC1", 11, 60)
    paragraph_style(document, "toc 2", "TOC2", 10, 20, indent=360)
    section = document.sections[0]
    # A4, as Welsh councils print; 2 cm margins leave 17 cm of text width (25.7 cm in landscape). The record
    # sizes its tables to the text width, so a council may set other margins in Word.
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.0))
    section.header_distance = section.footer_distance = Cm(1.0)
    header = section.header.paragraphs[0]
    header.text = "{{council}} · Equality Impact Assessment"
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer = section.footer.paragraphs[0]
    footer.text = "{{plan_title}} · Rule base {{rule_base_version}} · Page "
    page_number_field(footer)
    document.add_paragraph("{{body}}")
    document.core_properties.title = "Equality Impact Assessment"
    document.core_properties.language = "en-GB"
    out.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(out))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
