"""The Word renderer: a composed record (proofing.report.blocks) written into the council's Word template
(templates/record.docx, restyled in Word, never in Python), with the canonical record embedded and signed.

How it is written, and why (a record must be written in at most 200 ms):

- python-docx opens the template, keeps its parts (styles, header, footer, numbering) and saves the
  package; the body is written with lxml straight into the template's body, at the ``{{body}}``
  paragraph. Building python-docx objects for every paragraph, run and cell cost 100-400 ms a record
  (the largest has over 1,000 paragraphs and 90 tables), because each child is placed by searching its
  parent's children in schema order.
- Text goes in only as lxml element text, never by joining strings into XML, and only after
  ``clean_text`` has removed what XML cannot hold; so markup, template syntax, right-to-left scripts and
  emoji in a plan come through as written. Runs set no formatting but bold, so the template's styles
  decide how everything looks.
- The header and footer placeholders are filled once per header or footer part, in a single pass over
  each paragraph's text, so a value (a plan title that reads ``{{council}}``) is never itself expanded.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.shared import Cm
from lxml import etree

from proofing.assessment import Assessment
from proofing.errors import ProofingError
from proofing.knowledge import KnowledgeBase
from proofing.language import BILINGUAL, RecordLanguage, language_facts
from proofing.record import clean_text, embed_record
from proofing.report.blocks import (
    BulletList,
    ComposedRecord,
    Contents,
    Figure,
    Heading,
    PageBreak,
    Paragraph,
    Run,
    Table,
    TableCell,
)
from proofing.report.chart import CHART_SCALE, chart_font
from proofing.report.composer import compose, prepare
from proofing.report.details import ReportDetails, record_payload
from proofing.report.words import TEMPLATE_WORDS, short
from proofing.signing import Signer
from proofing.visible import RECORD_SHA_PLACEHOLDER, visible_record

DEFAULT_TEMPLATE = Path(__file__).resolve().parent.parent.parent / "templates" / "record.docx"
REQUIRED_STYLES = (
    "Normal",
    "Title",
    "Subtitle",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "List Bullet",
    "Caption",
    "Table Grid",
)
REQUIRED_PLACEHOLDERS = {"{{body}}": "the body", "{{council}}": "the header", "{{plan_title}}": "the footer"}
FOOTER_TITLE_LIMIT = 80  # characters of the plan title the footer shows

_BODY_PLACEHOLDER = "{{body}}"
_HEADER_FOOTER_PLACEHOLDER = re.compile(r"\{\{(?:council|plan_title|rule_base_version)\}\}")


class TemplateError(ProofingError):
    """The Word template cannot be used; the message says what to fix in Word."""


_W_NAMESPACE = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w(name: str) -> str:
    return f"{{{_W_NAMESPACE}}}{name}"


_P, _PPR, _PSTYLE, _R, _RPR, _B, _T, _TAB, _BR = (
    _w(n) for n in ("p", "pPr", "pStyle", "r", "rPr", "b", "t", "tab", "br")
)
_TBL, _TBLPR, _TBLSTYLE, _TBLW, _TBLLAYOUT, _TBLLOOK = (
    _w(n) for n in ("tbl", "tblPr", "tblStyle", "tblW", "tblLayout", "tblLook")
)
_TBLGRID, _GRIDCOL, _TR, _TRPR, _TBLHEADER, _TC, _TCPR, _TCW, _SHD = (
    _w(n) for n in ("tblGrid", "gridCol", "tr", "trPr", "tblHeader", "tc", "tcPr", "tcW", "shd")
)
_SECTPR, _PGSZ, _HEADER_REFERENCE, _FOOTER_REFERENCE, _TYPE, _DRAWING = (
    _w(n) for n in ("sectPr", "pgSz", "headerReference", "footerReference", "type", "drawing")
)
_VAL, _W_ATTR, _H_ATTR, _ORIENT, _TYPE_ATTR = (_w(n) for n in ("val", "w", "h", "orient", "type"))
_COLOR, _FILL = _w("color"), _w("fill")
_KEEPNEXT, _TRHEIGHT, _HRULE, _LANG = _w("keepNext"), _w("trHeight"), _w("hRule"), _w("lang")
_PGMAR, _TABS, _GRIDSPAN, _CANTSPLIT = (_w(n) for n in ("pgMar", "tabs", "gridSpan", "cantSplit"))
_BOOKMARK_START, _BOOKMARK_END, _HYPERLINK, _FLDCHAR, _INSTRTEXT = (
    _w(n) for n in ("bookmarkStart", "bookmarkEnd", "hyperlink", "fldChar", "instrText")
)
_ID, _NAME, _ANCHOR, _LEADER, _POS, _FLDCHARTYPE, _DIRTY = (
    _w(n) for n in ("id", "name", "anchor", "leader", "pos", "fldCharType", "dirty")
)
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_TABLE_LOOK = {
    _w("firstColumn"): "1",
    _w("firstRow"): "1",
    _w("lastColumn"): "0",
    _w("lastRow"): "0",
    _w("noHBand"): "0",
    _w("noVBand"): "1",
    _VAL: "04A0",
}
_A4_TWIPS = ("11906", "16838")  # 21.0 x 29.7 cm
_MARGIN_TWIPS = "1440"  # Word's default margin, 2.54 cm, when a template gives none
_UNSPLIT_ROW_CHARACTERS = 600  # a table row with at most this much text is never broken across pages
_RUN_BREAK = re.compile(r"(\t|\r\n|\r|\n)")


def _add_text(run: etree._Element, text: str) -> None:
    """Put text into a run as Word holds it: tabs as <w:tab/>, line breaks as <w:br/>, the rest as <w:t>.

    The text must already have been through clean_text; lxml refuses what XML cannot hold.
    """
    for piece in _RUN_BREAK.split(text) if ("\t" in text or "\n" in text or "\r" in text) else (text,):
        if piece == "\t":
            etree.SubElement(run, _TAB)
        elif piece in ("\n", "\r", "\r\n"):
            etree.SubElement(run, _BR)
        elif piece:
            element = etree.SubElement(run, _T)
            element.text = piece
            if piece[0].isspace() or piece[-1].isspace():
                element.set(_XML_SPACE, "preserve")


def _add_run(paragraph: etree._Element, text: str, bold: bool = False, language: str | None = None) -> None:
    """Append a run of text to a paragraph, cleaned here for XML; bold is the only formatting a run sets, and
    `language` (a tag, "cy-GB") the language Word's spelling and screen readers take it to be in."""
    run = etree.SubElement(paragraph, _R)
    if bold or language:
        properties = etree.SubElement(run, _RPR)
        if bold:
            etree.SubElement(properties, _B)
        if language:
            etree.SubElement(properties, _LANG).set(_VAL, language)
    _add_text(run, clean_text(text))


