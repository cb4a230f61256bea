"""Build templates/record.docx, the styled base document every EIA record is written into.

The committed .docx is the template: a council restyles it in Word (fonts, colours, logo in the header)
without touching Python. This script only makes the first version, and can make it again.
Placeholders: {{council}} in the header; {{plan_title}} and {{rule_base_version}} in the footer;
{{body}} marks where the record's content goes.

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


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    document = docx.Document()
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    # The document language, for screen readers and spelling: English (United Kingdom).
    defaults = styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    language = run_defaults.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        run_defaults.append(language)
    language.set(qn("w:val"), "en-GB")
    language.set(qn("w:bidi"), "ar-SA")
    for name, size in (("Title", 26), ("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 11)):
        style = styles[name]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0x1F, 0x3A, 0x5F)
    section = document.sections[0]
    # A4, as Welsh councils print; 2.54 cm margins leave 15.9 cm of text width (24.6 cm in landscape).
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.54))
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
