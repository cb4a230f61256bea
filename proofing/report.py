"""The Word report: an assessment written as the EIA record a board reads and an auditor can re-check.

Names: the *report* is the Word document this module writes (``write_report``, with ``ReportDetails`` about
its making); the *record* is the canonical JSON embedded in it (``proofing.record``); rule-base and assessment
models share one strict base (``proofing.base.Strict``).

``write_report`` fills the council's Word template (templates/record.docx, restyled in Word, never in
Python) with, in order: the plan and the summary for the board on page 1; a contents page; the five items
the Welsh specific duties ask a published assessment to set out; one table of the groups affected, pointing
to the findings by number, and a chart with alt text; each finding once, in full, with the groups it
affects and why; the mitigation action plan, each mitigation under its finding, and the strategy actions it
draws on with their leads and timescales labelled as the strategy's; monitoring and review in Results Based
Accountability terms with the cohesion indicators' baselines; the quality gaps; sign-off; the plan as
described; and an appendix for auditors. The assessment's canonical JSON travels inside the file
with its sha256 (proofing.record), so ``proofing verify`` can prove it intact and re-run it.

The document is accessible: real Word headings, a contents page of links, table header rows that repeat,
alt text on the chart, and the document language set in the template.

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
- The chart is drawn with Pillow (bars, lines and a few dozen labels) rather than matplotlib, whose text
  layout took 100-150 ms a chart.
- The header and footer placeholders are filled once per header or footer part, in a single pass over
  each paragraph's text, so a value (a plan title that reads ``{{council}}``) is never itself expanded.
"""

from __future__ import annotations

import copy
import functools
import getpass
import importlib.util
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import docx
from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.shared import Cm
from lxml import etree
from PIL import Image, ImageDraw, ImageFont
from pydantic import BaseModel, ConfigDict, Field

from proofing.assessment import (
    Assessment,
    Because,
    Finding,
    LinkedAction,
    answer_words,
    assess,
    assess_draft,
    group_reason_words,
    level_label,
    with_agreement,
)
from proofing.cumulative import Overlap
from proofing.decisions import DecisionNotes, MitigationDecision, mitigation_key
from proofing.duties import aims_heading, groups_heading, record_heading
from proofing.errors import ProofingError
from proofing.impact import Residual, residual
from proofing.knowledge import KnowledgeBase
from proofing.language import TAGS, Language, RecordLanguage, Translator, localised, translator
from proofing.plan import PlanError
from proofing.record import RECORD_FORMAT, clean_payload, clean_text, embed_record
from proofing.signing import Signer
from proofing.store import Approval, AuditEntry
from proofing.visible import RECORD_SHA_PLACEHOLDER, visible_record
from proofing.whatif import AnswerChange, Suggestion, what_would_lower
from proofing.workshop import AddedOutcome, FindingOutcome, WorkshopRecord

AUDIT_ROWS_SHOWN = 15  # the appendix lists the most recent entries; the app shows the whole trail
DEFAULT_TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "record.docx"
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
RAG_FILL = {"red": "F4B6B6", "amber": "FFE0A3", "green": "C8E6C9"}


def N_(text: str) -> str:
    """Mark an English text for the catalogue where it is defined (babel extracts it); it is translated where it
    is shown."""
    return text


RAG_WORDS = {"red": N_("Red"), "amber": N_("Amber"), "green": N_("Green")}
GAP_SEVERITY_WORDS = {"high": N_("High"), "medium": N_("Medium"), "low": N_("Low")}
LANGUAGE_WORDS = {"cy": N_("Welsh"), "en": N_("English"), "bilingual": N_("Welsh and English (Welsh first)")}
GAP_SEVERITY_FILL = {"high": RAG_FILL["red"], "medium": RAG_FILL["amber"]}
CORE_PROPERTY_LIMIT = 255  # python-docx refuses longer core properties
FOOTER_TITLE_LIMIT = 80  # characters of the plan title the footer shows

_BODY_PLACEHOLDER = "{{body}}"
_HEADER_FOOTER_PLACEHOLDER = re.compile(r"\{\{(?:council|plan_title|rule_base_version)\}\}")


class TemplateError(ProofingError):
    """The Word template cannot be used; the message says what to fix in Word."""


class Signatory(BaseModel):
    """Who signs the assessment off."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = ""
    role: str = ""
    date: str = ""


class ReportDetails(BaseModel):
    """What the report says about its own making, beyond the assessment: council, who, when, sign-off, decisions."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    council: str = Field(default="", description="the council's name; the rule base's when not given")
    produced_at: str = Field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    produced_by: str = Field(default_factory=lambda: _user())
    assessors: list[str] = []
    signoff: list[Signatory] = []
    review_date: str = ""
    decisions: dict[str, MitigationDecision] = {}
    notes: DecisionNotes = DecisionNotes()
    approval: Approval | None = Field(default=None, description="the submission for approval and its outcome")
    audit: list[AuditEntry] = Field(default=[], description="the assessment's audit trail, oldest first")
    also_affected: list[Overlap] = Field(
        default=[], description="other live assessments hitting the same groups in the same wards or period"
    )
    workshops: list[WorkshopRecord] = Field(
        default=[], description="the EIA workshops whose agreement this version holds (proofing.workshop)"
    )
    language: RecordLanguage = Field(
        default="en", description="the language of the visible text: cy, en or bilingual (Welsh first, then English)"
    )


def _user() -> str:
    try:
        return f"{getpass.getuser()} (proofing command line)"
    except (KeyError, OSError):
        return "proofing command line"


def record_payload(assessment: Assessment, meta: ReportDetails) -> dict[str, Any]:
    """The machine record embedded in the document: everything needed to verify and re-run it."""
    return clean_payload(
        {
            "format": RECORD_FORMAT,
            "assessment": assessment.model_dump(mode="json"),
            "meta": meta.model_dump(mode="json"),
            "proofing_version": version("proofing"),
        }
    )


# --- WordprocessingML, written with lxml ------------------------------------------------------------

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
_HEADER_FILL = "E7ECF3"  # the background of a row that heads a part of a table (a questionnaire section)
_RUN_BREAK = re.compile(r"(\t|\r\n|\r|\n)")
_NUMBERED = re.compile(r"(\d+\. )(.+)", re.DOTALL)  # "3. " and a finding's title, as headings and tables name it


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


@dataclass(frozen=True)
class Cell:
    """One table cell: its text, whether it is bold, its background colour (hex RGB) if any, and how many
    columns it spans (a row that heads a part of a table, such as a finding above its mitigations)."""

    text: str
    bold: bool = False
    fill: str | None = None
    span: int = 1


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
    meta = meta or ReportDetails(assessors=[assessment.plan.owner])
    chosen: RecordLanguage = language or meta.language
    halves: tuple[Language, ...] = ("cy", "en") if chosen == "bilingual" else (chosen,)  # type: ignore[assignment]
    # The council as the rule base names it, in each language the record is written in ("Cyngor Bwrdeistref Sirol
    # Wrecsam / Wrexham County Borough Council"), unless the caller named it.
    council = meta.council or " / ".join(dict.fromkeys(localised(kb, half).kb.council for half in halves))
    meta = meta.model_copy(update={"language": chosen, "council": council})
    document = _open_template(template)
    writers: list[_Writer] = []
    suggestions = plan_suggestions(kb, assessment)
    for half in halves:
        shown_kb, shown, fallbacks = _shown_in(kb, assessment, meta, half)
        writer = _Writer(
            shown_kb,
            shown,
            meta,
            document,
            translator(half),
            tag_runs=True,  # every run says its language (en-GB, cy-GB), as Word's spelling and screen readers need
            fallbacks=fallbacks,
            bookmarks=f"_Toc_proofing_{half}_" if len(halves) > 1 else "_Toc_proofing_",
            suggestions=suggestions,
        )
        if writers:  # the English record starts on a page of its own, after the Welsh
            writer.page_break()
        writer.write()
        # The appendix quotes the record's sha256, which is known only once the record is made: it is written with
        # a placeholder, the visible text (placeholder and all) goes into the record, then the sha256 replaces it.
        writer.appendix(RECORD_SHA_PLACEHOLDER)
        writers.append(writer)
    _finish(document, writers, chosen)
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


def _shown_in(
    kb: KnowledgeBase, assessment: Assessment, meta: ReportDetails, language: Language
) -> tuple[KnowledgeBase, Assessment, frozenset[str]]:
    """The rule base and the assessment a record shows in `language`, and the rule-base texts that fell back to
    English (whitespace folded), which the record tags as English.

    In Welsh the plan is assessed again with the Welsh rule base and the same recorded agreement: the same ids,
    conditions and scores give the same findings, in Welsh words. That they are the same is checked, so that the
    visible record can never say other than the embedded one.
    """
    if language == "en":
        return kb, assessment, frozenset()
    found = localised(kb, language)
    try:
        shown = assess(found.kb, assessment.plan)
    except PlanError:  # a draft the app exports while answers are still missing: assessed as the draft was
        shown = assess_draft(found.kb, assessment.plan)[0]
    shown = with_agreement(found.kb, shown, meta.notes)
    if _scored(shown) != _scored(assessment):
        raise ProofingError(
            "the assessment cannot be written in Welsh: the Welsh rule base gives other findings than the English "
            f"one ({found.kb.version}); run `proofing rules check --lang cy`"
        )
    return found.kb, shown, frozenset(" ".join(text.split()) for text in found.fallbacks)


def _scored(assessment: Assessment) -> tuple[object, ...]:
    """What must be the same in every language: the level, each finding's rule and scores, and the gaps' kinds."""
    findings = [(f.rule, f.direction, f.likelihood, f.severity, f.score, f.rag) for f in assessment.findings]
    return (
        assessment.level,
        findings,
        [f.rule for f in assessment.dropped],
        [(g.kind, g.severity, g.question) for g in assessment.gaps],
    )