def _paragraph_text(paragraph: etree._Element) -> str:
    return "".join(t.text or "" for t in paragraph.iter(_T))


# --- the template ---------------------------------------------------------------------------------


def check_template(path: Path = DEFAULT_TEMPLATE) -> None:
    """Refuse, before any export, a template that is missing, broken, or lacks a style or placeholder.

    So that a council that restyles the template in Word learns what to fix before a record is written.
    """
    _open_template(path)


def _open_template(path: Path) -> Document:
    """The template, opened once, after checking it has every style and placeholder the record needs."""
    try:
        document = docx.Document(str(path))
    except Exception as error:  # python-docx raises several kinds for a broken package
        raise TemplateError(f"{path}: not a Word document that can be used as a template ({error})") from None
    names = {style.name for style in document.styles}
    missing = [name for name in REQUIRED_STYLES if name not in names]
    if missing:
        raise TemplateError(f"{path}: the template has no style named {', '.join(missing)}; add it in Word")
    body_texts = [_paragraph_text(p) for p in document.element.body.iterchildren(_P)]
    if not any(_BODY_PLACEHOLDER in text for text in body_texts):
        raise TemplateError(
            f"{path}: the placeholder {_BODY_PLACEHOLDER} is missing from the body of the template; "
            "type it on a line of its own where the record's content should go"
        )
    texts = body_texts + [_paragraph_text(p) for root in _header_footer_roots(document) for p in root.iter(_P)]
    for placeholder, where in REQUIRED_PLACEHOLDERS.items():
        if not any(placeholder in text for text in texts):
            raise TemplateError(f"{path}: the placeholder {placeholder} is missing from {where} of the template")
    return document


def _header_footer_roots(document: Document) -> list[etree._Element]:
    """Every header and footer part of the document, each once (sections that inherit one share it)."""
    return [
        rel.target_part.element
        for rel in document.part.rels.values()
        if rel.reltype in (RT.HEADER, RT.FOOTER) and not rel.is_external
    ]


