"""The record: an assessment written as the EIA record a board reads and an auditor can re-check, composed once and
rendered twice.

Names: the *report* is a rendering of the record (a Word document, ``write_report``; an HTML page,
``write_html_record``), with ``ReportDetails`` about its making; the *record* is the canonical JSON embedded in it
(``proofing.record``); rule-base and assessment models share one strict base (``proofing.base.Strict``).

- ``composer`` (with ``compose_base`` and ``compose_sections``) turns an assessment, and what was worked out about
  it before (``prepare``: the rule base and assessment in each language, the residual scores, what would lower the
  level), into typed blocks (``blocks``: headings, paragraphs, tables with header rows, figures with their text
  alternative, lists) that hold every word of the record, in its language, through the one translator. In order:
  the plan and the summary for the board on page 1; a contents page; the five items the Welsh specific duties ask
  a published assessment to set out; one table of the groups affected, pointing to the findings by number, and a
  chart with its text alternative; each finding once, in full; the EIA workshops; the mitigation action plan;
  before and after; what would change the level; the cumulative impact; monitoring and review in Results Based
  Accountability terms; the quality gaps; sign-off; the plan as described; and an appendix for auditors.
- ``word`` renders the blocks into the council's Word template; ``html`` into one self-contained, accessible web
  page. Both embed the assessment's canonical JSON with its sha256 and the digests of what a reader sees (signed
  when a key is configured), so ``proofing verify`` can prove either intact and re-run it.
"""

from proofing.decisions import MitigationDecision, mitigation_key
from proofing.report.blocks import Cell
from proofing.report.chart import CHART_MAX_GROUPS, impact_chart
from proofing.report.composer import compose, prepare
from proofing.report.details import ReportDetails, Signatory, record_payload
from proofing.report.html import save_html_record, write_html_record
from proofing.report.word import (
    DEFAULT_TEMPLATE,
    FOOTER_TITLE_LIMIT,
    REQUIRED_PLACEHOLDERS,
    REQUIRED_STYLES,
    TemplateError,
    check_template,
    save_report,
    write_report,
)
from proofing.report.words import (
    AUDIT_ROWS_SHOWN,
    GAP_SEVERITY_WORDS,
    LANGUAGE_WORDS,
    N_,
    RAG_FILL,
    RAG_WORDS,
    TEMPLATE_WORDS,
    change_words,
    plan_suggestions,
    suggestion_sentence,
)

__all__ = [
    "AUDIT_ROWS_SHOWN",
    "CHART_MAX_GROUPS",
    "DEFAULT_TEMPLATE",
    "FOOTER_TITLE_LIMIT",
    "GAP_SEVERITY_WORDS",
    "LANGUAGE_WORDS",
    "N_",
    "RAG_FILL",
    "RAG_WORDS",
    "REQUIRED_PLACEHOLDERS",
    "REQUIRED_STYLES",
    "TEMPLATE_WORDS",
    "Cell",
    "MitigationDecision",
    "ReportDetails",
    "Signatory",
    "TemplateError",
    "change_words",
    "check_template",
    "compose",
    "impact_chart",
    "mitigation_key",
    "plan_suggestions",
    "prepare",
    "record_payload",
    "save_html_record",
    "save_report",
    "suggestion_sentence",
    "write_html_record",
    "write_report",
]
