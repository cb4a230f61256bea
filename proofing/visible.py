"""What a reader of a Word record sees, digested part by part, so that any change to it is found.

The record embedded in a report (proofing.record) holds a sha256 of the text a reader is shown, section by section,
and ``proofing verify`` computes the same digests from the file it is given. To be worth anything the digests must
cover everything a reader sees, the way they see it:

- every part a reader sees: the main part (each Heading 1 and the text under it; what comes before the first
  heading is the title page), each page header and footer the sections use, the footnotes, endnotes and
  comments, the document's properties (title, subject, author, keywords, description, custom properties), the
  preview picture a file browser shows, and each picture (its bytes and its alt text), in its place in the text;
- text as it renders: hidden text (``w:vanish``, ``w:specVanish``, ``w:webHidden``), text too small to read
  (under 6 pt), squeezed (under 50% wide, or condensed by more than a point), raised or lowered off its line
  (more than 12 pt), in a colour too close to what is behind it (contrast under 1.5:1, with theme colours, tints
  and shades resolved; behind it: the run's shading or highlight, the paragraph's, the cell's, the page's), or in
  a row or on a line too short to show it, is left out, so hiding the text that was written changes its
  section's digest; formatting is read through the character, paragraph and table styles and the defaults;
- field results as they show: the result of a field is digested like any text, except the page numbers Word and
  LibreOffice recompute on saving (``PAGE``, ``NUMPAGES``, ``SECTIONPAGES``, ``PAGEREF``) when the result is a
  number; field codes, which do not show, are not.

What proofing's writer never makes, and that would show a reader text these digests could not follow, is refused
outright (``VisibleError``): text boxes, shapes, VML, embedded objects, alt chunks, floating pictures, charts,
equations, markup-compatibility alternatives, tracked changes, content controls bound to data or showing a
placeholder, frames, merged cells, bidirectional overrides, fields other than page numbers, fields updated when
the document opens, mail merge, list numbering that writes words, and conditional table-style formatting.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from docx.opc.package import OpcPackage
from docx.opc.part import Part, XmlPart
from lxml import etree

from proofing.package import (
    COMMENTS,
    CORE_PROPERTIES,
    ENDNOTES,
    FOOTER,
    FOOTNOTES,
    HEADER,
    IMAGE,
    SETTINGS,
    STYLES,
    THEME,
    Package,
)
from proofing.record import RecordError, parse_xml

if TYPE_CHECKING:
    from docx.document import Document

VISIBLE_FORMAT = "proofing-visible/2"
"""What the ``visible`` digests of a record cover (this module's rules); a record without it is refused."""
TITLE_SECTION = "Title page"
RECORD_SHA_PLACEHOLDER = "0" * 64
"""Where the visible text quotes the record's own sha256: the record holds the text with this in its place."""
PROPERTIES_SECTION = "Document properties"
PREVIEW_SECTION = "Preview picture"
"""A digest that may be missing (an editor dropped the preview picture), but never different."""
_CUSTOM_PROPERTIES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
ALLOWED_FIELDS = frozenset({"PAGE", "NUMPAGES", "SECTIONPAGES", "PAGEREF"})
MIN_HALF_POINTS = 12  # 6 pt
MIN_WIDTH_PERCENT = 50
MIN_SPACING_TWIPS = -20  # condensed by at most 1 pt
MAX_POSITION_HALF_POINTS = 24  # raised or lowered by at most 12 pt
MIN_LINE_TWIPS = 120  # an exact line height under 6 pt
MIN_ROW_TWIPS = 120  # an exact row height under 6 pt
MIN_CONTRAST = 1.5

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PICTURE_URI = "http://schemas.openxmlformats.org/drawingml/2006/picture"
_DC = "{http://purl.org/dc/elements/1.1/}"
_CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
_REFUSED_NAMESPACES = {
    "urn:schemas-microsoft-com:vml": "a VML shape or text box",
    "urn:schemas-microsoft-com:office:office": "an embedded object",
    "http://schemas.openxmlformats.org/markup-compatibility/2006": "alternative content (mc:AlternateContent)",
    "http://schemas.openxmlformats.org/officeDocument/2006/math": "an equation",
    "http://schemas.microsoft.com/office/word/2010/wordprocessingShape": "a shape or text box",
    "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup": "a group of shapes",
    "http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas": "a drawing canvas",
}
_REFUSED_ELEMENTS = {
    "txbxContent": "a text box",
    "pict": "a picture in VML",
    "object": "an embedded object",
    "altChunk": "an alt chunk (another document inside this one)",
    "ins": "a tracked insertion",
    "del": "a tracked deletion",
    "moveFrom": "a tracked move",
    "moveTo": "a tracked move",
    "rPrChange": "a tracked formatting change",
    "pPrChange": "a tracked formatting change",
    "delText": "tracked deleted text",
    "subDoc": "a sub-document",
    "control": "a control",
    "framePr": "a frame",
    "dataBinding": "a content control bound to data",
    "showingPlcHdr": "a content control showing its placeholder",
    "fitText": "text fitted to a width",
    "customXml": "inline custom XML",
    "vMerge": "a merged cell (a merged cell's own text does not show)",
    "hMerge": "a merged cell (a merged cell's own text does not show)",
    "bdo": "a bidirectional override (text shown in another order)",
    "dir": "a bidirectional embedding (text shown in another order)",
    "fldData": "field data",
}
_NUMERAL = re.compile(r"^\s*(?:[0-9]{1,6}|[ivxlcdmIVXLCDM]{1,12})?\s*$")
_HIGHLIGHTS = {
    "black": "000000", "blue": "0000FF", "cyan": "00FFFF", "green": "00FF00", "magenta": "FF00FF", "red": "FF0000",
    "yellow": "FFFF00", "white": "FFFFFF", "darkBlue": "000080", "darkCyan": "008080", "darkGreen": "008000",
    "darkMagenta": "800080", "darkRed": "800000", "darkYellow": "808000", "darkGray": "808080", "lightGray": "C0C0C0",
}  # fmt: skip
_THEME_SLOTS = {"text1": "dk1", "text2": "dk2", "background1": "lt1", "background2": "lt2", "dark1": "dk1",
                "dark2": "dk2", "light1": "lt1", "light2": "lt2"}  # fmt: skip


class VisibleError(RecordError):
    """A record holding something that could show a reader text the digests cannot follow; refused in words."""


@dataclass
class Source:
    """A Word package as the digests read it, from a file (``from_package``) or while it is written (``from_document``).

    ``rels`` gives each part's relationships (id -> kind, target part, external), '' for the package's own.
    """

    main: str
    rels: dict[str, dict[str, tuple[str, str, bool]]]
    xml: Callable[[str], etree._Element]
    blob: Callable[[str], bytes]

    def related(self, source: str, kind: str) -> list[str]:
        """The parts `source` names with relationships of `kind`."""
        return [t for _rid, (k, t, ext) in sorted(self.rels.get(source, {}).items()) if k == kind and not ext]


def from_package(package: Package) -> Source:
    """The source of a package read from a file (its relationships already checked by proofing.package)."""
    rels = {
        name: {rid: (rel.kind, rel.target, rel.external) for rid, rel in found.items()}
        for name, found in package.relationships.items()
    }
    return Source(package.main, rels, package.xml, package.blob)


def from_document(document: Document) -> Source:
    """The source of a python-docx document being written, so the writer digests exactly what verify will."""
    parts: dict[str, Part] = {}
    rels: dict[str, dict[str, tuple[str, str, bool]]] = {}

    def name_of(part: Part) -> str:
        return str(part.partname).lstrip("/").lower()

    def relationships(owner: Part | OpcPackage) -> dict[str, tuple[str, str, bool]]:
        return {
            rid: (rel.reltype, rel.target_ref if rel.is_external else name_of(rel.target_part), rel.is_external)
            for rid, rel in owner.rels.items()
        }

    package = document.part.package
    rels[""] = relationships(package)
    for part in package.iter_parts():
        parts[name_of(part)] = part
        rels[name_of(part)] = relationships(part)

    def xml(name: str) -> etree._Element:
        part = parts[name]
        return part.element if isinstance(part, XmlPart) else parse_xml(part.blob, name)

    return Source(name_of(document.part), rels, xml, lambda name: parts[name].blob)


def visible_record(document: Document) -> dict[str, object]:
    """What the writer puts in a record's payload: the digests of what the document shows, and their format."""
    return {"visible": digests(from_document(document)), "visible_format": VISIBLE_FORMAT}


def digests(source: Source, record_sha: str | None = None) -> dict[str, str]:
    """The sha256 of each thing a reader sees, by its name: sections, headers and footers, notes, comments and the
    document's properties. Where the text quotes the record's own sha256 (`record_sha`) it is read as the
    placeholder the record was made with. VisibleError for what the digests cannot follow."""
    reader = _Reader(source, record_sha)
    _check_settings(source)
    check_numbering(source)
    texts = reader.body_sections()
    texts.update(reader.headers_and_footers())
    for kind, name in ((FOOTNOTES, "Footnotes"), (ENDNOTES, "Endnotes"), (COMMENTS, "Comments")):
        for part in source.related(source.main, kind):
            texts[name] = "\n".join(reader.paragraphs(part, source.xml(part)))
    texts[PROPERTIES_SECTION] = _properties(source)
    return {name: hashlib.sha256(text.encode("utf-8")).hexdigest() for name, text in texts.items()} | _preview(source)


def _check_settings(source: Source) -> None:
    """Refuse settings that change what shows when the document opens (fields updated, mail merge)."""
    for part in source.related(source.main, SETTINGS):
        root = source.xml(part)
        for tag, what in (("updateFields", "updates its fields when it opens"), ("mailMerge", "is a mail merge")):
            found = root.find(f"{_W}{tag}")
            if found is not None and found.get(f"{_W}val", "true") not in ("0", "false", "off"):
                raise VisibleError(f"the document {what}, so what it shows is not what was written; refused")


def _properties(source: Source) -> str:
    """The document's properties a reader sees (File > Properties, a PDF's title), one per line: the core ones,
    then each custom property as name=value."""
    values = []
    for part in source.related("", CORE_PROPERTIES):
        root = source.xml(part)
        for tag in (f"{_DC}title", f"{_DC}subject", f"{_DC}creator", f"{_CP}keywords", f"{_DC}description"):
            found = root.find(tag)
            values.append(" ".join(re.split(r"[;,\s]+", (found.text or "") if found is not None else "")).strip())
    for part in source.related("", _CUSTOM_PROPERTIES):
        for prop in source.xml(part):
            if isinstance(prop.tag, str):
                values.append(f"{prop.get('name', '')}={''.join(prop.itertext()).strip()}")
    return "\n".join(values)


def _preview(source: Source) -> dict[str, str]:
    """The preview picture a file browser shows (``docProps/thumbnail``), as its bytes' sha256, when there is one.

    LibreOffice drops it when it saves, so a record may lose it; one that is there must be the one written.
    """
    parts = source.related("", _THUMBNAIL)
    return {PREVIEW_SECTION: hashlib.sha256(source.blob(parts[0])).hexdigest()} if parts else {}


@dataclass
class _Styles:
    """The styles, theme and page colour that decide how a run renders."""

    by_id: dict[str, etree._Element] = field(default_factory=dict)
    default_paragraph: str | None = None
    defaults_rpr: etree._Element | None = None
    defaults_ppr: etree._Element | None = None
    theme: dict[str, str] = field(default_factory=dict)
    page: str = "FFFFFF"

    def chain(self, style_id: str | None) -> Iterator[etree._Element]:
        """A style and those it is based on, nearest first (at most 20, no loops)."""
        seen: set[str] = set()
        while style_id and style_id not in seen and len(seen) < 20:
            seen.add(style_id)
            style = self.by_id.get(style_id)
            if style is None:
                return
            yield style
            based = style.find(f"{_W}basedOn")
            style_id = based.get(f"{_W}val") if based is not None else None


class _Reader:
    """Reads the text a reader sees from each part, with the document's styles."""

    def __init__(self, source: Source, record_sha: str | None) -> None:
        self.source, self.record_sha = source, record_sha
        self.styles = _Styles()
        self.exact_styles = False  # whether a style sets an exact line height (which could hide its lines)
        for part in source.related(source.main, STYLES):
            self._read_styles(source.xml(part))
        for part in source.related(source.main, THEME):
            self.styles.theme = _theme_colours(source.xml(part))
        background = source.xml(source.main).find(f"{_W}background")
        if background is not None and _hex(background.get(f"{_W}color")):
            self.styles.page = _hex(background.get(f"{_W}color")) or "FFFFFF"
        self.checked_tables: set[str] = set()
        self.exact_heights = True
        self.hidden_runs: dict[tuple[object, ...], bool] = {}
        self.context_of: tuple[etree._Element | None, tuple[object, ...]] = (None, ())
        self.hidden_paragraphs: dict[tuple[object, ...], bool] = {}

    def _read_styles(self, root: etree._Element) -> None:
        for style in root.iterchildren(f"{_W}style"):
            style_id = style.get(f"{_W}styleId")
            if style_id:
                self.styles.by_id[style_id] = style
            if style.get(f"{_W}type") == "paragraph" and style.get(f"{_W}default") in ("1", "true", "on"):
                self.styles.default_paragraph = style_id
        self.exact_styles = any(e.get(f"{_W}lineRule") == "exact" for e in root.iter(f"{_W}spacing"))
        self.styles.defaults_rpr = root.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr")
        self.styles.defaults_ppr = root.find(f"{_W}docDefaults/{_W}pPrDefault/{_W}pPr")

    # --- parts -----------------------------------------------------------------------------------------

    def body_sections(self) -> dict[str, str]:
        """The main part's text by section: each Heading 1 and the paragraphs under it."""
        sections: dict[str, list[str]] = {TITLE_SECTION: []}
        current = TITLE_SECTION
        main = self.source.xml(self.source.main)
        body = main.find(f"{_W}body")
        if body is None:
            raise VisibleError("the document has no body")
        for paragraph, text in self._paragraphs_with_text(self.source.main, body):
            if self._style_of(paragraph) in ("Heading1", "Heading 1"):
                current = text.strip() or f"Section {len(sections)}"
                sections.setdefault(current, [])
                continue
            sections[current].append(text)
        return {name: "\n".join(lines) for name, lines in sections.items()}

    def headers_and_footers(self) -> dict[str, str]:
        """Each header and footer the sections use, named by where it shows ("Page header (first page)")."""
        found: dict[str, str] = {}
        main = self.source.xml(self.source.main)
        named: dict[str, str] = {}
        sections = list(main.iter(f"{_W}sectPr"))
        for number, section in enumerate(sections, start=1):
            first_page = section.find(f"{_W}titlePg") is not None
            for tag, word in (("headerReference", "Page header"), ("footerReference", "Page footer")):
                for reference in section.iterchildren(f"{_W}{tag}"):
                    slot = reference.get(f"{_W}type", "default")
                    rel = self.source.rels.get(self.source.main, {}).get(reference.get(f"{_REL}id", ""))
                    if rel is None or rel[2] or rel[0] not in (HEADER, FOOTER):
                        raise VisibleError(f"a section names a {word.lower()} that is not a part of the document")
                    part = rel[1]
                    if part in named:
                        continue
                    name = word + {"default": "", "first": " (first page)", "even": " (even pages)"}.get(slot, "")
                    if name in found:
                        name = f"{name} (section {number})"
                    named[part] = name
                    found[name] = "\n".join(self.paragraphs(part, self.source.xml(part)))
                if first_page and not any(r.get(f"{_W}type") == "first" for r in section.iterchildren(f"{_W}{tag}")):
                    found.setdefault(f"{word} (first page, blank)", "")
        return found

    def paragraphs(self, part: str, root: etree._Element) -> list[str]:
        """Each paragraph's text as it shows, in order."""
        return [text for _paragraph, text in self._paragraphs_with_text(part, root)]

    def _paragraphs_with_text(self, part: str, root: etree._Element) -> Iterator[tuple[etree._Element, str]]:
        _refuse_constructs(root)
        # Only an exact height can hide a line or a row: without one in this part or the styles, none is looked for.
        self.exact_heights = self.exact_styles or any(
            e.get(f"{_W}hRule") == "exact" or e.get(f"{_W}lineRule") == "exact"
            for e in root.iter(f"{_W}trHeight", f"{_W}spacing")
        )
        for paragraph in root.iter(f"{_W}p"):
            text = self._paragraph_text(part, paragraph)
            if self.record_sha:
                text = text.replace(self.record_sha, RECORD_SHA_PLACEHOLDER)
            yield paragraph, text

    # --- text --------------------------------------------------------------------------------------------

    def _paragraph_text(self, part: str, paragraph: etree._Element) -> str:
        """The text of one paragraph as it renders: hidden runs and page-number results left out."""
        hidden_paragraph = self._paragraph_hidden(paragraph)
        out: list[str] = []
        fields: list[_Field] = []  # the complex fields open at this point, innermost last
        for node in paragraph.iter(f"{_W}fldChar", f"{_W}instrText", f"{_W}t", f"{_W}sym", f"{_W}drawing"):
            tag = etree.QName(node).localname
            if tag == "fldChar":
                kind = node.get(f"{_W}fldCharType")
                if kind == "begin":
                    fields.append(_Field())
                elif kind == "separate" and fields and not fields[-1].in_result:
                    fields[-1].in_result = True
                    fields[-1].page = _page_field("".join(fields[-1].code))
                elif kind == "end" and fields:
                    if not fields[-1].in_result:
                        _page_field("".join(fields[-1].code))
                    fields.pop()
                continue
            if tag == "instrText":
                if fields and not fields[-1].in_result:
                    fields[-1].code.append(node.text or "")
                continue
            if any(not each.in_result for each in fields):
                continue  # part of a field's code, which does not show
            simple = [_page_field(a.get(f"{_W}instr", "")) for a in node.iterancestors(f"{_W}fldSimple")]
            if tag == "drawing":
                out.append(self._picture(part, node))
                continue
            text = node.text or "" if tag == "t" else _symbol(node)
            if (fields or simple) and all(each.page for each in fields) and all(simple) and _NUMERAL.match(text):
                continue  # a page number, which an editor recomputes
            if tag == "drawing":
                out.append(self._picture(part, node))
                continue
            text = node.text or "" if tag == "t" else _symbol(node)
            if (fields or simple) and _NUMERAL.match(text):
                continue  # a page number, which an editor recomputes
            run = next(node.iterancestors(f"{_W}r"), None)
            if hidden_paragraph or (run is not None and self._run_hidden(run, paragraph)):
                continue
            out.append(text)
        return "".join(out)

    def _picture(self, part: str, drawing: etree._Element) -> str:
        """A picture as the digest sees it: its bytes' sha256 and its alt text."""
        inline = drawing.find(f"{_WP}inline")
        data = inline.find(f"{_A}graphic/{_A}graphicData") if inline is not None else None
        if inline is None or len(drawing) != 1 or data is None or data.get("uri") != _PICTURE_URI:
            raise VisibleError("the document holds a floating picture, a chart or a shape, which a record never has")
        blips = list(data.iter(f"{_A}blip"))
        if len(blips) != 1 or blips[0].get(f"{_REL}link") or not blips[0].get(f"{_REL}embed"):
            raise VisibleError("the document holds a picture linked from outside it, or drawn from several")
        rel = self.source.rels.get(part, {}).get(blips[0].get(f"{_REL}embed", ""))
        if rel is None or rel[0] != IMAGE or rel[2]:
            raise VisibleError("a picture in the document names no picture part")
        described = inline.find(f"{_WP}docPr")
        words = described.get("descr", "") if described is not None else ""  # the alt text (LibreOffice drops title)
        return f"[picture {hashlib.sha256(self.source.blob(rel[1])).hexdigest()} {words.strip()}]"

    # --- formatting ----------------------------------------------------------------------------------------

    def _style_of(self, paragraph: etree._Element) -> str | None:
        style = paragraph.find(f"{_W}pPr/{_W}pStyle")
        return style.get(f"{_W}val") if style is not None else self.styles.default_paragraph

    def _paragraph_hidden(self, paragraph: etree._Element) -> bool:
        """A paragraph on an exact line too short to show it, or in a table row too short to show it."""
        if not self.exact_heights:
            return False
        ppr = paragraph.find(f"{_W}pPr")
        row = next(paragraph.iterancestors(f"{_W}tr"), None)
        height = row.find(f"{_W}trPr/{_W}trHeight") if row is not None else None
        key = (
            etree.tostring(ppr) if ppr is not None else b"",
            self._style_of(paragraph),
            etree.tostring(height) if height is not None else b"",
        )
        if key not in self.hidden_paragraphs:
            self.hidden_paragraphs[key] = self._paragraph_formatting_hides(paragraph)
        return self.hidden_paragraphs[key]

    def _paragraph_formatting_hides(self, paragraph: etree._Element) -> bool:
        pprs = [paragraph.find(f"{_W}pPr")]
        pprs += [s.find(f"{_W}pPr") for s in self.styles.chain(self._style_of(paragraph))]
        pprs.append(self.styles.defaults_ppr)
        spacing = _first(pprs, "spacing", lambda e: e.get(f"{_W}line") is not None)
        if spacing is not None and spacing.get(f"{_W}lineRule") == "exact":
            if _int(spacing.get(f"{_W}line"), MIN_LINE_TWIPS) < MIN_LINE_TWIPS:
                return True
        for row in paragraph.iterancestors(f"{_W}tr"):
            height = row.find(f"{_W}trPr/{_W}trHeight")
            if height is not None and height.get(f"{_W}hRule") == "exact":
                if _int(height.get(f"{_W}val"), MIN_ROW_TWIPS) < MIN_ROW_TWIPS:
                    return True
        return False

    def _table_style(self, paragraph: etree._Element) -> str | None:
        table = next(paragraph.iterancestors(f"{_W}tbl"), None)
        if table is None:
            return None
        style = table.find(f"{_W}tblPr/{_W}tblStyle")
        style_id = style.get(f"{_W}val") if style is not None else None
        if style_id and style_id not in self.checked_tables:
            self.checked_tables.add(style_id)
            for each in self.styles.chain(style_id):
                for conditional in each.iterchildren(f"{_W}tblStylePr"):
                    if conditional.find(f"{_W}rPr") is not None or next(conditional.iter(f"{_W}shd"), None) is not None:
                        raise VisibleError(
                            "a table style formats some rows or columns of its own (conditional formatting), which a "
                            "record's tables never use"
                        )
        return style_id

    def _run_hidden(self, run: etree._Element, paragraph: etree._Element) -> bool:
        """Whether a run's text does not show: hidden, too small, squeezed, moved off its line, or too faint."""
        rpr = run.find(f"{_W}rPr")
        if paragraph is not self.context_of[0]:
            cell = next(paragraph.iterancestors(f"{_W}tc"), None)
            table = next(paragraph.iterancestors(f"{_W}tbl"), None)
            around = [paragraph.find(f"{_W}pPr/{_W}shd"), cell.find(f"{_W}tcPr/{_W}shd") if cell is not None else None]
            if table is not None:
                around.append(table.find(f"{_W}tblPr"))
            self.context_of = (paragraph, (self._style_of(paragraph), *(_bytes(e) for e in around)))
        key = (_bytes(rpr), self.context_of[1])
        if key not in self.hidden_runs:
            self.hidden_runs[key] = self._formatting_hides(rpr, paragraph)
        return self.hidden_runs[key]

    def _formatting_hides(self, rpr: etree._Element | None, paragraph: etree._Element) -> bool:
        character = rpr.find(f"{_W}rStyle") if rpr is not None else None
        table_style = self._table_style(paragraph)
        rprs = [rpr]
        rprs += [
            s.find(f"{_W}rPr") for s in self.styles.chain(character.get(f"{_W}val") if character is not None else None)
        ]
        rprs += [s.find(f"{_W}rPr") for s in self.styles.chain(self._style_of(paragraph))]
        rprs += [s.find(f"{_W}rPr") for s in self.styles.chain(table_style)]
        rprs.append(self.styles.defaults_rpr)
        for tag in ("vanish", "specVanish", "webHidden"):
            if _toggle(_first(rprs, tag)):
                return True
        complex_script = _toggle(_first(rprs, "rtl")) or _toggle(_first(rprs, "cs"))
        size = _first(rprs, "szCs" if complex_script else "sz")
        if size is not None and _int(size.get(f"{_W}val"), 20) < MIN_HALF_POINTS:
            return True
        width = _first(rprs, "w")
        if width is not None and _int(width.get(f"{_W}val"), 100) < MIN_WIDTH_PERCENT:
            return True
        spacing = _first(rprs, "spacing")
        if spacing is not None and _int(spacing.get(f"{_W}val"), 0) < MIN_SPACING_TWIPS:
            return True
        position = _first(rprs, "position")
        if position is not None and abs(_int(position.get(f"{_W}val"), 0)) > MAX_POSITION_HALF_POINTS:
            return True
        colour = self._colour(_first(rprs, "color"), "val", "themeColor")
        if colour is None:
            return False  # automatic: Word picks black or white to contrast with what is behind
        return _contrast(colour, self._background(rprs, paragraph, table_style)) < MIN_CONTRAST

    def _background(self, rprs: list[etree._Element | None], paragraph: etree._Element, table: str | None) -> str:
        """The colour behind a run: its shading or highlight, its paragraph's, its cell's, the page's."""
        for rpr in rprs:
            if rpr is None:
                continue
            highlight = rpr.find(f"{_W}highlight")
            if highlight is not None and highlight.get(f"{_W}val") in _HIGHLIGHTS:
                return _HIGHLIGHTS[highlight.get(f"{_W}val", "")]
            shaded = self._shading(rpr.find(f"{_W}shd"))
            if shaded:
                return shaded
        pprs = [paragraph.find(f"{_W}pPr")] + [s.find(f"{_W}pPr") for s in self.styles.chain(self._style_of(paragraph))]
        for ppr in pprs:
            shaded = self._shading(ppr.find(f"{_W}shd")) if ppr is not None else None
            if shaded:
                return shaded
        cell = next(paragraph.iterancestors(f"{_W}tc"), None)
        if cell is not None:
            shaded = self._shading(cell.find(f"{_W}tcPr/{_W}shd"))
            if shaded:
                return shaded
            for style in self.styles.chain(table):
                shaded = self._shading(style.find(f"{_W}tcPr/{_W}shd"))
                if shaded:
                    return shaded
        return self.styles.page

    def _shading(self, shd: etree._Element | None) -> str | None:
        if shd is None or shd.get(f"{_W}val") == "nil":
            return None
        if shd.get(f"{_W}val") == "solid":
            return self._colour(shd, "color", "themeColor") or "000000"
        return self._colour(shd, "fill", "themeFill")

    def _colour(self, element: etree._Element | None, attribute: str, theme: str) -> str | None:
        """A colour as RGB hex, a theme colour resolved with its tint or shade; None for automatic.

        `attribute` holds the colour (``val`` of ``w:color``, ``fill`` or ``color`` of ``w:shd``), `theme` the
        name of its theme attribute (``themeColor`` or ``themeFill``), which Word prefers when both are given.
        """
        if element is None:
            return None
        slot = element.get(f"{_W}{theme}")
        base = self.styles.theme.get(_THEME_SLOTS.get(slot, slot)) if slot else None
        base = base or _hex(element.get(f"{_W}{attribute}"))
        if base is None:
            return None
        if not slot:
            return base
        return _tinted(base, element.get(f"{_W}{theme}Tint"), element.get(f"{_W}{theme}Shade"))


_REFUSED_TAGS = tuple(f"{{{namespace}}}*" for namespace in _REFUSED_NAMESPACES) + tuple(
    f"{_W}{name}" for name in _REFUSED_ELEMENTS
)


def _refuse_constructs(root: etree._Element) -> None:
    """Refuse, in words, what a proofing record never holds and the digests could not follow."""
    for element in root.iter(*_REFUSED_TAGS):
        name = etree.QName(element)
        what = _REFUSED_NAMESPACES.get(name.namespace or "") or _REFUSED_ELEMENTS[name.localname]
        raise VisibleError(f"the document holds {what}, which a record never has")
    for element in root.iter(f"{_W}lvlText"):
        if re.search(r"[^\W\d_]{2}", element.get(f"{_W}val", "")):
            raise VisibleError("the document's list numbering writes words, which a record's never does")


def check_numbering(source: Source) -> None:
    """Refuse list numbering that writes words before each item (numbering is not text the digests see)."""
    for part in source.related(
        source.main, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
    ):
        _refuse_constructs(source.xml(part))


@dataclass
class _Field:
    """A complex field being read: its code so far, whether its result has begun, and whether it numbers pages."""

    code: list[str] = field(default_factory=list)
    in_result: bool = False
    page: bool = False


def _page_field(instruction: str) -> bool:
    """Whether a field numbers pages (its result is recomputed by editors); an empty field shows only its result.
    VisibleError for any other field: it could show text that changes when the document is opened or printed."""
    words = instruction.split()
    if not words:
        return False
    if words[0].upper() not in ALLOWED_FIELDS:
        raise VisibleError(
            f"the document holds a field ({words[0][:40]}) other than page numbers, which a record never has"
        )
    return True


def _bytes(element: etree._Element | None) -> bytes:
    return etree.tostring(element) if element is not None else b""


def _symbol(node: etree._Element) -> str:
    code = node.get(f"{_W}char", "")
    try:
        return chr(int(code, 16))
    except ValueError:
        return "\ufffd"


def _first(
    elements: list[etree._Element | None], tag: str, test: Callable[[etree._Element], bool] | None = None
) -> etree._Element | None:
    """The first `tag` child of the first element that has one (passing `test`): formatting, nearest first."""
    for element in elements:
        if element is None:
            continue
        found = element.find(f"{_W}{tag}")
        if found is not None and (test is None or test(found)):
            return found
    return None


def _toggle(element: etree._Element | None) -> bool:
    return element is not None and element.get(f"{_W}val", "true") not in ("0", "false", "off")


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _hex(value: str | None) -> str | None:
    return value.upper() if value and re.fullmatch(r"[0-9A-Fa-f]{6}", value) else None


def _theme_colours(root: etree._Element) -> dict[str, str]:
    """The theme's colour scheme: dk1, lt1, accent1 ... as RGB hex."""
    colours: dict[str, str] = {}
    scheme = next(root.iter(f"{_A}clrScheme"), None)
    for slot in scheme if scheme is not None else []:
        if not isinstance(slot.tag, str):
            continue
        value = next((c.get("lastClr") or c.get("val") for c in slot if isinstance(c.tag, str)), None)
        if _hex(value):
            colours[etree.QName(slot).localname] = _hex(value) or ""
    return colours


def _tinted(base: str, tint: str | None, shade: str | None) -> str:
    """A theme colour with Word's tint (towards white) or shade (towards black), each a hex fraction of 255."""
    channels = [int(base[i : i + 2], 16) for i in (0, 2, 4)]
    if shade and _hex("0000" + shade[:2]):
        factor = int(shade[:2], 16) / 255
        channels = [round(c * factor) for c in channels]
    if tint and _hex("0000" + tint[:2]):
        factor = int(tint[:2], 16) / 255
        channels = [round(c * factor + 255 * (1 - factor)) for c in channels]
    return "".join(f"{c:02X}" for c in channels)


def _contrast(one: str, two: str) -> float:
    """The WCAG contrast ratio of two RGB hex colours (1 the same, 21 black on white).

    Examples:
        >>> round(_contrast("000000", "FFFFFF"), 1), _contrast("FFFFFF", "FFFFFF")
        (21.0, 1.0)
    """

    def luminance(colour: str) -> float:
        values = []
        for i in (0, 2, 4):
            c = int(colour[i : i + 2], 16) / 255
            values.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
        return 0.2126 * values[0] + 0.7152 * values[1] + 0.0722 * values[2]

    high, low = sorted((luminance(one), luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)