def _finish(document: Document, writers: list[_Writer], language: RecordLanguage) -> None:
    """Write each half's contents, fill the header and footer, drop the body placeholder, and set the document's
    properties and default language (Welsh for a bilingual record, which puts Welsh first)."""
    first = writers[0]
    for writer in writers:
        writer.contents_entries()
    title = clean_text(first.a.plan.title)
    values = {
        "{{council}}": clean_text(first.meta.council),
        "{{plan_title}}": title[:FOOTER_TITLE_LIMIT] + ("…" if len(title) > FOOTER_TITLE_LIMIT else ""),
        "{{rule_base_version}}": clean_text(first.a.rule_base.version),
    }
    for root in _header_footer_roots(document):
        if language != "en":
            _translate_fixed_words(root, writers)
        _fill_placeholders(root, values)
    if first.anchor.find(f"{_PPR}/{_SECTPR}") is None:
        first.anchor.getparent().remove(first.anchor)
    else:  # the placeholder's paragraph also ends a section of the template: keep it, without the text
        for run in first.anchor.findall(_R):
            first.anchor.remove(run)
    tag = TAGS["cy" if language == "bilingual" else language]
    properties = document.core_properties
    properties.title = _short(" / ".join(w._("Equality Impact Assessment: {title}", title=title) for w in writers))
    properties.subject = _short(clean_text(first.a.plan.service))
    properties.author = _short(clean_text(first.meta.produced_by))
    properties.keywords = _short(first._("EIA; cohesion proofing; {level}", level=first.a.level))
    properties.language = tag
    _set_default_language(document, tag)


TEMPLATE_WORDS = (N_("Equality Impact Assessment"), N_("Rule base"), N_("Page"))
"""The words the template's header and footer write around their placeholders, which a Welsh record translates."""


def _translate_fixed_words(root: etree._Element, writers: list[_Writer]) -> None:
    """The template's own words in a header or footer in the record's language; both, Welsh first, in a bilingual
    record ("Tudalen / Page"), whose pages share one header and footer. Done before the placeholders are filled,
    so a plan title is never changed."""
    for text in root.iter(_T):
        for words in TEMPLATE_WORDS:
            if text.text and re.search(rf"\b{re.escape(words)}\b", text.text):
                shown = " / ".join(dict.fromkeys(writer._(words) for writer in writers))
                text.text = re.sub(rf"\b{re.escape(words)}\b", lambda _match, shown=shown: shown, text.text)


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
    language = properties.find(_LANG)
    if language is None:
        language = etree.SubElement(properties, _LANG)
    language.set(_VAL, tag)