def _fill_placeholders(root: etree._Element, values: dict[str, str]) -> None:
    """Replace the header and footer placeholders in every paragraph under root, in one pass.

    Each paragraph's text is searched as a whole, so a placeholder that Word split across runs (it does,
    after a spelling check or an edit) is still found; other runs keep their formatting and fields (the
    page number). The values are never searched again, so user text such as a plan title that reads
    "{{council}}" is shown as typed.
    """
    for paragraph in root.iter(_P):
        texts = [t for t in paragraph.iter(_T) if next(t.iterancestors(_P)) is paragraph]
        filled = _filled([t.text or "" for t in texts], values)
        if filled is None:
            continue
        for t, text in zip(texts, filled, strict=True):
            t.text = text
            if text != text.strip():
                t.set(_XML_SPACE, "preserve")


def _filled(pieces: list[str], values: dict[str, str]) -> list[str] | None:
    """The pieces of a paragraph's text with each placeholder replaced; None if it has none.

    A placeholder may span pieces: its value goes into the piece where it begins, and its characters
    are taken out of the others. Values are inserted, never searched.

    Examples:
        >>> _filled(["{{coun", "cil}} · {{plan_title}}"], {"{{council}}": "{{plan_title}}", "{{plan_title}}": "A"})
        ['{{plan_title}}', ' · A']
        >>> _filled(["Page ", "1"], {"{{council}}": "A council"}) is None
        True
    """
    joined = "".join(pieces)
    matches = [m for m in _HEADER_FOOTER_PLACEHOLDER.finditer(joined) if m.group(0) in values]
    if not matches:
        return None
    bounds, start = [], 0
    for piece in pieces:
        bounds.append((start, start + len(piece)))
        start += len(piece)
    out: list[list[str]] = [[] for _ in pieces]
    position = 0
    for match in [*matches, None]:
        end = match.start() if match else len(joined)
        for index, (low, high) in enumerate(bounds):  # the text between placeholders stays where it was
            if low < end and position < high:
                out[index].append(joined[max(position, low) : min(end, high)])
        if match:
            owner = next(i for i, (low, high) in enumerate(bounds) if low <= match.start() < high)
            out[owner].append(values[match.group(0)])
            position = match.end()
    return ["".join(parts) for parts in out]


# --- writing --------------------------------------------------------------------------------------


# --- writing --------------------------------------------------------------------------------------


def write_report(
    kb: KnowledgeBase,
    assessment: Assessment,
    meta: ReportDetails | None = None,
    template: Path = DEFAULT_TEMPLATE,
    signer: Signer | None = None,
    language: RecordLanguage | None = None,
) -> bytes:
    """The assessment as a .docx (bytes), with its canonical record embedded.

    The template is checked first (TemplateError says what to fix) and opened once. `kb` and `assessment` are
    English; the visible text is in `language` (``meta.language`` when not given, else English): "cy" writes it
    from the same plan assessed with the Welsh rule base, "bilingual" writes the whole record in Welsh and then
    the whole record in English, each with its own contents, Welsh first as the Welsh Language Standards ask. The
    embedded record is always the English assessment, so ``proofing verify`` checks every language alike; its
    ``meta.language`` says which language the visible text is in.
    """
    document = _open_template(template)
    meta, halves = prepare(kb, assessment, meta, language)
    composed = compose(halves, "docx")
    renderers: list[WordRenderer] = []
    for record in composed:
        renderer = WordRenderer(document, record, f"_Toc_proofing_{record.language}_" if len(composed) > 1 else None)
        renderer.render()
        renderers.append(renderer)
    _finish(document, renderers, meta.language)
    # The appendix quotes the record's sha256, which is known only once the record is made: it is written with a
    # placeholder, the visible text (placeholder and all) goes into the record, then the sha256 replaces it.
    payload = record_payload(assessment, meta)
    payload.update(visible_record(document))  # what every part a reader sees shows, digested (proofing.visible)
    if signer is not None:
        payload["signer"] = {"identity": clean_text(signer.identity), "key": signer.fingerprint}
    record_sha = embed_record(document, payload, signer.sign if signer else None)
    for text in document.element.body.iter(_T):
        if text.text == RECORD_SHA_PLACEHOLDER:
            text.text = record_sha
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def save_report(
    kb: KnowledgeBase,
    assessment: Assessment,
    path: Path,
    meta: ReportDetails | None = None,
    template: Path = DEFAULT_TEMPLATE,
    signer: Signer | None = None,
    language: RecordLanguage | None = None,
) -> None:
    """Write the record to a file, its visible text in `language` (as write_report)."""
    path.write_bytes(write_report(kb, assessment, meta, template, signer, language))


