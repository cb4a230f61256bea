"""The HTML renderer: a composed record (proofing.report.blocks) as one self-contained, accessible web page, the
form a public body publishes its assessments in on its website.

The page has real headings in order (the record's title as the page's first heading, each section one level
below), a contents list of links, tables whose header cells say what they head (``<th scope>``), the chart as an
inline PNG with its text alternative, and ``lang`` on the page and wherever a run of text is in another language
(``cy`` for Welsh, ``en-GB`` for English; a bilingual record is two articles, Welsh first, each marked). It needs
nothing from the network: its style sheet and picture are inside it.

Like the Word record it embeds the canonical record (proofing.verify_html says how) with the digests of what the
page shows, signed when a key is configured, so ``proofing verify FILE.html`` checks it as it checks a .docx.
"""

from __future__ import annotations

import base64
from pathlib import Path

from lxml import etree

from proofing.assessment import Assessment
from proofing.knowledge import KnowledgeBase
from proofing.language import RecordLanguage
from proofing.record import RECORD_FORMAT, clean_text, seal
from proofing.report.blocks import (
    BulletList,
    ComposedRecord,
    Contents,
    Figure,
    Heading,
    Paragraph,
    Run,
    Table,
    TableCell,
)
from proofing.report.composer import compose, prepare
from proofing.report.details import ReportDetails, record_payload
from proofing.signing import Signer
from proofing.verify_html import (
    HTML_VISIBLE_FORMAT,
    RECORD_SCRIPT_ID,
    html_digests,
    parse_page,
    script_json,
)
from proofing.visible import RECORD_SHA_PLACEHOLDER

STYLE = """
body { font-family: Arial, Helvetica, sans-serif; color: #1a1a1a; background: #ffffff; line-height: 1.5;
  margin: 0 auto; max-width: 60rem; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 2rem; margin-bottom: 0.25rem; }
h2 { font-size: 1.5rem; margin-top: 2.5rem; border-bottom: 2px solid #1f3864; }
h3 { font-size: 1.2rem; margin-top: 1.5rem; }
h4 { font-size: 1.05rem; }
.subtitle { font-size: 1.3rem; margin-top: 0; }
.council { font-weight: bold; color: #1f3864; }
table { border-collapse: collapse; width: 100%; margin: 0.75rem 0 1.25rem; }
th, td { border: 1px solid #5a5a5a; padding: 0.3rem 0.45rem; text-align: left; vertical-align: top; }
thead th { background: #dde4ee; }
th.part { background: #e7ecf3; }
td.sign { height: 1cm; }
figure { margin: 1rem 0; }
figure img { max-width: 100%; height: auto; }
figcaption { font-style: italic; }
a { color: #1f3864; }
nav ul { list-style: none; padding-left: 1.25rem; }
nav > ul { padding-left: 0; }
article + article { border-top: 4px solid #1f3864; margin-top: 3rem; }
@media print { h2 { break-after: avoid; } tr { break-inside: avoid; } }
.status { font-weight: bold; padding: 0.4rem 0.75rem; border: 2px solid #1f3864; background: #e7ecf3; }
.status-draft, .status-submitted { background: #fff4ce; border-color: #7a5a00; position: sticky; top: 0; }
"""
"""The page's style sheet: plain, readable, with every colour well above the contrast WCAG asks for."""

_FILLS = {"F4B6B6": "red", "FFE0A3": "amber", "C8E6C9": "green", "E7ECF3": "part"}
STYLE += "".join(f"td.fill-{name} {{ background: #{fill.lower()}; }}\n" for fill, name in _FILLS.items())


def html_lang(tag: str) -> str:
    """The page's language attribute for a record's tag: ``cy`` for Welsh, the tag (``en-GB``) otherwise."""
    return "cy" if tag.lower().startswith("cy") else tag


