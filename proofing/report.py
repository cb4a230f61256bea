"""The EIA record: an assessment written as a Word document a board reads and an auditor can re-check.

``write_record`` fills the council's Word template (templates/record.docx, restyled in Word, never in
Python) with, in order: a title page; a one-minute summary for the board; the five items the Welsh
specific duties ask a published assessment to set out; the plan as described, in words; the findings by
characteristic and community, then in full; a chart with alt text; the mitigation action plan; monitoring
and review in Results Based Accountability terms with the cohesion indicators' baselines; the quality
gaps; sign-off; and an appendix for auditors. The assessment's canonical JSON travels inside the file
with its sha256 (proofing.record), so ``proofing verify`` can prove it intact and re-run it.

The document is accessible: real Word headings, table header rows that repeat, alt text on the chart,
and the document language set in the template. Every piece of user text passes through ``clean_text``
first, because python-docx refuses characters XML forbids.
"""

from __future__ import annotations

import getpass
import io
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any, Literal

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.table import Table
from pydantic import BaseModel, ConfigDict, Field

from proofing.assessment import Assessment, Finding, answer_words
from proofing.errors import ProofingError
from proofing.knowledge import KnowledgeBase
from proofing.record import RECORD_FORMAT, clean_payload, clean_text, embed_record

DEFAULT_TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "record.docx"
REQUIRED_STYLES = ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet", "Caption", "Table Grid")
REQUIRED_PLACEHOLDERS = {"{{body}}": "the body", "{{council}}": "the header", "{{plan_title}}": "the footer"}
RAG_FILL = {"red": "F4B6B6", "amber": "FFE0A3", "green": "C8E6C9"}
RAG_WORDS = {"red": "Red", "amber": "Amber", "green": "Green"}
CORE_PROPERTY_LIMIT = 255  # python-docx refuses longer core properties


class TemplateError(ProofingError):
    """The Word template cannot be used; the message says what to fix in Word."""


class Signatory(BaseModel):
    """Who signs the assessment off."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = ""
    role: str = ""
    date: str = ""


class MitigationDecision(BaseModel):
    """What the service decided about one suggested mitigation."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    status: Literal["proposed", "accepted", "rejected", "done"] = "proposed"
    owner: str = ""
    due: str = ""