def _finish(document: Document, renderers: list[WordRenderer], language: RecordLanguage) -> None:
    """Write each half's contents, fill the header and footer, drop the body placeholder, and set the document's
    properties and default language (Welsh for a bilingual record, which puts Welsh first)."""
    first = renderers[0]
    for renderer in renderers:
        renderer.contents_entries()
    record = first.record
    values = {
        "{{council}}": record.council,
        "{{plan_title}}": record.plan_title[:FOOTER_TITLE_LIMIT]
        + ("…" if len(record.plan_title) > FOOTER_TITLE_LIMIT else ""),
        "{{rule_base_version}}": record.rule_base_version,
    }
    for root in _header_footer_roots(document):
        if language != "en":
            _translate_fixed_words(root, [renderer.record for renderer in renderers])
        _fill_placeholders(root, values)
    _mark_status(document, [renderer.record for renderer in renderers])
    if first.anchor.find(f"{_PPR}/{_SECTPR}") is None:
        first.anchor.getparent().remove(first.anchor)
    else:  # the placeholder's paragraph also ends a section of the template: keep it, without the text
        for run in first.anchor.findall(_R):
            first.anchor.remove(run)
    tag = language_facts("cy" if language == BILINGUAL else language).tag
    properties = document.core_properties
    properties.title = short(" / ".join(renderer.record.document_title for renderer in renderers))
    properties.subject = record.subject
    properties.author = record.author
    properties.keywords = record.keywords
    properties.language = tag
    _set_default_language(document, tag)


def _mark_status(document: Document, records: list[ComposedRecord]) -> None:
    """Every page header ends with a line saying the record's status ("DRAFT: not approved · version 3"; both
    languages of a bilingual record, Welsh first), in bold, so that no page of a draft passes for a final one."""
    mark = " / ".join(dict.fromkeys(record.status_mark for record in records if record.status_mark))
    if not mark:
        return
    for rel in document.part.rels.values():
        if rel.reltype != RT.HEADER or rel.is_external:
            continue
        root = rel.target_part.element
        paragraph = etree.SubElement(root, _P)
        style_id = {style.name: style.style_id for style in document.styles}.get("Header")
        if style_id is not None:
            etree.SubElement(etree.SubElement(paragraph, _PPR), _PSTYLE).set(_VAL, style_id)
        _add_run(paragraph, mark, bold=True)


def _translate_fixed_words(root: etree._Element, records: list[ComposedRecord]) -> None:
    """The template's own words in a header or footer in the record's language; both, Welsh first, in a bilingual
    record ("Tudalen / Page"), whose pages share one header and footer. Done before the placeholders are filled,
    so a plan title is never changed."""
    for text in root.iter(_T):
        for words in TEMPLATE_WORDS:
            if text.text and re.search(rf"\b{re.escape(words)}\b", text.text):
                shown = " / ".join(dict.fromkeys(record.frame_words[words] for record in records))
                text.text = re.sub(rf"\b{re.escape(words)}\b", _literally(shown), text.text)


def _literally(shown: str) -> Callable[[re.Match[str]], str]:
    """A replacement for re.sub that puts `shown` in as it is (a backslash in it is not an escape)."""
    return lambda _match: shown


def _set_default_language(document: Document, tag: str) -> None:
    """Make `tag` the language of the document's default run properties (styles.xml ``w:docDefaults``), which
    every style and run not tagged otherwise takes."""
    styles = document.styles.element
    defaults = styles.find(_w("docDefaults"))
    if defaults is None:
        defaults = etree.Element(_w("docDefaults"))
        styles.insert(0, defaults)
    run_defaults = defaults.find(_w("rPrDefault"))
    if run_defaults is None:
        run_defaults = etree.Element(_w("rPrDefault"))
        defaults.insert(0, run_defaults)
    properties = run_defaults.find(_RPR)
    if properties is None:
        properties = etree.SubElement(run_defaults, _RPR)
    found = properties.find(_LANG)
    if found is None:
        found = etree.SubElement(properties, _LANG)
    found.set(_VAL, tag)