def write_html_record(
    kb: KnowledgeBase,
    assessment: Assessment,
    meta: ReportDetails | None = None,
    signer: Signer | None = None,
    language: RecordLanguage | None = None,
) -> bytes:
    """The assessment as one accessible HTML page (UTF-8 bytes), with its canonical record embedded (signed by
    `signer` when given). The same record as ``write_report``, composed by the same composer, in `language`
    (``meta.language`` when not given): "cy", "en", or "bilingual" (Welsh, then English)."""
    meta, halves = prepare(kb, assessment, meta, language)
    composed = compose(halves, "html")
    page = HtmlRenderer(composed).page()
    written = _serialised(page)
    payload = record_payload(assessment, meta)
    payload["visible"] = html_digests(parse_page(written, "the page"), "the page")
    payload["visible_format"] = HTML_VISIBLE_FORMAT
    if signer is not None:
        payload["signer"] = {"identity": clean_text(signer.identity), "key": signer.fingerprint}
    canonical, digest, signature = seal(payload, signer.sign if signer else None)
    script = next(page.iter("script"))
    script.set("data-sha256", digest)
    if signature is not None:
        script.set("data-signature", signature)
    script.text = script_json(canonical).decode("ascii")
    for element in page.iter():
        if element.text == RECORD_SHA_PLACEHOLDER:
            element.text = digest
    return _serialised(page)


def save_html_record(
    kb: KnowledgeBase,
    assessment: Assessment,
    path: Path,
    meta: ReportDetails | None = None,
    signer: Signer | None = None,
    language: RecordLanguage | None = None,
) -> None:
    """Write the HTML record to a file (as write_html_record)."""
    path.write_bytes(write_html_record(kb, assessment, meta, signer, language))