class RecordMeta(BaseModel):
    """What the record says about its own making, beyond the assessment."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    council: str = "Wrexham County Borough Council"
    produced_at: str = Field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    produced_by: str = Field(default_factory=lambda: _user())
    assessors: list[str] = []
    signoff: list[Signatory] = []
    review_date: str = ""
    decisions: dict[str, MitigationDecision] = {}


def _user() -> str:
    try:
        return f"{getpass.getuser()} (proofing command line)"
    except (KeyError, OSError):
        return "proofing command line"


def mitigation_key(finding: Finding, index: int) -> str:
    """A stable key for one mitigation of one finding, for decisions about it."""
    return f"{finding.rule}:{index}"


def record_payload(assessment: Assessment, meta: RecordMeta) -> dict[str, Any]:
    """The machine record embedded in the document: everything needed to verify and re-run it."""
    return clean_payload(
        {
            "format": RECORD_FORMAT,
            "assessment": assessment.model_dump(mode="json"),
            "meta": meta.model_dump(mode="json"),
            "proofing_version": version("proofing"),
        }
    )


# --- the template ---------------------------------------------------------------------------------


def check_template(path: Path = DEFAULT_TEMPLATE) -> None:
    """Refuse, before any export, a template that is missing, broken, or lacks a style or placeholder."""
    try:
        document = docx.Document(str(path))
    except Exception as error:  # python-docx raises several kinds for a broken package
        raise TemplateError(f"{path}: not a Word document that can be used as a template ({error})") from None
    names = {style.name for style in document.styles}
    missing = [name for name in REQUIRED_STYLES if name not in names]
    if missing:
        raise TemplateError(f"{path}: the template has no style named {', '.join(missing)}; add it in Word")
    texts = _all_texts(document)
    for placeholder, where in REQUIRED_PLACEHOLDERS.items():
        if not any(placeholder in text for text in texts):
            raise TemplateError(f"{path}: the placeholder {placeholder} is missing from {where} of the template")


def _all_texts(document: Document) -> list[str]:
    texts = [paragraph.text for paragraph in document.paragraphs]
    for section in document.sections:
        texts += [paragraph.text for paragraph in section.header.paragraphs]
        texts += [paragraph.text for paragraph in section.footer.paragraphs]
    return texts


def _replace_in(paragraphs: list[Any], values: dict[str, str]) -> None:
    """Replace placeholders in header and footer paragraphs, keeping their other content (fields)."""
    for paragraph in paragraphs:
        for run in paragraph.runs:
            for placeholder, value in values.items():
                if placeholder in run.text:
                    run.text = run.text.replace(placeholder, value)


# --- writing --------------------------------------------------------------------------------------


def write_record(
    kb: KnowledgeBase,
    assessment: Assessment,
    meta: RecordMeta | None = None,
    template: Path = DEFAULT_TEMPLATE,
) -> bytes:
    """The assessment as a .docx (bytes), with its canonical record embedded."""
    meta = meta or RecordMeta(assessors=[assessment.plan.owner])
    check_template(template)
    document = docx.Document(str(template))
    writer = _Writer(kb, assessment, meta, document)
    writer.write()
    payload = record_payload(assessment, meta)
    record_sha = embed_record(document, payload)
    writer.appendix(record_sha)
    writer.finish()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def save_record(
    kb: KnowledgeBase,
    assessment: Assessment,
    path: Path,
    meta: RecordMeta | None = None,
    template: Path = DEFAULT_TEMPLATE,
) -> None:
    """Write the record to a file."""
    path.write_bytes(write_record(kb, assessment, meta, template))


class _Writer:
    """Writes the sections of one record into a template document."""

    def __init__(self, kb: KnowledgeBase, assessment: Assessment, meta: RecordMeta, document: Document) -> None:
        self.kb = kb
        self.a = assessment
        self.meta = meta
        self.doc = document
        self.names = {c.id: c.name for c in kb.characteristics} | {c.id: c.name for c in kb.communities}
        self.placeholder = next(p for p in document.paragraphs if "{{body}}" in p.text)
        # python-docx looks a style up by name on every use, scanning every style: resolve each once.
        self.style_ids = {style.name: style.style_id for style in document.styles}

    # helpers

    def para(self, text: str = "", style: str | None = None, bold: bool = False) -> Any:
        paragraph = self.doc.add_paragraph()
        if style is not None:
            paragraph._p.style = self.style_ids[style]
        if text:
            run = paragraph.add_run(clean_text(text))
            run.bold = bold
        return paragraph

    def heading(self, text: str, level: int) -> None:
        self.para(text, style=f"Heading {level}")

    def bullet(self, text: str) -> None:
        self.para(text, style="List Bullet")

    def table(self, header: list[str], rows: list[list[str]], widths: list[float] | None = None) -> Table:
        table = self.doc.add_table(rows=1, cols=len(header))
        table._tbl.tblStyle_val = self.style_ids["Table Grid"]
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(clean_text(text)).bold = True
        _repeat_header(table.rows[0])
        for row in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = clean_text(text)
        if widths:
            _set_widths(table, widths)
        self.para()
        return table

    def key_values(self, rows: list[tuple[str, str]], widths: tuple[float, float] = (4.5, 11.4)) -> Table:
        """A two-column table of labels and values: no header row, the labels in bold."""
        table = self.doc.add_table(rows=0, cols=2)
        table._tbl.tblStyle_val = self.style_ids["Table Grid"]
        for label, value in rows:
            cells = table.add_row().cells
            cells[0].paragraphs[0].add_run(clean_text(label)).bold = True
            cells[1].text = clean_text(value)
        _set_widths(table, list(widths))
        self.para()
        return table

    def group_names(self, ids: list[str]) -> str:
        return ", ".join(self.names.get(i, i) for i in ids) or "No particular group"

    # sections

    def write(self) -> None:
        self.title_page()
        self.summary()
        self.welsh_duties()
        self.plan_as_described()
        self.findings_by_group()
        self.findings_in_full()
        self.chart()
        self.mitigation_plan()
        self.monitoring()
        self.gaps()
        self.signoff()

    def title_page(self) -> None:
        plan = self.a.plan
        self.para("Equality Impact Assessment", style="Title")
        self.para(plan.title, style="Subtitle")
        self.key_values(
            [
                ("Service", plan.service),
                ("Owner", plan.owner),
                ("Date", self.meta.produced_at[:10]),
                ("Assessors", ", ".join(self.meta.assessors) or plan.owner),
                ("Rule base", f"{self.a.rule_base.name}, version {self.a.rule_base.version}"),
                ("Screening level", self.a.level_words),
            ]
        )
        self.para().add_run().add_break(WD_BREAK.PAGE)

    def summary(self) -> None:
        negatives = [f for f in self.a.findings if f.direction == "negative"]
        positives = [f for f in self.a.findings if f.direction == "positive"]
        self.heading("Summary for the board", 1)
        self.para(self.a.level_words, bold=True)
        self.para(
            f"The assessment found {len(negatives)} likely negative impact{'s' if len(negatives) != 1 else ''} "
            f"and {len(positives)} positive one{'s' if len(positives) != 1 else ''}."
        )
        if negatives:
            self.para("The most serious:")
            for finding in negatives[:3]:
                self.bullet(
                    f"{finding.title} ({RAG_WORDS[finding.rag]}, score {finding.score} of 25; "
                    f"affects {self.group_names(finding.characteristics + finding.communities)})."
                )
        self.para("Decision asked for: ", bold=True).add_run(clean_text(self.a.decision))

    def welsh_duties(self) -> None:
        answers = self.a.answers
        self.heading("What the Welsh specific duties ask us to set out", 1)
        self.heading("The purpose of the policy", 2)
        self.para(self.a.plan.description or self.a.plan.title)
        self.heading("The steps taken to assess it", 2)
        engagement = answers.get("engagement_done")
        engaged = answers.get("engaged_communities") or []
        steps = {
            "done": "The people affected were engaged or consulted",
            "planned": "Engagement with the people affected is planned",
            "none": "The people affected have not been engaged or consulted",
        }.get(str(engagement), "Engagement was not described")
        if engaged:
            steps += f" (communities: {self.group_names(list(engaged))})"
        self.para(f"{steps}.")
        self.para(
            f"The plan was proofed against {self.kb.strategy.title} and the equality duties, using the "
            f"cohesion proofing rule base version {self.a.rule_base.version}."
        )
        self.heading("The information taken into account", 2)
        if "evidence_used" in answers:
            self.para(f"Evidence used: {answer_words(self.kb, 'evidence_used', answers['evidence_used'])}.")
        if "data_by_group" in answers:
            self.para(f"Data by group: {answer_words(self.kb, 'data_by_group', answers['data_by_group'])}.")
        if answers.get("evidence_gaps"):
            self.para(f"Known gaps in the evidence: {answers['evidence_gaps']}")
        self.heading("The results", 2)
        for entry in self.a.profile:
            self.bullet(
                f"{entry.name}: {entry.negative} negative and {entry.positive} positive finding(s)"
                + (f", highest score {entry.highest_negative_score}" if entry.negative else "")
            )
        if not self.a.profile:
            self.para("No impact on any group was found.")
        self.heading("The decisions taken", 2)
        accepted = [d for d in self.meta.decisions.values() if d.status in ("accepted", "done")]
        self.para(f"Decision asked for: {self.a.decision}")
        self.para(
            f"{len(accepted)} mitigation(s) accepted so far; the mitigation action plan below lists each with "
            "its owner, due date and status."
        )

    def plan_as_described(self) -> None:
        self.heading("The plan as described", 1)
        plan = self.a.plan
        self.key_values([("Title", plan.title), ("Service", plan.service), ("Owner", plan.owner)])
        for section in self.kb.questionnaire.sections:
            rows = [
                [question.text, answer_words(self.kb, question.id, self.a.answers[question.id])]
                for question in section.questions
                if question.id in self.a.answers
            ]
            if rows:
                self.heading(section.title, 2)
                self.table(["Question", "Answer"], rows, [8.9, 7.0])
        if self.a.warnings:
            self.heading("Answers set aside", 2)
            for warning in self.a.warnings:
                self.bullet(warning)

    def findings_by_group(self) -> None:
        self.heading("Findings by characteristic and community", 1)
        if not self.a.findings:
            self.para("The rules found no likely impact on any group.")
            return
        for kind, title in (
            ("characteristic", "Protected characteristics, Welsh language and socio-economic"),
            ("community", "Communities"),
        ):
            entries = [entry for entry in self.a.profile if entry.kind == kind]
            if not entries:
                continue
            self.heading(title, 2)
            for entry in entries:
                self.heading(entry.name, 3)
                touching = [
                    f
                    for f in self.a.findings
                    if entry.id in (f.characteristics if kind == "characteristic" else f.communities)
                ]
                table = self.table(
                    ["Finding", "Direction", "Likelihood", "Severity", "Score", "RAG"],
                    [
                        [
                            f.title,
                            f.direction.capitalize(),
                            str(f.likelihood),
                            str(f.severity),
                            str(f.score),
                            RAG_WORDS[f.rag] if f.direction == "negative" else "Positive",
                        ]
                        for f in touching
                    ],
                    [6.2, 2.1, 2.3, 1.9, 1.6, 1.8],
                )
                for row, finding in zip(table.rows[1:], touching, strict=True):
                    if finding.direction == "negative":
                        _shade(row.cells[5], RAG_FILL[finding.rag])

    def findings_in_full(self) -> None:
        self.heading("The findings in full", 1)
        principles = {p.id: p.text.rstrip(";, and") for p in self.kb.principles.items}
        outcomes = {o.id: o.text for o in self.kb.outcomes}
        indicators = {i.id: i.text for i in self.kb.indicators}
        aims = {a.id: a.name for a in self.kb.psed_aims}
        for finding in self.a.findings:
            self.heading(finding.title, 2)
            rag = RAG_WORDS[finding.rag] if finding.direction == "negative" else "Positive"
            self.para(
                f"{finding.direction.capitalize()} impact · likelihood {finding.likelihood} × severity "
                f"{finding.severity} = score {finding.score} · {rag}"
            )
            self.para(f"Affects: {self.group_names(finding.characteristics + finding.communities)}")
            self.para(finding.rationale)
            self.para("Because:", bold=True)
            for because in finding.because:
                self.bullet(f"{because.question_text} {because.answer_text}")
            for fact in finding.facts:
                self.bullet(fact)
            self.para("Bears on:", bold=True)
            self.bullet("Equality duty: " + "; ".join(aims[a] for a in finding.psed_aims))
            for principle in finding.principles:
                self.bullet(f"Core principle: {principles[principle]}")
            for outcome in finding.outcomes:
                self.bullet(f"Outcome {outcome.removeprefix('CC')}: {outcomes[outcome]}")
            for indicator in finding.indicators:
                self.bullet(f"Cohesion indicator: {indicators[indicator]}")

    def chart(self) -> None:
        self.heading("Impact by group", 1)
        picture, alt_text = _impact_chart(self.a)
        if picture is None:
            self.para("No group is affected, so there is nothing to chart.")
            return
        self.doc.add_picture(io.BytesIO(picture), width=Cm(16))
        _set_alt_text(self.doc, alt_text)
        self.para(f"Figure: {alt_text}", style="Caption")

    def mitigation_plan(self) -> None:
        self._orientation(landscape=True)
        self.heading("Mitigation action plan", 1)
        rows: list[list[str]] = []
        for finding in self.a.findings:
            if finding.direction != "negative":
                continue
            for index, mitigation in enumerate(finding.mitigations):
                decision = self.meta.decisions.get(mitigation_key(finding, index), MitigationDecision())
                linked = "; ".join(f"{action.id} {action.text}" for action in mitigation.linked)
                leads = "; ".join(sorted({action.lead for action in mitigation.linked if action.lead}))
                times = "; ".join(sorted({action.timescale for action in mitigation.linked if action.timescale}))
                rows.append(
                    [
                        mitigation.text,
                        linked,
                        leads or "Not given",
                        times or "Not given",
                        decision.owner or "To be agreed",
                        decision.due or "To be agreed",
                        decision.status.capitalize(),
                    ]
                )
        if not rows:
            self.para("No negative impact was found, so no mitigation is needed.")
        else:
            self.table(
                ["Mitigation", "Strategy action", "Lead organisation", "Timescale", "Owner", "Due", "Status"],
                rows,
                [6.5, 5.8, 3.4, 2.5, 2.2, 1.9, 2.3],
            )
        self._orientation(landscape=False)

    def _orientation(self, landscape: bool) -> None:
        """Start a new section on a new page, in landscape (for wide tables) or back in portrait."""
        previous = self.doc.sections[-1]
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        width, height = sorted((previous.page_width, previous.page_height))
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (height, width) if landscape else (width, height)

    def monitoring(self) -> None:
        answers = self.a.answers
        self.heading("Monitoring and review", 1)
        self.para(
            "Monitored in Results Based Accountability terms, as the One Wrexham strategy 2011-14 adopted "
            "for its own monitoring."
        )
        mitigations = sum(len(f.mitigations) for f in self.a.findings if f.direction == "negative")
        accepted = sum(1 for d in self.meta.decisions.values() if d.status in ("accepted", "done"))
        self.heading("How much did we do?", 2)
        self.para(
            f"{accepted} of {mitigations} suggested mitigations accepted; each is tracked in the action plan above."
        )
        self.heading("How well did we do it?", 2)
        if answers.get("monitoring_plan") is True:
            by_group = (
                "broken down by the groups affected"
                if answers.get("monitoring_by_group")
                else "not broken down by group"
            )
            months = answers.get("review_months")
            self.para(
                f"The effect will be monitored, {by_group}"
                + (f", and the plan reviewed within {months:g} months." if isinstance(months, int | float) else ".")
            )
        else:
            self.para("No monitoring plan was described. This is reported as a gap below.")
        self.heading("Is anyone better off?", 2)
        cited = sorted({i for f in self.a.findings for i in f.indicators})
        if cited:
            self.para("The findings bear on these cohesion indicators; track them for the groups affected:")
            names = {i.id: i.text for i in self.kb.indicators}
            for indicator in cited:
                self.bullet(names[indicator])
        else:
            self.para("The findings bear on none of the national cohesion indicators.")
        self.heading("The cohesion indicators and their baselines", 2)
        rows = []
        for indicator in self.kb.indicators:
            figures = "; ".join(
                f"{b.date}{' ' + b.setting if b.setting else ''}: {b.percent:g}%" for b in indicator.baselines
            )
            if indicator.national_comparison:
                figures += f"; national {indicator.national_comparison.percent:g}%"
            rows.append([indicator.text, figures or "No baseline given in the strategy"])
        self.table(["Indicator", "People's Voice baseline"], rows, [9.9, 6.0])

    def gaps(self) -> None:
        self.heading("Quality gaps in this assessment", 1)
        if not self.a.gaps:
            self.para("None found.")
        for gap in self.a.gaps:
            self.bullet(gap.message)

    def signoff(self) -> None:
        self.heading("Sign-off", 1)
        people = self.meta.signoff or [Signatory(), Signatory()]
        self.table(["Name", "Role", "Date"], [[p.name, p.role, p.date] for p in people], [6.0, 6.0, 3.9])
        self.para(f"Review date: {self.meta.review_date or _default_review(self.a)}")

    def appendix(self, record_sha: str) -> None:
        self.heading("Appendix for auditors", 1)
        self.key_values(
            [
                ("Rule base", self.a.rule_base.name),
                ("Rule base version", self.a.rule_base.version),
                ("Rule base sha256", self.a.rule_base.sha256),
                ("Engine", f"{self.a.engine.name} {self.a.engine.version}"),
                ("Produced with", f"proofing {version('proofing')}"),
                ("Produced at", self.meta.produced_at),
                ("Produced by", self.meta.produced_by),
                ("Embedded record sha256", record_sha),
            ]
        )
        self.para(
            "The assessment's machine record travels inside this file. To check that it is intact and that "
            "the current rule base still gives the same findings, run: proofing verify THIS-FILE.docx"
        )

    def finish(self) -> None:
        """Fill the header and footer, drop the body placeholder, set the document properties."""
        title = clean_text(self.a.plan.title)
        values = {
            "{{council}}": clean_text(self.meta.council),
            "{{plan_title}}": title[:80] + ("…" if len(title) > 80 else ""),
            "{{rule_base_version}}": self.a.rule_base.version,
        }
        for section in self.doc.sections:
            _replace_in(section.header.paragraphs, values)
            _replace_in(section.footer.paragraphs, values)
        self.placeholder._p.getparent().remove(self.placeholder._p)
        properties = self.doc.core_properties
        properties.title = _short(f"Equality Impact Assessment: {title}")
        properties.subject = _short(clean_text(self.a.plan.service))
        properties.author = _short(clean_text(self.meta.produced_by))
        properties.keywords = _short(f"EIA; cohesion proofing; {self.a.level}")
        properties.language = "en-GB"


def _short(text: str) -> str:
    return text if len(text) <= CORE_PROPERTY_LIMIT else text[: CORE_PROPERTY_LIMIT - 1] + "…"


def _default_review(assessment: Assessment) -> str:
    months = assessment.answers.get("review_months")
    return f"within {months:g} months of the decision" if isinstance(months, int | float) else "to be set"


def _set_widths(table: Table, widths: list[float]) -> None:
    """Fix column widths in the table grid and every cell: Word and LibreOffice read the grid."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)