class _Writer:
    """Writes the sections of one record into a template document, as XML before its {{body}} paragraph."""

    def __init__(
        self,
        kb: KnowledgeBase,
        assessment: Assessment,
        meta: ReportDetails,
        document: Document,
        words: Translator | None = None,
        tag_runs: bool = False,
        fallbacks: frozenset[str] = frozenset(),
        bookmarks: str = "_Toc_proofing_",
        suggestions: list[Suggestion] | None = None,
    ) -> None:
        self.t = words or translator("en")
        # What would lower the level (proofing.whatif), worked out once from the English plan for every half of the
        # record; None when the plan is not complete enough to be changed and assessed again.
        self.suggestions = suggestions
        self.tag_runs = tag_runs  # tag every run with its language (a Welsh or bilingual record)
        self.fallbacks = fallbacks  # rule-base texts shown in English for want of Welsh: tagged en-GB
        self.bookmarks = bookmarks
        self.kb = kb
        self.a = assessment
        self.meta = meta
        self.doc = document
        self.names = {c.id: c.name for c in kb.characteristics} | {c.id: c.name for c in kb.communities}
        # Each finding is numbered once, in the order the assessment gives them (most serious first), so the
        # group table, the mitigation plan and the table of what the findings bear on can point to it.
        self.number = {finding.rule: index for index, finding in enumerate(assessment.findings, start=1)}
        # The strategy's period, "2008-11", labels its leads and timescales as the strategy's, not deadlines.
        self.period = _short_period(kb.strategy.period)
        body = document.element.body
        self.anchor = next(p for p in body.iterchildren(_P) if _BODY_PLACEHOLDER in _paragraph_text(p))
        # The section the content goes into is described by the next section properties after it: those of
        # a later paragraph that ends a section, or else the body's own (the last section).
        self.section = next(
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
        self.headings: list[tuple[int, str, str]] = []
        ids = [int(b.get(_ID)) for b in body.iter(_BOOKMARK_START) if (b.get(_ID) or "").isdigit()]
        self.next_bookmark = max(ids, default=0) + 1
        self.contents_at: etree._Element | None = None

    # the words the writer writes itself, in the record's language

    def _(self, text: str, /, **values: Any) -> str:
        """`text` in the record's language, its placeholders filled."""
        return self.t._(text, **values)

    def n_(self, one: str, many: str, count: int, /, **values: Any) -> str:
        """The form of a counted text `count` takes in the record's language; ``{n}`` is the count."""
        return self.t.n_(one, many, count, **values)

    def tag_of(self, text: str) -> str | None:
        """The language tag of a run: the record's, or en-GB for a rule-base text still without its Welsh form."""
        if not self.tag_runs:
            return None
        if self.fallbacks and " ".join(text.split()) in self.fallbacks:
            return TAGS["en"]
        return self.t.tag

    def run(self, paragraph: etree._Element, text: str, bold: bool = False) -> None:
        """A run of text, tagged with its language; a numbered rule text ("3. " and a finding's title still in
        English) is two runs, so that only the title is tagged English."""
        numbered = _NUMBERED.fullmatch(text) if self.fallbacks else None
        if numbered is not None and self.tag_of(numbered.group(2)) != self.t.tag:
            _add_run(paragraph, numbered.group(1), bold, self.t.tag)
            _add_run(paragraph, numbered.group(2), bold, self.tag_of(numbered.group(2)))
            return
        _add_run(paragraph, text, bold, self.tag_of(text))

    # helpers: each appends one block (paragraph or table) before the placeholder

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

    def para(self, text: str = "", style: str | None = None, bold: bool = False, keep_next: bool = False) -> None:
        """A paragraph of one run of text (none when text is empty), in a template style; keep_next keeps it on
        the page of what follows (a sentence that introduces a table), as a heading is kept."""
        paragraph = self._paragraph(style)
        if keep_next:
            properties = paragraph.find(_PPR)
            if properties is None:
                properties = etree.SubElement(paragraph, _PPR)
            etree.SubElement(properties, _KEEPNEXT)
        if text:
            self.run(paragraph, text, bold)

    def runs(self, parts: list[tuple[str, bool]], style: str | None = None) -> None:
        """A paragraph of several runs, each (text, bold)."""
        paragraph = self._paragraph(style)
        for text, bold in parts:
            self.run(paragraph, text, bold)

    def labelled(self, label: str, text: str) -> None:
        """A paragraph that starts with a bold label: "Affects: ...", so a reader can scan for it."""
        self.runs([(f"{label}: ", True), (text, False)])

    def heading(self, text: str, level: int) -> None:
        """A real Word heading; levels 1 and 2 are bookmarked and listed in the contents."""
        paragraph = self._paragraph(f"Heading {level}")
        if level <= 2:
            name = f"{self.bookmarks}{len(self.headings) + 1}"
            start = etree.SubElement(paragraph, _BOOKMARK_START, {_ID: str(self.next_bookmark), _NAME: name})
            self.run(paragraph, text)
            etree.SubElement(paragraph, _BOOKMARK_END, {_ID: start.get(_ID)})
            self.next_bookmark += 1
            self.headings.append((level, clean_text(text), name))
        else:
            self.run(paragraph, text)

    def bullet(self, text: str) -> None:
        self.para(text, style="List Bullet")

    def page_break(self) -> None:
        run = etree.SubElement(self._paragraph(), _R)
        etree.SubElement(run, _BR).set(_TYPE_ATTR, "page")

    def text_width(self) -> int:
        """The width of the text on the current section's page, in twips: the page less its side margins."""
        size = self.section.find(_PGSZ)
        margins = self.section.find(_PGMAR)
        width = int(size.get(_W_ATTR, _A4_TWIPS[0])) if size is not None else int(_A4_TWIPS[0])
        if margins is None:
            return width - 2 * int(_MARGIN_TWIPS)
        return width - int(margins.get(_w("left"), _MARGIN_TWIPS)) - int(margins.get(_w("right"), _MARGIN_TWIPS))

    def table(
        self,
        header: list[str] | None,
        rows: list[list[str | Cell]],
        widths: list[float],
        row_height: Cm | None = None,
    ) -> None:
        """A Table Grid table across the text width, its columns in the proportions given, and when given a
        bold header row that repeats on each page.

        The widths are shares of the page's text width (so a council that sets other margins in Word still
        gets tables that fit), written in the grid and in every cell, because Word and LibreOffice read one
        or the other. Cell text is in the template's "Table Text" style when it has one. A row_height makes
        each row below the header at least that tall (room to sign). An empty paragraph follows, so that two
        tables never run together.
        """
        available = self.text_width()
        total = sum(widths)
        twips = [round(available * width / total) for width in widths]
        twips[-1] = available - sum(twips[:-1])
        if self.t.language != "en":  # Welsh words are longer: widen a column its longest word would break in
            twips = _fitted_columns(twips, [header or [], *rows])
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
        if header is not None:
            self._row(table, [Cell(text, bold=True) for text in header], twips, text_style, repeat=True)
        for row in rows:
            cells = [cell if isinstance(cell, Cell) else Cell(cell) for cell in row]
            element = self._row(table, cells, twips, text_style)
            if row_height is not None:
                row_properties = element.find(_TRPR)
                if row_properties is None:
                    row_properties = etree.Element(_TRPR)
                    element.insert(0, row_properties)
                etree.SubElement(row_properties, _TRHEIGHT, {_VAL: str(row_height.twips), _HRULE: "atLeast"})
        self.para()

    def _row(
        self, table: etree._Element, cells: list[Cell], twips: list[int], text_style: str | None, repeat: bool = False
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
            if cell.text:
                self.run(paragraph, cell.text, cell.bold)
        if column != len(twips):
            raise ValueError(f"a row of {column} columns in a table of {len(twips)}")
        return row

    def key_values(self, rows: list[tuple[str, str]], widths: tuple[float, float] = (1, 2.6)) -> None:
        """A two-column table of labels and values: no header row, the labels in bold."""
        self.table(None, [[Cell(label, bold=True), value] for label, value in rows], list(widths))

    def picture(self, png: bytes, width: Cm, alt_text: str, title: str) -> None:
        """A picture in a paragraph of its own, with alt text Word and screen readers read (docPr descr)."""
        inline = self.doc.part.new_pic_inline(io.BytesIO(png), width, None)
        described = inline.docPr
        described.set("descr", clean_text(alt_text))
        described.set("title", title)
        run = etree.SubElement(self._paragraph(), _R)
        etree.SubElement(run, _DRAWING).append(inline)

    def orientation(self, landscape: bool) -> None:
        """End the current section here and start a new one on a new page, in landscape or in portrait.

        As Word does it: the paragraph that ends a section carries that section's properties (a copy of
        what governs it now, header and footer references included); the new section inherits the header
        and footer and takes the page size turned the requested way.
        """
        ending = copy.deepcopy(self.section)
        for name in [name for name in ending.attrib if etree.QName(name).localname.startswith("rsid")]:
            del ending.attrib[name]  # revision ids belong to the section they were recorded in, as python-docx does
        etree.SubElement(self._paragraph(), _PPR).append(ending)
        section = self.section
        for reference in [*section.iterchildren(_HEADER_REFERENCE), *section.iterchildren(_FOOTER_REFERENCE)]:
            section.remove(reference)
        start = section.find(_TYPE)
        if start is not None:  # absent means a new page
            section.remove(start)
        size = section.find(_PGSZ)
        if size is None:  # no page size given: Word's default, which the schema places after the notes
            size = section.makeelement(_PGSZ)
            section.insert(len(section.findall(_w("footnotePr")) + section.findall(_w("endnotePr"))), size)
        short, long = sorted((int(size.get(_W_ATTR, _A4_TWIPS[0])), int(size.get(_H_ATTR, _A4_TWIPS[1]))))
        size.set(_W_ATTR, str(long if landscape else short))
        size.set(_H_ATTR, str(short if landscape else long))
        if landscape:
            size.set(_ORIENT, "landscape")
        else:
            size.attrib.pop(_ORIENT, None)

    def group_names(self, ids: list[str]) -> str:
        """The names of groups, joined; "No particular group" when there are none."""
        return ", ".join(self.names.get(i, i) for i in ids) or self._("No particular group")

    def day(self, text: str) -> str:
        """A date as the record writes it in full: "1 December 2026", "1 Rhagfyr 2026" (as given, if not a date)."""
        return _held_on(text) if self.t.language == "en" else self.t.date(text)

    def rag(self, rag: str) -> str:
        """A RAG band in words: "Red", "Coch"."""
        return self._(RAG_WORDS[rag])

    def and_list(self, items: list[str]) -> str:
        """Words joined as a sentence in the record's language lists them: "A, B and C", "A, B a C"."""
        if len(items) < 2:
            return items[0] if items else ""
        return self._("{items} and {last}", items=", ".join(items[:-1]), last=items[-1])

    def finding_label(self, finding: Finding) -> str:
        """A finding as the other tables name it: its number and title, "3. People with limited English ..."."""
        return f"{self.number[finding.rule]}. {finding.title}"

    def write(self) -> None:
        """Write every section but the appendix, in the order a board and then an auditor read them."""
        self.title_page()
        self.contents()
        self.welsh_duties()
        self.findings_by_group()
        self.findings_in_full()
        self.workshops()
        self.mitigation_plan()
        self.before_and_after()
        self.what_would_change()
        self.cumulative()
        self.monitoring()
        self.gaps()
        self.signoff()
        self.plan_as_described()

    def title_page(self) -> None:
        """The first page: what the plan is, and the board's summary, so a board member need read no further."""
        plan = self.a.plan
        self.para(self._("Equality Impact Assessment"), style="Title")
        self.para(plan.title, style="Subtitle")
        produced = self.meta.produced_at[:10]
        self.key_values(
            [
                (self._("Service"), plan.service),
                (self._("Owner"), plan.owner),
                (self._("Date"), produced if self.t.language == "en" else self.day(produced)),
                (self._("Assessors"), ", ".join(self.meta.assessors) or plan.owner),
                (
                    self._("Rule base"),
                    self._("{name}, version {version}", name=self.a.rule_base.name, version=self.a.rule_base.version),
                ),
                (self._("Screening level"), self.a.level_words),
            ]
        )
        self.summary()
        self.page_break()

    def summary(self) -> None:
        negatives = [f for f in self.a.findings if f.direction == "negative"]
        positives = [f for f in self.a.findings if f.direction == "positive"]
        self.heading(self._("Summary for the board"), 1)
        self.para(self.a.level_words, bold=True)
        if self.a.level_reason:
            self.para(self.a.level_reason)
        self.para(
            self._(
                "The assessment found {negatives} and {positives}.",
                negatives=self.n_("{n} likely negative impact", "{n} likely negative impacts", len(negatives)),
                positives=self.n_("{n} positive one", "{n} positive ones", len(positives)),
            )
        )
        if negatives:
            self.para(self._("The most serious:"))
            for finding in negatives[:3]:
                self.bullet(
                    self._(
                        "{title} ({rag}, score {score} of 25; affects {groups}).",
                        title=finding.title,
                        rag=self.rag(finding.rag),
                        score=finding.score,
                        groups=self.group_names(finding.characteristics + finding.communities),
                    )
                )
        mitigations = sum(len(f.mitigations) for f in negatives)
        if mitigations:
            accepted = sum(1 for d in self.meta.decisions.values() if d.status in ("accepted", "done"))
            self.labelled(
                self._("Mitigation"),
                self._(
                    "{suggested}, {accepted} accepted so far (the mitigation action plan).",
                    suggested=self.n_("{n} mitigation suggested", "{n} mitigations suggested", mitigations),
                    accepted=accepted,
                ),
            )
        if self.meta.workshops:
            self.labelled(
                self._("EIA workshop"), self._("{changes} (the EIA workshop).", changes=self.workshop_changes())
            )
        if self.a.gaps:
            high = sum(1 for gap in self.a.gaps if gap.severity == "high")
            self.labelled(
                self._("Gaps in the assessment"),
                self._(
                    "{gaps} to close before the decision, {high} of them high severity "
                    "(quality gaps in this assessment).",
                    gaps=len(self.a.gaps),
                    high=high,
                ),
            )
        self.runs([(self._("Decision asked for: "), True), (self.a.decision, False)])

    def contents(self) -> None:
        """The contents page. Its entries are written at the end, once every heading is known (contents_entries)."""
        self.para(self._("Contents"), style="TOC Heading" if "TOC Heading" in self.style_ids else "Heading 1")
        self.contents_at = self._paragraph()

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
        for level, text, name in self.headings:
            paragraph = self.contents_at.makeelement(_P)
            self.contents_at.addprevious(paragraph)
            properties = etree.SubElement(paragraph, _PPR)
            style_id = self._style_id(f"toc {level}")
            if style_id is not None:
                etree.SubElement(properties, _PSTYLE).set(_VAL, style_id)
            tab = etree.SubElement(etree.SubElement(properties, _TABS), _TAB)
            tab.attrib.update({_VAL: "right", _LEADER: "dot", _POS: width})
            link = etree.SubElement(paragraph, _HYPERLINK, {_ANCHOR: name})
            self.run(link, text)
            etree.SubElement(etree.SubElement(link, _R), _TAB)
            etree.SubElement(etree.SubElement(link, _R), _FLDCHAR, {_FLDCHARTYPE: "begin", _DIRTY: "true"})
            instruction = etree.SubElement(etree.SubElement(link, _R), _INSTRTEXT)
            instruction.text = f" PAGEREF {name} \\h "
            instruction.set(_XML_SPACE, "preserve")
            etree.SubElement(etree.SubElement(link, _R), _FLDCHAR, {_FLDCHARTYPE: "separate"})
            etree.SubElement(etree.SubElement(link, _R), _FLDCHAR, {_FLDCHARTYPE: "end"})
        self.contents_at.getparent().remove(self.contents_at)
        self.contents_at = None

    def welsh_duties(self) -> None:
        answers = self.a.answers
        self.heading(self._(record_heading(self.kb)), 1)  # the nation's duties (proofing.duties)
        self.heading(self._("The purpose of the policy"), 2)
        self.para(self.a.plan.description or self.a.plan.title)
        self.heading(self._("The steps taken to assess it"), 2)
        roles = self.kb.questionnaire.roles
        engagement = answers.get(roles.engagement)
        engaged = answers.get(roles.engaged_communities) or []
        steps = {
            "done": self._("The people affected were engaged or consulted"),
            "planned": self._("Engagement with the people affected is planned"),
            "none": self._("The people affected have not been engaged or consulted"),
        }.get(str(engagement), self._("Engagement was not described"))
        if engaged:
            steps = self._("{steps} (communities: {groups})", steps=steps, groups=self.group_names(list(engaged)))
        self.para(f"{steps}.")
        self.para(
            self._(
                "The plan was proofed against {strategy} and the equality duties, using the cohesion proofing rule "
                "base version {version}.",
                strategy=self.kb.strategy.title,
                version=self.a.rule_base.version,
            )
        )
        for workshop in self.meta.workshops:
            self.para(self.workshop_step(workshop))
        self.heading(self._("The information taken into account"), 2)
        if "evidence_used" in answers:
            words = answer_words(self.kb, "evidence_used", answers["evidence_used"])
            self.para(self._("Evidence used: {answer}.", answer=words))
        if "data_by_group" in answers:
            words = answer_words(self.kb, "data_by_group", answers["data_by_group"])
            self.para(self._("Data by group: {answer}.", answer=words))
        if answers.get(self.kb.questionnaire.roles.evidence_gaps):
            self.para(self._("Known gaps in the evidence: {gaps}", gaps=answers["evidence_gaps"]))
        for workshop in self.meta.workshops:
            self.para(self.workshop_information(workshop))
        self.heading(self._("The results"), 2)
        negatives = sum(1 for f in self.a.findings if f.direction == "negative")
        positives = len(self.a.findings) - negatives
        if self.a.profile:
            self.para(
                self._(
                    "{negatives} likely negative and {positives} on {groups}. The table of findings by "
                    "characteristic and community shows each group; each finding is set out once, in full, after it.",
                    negatives=negatives,
                    positives=self.n_("{n} positive impact", "{n} positive impacts", positives),
                    groups=self.n_("{n} group", "{n} groups", len(self.a.profile)),
                )
            )
        else:
            self.para(self._("No impact on any group was found."))
        self.heading(self._("The decisions taken"), 2)
        accepted = [d for d in self.meta.decisions.values() if d.status in ("accepted", "done")]
        self.para(
            self._(
                "Decision asked for: {decision} {accepted}; the mitigation action plan lists each with its owner, "
                "due date and status.",
                decision=self.a.decision,
                accepted=self.n_(
                    "{n} mitigation(s) accepted so far", "{n} mitigation(s) accepted so far", len(accepted)
                ),
            )
        )
        if self.meta.workshops:
            self.para(f"{self.workshop_changes()}.")

    def findings_by_group(self) -> None:
        """One table of every group affected, pointing to the findings by number, and the chart beneath it."""
        self.heading(self._("Findings by characteristic and community"), 1)
        if not self.a.findings:
            self.para(
                self._(
                    "The EIA workshop dropped every finding the rules made (the findings in full list them), so no "
                    "group is affected."
                )
                if self.a.dropped
                else self._("The rules found no likely impact on any group.")
            )
            self.chart()
            return
        self.para(
            self._(
                "Each group named, its highest negative score (likelihood × severity, out of 25) and the findings "
                "that bear on it, by their numbers below."
            ),
            keep_next=True,
        )
        rows: list[list[str | Cell]] = []
        for kind, title in (
            ("characteristic", self._(groups_heading(self.kb))),
            ("community", self._("Communities")),
        ):
            entries = [entry for entry in self.a.profile if entry.kind == kind]
            if not entries:
                continue
            rows.append([Cell(title, bold=True, fill=_HEADER_FILL, span=5)])
            for entry in entries:
                touching = [f for f in self.a.findings if entry.id in f.characteristics + f.communities]
                negatives = [f for f in touching if f.direction == "negative"]
                worst = max(negatives, key=lambda f: f.score, default=None)
                highest: str | Cell = (
                    Cell(f"{worst.score} {self.rag(worst.rag)}", fill=RAG_FILL[worst.rag]) if worst else self._("None")
                )
                rows.append(
                    [
                        entry.name,
                        str(entry.negative),
                        str(entry.positive),
                        highest,
                        ", ".join(str(self.number[f.rule]) for f in touching),
                    ]
                )
        self.table(
            [
                self._("Group"),
                self._("Negative findings"),
                self._("Positive findings"),
                self._("Highest score"),
                self._("Findings"),
            ],
            rows,
            [6, 2, 2, 2.4, 4.6],
        )
        self.chart()

    def findings_in_full(self) -> None:
        """Each finding once: its score, the groups it affects and why each is named, why it is expected, and
        what it bears on; then one table of the duty aims, outcomes, principles and indicators, in words."""
        self.heading(self._("The findings in full"), 1)
        if not self.a.findings:
            self.para(
                self._(
                    "The EIA workshop dropped every finding the rules made; they are listed below, with its reasons."
                )
                if self.a.dropped
                else self._("The rules found no likely impact, so there is no finding to set out.")
            )
        aims = {a.id: a.name for a in self.kb.psed_aims}
        for finding in self.a.findings:
            self.heading(self.finding_label(finding), 2)
            if finding.direction == "negative":
                headline = self._(
                    "Negative impact, {rag}, score {score} of 25", rag=self.rag(finding.rag), score=finding.score
                )
            else:
                headline = self._("Positive impact, score {score} of 25", score=finding.score)
            self.runs(
                [
                    (headline, True),
                    (
                        self._(
                            " (likelihood {likelihood} × severity {severity})",
                            likelihood=finding.likelihood,
                            severity=finding.severity,
                        ),
                        False,
                    ),
                ]
            )
            self.labelled(self._("Affects"), _affects_words(self.t, finding) or self._("no group named by the plan"))
            self.agreed_lines(finding)
            set_aside = self.meta.notes.set_aside.get(finding.rule)
            if set_aside is not None:
                self.labelled(self._("Set aside by the service, for an equality officer to review"), set_aside.reason)
            if finding.added_by_workshop:  # its rationale is the room's reason, given just above
                self.para(
                    self._(
                        "The rules did not find this impact: a participant raised it and the room accepted it, so it "
                        "has no answer of the plan behind it and no mitigation suggested by the rules."
                    )
                )
            else:
                self.para(finding.rationale)
            if finding.consolidates:
                self.labelled(self._("Also covers"), "; ".join(finding.consolidates))
            if finding.because or finding.facts:
                self.para(self._("Because:"), bold=True)
            for because in finding.because:
                if not self.said_in_affects(finding, because):
                    self.bullet(f"{because.question_text} {because.answer_text}")
            for fact in finding.facts:
                self.bullet(fact)
            if finding.direction == "positive" and finding.mitigations:
                self.para(self._("To make the most of it:"), bold=True)
                for mitigation in finding.mitigations:
                    cited = ", ".join(mitigation.actions)
                    self.bullet(
                        self._("{text} (strategy action {actions})", text=mitigation.text, actions=cited)
                        if cited
                        else mitigation.text
                    )
            if finding.added_by_workshop and not (finding.psed_aims or finding.outcomes or finding.principles):
                self.labelled(
                    self._("Bears on"),
                    self._("not linked by the rules to the strategy or the duty: the workshop added it."),
                )
            else:
                self.labelled(self._("Bears on"), _bears_on_words(self.t, finding, aims))
        if self.a.dropped:
            self.dropped_findings()
        if self.a.findings:
            self.bears_on_table()

    def agreed_lines(self, finding: Finding) -> None:
        """What the EIA workshop agreed about a finding, beside the rules' own scores: changed, kept as the rules
        gave them, or added by the room; and the room's reason."""
        if finding.workshop is None:
            return
        if finding.added_by_workshop:
            self.labelled(self._("Added by the EIA workshop"), finding.workshop_note or finding.rationale)
            return
        if finding.rules_likelihood is not None or finding.rules_severity is not None:
            rules = f"{finding.rules_likelihood or finding.likelihood} × {finding.rules_severity or finding.severity}"
            self.labelled(
                self._("Agreed at the EIA workshop"),
                self._(
                    "likelihood {likelihood}, severity {severity} (the rules gave {rules})",
                    likelihood=finding.likelihood,
                    severity=finding.severity,
                    rules=rules,
                ),
            )
        else:
            self.labelled(
                self._("Agreed at the EIA workshop"),
                self._(
                    "the rules' scores stand (likelihood {likelihood}, severity {severity})",
                    likelihood=finding.likelihood,
                    severity=finding.severity,
                ),
            )
        if finding.workshop_note:
            self.labelled(self._("The workshop's reason"), finding.workshop_note)

    def dropped_findings(self) -> None:
        """The rules' findings the EIA workshop took out, with the scores the rules gave and the room's reason,
        so that an auditor sees what was dropped and why."""
        self.heading(self._("Dropped by the EIA workshop"), 2)
        self.para(
            self._(
                "The rules made these findings; the EIA workshop agreed they are not likely impacts of the plan, so "
                "they are not counted in the screening level, the groups affected or the mitigation plan."
            ),
            keep_next=True,
        )
        for finding in self.a.dropped:
            likelihood = finding.rules_likelihood or finding.likelihood
            severity = finding.rules_severity or finding.severity
            reason = finding.workshop_note or self._("no reason was recorded")
            self.bullet(
                self._(
                    "{title} ({direction}; the rules gave likelihood {likelihood} × severity {severity} = {score}; "
                    "affects {groups}). The workshop's reason: {reason}",
                    title=finding.title,
                    direction=self._("negative impact")
                    if finding.direction == "negative"
                    else self._("positive impact"),
                    likelihood=likelihood,
                    severity=severity,
                    score=likelihood * severity,
                    groups=self.group_names(finding.characteristics + finding.communities),
                    reason=reason,
                )
            )

    # --- the EIA workshop -------------------------------------------------------------------------------------------

    def workshop_changes(self) -> str:
        """What the EIA workshop changed in the rules' findings, in a phrase: re-scored, dropped and added."""
        rescored = sum(1 for f in self.a.findings if f.rules_likelihood is not None or f.rules_severity is not None)
        added = sum(1 for f in self.a.findings if f.added_by_workshop)
        dropped = len(self.a.dropped)
        when = self.and_list([self.day(workshop.held_on) for workshop in self.meta.workshops])
        return self._(
            "The findings are as the EIA workshop of {when} agreed them: {rescored} of the rules' findings re-scored, "
            "{dropped} dropped and {added} the rules missed added",
            when=when,
            rescored=rescored,
            dropped=dropped,
            added=self.n_("{n} impact", "{n} impacts", added),
        )

    def workshop_step(self, workshop: WorkshopRecord) -> str:
        """The workshop as a step taken to assess the plan: when, who ran it, who took part, and how it scored."""
        organisations = _organisations(workshop)
        people = self.n_("{n} participant", "{n} participants", len(workshop.participants))
        if organisations:
            people = self._("{people} from {organisations}", people=people, organisations=self.and_list(organisations))
        agreed = (
            self._("the agreed view is version {version}", version=workshop.finalised_version)
            if workshop.finalised_version is not None
            else self._("the agreed view is not yet finalised")
        )
        return self._(
            "An EIA workshop on {day}, facilitated by {facilitator}, with {people}, scored the draft (version "
            "{version}) on their own before seeing each other's scores, then agreed a view on each finding; {agreed}.",
            day=self.day(workshop.held_on),
            facilitator=workshop.facilitator,
            people=people,
            version=workshop.version_scored,
            agreed=agreed,
        )

    def workshop_information(self, workshop: WorkshopRecord) -> str:
        """What the workshop brought to the assessment: its participants' knowledge and comments, and the impacts
        they raised that the rules missed."""
        raised = len(workshop.added)
        accepted = sum(1 for impact in workshop.added if impact.accepted)
        missed = (
            self._(
                "They raised {raised} the rules missed; the room accepted {accepted}.",
                raised=self.n_("{n} impact", "{n} impacts", raised),
                accepted=self.n_("{n} as a finding of the assessment", "{n} as findings of the assessment", accepted),
            )
            if raised
            else self._("They raised no impact the rules missed.")
        )
        return self._(
            "The knowledge of the {participants} at the EIA workshop of {day} of the services and communities they "
            "work with, and their scores and comments on each of the {findings} (the EIA workshop section sets out "
            "the spread, the agreement and any dissent). {missed}",
            participants=self.n_("{n} participant", "{n} participants", len(workshop.participants)),
            day=self.day(workshop.held_on),
            findings=self.n_("{n} finding", "{n} findings", len(workshop.findings)),
            missed=missed,
        )

    def workshops(self) -> None:
        """The EIA workshops: when, who ran them and took part, how the room scored each finding against the rules
        and what it agreed, the dissent noted, and the impacts participants raised that the rules missed."""
        if not self.meta.workshops:
            return
        self.heading(self._("The EIA workshop") if len(self.meta.workshops) == 1 else self._("The EIA workshops"), 1)
        self.para(
            self._(
                "Each participant scored the draft's findings on their own, before seeing anyone else's scores, so "
                "that no one voice set the room's view; the facilitator then revealed the spread and the room agreed "
                "a view on each finding. Scores are likelihood × severity, each from 1 to 5, out of 25, as the rules "
                "give them."
            )
        )
        for workshop in self.meta.workshops:
            self.workshop(workshop)

    def workshop(self, workshop: WorkshopRecord) -> None:
        """One workshop's part of the record."""
        self.heading(self._("The workshop of {day}", day=self.day(workshop.held_on)), 2)
        self.key_values(
            [
                (self._("Date"), self.day(workshop.held_on)),
                (self._("Facilitator"), workshop.facilitator),
                (self._("Draft scored"), self._("Version {version}", version=workshop.version_scored)),
                (
                    self._("Agreed view"),
                    self._("Version {version}", version=workshop.finalised_version)
                    if workshop.finalised_version is not None
                    else self._("Not yet finalised"),
                ),
                (self._("Participants"), str(len(workshop.participants))),
            ]
        )
        self.heading(self._("Who took part"), 3)
        if workshop.participants:
            self.table(
                [self._("Name"), self._("Service or organisation")],
                [[person.name, person.organisation] for person in workshop.participants],
                [8, 9],
            )
        else:
            self.para(self._("Nobody joined the workshop."))
        self.heading(self._("The spread and the agreement, finding by finding"), 3)
        self.para(
            self._(
                "For each finding: the rules' score; the lowest, middle (median) and highest score the room gave it; "
                "how many agreed it is a likely impact, disagreed or were unsure; and the score the room agreed, "
                "whether the finding was kept, and the room's note."
            ),
            keep_next=True,
        )
        # A kept finding is named as the findings in full number it.
        numbered = {finding.rule: self.finding_label(finding) for finding in self.a.findings}
        rows: list[list[str | Cell]] = []
        for outcome in workshop.findings:
            kept = (
                self._("Not agreed") if outcome.kept is None else self._("Kept") if outcome.kept else self._("Dropped")
            )
            rows.append(
                [
                    numbered.get(outcome.rule, outcome.title) if outcome.kept else outcome.title,
                    _scores(self.t, outcome.rules_likelihood, outcome.rules_severity),
                    _room_words(self.t, outcome),
                    f"{outcome.agree} / {outcome.disagree} / {outcome.unsure}",
                    _scores(self.t, outcome.agreed_likelihood, outcome.agreed_severity),
                    kept,
                    outcome.note or self._("None"),
                ]
            )
        self.table(
            [
                self._("Finding"),
                self._("The rules' score"),
                self._("The room: lowest / middle / highest"),
                self._("Agree / disagree / unsure"),
                self._("Agreed score"),
                self._("Kept or dropped"),
                self._("Note"),
            ],
            rows,
            [4.0, 1.8, 2.3, 1.9, 1.8, 1.6, 3.6],
        )
        self.heading(self._("Dissent noted"), 3)
        dissenting = [outcome for outcome in workshop.findings if outcome.dissent]
        if not dissenting:
            self.para(
                self._(
                    "None: every participant's score was within 5 points of the agreed score, and nobody's verdict "
                    "went against what the room agreed."
                )
            )
        for outcome in dissenting:
            self.para(outcome.title, bold=True, keep_next=True)
            for sentence in outcome.dissent:
                self.bullet(sentence if sentence.endswith((".", "!", "?")) else f"{sentence}.")
        if dissenting and len(dissenting) < len(workshop.findings):
            others = len(workshop.findings) - len(dissenting)
            self.para(
                self._(
                    "No dissent was noted on the other {findings}.",
                    findings=self.n_("{n} finding", "{n} findings", others),
                )
            )
        self.heading(self._("Impacts the rules missed"), 3)
        if not workshop.added:
            self.para(self._("No participant raised an impact the rules missed."))
            return
        self.table(
            [self._("Impact"), self._("Groups"), self._("Raised by"), self._("Why"), self._("Outcome")],
            [
                [
                    impact.title,
                    ", ".join(impact.groups),
                    impact.raised_by,
                    impact.reason,
                    _added_outcome_words(self.t, impact),
                ]
                for impact in workshop.added
            ],
            [3.4, 2.6, 2.8, 4.6, 3.6],
        )

    def said_in_affects(self, finding: Finding, because: Because) -> bool:
        """Whether an answer a finding rests on is the plan's own list of groups affected, which the finding's
        "Affects" line already gives (each group it names, "the plan names it"), so need not be repeated."""
        answer = because.answer
        if not isinstance(answer, list) or not answer or not all(item in self.names for item in answer):
            return False
        return any(reason.reason == "named" and reason.group in answer for reason in finding.group_reasons)

    def bears_on_table(self) -> None:
        """The duty's aims and the strategy's outcomes and principles, each once in its own words, with the findings
        that bear on it: the words the findings' "Bears on" lines refer to by number. The cohesion indicators are
        listed once too, with their baselines, under monitoring and review."""
        self.heading(self._("What the findings bear on"), 2)
        findings = self.a.findings
        rows: list[list[str | Cell]] = []

        def add(title: str, items: list[tuple[str, str]], of: str) -> None:
            cited = [(key, words) for key, words in items if any(key in getattr(f, of) for f in findings)]
            if not cited:
                return
            rows.append([Cell(title, bold=True, fill=_HEADER_FILL, span=2)])
            for key, words in cited:
                numbers = ", ".join(str(self.number[f.rule]) for f in findings if key in getattr(f, of))
                rows.append([words, numbers])

        add(
            self._(aims_heading(self.kb)),
            [(a.id, a.name) for a in self.kb.psed_aims],
            "psed_aims",
        )
        add(
            self._("Outcomes of the strategy ({period})", period=self.period),
            [(o.id, f"{_number(o.id)}. {o.text}") for o in self.kb.outcomes],
            "outcomes",
        )
        add(
            self._("Core principles"),
            [(p.id, f"{_number(p.id)}. {p.text.rstrip(';, and')}") for p in self.kb.principles.items],
            "principles",
        )
        if not rows:  # only findings the EIA workshop added, which the rules link to nothing
            self.para(self._("None of the findings is linked to the equality duty's aims or the strategy's outcomes."))
            return
        self.table([self._("Aim, outcome, principle or indicator"), self._("Findings")], rows, [13, 4])

    def chart(self) -> None:
        """The chart of the groups affected, its labels and alt text in the record's language."""
        self.heading(self._("Impact by group"), 2)
        picture, alt_text = _impact_chart(self.a, self.t)
        if picture is None:
            self.para(self._("No group is affected, so there is nothing to chart."))
            return
        self.picture(picture, Cm(16), alt_text, self._("Impact by group"))
        self.para(
            self._("Figure: the highest negative (red) and positive (green) score for each group, out of 25."),
            style="Caption",
        )

    def mitigation_plan(self) -> None:
        """The plan: each mitigation beside the finding it answers, with the strategy actions it draws on and
        the service's owner, due date and status; then those actions, each once, with the lead and timescale
        the strategy gave them, labelled as the strategy's so that no one takes them for deadlines.

        Portrait, like the rest: with the actions' words in a table of their own the plan fits the page, and a
        landscape section would start and end on a page of its own, most of each left blank.
        """
        self.heading(self._("Mitigation action plan"), 1)
        rows: list[list[str | Cell]] = []
        cited: dict[str, LinkedAction] = {}
        for finding in self.a.findings:
            if finding.direction != "negative":
                continue
            if finding.mitigations:  # a row across the table with the finding's title, then its mitigations
                rag = self._("{rag}, score {score}", rag=self.rag(finding.rag), score=finding.score)
                rows.append([Cell(f"{self.finding_label(finding)} ({rag})", bold=True, fill=_HEADER_FILL, span=6)])
            own = [entry for entry in self.meta.notes.own.values() if entry.finding == finding.rule]
            if (
                own or finding.rule in self.meta.notes.set_aside or finding.added_by_workshop
            ) and not finding.mitigations:
                rows.append([Cell(self.finding_label(finding), bold=True, fill=_HEADER_FILL, span=6)])
            if finding.added_by_workshop and not own:  # the rules know nothing of it, so suggest nothing
                rows.append(
                    [
                        str(self.number[finding.rule]),
                        self._(
                            "Added by the EIA workshop: no mitigation suggested by the rules; the service's own to "
                            "agree."
                        ),
                        self._("None"),
                        self._("To be agreed"),
                        self._("To be agreed"),
                        self._("To be agreed"),
                    ]
                )
            if finding.rule in self.meta.notes.set_aside:
                reason = self.meta.notes.set_aside[finding.rule].reason
                rows.append(
                    [
                        str(self.number[finding.rule]),
                        self._("Finding set aside: {reason}", reason=reason),
                        "",
                        "",
                        "",
                        self._("Set aside"),
                    ]
                )
            for index, mitigation in enumerate(finding.mitigations):
                key = mitigation_key(finding, index)
                decision = self.meta.decisions.get(key, MitigationDecision())
                note = self.meta.notes.mitigations.get(key)
                cited |= {action.id: action for action in mitigation.linked if action.id not in cited}
                text = mitigation.text
                status = self.status(decision.status)
                if note is not None and note.choice == "adapted" and note.adapted:
                    text = self._("{adapted} (adapted from: {text})", adapted=note.adapted, text=mitigation.text)
                    status = self._("Adapted")
                if note is not None and note.reason:
                    text = self._("{text} Reason given: {reason}", text=text, reason=note.reason)
                rows.append(
                    [
                        str(self.number[finding.rule]),
                        text,
                        ", ".join(mitigation.actions) or self._("None"),
                        decision.owner or self._("To be agreed"),
                        decision.due or self._("To be agreed"),
                        status,
                    ]
                )
            for entry in own:
                text = self._("The service's own mitigation: {text}", text=entry.text)
                if entry.reason:
                    text = self._("{text} Reason given: {reason}", text=text, reason=entry.reason)
                rows.append(
                    [
                        str(self.number[finding.rule]),
                        text,
                        self._("None"),
                        entry.owner or self._("To be agreed"),
                        entry.due or self._("To be agreed"),
                        self.status(entry.status),
                    ]
                )
        if not rows:
            self.para(
                self._("No negative impact remains after the EIA workshop, so no mitigation is needed.")
                if any(f.direction == "negative" for f in self.a.dropped)
                else self._("No negative impact was found, so no mitigation is needed.")
            )
            return
        self.para(
            self._(
                "Each mitigation is listed under the finding it answers, with that finding's number. The owner, the "
                "due date and the status are the service's. The strategy actions are listed after the plan with the "
                "lead and the timescale the strategy gave them for {period}: they show what a mitigation draws on, "
                "not when it is due.",
                period=self.period,
            ),
            keep_next=True,
        )
        self.table(
            [
                self._("Finding"),
                self._("Mitigation"),
                self._("Action"),
                self._("Owner"),
                self._("Due date"),
                self._("Status"),
            ],
            rows,
            [1.75, 8.75, 1.45, 1.6, 1.55, 1.9],
        )
        self.heading(self._("The strategy actions the mitigations draw on"), 2)
        if not cited:
            self.para(self._("None: no mitigation above draws on a strategy action."))
            return
        self.table(
            [
                self._("Action"),
                self._("What the strategy says"),
                self._("Lead named in the strategy ({period})", period=self.period),
                self._("Strategy timescale ({period})", period=self.period),
            ],
            [self.action_row(action) for action in cited.values()],
            [1.45, 7.6, 4.6, 3.35],
        )

    def action_row(self, action: LinkedAction) -> list[str | Cell]:
        """One strategy action or Migrant Worker task as the actions table lists it, its timescale labelled.

        A Migrant Worker task's timescale is that plan's target, older than the strategy's, and says so.
        """
        timescale = action.timescale or self._("Not given")
        found = self.kb.find(action.id)
        plan = self.kb.migrant_worker_plan
        if found is not None and found[0] == "Migrant Worker task" and action.timescale and plan is not None:
            timescale = self._(
                "{timescale} (the Migrant Worker plan's target; plan updated {updated})",
                timescale=timescale,
                updated=plan.updated,
            )
        return [action.id, action.text, action.lead or self._("Not given"), timescale]

    def status(self, status: str) -> str:
        """A mitigation's status in words: "Proposed", "Accepted", "Done"..."""
        words = {
            "proposed": N_("Proposed"),
            "accepted": N_("Accepted"),
            "rejected": N_("Rejected"),
            "done": N_("Done"),
            "adapted": N_("Adapted"),
        }
        return self._(words[status]) if status in words else status.capitalize()

    def residual(self) -> Residual:
        """The negative findings before and after the mitigations the service accepted or has done."""
        return residual(self.kb, self.a, self.meta.decisions, self.meta.notes)

    def score_words(self, likelihood: int, severity: int, score: int, rag: str) -> str:
        """A score as the tables give it: "4 × 4 = 16 (Red)"."""
        return self._(
            "{likelihood} × {severity} = {score} ({rag})",
            likelihood=likelihood,
            severity=severity,
            score=score,
            rag=self.rag(rag),
        )

    def before_and_after(self) -> None:
        """Each negative finding's inherent score (as assessed) beside its residual score (after the mitigations in
        place, by the effects the rule base declares for them), and the residual level. The table is the matrix of
        the moves: each row is a finding's move from its cell before to its cell after (a 5 × 5 grid as well cost
        the libraries record its twelve-page limit, and a table reads aloud where a picture needs alt text)."""
        self.heading(self._("Before and after"), 1)
        result = self.residual()
        if not result.findings:
            self.para(self._("No negative impact was found, so there is nothing to mitigate."))
            return
        in_place = any(f.applied or f.unscored for f in result.findings)
        self.labelled(self._("Screening level (before mitigation)"), result.level_words)
        self.labelled(self._("Residual level (after the mitigations in place)"), result.residual_level_words)
        if not in_place:  # nothing moved: a table repeating every score as assessed would only lengthen the record
            self.para(self._("No mitigation accepted yet: the residual scores are the scores as assessed."))
            return
        else:
            self.para(
                self._(
                    "The residual score counts only the mitigations accepted, adapted or done, each by the effect "
                    "the rule base declares for it. The service's own mitigations are shown but move no score."
                ),
                keep_next=True,
            )
        rows: list[list[str | Cell]] = []
        for finding in result.findings:
            moved_by = [
                self._("{text} ({reason})", text=_short(applied.text), reason=applied.reason)
                for applied in finding.applied
                if applied.after < applied.before
            ]
            moved_by += [self._("{text} (no declared effect)", text=_short(u.text)) for u in finding.unscored]
            rows.append(
                [
                    f"{self.number.get(finding.rule, '')}. {finding.title}",
                    Cell(
                        self.score_words(finding.likelihood, finding.severity, finding.score, finding.rag),
                        fill=RAG_FILL[finding.rag],
                    ),
                    Cell(
                        self.score_words(
                            finding.residual_likelihood,
                            finding.residual_severity,
                            finding.residual_score,
                            finding.residual_rag,
                        ),
                        fill=RAG_FILL[finding.residual_rag],
                    ),
                    "; ".join(moved_by) or self._("Nothing yet"),
                ]
            )
        self.table(
            [
                self._("Finding"),
                self._("Before: likelihood × severity"),
                self._("After: likelihood × severity"),
                self._("What moved it"),
            ],
            rows,
            [5.5, 2.6, 2.6, 6.3],
        )

    def what_would_change(self) -> None:
        """The smallest changes to the plan's own choices that would lower its level, in the record's language."""
        self.heading(self._("What would change the level"), 2)
        if self.suggestions is None:
            self.para(self._("The plan is not complete, so what would change its level is not worked out yet."))
            return
        if not self.suggestions:
            self.para(self._("Nothing within two of the plan's own choices would lower the level."))
            return
        self.para(
            self._(
                "Changes to the plan's own choices (never to facts about the people it serves) that would lower the "
                "screening level, fewest changes first. They are options to consider, not advice to take."
            )
        )
        titles = {f.rule: f.title for f in self.a.findings}  # in the record's language
        for suggestion in self.suggestions:
            self.bullet(suggestion_sentence(self.kb, suggestion, self.t))
            removed = [titles.get(f.rule, f.title) for f in suggestion.findings_removed]
            if removed:
                self.para("  " + self._("It would remove: {titles}", titles="; ".join(removed)))

    def cumulative(self) -> None:
        """The other live assessments hitting the same groups in the same wards or period ("also affected by")."""
        self.heading(self._("Cumulative impact"), 2)
        overlaps = self.meta.also_affected
        if not overlaps:
            self.para(self._("No other live assessment hits the same groups in the same wards or period."))
            return
        self.para(
            self._(
                "Other live assessments with negative findings on the same groups, in the same wards or period. "
                "Consider them together: one community may be absorbing several changes at once."
            ),
            keep_next=True,
        )
        rows: list[list[str | Cell]] = [
            [
                overlap.title,
                overlap.service,
                overlap.group,
                overlap.level or self._("Not screened yet"),
                ", ".join(overlap.wards) or overlap.period,
            ]
            for overlap in overlaps
        ]
        self.table(
            [self._("Assessment"), self._("Service"), self._("Group"), self._("Level"), self._("Wards or period")],
            rows,
            [4.5, 3.2, 3.2, 2.6, 3.5],
        )

    def monitoring(self) -> None:
        answers = self.a.answers
        self.heading(self._("Monitoring and review"), 1)
        if self.kb.strategy_2011 is not None:
            self.para(
                self._(
                    "Monitored in Results Based Accountability terms, as the {strategy} adopted for its own "
                    "monitoring.",
                    strategy=self.kb.strategy_2011.title,
                )
            )
        else:
            self.para(self._("Monitored in Results Based Accountability terms."))
        mitigations = sum(len(f.mitigations) for f in self.a.findings if f.direction == "negative")
        accepted = sum(1 for d in self.meta.decisions.values() if d.status in ("accepted", "done"))
        self.heading(self._("How much did we do?"), 2)
        self.para(
            self._(
                "{accepted} of {mitigations} suggested mitigations accepted; each is tracked in the action plan above.",
                accepted=accepted,
                mitigations=mitigations,
            )
        )
        self.heading(self._("How well did we do it?"), 2)
        roles = self.kb.questionnaire.roles
        if answers.get(roles.monitoring) is True:
            by_group = (
                self._("broken down by the groups affected")
                if answers.get(roles.monitoring_by_group)
                else self._("not broken down by group")
            )
            months = answers.get(roles.review_months)
            self.para(
                self._(
                    "The effect will be monitored, {by_group}, and the plan reviewed within {months} months.",
                    by_group=by_group,
                    months=f"{months:g}",
                )
                if isinstance(months, int | float)
                else self._("The effect will be monitored, {by_group}.", by_group=by_group)
            )
        else:
            self.para(self._("No monitoring plan was described. This is reported as a gap below."))
        self.heading(self._("Is anyone better off?"), 2)
        cited = sorted({i for f in self.a.findings for i in f.indicators}, key=lambda i: int(_number(i)))
        if cited:
            self.para(
                self.n_(
                    "The findings bear on cohesion indicator {numbers} (below, with the baselines the strategy "
                    "reports and the findings that bear on each); track it for the groups affected.",
                    "The findings bear on cohesion indicators {numbers} (below, with the baselines the strategy "
                    "reports and the findings that bear on each); track them for the groups affected.",
                    len(cited),
                    numbers=self.and_list([_number(i) for i in cited]),
                )
            )
        else:
            self.para(self._("The findings bear on none of the national cohesion indicators."))
        self.heading(self._("The cohesion indicators and their baselines"), 3)
        rows: list[list[str | Cell]] = []
        for indicator in self.kb.indicators:
            figures = "; ".join(
                f"{b.date}{' ' + b.setting if b.setting else ''}: {b.percent:g}%" for b in indicator.baselines
            )
            if indicator.national_comparison:
                figures += self._("; national {percent}%", percent=f"{indicator.national_comparison.percent:g}")
            findings = [str(self.number[f.rule]) for f in self.a.findings if indicator.id in f.indicators]
            rows.append(
                [
                    f"{_number(indicator.id)}. {indicator.text}",
                    figures or self._("No baseline given in the strategy"),
                    ", ".join(findings) or self._("None"),
                ]
            )
        self.table([self._("Indicator"), self._("People's Voice baseline"), self._("Findings")], rows, [8.6, 5.6, 2.8])

    def gaps(self) -> None:
        """The gaps in the assessment itself, most severe first, each beside the strategy actions that close it."""
        self.heading(self._("Quality gaps in this assessment"), 1)
        if not self.a.gaps:
            self.para(self._("None found."))
            return
        self.para(
            self._("Gaps do not change the screening level; close them before the decision is taken."), keep_next=True
        )
        rows: list[list[str | Cell]] = []
        for gap in self.a.gaps:
            remedies = [
                self._(
                    "{text} (strategy action {actions})",
                    text=remedy.text,
                    actions=", ".join(action.id for action in remedy.linked),
                )
                if remedy.linked
                else remedy.text
                for remedy in gap.remedies
            ]
            if len(remedies) > 1:  # each its own line, marked, so two remedies never read as one
                remedies = [f"• {remedy}" for remedy in remedies]
            rows.append(
                [
                    Cell(self._(GAP_SEVERITY_WORDS[gap.severity]), fill=GAP_SEVERITY_FILL.get(gap.severity)),
                    gap.message,
                    "\n".join(remedies)
                    or self._("The strategy names no action for this; the gap says what is missing."),
                ]
            )
        self.table([self._("Severity"), self._("Gap"), self._("To close it")], rows, [1.9, 8.3, 6.8])

    def signoff(self) -> None:
        """The sign-off: who approved the decision, or a table to sign."""
        self.heading(self._("Sign-off"), 1)
        approval = self.meta.approval
        if approval is not None:
            self.approval(approval)
            return
        people = self.meta.signoff or [Signatory(), Signatory()]
        self.table(
            [self._("Name"), self._("Role"), self._("Date"), self._("Signature")],
            [[p.name, p.role, p.date, ""] for p in people],
            [5, 5, 2.6, 4.4],
            Cm(1),
        )
        self.para(self._("Review date: {day}", day=self.meta.review_date or _default_review(self.t, self.kb, self.a)))

    def approval(self, approval: Approval) -> None:
        """Who signed off the decision actually taken, when, and on which version; or where the approval stands."""
        outcome = {
            "approved": self._("Approved: the assessment is final."),
            "submitted": self._("Submitted for approval; no decision yet."),
            "sent_back": self._("Sent back to the service with comments."),
        }[approval.outcome]
        self.para(outcome, bold=True)
        rows = [
            (
                self._("Assessment"),
                self._(
                    "{id}, version {version}, {status}",
                    id=approval.assessment_id,
                    version=approval.version,
                    status=approval.status,
                ),
            ),
            (self._("Submitted by"), f"{approval.submitted_by}, {approval.submitted_at:%Y-%m-%d %H:%M} UTC"),
            (self._("The tool's advice"), level_label(self.kb, approval.advice)),
        ]
        if approval.decided_by:
            when = f", {approval.decided_at:%Y-%m-%d %H:%M} UTC" if approval.decided_at else ""
            rows.append(
                (
                    self._("Approved by") if approval.outcome == "approved" else self._("Decided by"),
                    f"{approval.decided_by}{when}",
                )
            )
        for label, value in (
            (self._("Decision taken"), approval.decision_taken),
            (self._("Reasons"), approval.reasons),
            (self._("Conditions"), approval.conditions),
            (self._("Comments"), approval.comments),
        ):
            if value:
                rows.append((label, value))
        review = approval.review_date.isoformat() if approval.review_date else _default_review(self.t, self.kb, self.a)
        rows.append((self._("Review date"), review))
        self.key_values(rows)

    def plan_as_described(self) -> None:
        """The manager's answers, question by question in words: one table, a shaded row for each section."""
        self.heading(self._("The plan as described"), 1)
        rows: list[list[str | Cell]] = []
        for section in self.kb.questionnaire.sections:
            answered = [
                [question.text, answer_words(self.kb, question.id, self.a.answers[question.id])]
                for question in section.questions
                if question.id in self.a.answers
            ]
            if answered:
                rows.append([Cell(section.title, bold=True, fill=_HEADER_FILL, span=2)])
                rows += answered
        if rows:
            self.table([self._("Question"), self._("Answer")], rows, [10.2, 6.8])
        if self.a.warnings:
            self.heading(self._("Answers set aside"), 2)
            for warning in self.a.warnings:
                self.bullet(warning)

    def appendix(self, record_sha: str) -> None:
        """The appendix for auditors: what made the record, its sha256, how to verify it, and the audit trail."""
        self.heading(self._("Appendix for auditors"), 1)
        self.key_values(
            [
                (self._("Rule base"), self.a.rule_base.name),
                (self._("Rule base version"), self.a.rule_base.version),
                (self._("Rule base sha256"), self.a.rule_base.sha256),
                (self._("Engine"), f"{self.a.engine.name} {self.a.engine.version}"),
                (self._("Produced with"), f"proofing {version('proofing')}"),
                (self._("Produced at"), self.meta.produced_at),
                (self._("Produced by"), self.meta.produced_by),
                (self._("Embedded record sha256"), record_sha),
                *(
                    [(self._("Language of this record"), self._(LANGUAGE_WORDS[self.meta.language]))]
                    if self.meta.language != "en"
                    else []
                ),
            ]
        )
        self.para(
            self._(
                "The assessment's machine record travels inside this file. To check that it is intact and that the "
                "current rule base still gives the same findings, run: proofing verify THIS-FILE.docx"
            )
        )
        if self.meta.language != "en":
            self.para(
                self._(
                    "The machine record is in English whatever language this document is written in, so that it is "
                    "checked the same way in every language."
                )
            )
        if self.meta.audit:
            self.heading(self._("Audit trail"), 2)
            entries = self.meta.audit
            counts: dict[str, int] = {}
            for entry in entries:
                counts[entry.action] = counts.get(entry.action, 0) + 1
            self.para(
                self.n_(
                    "{n} entry from {first} to {last}: {counts}. The most recent:",
                    "{n} entries from {first} to {last}: {counts}. The most recent:",
                    len(entries),
                    first=f"{entries[0].at:%Y-%m-%d}",
                    last=f"{entries[-1].at:%Y-%m-%d}",
                    counts="; ".join(f"{action} {count}" for action, count in counts.items()),
                )
            )
            self.table(
                [self._("When (UTC)"), self._("Who"), self._("What")],
                [
                    [
                        f"{entry.at:%Y-%m-%d %H:%M}",
                        entry.who,
                        entry.action + (f": {entry.detail}" if entry.detail else ""),
                    ]
                    for entry in entries[-AUDIT_ROWS_SHOWN:]
                ],
                [3.2, 5.0, 8.8],
            )


_CELL_MARGINS = 2 * 108  # twips: the Table Grid style's cell margins, left and right
_LONGEST_UNBROKEN = 14  # letters: a longer word (a checksum, a web address) may break


def _fitted_columns(twips: list[int], rows: list[list[str | Cell]]) -> list[int]:
    """Column widths in which no word of up to 14 letters breaks, taken from the widest column that can spare it.

    Measured in DejaVu Sans (a little wider than the bold Arial of table headers) at the table text size, 9 pt.
    """
    words: list[set[str]] = [set() for _ in twips]
    for row in rows:
        if len(row) != len(twips):  # a row across the table (a finding heading its mitigations) wraps freely
            continue
        for column, cell in enumerate(row):
            words[column].update((cell.text if isinstance(cell, Cell) else cell).split())
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
    return round(_chart_font(9.0).getlength(word) / _CHART_SCALE * 20) + _CELL_MARGINS + 40


def _short_period(period: str) -> str:
    """A strategy's period as a label gives it, "2008-11" for "2008-2011"; any other form as written.

    Examples:
        >>> _short_period("2008-2011"), _short_period("2011-14"), _short_period("2099-2101")
        ('2008-11', '2011-14', '2099-2101')
    """
    match = re.fullmatch(r"(\d{2})(\d{2})\s*[-–]\s*(\d{2})(\d{2})", period.strip())
    if match and match.group(1) == match.group(3):
        return f"{match.group(1)}{match.group(2)}-{match.group(4)}"
    return period


def _number(item_id: str) -> str:
    """The number of an outcome, principle or indicator as the strategy prints it: "15" for CC15, "2" for P2."""
    return item_id.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _affects_words(t: Translator, finding: Finding) -> str:
    """The groups a finding affects and why each is named: those the plan names together, then each implied one
    with the answer that implies it (group_reason_words)."""
    named = [reason.name for reason in finding.group_reasons if reason.reason == "named"]
    implied = [group_reason_words(reason, t.language) for reason in finding.group_reasons if reason.reason != "named"]
    parts = []
    if named:
        together = (
            t._("{items} and {last}", items=", ".join(named[:-1]), last=named[-1]) if len(named) > 1 else named[0]
        )
        if finding.added_by_workshop:
            who = t.n_("the EIA workshop names it", "the EIA workshop names them", len(named))
        else:
            who = t.n_("the plan names it", "the plan names them", len(named))
        parts.append(f"{together} ({who})")
    return "; ".join(parts + implied)


def _held_on(day: str) -> str:
    """A workshop's date as a record says it: "1 December 2026" for "2026-12-01" (as given, if not a date).

    Examples:
        >>> _held_on("2026-12-01"), _held_on("soon")
        ('1 December 2026', 'soon')
    """
    try:
        moment = datetime.fromisoformat(day)
    except ValueError:
        return day
    return f"{moment.day} {moment:%B %Y}"


def _organisations(workshop: WorkshopRecord) -> list[str]:
    """The services and organisations the workshop's participants came from, each once, in the order they joined."""
    found: list[str] = []
    for person in workshop.participants:
        if person.organisation and person.organisation not in found:
            found.append(person.organisation)
    return found


def _scores(t: Translator, likelihood: int | None, severity: int | None) -> str:
    """A likelihood and severity and their product: "4 × 3 = 12"; "Not agreed" when there are none.

    Examples:
        >>> _scores(translator("en"), 4, 3), _scores(translator("en"), None, None)
        ('4 × 3 = 12', 'Not agreed')
    """
    if likelihood is None or severity is None:
        return t._("Not agreed")
    return f"{likelihood} × {severity} = {likelihood * severity}"


def _room_words(t: Translator, outcome: FindingOutcome) -> str:
    """The room's lowest, middle and highest score of a finding, and how many scored it."""
    if not outcome.scored_by or outcome.low is None or outcome.middle is None or outcome.high is None:
        return t._("Nobody scored it")
    return t._(
        "{low} / {middle} / {high} (scored by {count})",
        low=outcome.low,
        middle=f"{outcome.middle:g}",
        high=outcome.high,
        count=outcome.scored_by,
    )


def _added_outcome_words(t: Translator, impact: AddedOutcome) -> str:
    """Whether the room accepted a missed impact, with its agreed scores, and the room's note."""
    if impact.accepted:
        words = t._(
            "Accepted as a finding: likelihood {likelihood} × severity {severity}",
            likelihood=impact.agreed_likelihood,
            severity=impact.agreed_severity,
        )
        if impact.agreed_likelihood is not None and impact.agreed_severity is not None:
            words += f" = {impact.agreed_likelihood * impact.agreed_severity}"
    else:
        words = t._("Not accepted")
    return t._("{words}. The room's note: {note}", words=words, note=impact.note) if impact.note else f"{words}."


def _bears_on_words(t: Translator, finding: Finding, aims: dict[str, str]) -> str:
    """What a finding bears on in one sentence: the duty's aims in words, the strategy's outcomes, principles
    and indicators by number (the table "What the findings bear on" gives each in words, once)."""
    parts = []
    if finding.psed_aims:
        duty = "; ".join(aims[a][0].lower() + aims[a][1:] for a in finding.psed_aims)
        parts.append(t._("the equality duty to {aims}", aims=duty))
    for ids, kind in ((finding.outcomes, "outcomes"), (finding.principles, "principles"), (finding.indicators, "")):
        if ids:
            numbers = sorted((_number(i) for i in ids), key=lambda n: (len(n), n))
            listed = (
                numbers[0]
                if len(numbers) == 1
                else t._("{items} and {last}", items=", ".join(numbers[:-1]), last=numbers[-1])
            )
            if kind == "outcomes":
                parts.append(
                    t.n_("strategy outcome {numbers}", "strategy outcomes {numbers}", len(ids), numbers=listed)
                )
            elif kind == "principles":
                parts.append(t.n_("core principle {numbers}", "core principles {numbers}", len(ids), numbers=listed))
            else:
                parts.append(
                    t.n_("cohesion indicator {numbers}", "cohesion indicators {numbers}", len(ids), numbers=listed)
                )
    return "; ".join(parts) + "." if parts else t._("nothing in the strategy or the duty.")


def _short(text: str) -> str:
    return text if len(text) <= CORE_PROPERTY_LIMIT else text[: CORE_PROPERTY_LIMIT - 1] + "…"


def _default_review(t: Translator, kb: KnowledgeBase, assessment: Assessment) -> str:
    """The review date the plan gives (a date), else within the months it gives, else still to be set."""
    roles = kb.questionnaire.roles
    day = assessment.answers.get(roles.review_date)
    if isinstance(day, str) and day:
        return day
    months = assessment.answers.get(roles.review_months)
    if isinstance(months, int | float):
        return t._("within {months} months of the decision", months=f"{months:g}")
    return t._("to be set")


# --- the chart ------------------------------------------------------------------------------------

CHART_MAX_GROUPS = 20
"""The chart shows at most this many groups (the profile's first), so that it fits on a page."""
_CHART_SCALE = 2  # pixels per point: the chart is drawn in points, 16 cm wide, at 144 dpi (as before, 140)
_CHART_WIDTH = 453.5  # points: 16 cm, the width it is shown at
_CHART_ROW = 17.0  # points per group
_CHART_BAR = 6.6  # points: the height of one bar; a group's two bars leave a gap before the next group's
_CHART_TOP, _CHART_BOTTOM = 26.0, 34.0  # points above the first group (the key) and below the last
_CHART_LABELS = 0.42  # of the width, for the group names
_CHART_NEGATIVE, _CHART_POSITIVE = (192, 57, 43), (46, 125, 50)
_CHART_INK, _CHART_GRID = (34, 34, 34), (221, 221, 221)


@functools.cache
def _chart_font(points: float) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """The chart's typeface at a size in points: DejaVu Sans, which covers Welsh letters and "×".

    DejaVu Sans comes with matplotlib, a dependency, and is found without importing it; Pillow's own
    default face (used only if the file is missing) has no glyph for ŵ, ŷ or ×.
    """
    spec = importlib.util.find_spec("matplotlib")
    folders = (spec.submodule_search_locations or []) if spec is not None else []
    for folder in folders:
        face = Path(folder) / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
        if face.is_file():
            return ImageFont.truetype(str(face), round(points * _CHART_SCALE))
    return ImageFont.load_default(round(points * _CHART_SCALE))


def _fitted(text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: float) -> str:
    """The text, cut short with an ellipsis if it is wider than width pixels."""
    if font.getlength(text) <= width:
        return text
    while text and font.getlength(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _impact_chart(assessment: Assessment, t: Translator | None = None) -> tuple[bytes | None, str]:
    """A bar chart (PNG) of the highest negative and positive score per group, and its alt text.

    Drawn with Pillow: for each group a red bar (highest negative score) over a green one (highest
    positive score), the score written at the end of each bar, on a scale of 0-25 with a key above.
    """
    t = t or translator("en")
    entries = [e for e in assessment.profile if e.negative or e.positive][:CHART_MAX_GROUPS]
    if not entries:
        return None, ""
    positive_scores: dict[str, int] = {}
    for finding in assessment.findings:
        if finding.direction == "positive":
            for group in finding.characteristics + finding.communities:
                positive_scores[group] = max(positive_scores.get(group, 0), finding.score)

    def px(points: float) -> int:
        return round(points * _CHART_SCALE)

    height = _CHART_TOP + _CHART_ROW * len(entries) + _CHART_BOTTOM
    image = Image.new("RGB", (px(_CHART_WIDTH), px(height)), "white")
    draw = ImageDraw.Draw(image)
    label_font, small_font = _chart_font(7.5), _chart_font(7.0)
    left, right = _CHART_WIDTH * _CHART_LABELS, _CHART_WIDTH - 14.0
    top, bottom = _CHART_TOP, _CHART_TOP + _CHART_ROW * len(entries)

    def x(score: float) -> float:
        return left + (right - left) * score / 25

    for tick in range(0, 26, 5):
        draw.line([(px(x(tick)), px(top)), (px(x(tick)), px(bottom))], fill=_CHART_GRID, width=px(0.6))
        draw.text((px(x(tick)), px(bottom + 3)), str(tick), font=small_font, fill=_CHART_INK, anchor="mt")
    draw.text(
        (px((left + right) / 2), px(bottom + 15)),
        t._("Score (likelihood × severity, out of 25)"),
        font=label_font,
        fill=_CHART_INK,
        anchor="mt",
    )
    key_x = left
    keys = ((_CHART_NEGATIVE, t._("Highest negative score")), (_CHART_POSITIVE, t._("Highest positive score")))
    for colour, words in keys:
        draw.rectangle([px(key_x), px(8), px(key_x + 8), px(16)], fill=colour)
        draw.text((px(key_x + 11), px(12)), words, font=small_font, fill=_CHART_INK, anchor="lm")
        key_x += 11 + small_font.getlength(words) / _CHART_SCALE + 14
    for row, entry in enumerate(entries):
        middle = top + _CHART_ROW * (row + 0.5)
        name = _fitted(clean_text(entry.name), label_font, px(left - 8))
        draw.text((px(left - 5), px(middle)), name, font=label_font, fill=_CHART_INK, anchor="rm")
        for score, colour, offset in (
            (entry.highest_negative_score, _CHART_NEGATIVE, -_CHART_BAR / 2 - 0.3),
            (positive_scores.get(entry.id, 0), _CHART_POSITIVE, _CHART_BAR / 2 + 0.3),
        ):
            if score:
                centre = middle + offset
                draw.rectangle(
                    [px(left), px(centre - _CHART_BAR / 2), px(x(score)), px(centre + _CHART_BAR / 2)], fill=colour
                )
                draw.text((px(x(score) + 2.5), px(centre)), str(score), font=small_font, fill=_CHART_INK, anchor="lm")
    draw.line([(px(left), px(top)), (px(left), px(bottom))], fill=_CHART_INK, width=px(0.8))
    draw.line([(px(left), px(bottom)), (px(right), px(bottom))], fill=_CHART_INK, width=px(0.8))
    # A palette of 64 colours holds the chart's few colours and their anti-aliased edges, looks the same,
    # and halves the cost of PNG encoding (12 ms instead of 24 ms) and the size of the file.
    palette = image.quantize(colors=64, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    palette.save(buffer, format="PNG", dpi=(72 * _CHART_SCALE, 72 * _CHART_SCALE))
    worst = sorted(entries, key=lambda e: -e.highest_negative_score)[:3]
    described = "; ".join(f"{e.name} {e.highest_negative_score}" for e in worst if e.highest_negative_score)
    alt = t._(
        "Bar chart of the highest negative and positive impact score, out of 25, for each of {count} groups "
        "affected. Highest negative scores: {described}.",
        count=len(entries),
        described=described or t._("none"),
    )
    return buffer.getvalue(), alt


def plan_suggestions(kb: KnowledgeBase, assessment: Assessment) -> list[Suggestion] | None:
    """What would lower the plan's level (proofing.whatif, from the English rule base), or None when the plan is
    not complete enough to be changed and assessed again (a draft still missing answers)."""
    try:
        return what_would_lower(kb, assessment.plan)
    except PlanError:
        return None


def suggestion_sentence(kb: KnowledgeBase, suggestion: Suggestion, t: Translator) -> str:
    """A what-if suggestion as one sentence in the translator's language: in English the sentence proofing.whatif
    wrote; otherwise built from its parts with translated templates, the question and answer words from `kb` (the
    rule base in that language, e.g. ``localised(kb, "cy").kb``) and the level words from its scoring."""
    if t.language == "en":
        return suggestion.sentence
    clauses = [change_words(kb, change, t) for change in suggestion.changes]
    joined = (
        clauses[0] if len(clauses) == 1 else t._("{items} and {last}", items=", ".join(clauses[:-1]), last=clauses[-1])
    )
    return t._(
        "If {changes}, the level would fall from {before} to {after}.",
        changes=joined,
        before=level_label(kb, suggestion.level_before),
        after=level_label(kb, suggestion.level_after),
    )


def change_words(kb: KnowledgeBase, change: AnswerChange, t: Translator) -> str:
    """One answer change as the middle of "If ..., the level would fall", in the translator's language (as
    proofing.whatif words it in English)."""
    question = kb.questionnaire.question(change.question)
    text = question.text if question is not None else change.question_text
    now = answer_words(kb, change.question, change.after)
    before, after = change.before, change.after
    if question is not None and question.type == "many_of" and isinstance(before, list) and isinstance(after, list):
        added = [option for option in after if option not in before]
        removed = [option for option in before if option not in after]
        if len(added) == 1 and not removed and before:
            return t._(
                'the answer to "{question}" also included "{option}"', question=text, option=question.label_of(added[0])
            )
        if len(removed) == 1 and not added and after:
            return t._(
                'the answer to "{question}" no longer included "{option}"',
                question=text,
                option=question.label_of(removed[0]),
            )
    if before is None:
        return t._('the answer to "{question}" were "{now}" (it is not answered now)', question=text, now=now)
    was = answer_words(kb, change.question, before)
    return t._('the answer to "{question}" were "{now}" rather than "{was}"', question=text, now=now, was=was)
