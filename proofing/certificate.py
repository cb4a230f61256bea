"""The certificate of completion for cohesion proofing training: an A4 Word document in the record's style.

It is written into the council's own Word template (templates/record.docx, the one every EIA record is written
into, restyled in Word, never in Python), so it carries the council's fonts, colours and header: the header names
the council, the footer the certificate and the rule base its cases were scored against. The body says who is
certified (the trainee's name, asked for on the page when the sign-in gives none), the cases they passed with the
date and their best score, the pass mark and how a round is scored (``proofing.training.SCORING``), and a line for
the trainer's signature. Only cases passed are certified; a trainee with none passed has no certificate yet.

The words are the translator's, so a trainee working in Welsh is certified in Welsh.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.text.paragraph import Paragraph

from proofing.errors import ProofingError
from proofing.knowledge import KnowledgeBase
from proofing.language import Translator, translator
from proofing.report import DEFAULT_TEMPLATE, check_template
from proofing.store import TrainingRound
from proofing.training import SCORING, ScoringRule, needs_name, passes, trainee_name

A4 = (Cm(21.0), Cm(29.7))
SIGNATURE_LINE = "_" * 40
_PLACEHOLDER = re.compile(r"\{\{(?:council|plan_title|rule_base_version)\}\}")
_BODY = "{{body}}"
_TEMPLATE_KIND = "Equality Impact Assessment"  # the template's own words beside {{council}}, which a certificate is not


class CertificateError(ProofingError):
    """A certificate cannot be written yet; says what is missing, in words a trainee or trainer can act on."""


def cases_passed(rounds: Iterable[TrainingRound], rule: ScoringRule = SCORING) -> dict[str, TrainingRound]:
    """Each case the trainee passed, with their best round of it (the earliest of equal best), in the order first
    passed."""
    best: dict[str, TrainingRound] = {}
    for kept in rounds:
        if passes(kept.score, rule) and (kept.case not in best or kept.score > best[kept.case].score):
            best[kept.case] = kept
    return best


def certificate(
    kb: KnowledgeBase,
    rounds: list[TrainingRound],
    *,
    name: str | None = None,
    say: Translator | None = None,
    template: Path = DEFAULT_TEMPLATE,
    rule: ScoringRule = SCORING,
) -> bytes:
    """A printable A4 Word certificate of completion for one trainee, in the council's record template.

    `rounds` are that one trainee's rounds; `name` is the name to certify (the name they gave, or their sign-in
    name: ``trainee_name`` when not given). `kb` is the rule base in the certificate's language (its council's
    name and its cases' titles) and `say` that language's translator. Raises CertificateError when no case is
    passed yet or no name is known, and proofing.report.TemplateError when the template cannot be used.
    """
    say = say or translator("en")
    passed = cases_passed(rounds, rule)
    if not passed:
        raise CertificateError(
            say._(
                "A certificate needs at least one case passed (the pass mark is {pass_mark} of 100).",
                pass_mark=rule.pass_mark,
            )
        )
    certified = (name if name is not None else trainee_name(rounds)).strip()
    if needs_name(certified):
        raise CertificateError(say._("Say the trainee's name, as the certificate should show it."))
    check_template(template)
    document = docx.Document(str(template))
    _fill_frame(document, kb, say)
    _a4(document)
    titles = {case.id: case.title for case in kb.training}
    latest = max(kept.at for kept in passed.values())
    organisation = next(kept.organisation for kept in reversed(rounds) if kept.organisation)
    at = _body_placeholder(document)
    add = _Writer(document, at)
    add.paragraph(say._("Certificate of completion"), "Title")
    add.paragraph(say._("Cohesion and equality proofing training"), "Subtitle")
    add.paragraph(say._("{council} certifies that", council=kb.council))
    add.paragraph(certified, "Heading 1")
    add.paragraph(
        say.n_(
            "of {organisation}, has passed {n} worked case of the council's cohesion proofing training: a plan to "
            "read, and its screening level, the groups it affects and its main impacts to predict, scored against "
            "what the rule base finds for the plan.",
            "of {organisation}, has passed {n} worked cases of the council's cohesion proofing training: each a plan "
            "to read, and its screening level, the groups it affects and its main impacts to predict, scored against "
            "what the rule base finds for the plan.",
            len(passed),
            organisation=organisation,
        )
    )
    add.table(
        (say._("Case passed"), say._("Date"), say._("Score")),
        [
            (titles.get(case_id, case_id), say.date(kept.at), say._("{score} of 100", score=kept.score))
            for case_id, kept in passed.items()
        ],
    )
    add.paragraph(
        say._(
            "The pass mark is {pass_mark} of 100 on each case: the screening level counts {level}, the main impacts "
            "{impacts} between them and the groups affected {groups}; an impact named that the rules do not find "
            "cancels one found. The score shown is the best of the trainee's rounds of each case.",
            pass_mark=rule.pass_mark,
            level=rule.level,
            impacts=rule.impacts,
            groups=rule.groups,
        )
    )
    add.paragraph(
        say._(
            "Completed on {date}; scored against {rule_base}, version {version}.",
            date=say.date(latest),
            rule_base=kb.name,
            version=kb.version,
        )
    )
    add.paragraph(say._("Signed for {council}:", council=kb.council), "Heading 2")
    add.paragraph(say._("Signature: {line}", line=SIGNATURE_LINE))
    add.paragraph(say._("Name and role: {line}", line=SIGNATURE_LINE))
    add.paragraph(say._("Date: {line}", line=SIGNATURE_LINE[:20]))
    _drop(at)
    properties = document.core_properties
    properties.title = say._("Certificate of completion: {name}", name=certified)
    properties.subject = say._("Cohesion and equality proofing training")
    properties.author = kb.council
    properties.language = say.tag
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


class _Writer:
    """Adds paragraphs and a table, in the template's styles, before the template's {{body}} paragraph."""

    def __init__(self, document: Document, at: Paragraph) -> None:
        self.document = document
        self.at = at
        names = {style.name for style in document.styles}
        self.cell_style = "Table Text" if "Table Text" in names else None

    def paragraph(self, text: str, style: str | None = None) -> None:
        self.at.insert_paragraph_before(text, style)

    def table(self, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
        table = self.document.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, words in zip(table.rows[0].cells, header, strict=True):
            cell.text = words
            cell.paragraphs[0].runs[0].bold = True
        for row in rows:
            for cell, words in zip(table.add_row().cells, row, strict=True):
                cell.text = words
        section = self.document.sections[-1]
        width = (section.page_width or A4[0]) - (section.left_margin or 0) - (section.right_margin or 0)
        shares = [0.6, 0.25, 0.15] if len(header) == 3 else [1 / len(header)] * len(header)
        table.autofit = False
        for column, share in zip(table.columns, shares, strict=True):
            column.width = int(width * share)  # the grid, which LibreOffice reads
        for row_ in table.rows:
            for cell, share in zip(row_.cells, shares, strict=True):
                cell.width = int(width * share)
                if self.cell_style is not None:
                    cell.paragraphs[0].style = self.cell_style
        self.at._p.addprevious(table._tbl)
        self.at.insert_paragraph_before("")  # a little space after the table


def _body_placeholder(document: Document) -> Paragraph:
    """The template's {{body}} paragraph (check_template has made sure it is there)."""
    return next(paragraph for paragraph in document.paragraphs if _BODY in paragraph.text)