class WordRenderer:
    """Writes one composed record's blocks into a template document, as XML before its {{body}} paragraph."""

    def __init__(self, document: Document, record: ComposedRecord, bookmarks: str | None = None) -> None:
        self.doc = document
        self.record = record
        self.bookmarks = bookmarks or "_Toc_proofing_"
        body = document.element.body
        self.anchor = next(p for p in body.iterchildren(_P) if _BODY_PLACEHOLDER in _paragraph_text(p))
        # The section the content goes into is described by the next section properties after it: those of
        # a later paragraph that ends a section, or else the body's own (the last section).
        self.section: Any = next(
            (
                found
                for p in (self.anchor, *self.anchor.itersiblings(_P))
                if (found := p.find(f"{_PPR}/{_SECTPR}")) is not None
            ),
            None,
        )
        if self.section is None:
            self.section = body.get_or_add_sectPr()
        # Word refers to styles by id; the template's ids need not be the names (Word localises them).
        self.style_ids = {style.name: style.style_id for style in document.styles}
        # The contents: every heading of level 1 or 2, with the bookmark its entry points to. Bookmark ids
        # must be unique in the document, so they start after any the template has.
        self.headings: list[tuple[int, str, tuple[Run, ...]]] = []
        ids = [int(b.get(_ID)) for b in body.iter(_BOOKMARK_START) if (b.get(_ID) or "").isdigit()]
        self.next_bookmark = max(ids, default=0) + 1
        self.contents_at: etree._Element | None = None

    def render(self) -> None:
        """Write every block, in order."""
        for block in self.record.blocks:
            if isinstance(block, Paragraph):
                paragraph = self._paragraph(block.style)
                if block.keep_next:
                    properties = paragraph.find(_PPR)
                    if properties is None:
                        properties = etree.SubElement(paragraph, _PPR)
                    etree.SubElement(properties, _KEEPNEXT)
                self.runs(paragraph, block.runs)
            elif isinstance(block, Heading):
                self.heading(block)
            elif isinstance(block, BulletList):
                for item in block.items:
                    self.runs(self._paragraph("List Bullet"), item)
            elif isinstance(block, Table):
                self.table(block)
            elif isinstance(block, Figure):
                self.picture(block)
            elif isinstance(block, PageBreak):
                run = etree.SubElement(self._paragraph(), _R)
                etree.SubElement(run, _BR).set(_TYPE_ATTR, "page")
            elif isinstance(block, Contents):
                style = "TOC Heading" if "TOC Heading" in self.style_ids else "Heading 1"
                self.runs(self._paragraph(style), block.title)
                self.contents_at = self._paragraph()

    @staticmethod
    def runs(paragraph: etree._Element, runs: tuple[Run, ...]) -> None:
        """The runs of a paragraph, each tagged with its language."""
        for run in runs:
            _add_run(paragraph, run.text, run.bold, run.lang)

    def _block(self, tag: str) -> etree._Element:
        element = self.anchor.makeelement(tag)
        self.anchor.addprevious(element)
        return element

    def _style_id(self, style: str | None) -> str | None:
        """The id of a style by name; None for a style the template lacks (those the record only prefers)."""
        return None if style is None else self.style_ids.get(style)

    def _paragraph(self, style: str | None = None, parent: etree._Element | None = None) -> etree._Element:
        paragraph = self._block(_P) if parent is None else etree.SubElement(parent, _P)
        style_id = self._style_id(style)
        if style_id is not None:
            etree.SubElement(etree.SubElement(paragraph, _PPR), _PSTYLE).set(_VAL, style_id)
        return paragraph

    def heading(self, block: Heading) -> None:
        """A real Word heading; levels 1 and 2 are bookmarked and listed in the contents."""
        paragraph = self._paragraph(f"Heading {block.level}")
        if block.level <= 2:
            name = f"{self.bookmarks}{len(self.headings) + 1}"
            start = etree.SubElement(paragraph, _BOOKMARK_START, {_ID: str(self.next_bookmark), _NAME: name})
            self.runs(paragraph, block.runs)
            etree.SubElement(paragraph, _BOOKMARK_END, {_ID: start.get(_ID)})
            self.next_bookmark += 1
            self.headings.append((block.level, name, block.runs))
        else:
            self.runs(paragraph, block.runs)

    def text_width(self) -> int:
        """The width of the text on the current section's page, in twips: the page less its side margins."""
        size = self.section.find(_PGSZ)
        margins = self.section.find(_PGMAR)
        width = int(size.get(_W_ATTR, _A4_TWIPS[0])) if size is not None else int(_A4_TWIPS[0])
        if margins is None:
            return width - 2 * int(_MARGIN_TWIPS)
        return width - int(margins.get(_w("left"), _MARGIN_TWIPS)) - int(margins.get(_w("right"), _MARGIN_TWIPS))

    def table(self, block: Table) -> None:
        """A Table Grid table across the text width, its columns in the proportions given, and when given a
        bold header row that repeats on each page.

        The widths are shares of the page's text width (so a council that sets other margins in Word still
        gets tables that fit), written in the grid and in every cell, because Word and LibreOffice read one
        or the other. Cell text is in the template's "Table Text" style when it has one. A row height makes
        each row below the header at least that tall (room to sign). An empty paragraph follows, so that two
        tables never run together.
        """
        available = self.text_width()
        total = sum(block.widths)
        twips = [round(available * width / total) for width in block.widths]
        twips[-1] = available - sum(twips[:-1])
        if self.record.language != "en":  # Welsh words are longer: widen a column its longest word would break in
            twips = _fitted_columns(twips, [block.header or (), *block.rows])
        table = self._block(_TBL)
        properties = etree.SubElement(table, _TBLPR)
        etree.SubElement(properties, _TBLSTYLE).set(_VAL, self.style_ids["Table Grid"])
        table_width = etree.SubElement(properties, _TBLW)
        table_width.set(_TYPE_ATTR, "auto")
        table_width.set(_W_ATTR, "0")
        etree.SubElement(properties, _TBLLAYOUT).set(_TYPE_ATTR, "fixed")
        etree.SubElement(properties, _TBLLOOK, _TABLE_LOOK)
        grid = etree.SubElement(table, _TBLGRID)
        for width in twips:
            etree.SubElement(grid, _GRIDCOL).set(_W_ATTR, str(width))
        text_style = self._style_id("Table Text")
        if block.header is not None:
            self._row(table, block.header, twips, text_style, repeat=True)
        height = Cm(block.row_height_cm).twips if block.row_height_cm is not None else None
        for row in block.rows:
            element = self._row(table, row, twips, text_style)
            if height is not None:
                row_properties = element.find(_TRPR)
                if row_properties is None:
                    row_properties = etree.Element(_TRPR)
                    element.insert(0, row_properties)
                etree.SubElement(row_properties, _TRHEIGHT, {_VAL: str(height), _HRULE: "atLeast"})
        self._paragraph()

    def _row(
        self,
        table: etree._Element,
        cells: tuple[TableCell, ...],
        twips: list[int],
        text_style: str | None,
        repeat: bool = False,
    ) -> etree._Element:
        row = etree.SubElement(table, _TR)
        # A row is kept on one page, so that no finding or mitigation is cut in two, unless it is long enough
        # that it might not fit on one (Word would cut it off rather than break it).
        if repeat or sum(len(cell.text) for cell in cells) <= _UNSPLIT_ROW_CHARACTERS:
            row_properties = etree.SubElement(row, _TRPR)
            etree.SubElement(row_properties, _CANTSPLIT)
            if repeat:  # a header row: repeats at the top of each page and reads as a header
                etree.SubElement(row_properties, _TBLHEADER).set(_VAL, "true")
        column = 0
        for cell in cells:
            width = sum(twips[column : column + cell.span])
            column += cell.span
            element = etree.SubElement(row, _TC)
            properties = etree.SubElement(element, _TCPR)
            cell_width = etree.SubElement(properties, _TCW)
            cell_width.set(_TYPE_ATTR, "dxa")
            cell_width.set(_W_ATTR, str(width))
            if cell.span > 1:
                etree.SubElement(properties, _GRIDSPAN).set(_VAL, str(cell.span))
            if cell.fill is not None:
                etree.SubElement(properties, _SHD, {_VAL: "clear", _COLOR: "auto", _FILL: cell.fill})
            paragraph = etree.SubElement(element, _P)
            across = cell.span == len(twips) > 1  # a row that heads the rows below it stays on their page
            if text_style is not None or across:
                paragraph_properties = etree.SubElement(paragraph, _PPR)
                if text_style is not None:
                    etree.SubElement(paragraph_properties, _PSTYLE).set(_VAL, text_style)
                if across:
                    etree.SubElement(paragraph_properties, _KEEPNEXT)
            self.runs(paragraph, cell.runs)
        if column != len(twips):
            raise ValueError(f"a row of {column} columns in a table of {len(twips)}")
        return row

    def picture(self, block: Figure) -> None:
        """A picture in a paragraph of its own, with alt text Word and screen readers read (docPr descr), and its
        caption beneath it."""
        inline = self.doc.part.new_pic_inline(io.BytesIO(block.png), Cm(block.width_cm), None)
        described = inline.docPr
        described.set("descr", clean_text(block.alt))
        described.set("title", block.title)
        run = etree.SubElement(self._paragraph(), _R)
        etree.SubElement(run, _DRAWING).append(inline)
        self.runs(self._paragraph("Caption"), block.caption)

    def contents_entries(self) -> None:
        """One entry per heading of level 1 or 2: a link to it and its page number.

        The page number is a PAGEREF field to the heading's bookmark, flagged for updating: LibreOffice
        computes it as it lays the pages out, and Word does when it opens (if allowed), prints or saves as
        PDF. A TOC field would not do here: LibreOffice shows such a field's stored text, which the record
        cannot know, and does not rebuild it when it converts a document.
        """
        if self.contents_at is None:
            return
        width = str(self.text_width())
        for level, name, runs in self.headings:
            paragraph = self.contents_at.makeelement(_P)
            self.contents_at.addprevious(paragraph)
            properties = etree.SubElement(paragraph, _PPR)
            style_id = self._style_id(f"toc {level}")
            if style_id is not None:
                etree.SubElement(properties, _PSTYLE).set(_VAL, style_id)
            tab = etree.SubElement(etree.SubElement(properties, _TABS), _TAB)
            tab.attrib.update({_VAL: "right", _LEADER: "dot", _POS: width})
            link = etree.SubElement(paragraph, _HYPERLINK, {_ANCHOR: name})
            self.runs(link, runs)
            etree.SubElement(etree.SubElement(link, _R), _TAB)
            etree.SubElement(etree.SubElement(link, _R), _FLDCHAR, {_FLDCHARTYPE: "begin", _DIRTY: "true"})
            instruction = etree.SubElement(etree.SubElement(link, _R), _INSTRTEXT)
            instruction.text = f" PAGEREF {name} \\h "
            instruction.set(_XML_SPACE, "preserve")
            etree.SubElement(etree.SubElement(link, _R), _FLDCHAR, {_FLDCHARTYPE: "separate"})
            etree.SubElement(etree.SubElement(link, _R), _FLDCHAR, {_FLDCHARTYPE: "end"})
        self.contents_at.getparent().remove(self.contents_at)
        self.contents_at = None