def _append(element: etree._Element, text: str) -> None:
    """Text appended to an element, after its last child if it has any, each line break a <br>."""
    pieces = clean_text(text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ").split("\n")
    for index, piece in enumerate(pieces):
        if index:
            etree.SubElement(element, "br")
        if len(element):
            element[-1].tail = (element[-1].tail or "") + piece
        else:
            element.text = (element.text or "") + piece


def _serialised(page: etree._Element) -> bytes:
    serialised: bytes = etree.tostring(page, method="html", encoding="utf-8")
    return b"<!DOCTYPE html>\n" + serialised


class HtmlRenderer:
    """Lays out composed records (one, or Welsh and English) as the elements of one page."""

    def __init__(self, records: list[ComposedRecord]) -> None:
        self.records = records

    def page(self) -> etree._Element:
        """The page: its head (title, style sheet, the record script still empty) and an article per language."""
        first = self.records[0]
        root = etree.Element("html", lang=html_lang(first.tag))
        head = etree.SubElement(root, "head")
        etree.SubElement(head, "meta", charset="utf-8")
        etree.SubElement(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
        etree.SubElement(head, "title").text = clean_text(" / ".join(r.document_title for r in self.records))
        etree.SubElement(head, "style").text = STYLE
        script = etree.SubElement(head, "script", type="application/json", id=RECORD_SCRIPT_ID)
        script.set("data-format", RECORD_FORMAT)
        body = etree.SubElement(root, "body")
        header = etree.SubElement(body, "header")
        council = etree.SubElement(header, "p")
        council.set("class", "council")
        council.text = first.council
        mark = " / ".join(dict.fromkeys(record.status_mark for record in self.records if record.status_mark))
        if mark:  # the record's status, kept in view as the page scrolls (a sticky banner)
            banner = etree.SubElement(body, "p")
            banner.set("class", f"status status-{first.status}")
            banner.text = mark
        main = etree.SubElement(body, "main")
        for record in self.records:
            article = etree.SubElement(main, "article", lang=html_lang(record.tag), id=f"record-{record.language}")
            _Article(article, record).render()
        return root


class _Article:
    """One language's record as the children of an <article>."""

    def __init__(self, article: etree._Element, record: ComposedRecord) -> None:
        self.article = article
        self.record = record
        self.lang = html_lang(record.tag)
        self.ids = {
            index: f"{record.language}-{number}"
            for number, index in enumerate(
                (i for i, b in enumerate(record.blocks) if isinstance(b, Heading) and b.level <= 2), start=1
            )
        }

    def runs(self, parent: etree._Element, runs: tuple[Run, ...]) -> None:
        """Runs of text into an element: bold as <strong>, another language than the article's as a span with
        its lang."""
        for run in runs:
            target = parent
            if run.bold:
                target = etree.SubElement(target, "strong")
            lang = html_lang(run.lang) if run.lang else None
            if lang and lang != self.lang:
                target = etree.SubElement(target, "span", lang=lang)
            _append(target, run.text)

    def render(self) -> None:
        """Every block in order; the contents lists the headings of the first two levels that follow it."""
        for index, block in enumerate(self.record.blocks):
            if isinstance(block, Paragraph):
                tag = {"Title": "h1"}.get(block.style or "", "p")
                element = etree.SubElement(self.article, tag)
                if block.style == "Subtitle":
                    element.set("class", "subtitle")
                self.runs(element, block.runs)
            elif isinstance(block, Heading):
                element = etree.SubElement(self.article, f"h{min(block.level + 1, 6)}")
                if index in self.ids:
                    element.set("id", self.ids[index])
                self.runs(element, block.runs)
            elif isinstance(block, BulletList):
                listed = etree.SubElement(self.article, "ul")
                for item in block.items:
                    self.runs(etree.SubElement(listed, "li"), item)
            elif isinstance(block, Table):
                self.table(block)
            elif isinstance(block, Figure):
                self.figure(block)
            elif isinstance(block, Contents):
                self.contents(block)

    def contents(self, block: Contents) -> None:
        nav = etree.SubElement(self.article, "nav")
        nav.set("aria-labelledby", f"{self.record.language}-contents")
        title = etree.SubElement(nav, "h2", id=f"{self.record.language}-contents")
        self.runs(title, block.title)
        top = etree.SubElement(nav, "ul")
        item: etree._Element | None = None
        for index, anchor in self.ids.items():
            heading = self.record.blocks[index]
            assert isinstance(heading, Heading)
            if heading.level == 1 or item is None:
                item = etree.SubElement(top, "li")
                parent = item
            else:  # a heading of the second level is listed under the first-level heading above it
                nested = item.find("ul")
                parent = etree.SubElement(nested if nested is not None else etree.SubElement(item, "ul"), "li")
            self.runs(etree.SubElement(parent, "a", href=f"#{anchor}"), heading.runs)

    def table(self, block: Table) -> None:
        """A table: header cells with scope col; a row across the table heads the rows below it (a new <tbody>,
        its cell scope rowgroup); in a table of labels and values each label is a header cell of scope row."""
        table = etree.SubElement(self.article, "table")
        columns = len(block.widths)
        if block.header is not None:
            row = etree.SubElement(etree.SubElement(table, "thead"), "tr")
            for cell in block.header:
                self.cell(row, cell, "th", "col")
        body = etree.SubElement(table, "tbody")
        for cells in block.rows:
            if len(cells) == 1 and cells[0].span == columns > 1:
                if len(body):
                    body = etree.SubElement(table, "tbody")
                self.cell(etree.SubElement(body, "tr"), cells[0], "th", "rowgroup", "part")
                continue
            row = etree.SubElement(body, "tr")
            for position, cell in enumerate(cells):
                if block.row_labels and position == 0:
                    self.cell(row, cell, "th", "row")
                else:
                    self.cell(row, cell, "td", None, "sign" if block.row_height_cm else None)

    def cell(self, row: etree._Element, cell: TableCell, tag: str, scope: str | None, kind: str | None = None) -> None:
        element = etree.SubElement(row, tag)
        if scope:
            element.set("scope", scope)
        if cell.span > 1:
            element.set("colspan", str(cell.span))
        classes = [kind] if kind else []
        if cell.fill in _FILLS and tag == "td":
            classes.append(f"fill-{_FILLS[cell.fill]}")
        if classes:
            element.set("class", " ".join(classes))
        self.runs(element, tuple(Run(run.text, run.bold and tag == "td", run.lang) for run in cell.runs))

    def figure(self, block: Figure) -> None:
        figure = etree.SubElement(self.article, "figure")
        image = etree.SubElement(figure, "img", alt=clean_text(block.alt))
        image.set("src", "data:image/png;base64," + base64.b64encode(block.png).decode("ascii"))
        self.runs(etree.SubElement(figure, "figcaption"), block.caption)