def _repeat_header(row: Any) -> None:
    """Mark a table's first row as a header that repeats on every page (and reads as a header)."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _shade(cell: Any, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _set_alt_text(document: Document, text: str) -> None:
    """Put alt text on the picture just added (Word reads it from the drawing's docPr descr)."""
    drawings = document.element.body.findall(".//" + qn("wp:docPr"))
    if drawings:
        drawings[-1].set("descr", clean_text(text))
        drawings[-1].set("title", "Impact by group")


def _impact_chart(assessment: Assessment) -> tuple[bytes | None, str]:
    """A bar chart of the highest negative and positive score per group, and its alt text."""
    entries = [e for e in assessment.profile if e.negative or e.positive][:20]
    if not entries:
        return None, ""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    names = [e.name for e in entries]
    negative = [e.highest_negative_score for e in entries]
    positive_scores: dict[str, int] = {}
    for finding in assessment.findings:
        if finding.direction == "positive":
            for group in finding.characteristics + finding.communities:
                positive_scores[group] = max(positive_scores.get(group, 0), finding.score)
    positive = [positive_scores.get(e.id, 0) for e in entries]
    figure = Figure(figsize=(8, 0.38 * len(entries) + 1.2), dpi=110)
    FigureCanvasAgg(figure)
    axes = figure.subplots()
    rows = range(len(entries))
    axes.barh([r + 0.2 for r in rows], negative, height=0.4, color="#C0392B", label="Highest negative score")
    axes.barh([r - 0.2 for r in rows], positive, height=0.4, color="#2E7D32", label="Highest positive score")
    axes.set_yticks(list(rows), [clean_text(n) for n in names], fontsize=8)
    axes.invert_yaxis()
    axes.set_xlim(0, 25)
    axes.set_xlabel("Score (likelihood × severity, out of 25)")
    axes.legend(fontsize=8, loc="lower right")
    figure.subplots_adjust(left=0.36, right=0.97, top=0.97, bottom=0.9 / (0.38 * len(entries) + 1.2))
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    worst = sorted(entries, key=lambda e: -e.highest_negative_score)[:3]
    described = "; ".join(f"{e.name} {e.highest_negative_score}" for e in worst if e.highest_negative_score)
    alt = (
        f"Bar chart of the highest negative and positive impact score, out of 25, for each of {len(entries)} "
        f"groups affected. Highest negative scores: {described or 'none'}."
    )
    return buffer.getvalue(), alt