_CELL_MARGINS = 2 * 108  # twips: the Table Grid style's cell margins, left and right
_LONGEST_UNBROKEN = 14  # letters: a longer word (a checksum, a web address) may break


def _fitted_columns(twips: list[int], rows: list[tuple[TableCell, ...]]) -> list[int]:
    """Column widths in which no word of up to 14 letters breaks, taken from the widest column that can spare it.

    Measured in DejaVu Sans (a little wider than the bold Arial of table headers) at the table text size, 9 pt.
    """
    words: list[set[str]] = [set() for _ in twips]
    for row in rows:
        if len(row) != len(twips):  # a row across the table (a finding heading its mitigations) wraps freely
            continue
        for column, cell in enumerate(row):
            words[column].update(cell.text.split())
    needed = [0] * len(twips)
    for column, found in enumerate(words):
        # Only the longest words can be the widest: measuring the ten longest keeps a record within its time.
        longest = sorted((w for w in found if len(w) <= _LONGEST_UNBROKEN), key=len, reverse=True)[:10]
        needed[column] = max((_word_twips(word) for word in longest), default=0)
    fitted = list(twips)
    for column, want in enumerate(needed):
        short = want - fitted[column]
        if short <= 0:
            continue
        donor = max(range(len(fitted)), key=lambda c: fitted[c] - needed[c])
        spare = fitted[donor] - max(needed[donor], _CELL_MARGINS)
        if donor == column or spare <= 0:
            continue
        given = min(short, spare)
        fitted[column] += given
        fitted[donor] -= given
    return fitted


@functools.lru_cache(maxsize=4096)
def _word_twips(word: str) -> int:
    """The width a word needs in a table cell, in twips, its margins and a little room included."""
    return round(chart_font(9.0).getlength(word) / CHART_SCALE * 20) + _CELL_MARGINS + 40