def _drop(paragraph: Paragraph) -> None:
    """Remove the {{body}} paragraph; if it also ends a section of the template, keep it, without its text."""
    element = paragraph._p
    if element.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is None:
        element.getparent().remove(element)
    else:
        for run in element.findall(qn("w:r")):
            element.remove(run)


def _a4(document: Document) -> None:
    """Every section A4, portrait: a certificate is printed as a council prints, whatever the template's page."""
    for section in document.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = A4


def _fill_frame(document: Document, kb: KnowledgeBase, say: Translator) -> None:
    """Fill the template's header and footer for a certificate: the council's name, what the document is, and the
    rule base version; the page number field is left as it is."""
    values = {
        "{{council}}": kb.council,
        "{{plan_title}}": say._("Certificate of completion"),
        "{{rule_base_version}}": kb.version,
    }
    kind = say._("Cohesion and equality proofing training")
    for rel in document.part.rels.values():
        if rel.reltype not in (RT.HEADER, RT.FOOTER) or rel.is_external:
            continue
        for paragraph in rel.target_part.element.iter(qn("w:p")):
            texts = [
                t
                for t in paragraph.iter(qn("w:t"))
                if next(t.iterancestors(qn("w:p"))) is paragraph
                and not any(a.tag == qn("w:fldSimple") for a in t.iterancestors())
            ]
            whole = "".join(t.text or "" for t in texts)
            if not _PLACEHOLDER.search(whole) and _TEMPLATE_KIND not in whole:
                continue
            filled = _PLACEHOLDER.sub(lambda match: values[match.group(0)], whole.replace(_TEMPLATE_KIND, kind))
            texts[0].text = filled
            texts[0].set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            for t in texts[1:]:
                t.text = ""


__all__ = ["CertificateError", "cases_passed", "certificate"]
