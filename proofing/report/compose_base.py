"""The composer's groundwork: what a record is composed from (worked out before composing), and the few ways a
section adds a block, each run of its text tagged with the language it is in."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from proofing.assessment import Assessment, Finding
from proofing.impact import Residual
from proofing.knowledge import KnowledgeBase
from proofing.language import TAGS, Language, Translator
from proofing.report.blocks import (
    Block,
    BulletList,
    Cell,
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
from proofing.report.details import ReportDetails
from proofing.report.words import RAG_WORDS, held_on, short_period
from proofing.whatif import Suggestion

_NUMBERED = re.compile(r"(\d+\. )(.+)", re.DOTALL)  # "3. " and a finding's title, as headings and tables name it

RecordFormat = Literal["docx", "html"]


@dataclass(frozen=True)
class Half:
    """Everything one language's record is composed from, worked out before composing: the rule base and the
    assessment in that language, the rule-base texts that fell back to English, the residual scores after the
    mitigations in place, what would lower the level (None for a plan not complete enough), and the details."""

    language: Language
    kb: KnowledgeBase
    assessment: Assessment
    meta: ReportDetails
    residual: Residual
    suggestions: list[Suggestion] | None
    fallbacks: frozenset[str] = frozenset()
    rule_drafts: dict[str, bool] = field(default_factory=dict)  # its rule-base texts: draft or not (issue 25)


class ComposerBase:
    """Holds one half's inputs and its translator, and appends blocks in the record's language."""

    def __init__(self, half: Half, words: Translator, record_format: RecordFormat = "docx") -> None:
        self.t = words
        self.format = record_format
        self.kb = half.kb
        self.a = half.assessment
        self.meta = half.meta
        self.suggestions = half.suggestions
        self.fallbacks = half.fallbacks  # rule-base texts shown in English for want of Welsh: tagged en-GB
        self.result = half.residual
        self.names = {c.id: c.name for c in self.kb.characteristics} | {c.id: c.name for c in self.kb.communities}
        # Each finding is numbered once, in the order the assessment gives them (most serious first), so the
        # group table, the mitigation plan and the table of what the findings bear on can point to it.
        self.number = {finding.rule: index for index, finding in enumerate(self.a.findings, start=1)}
        # The strategy's period, "2008-11", labels its leads and timescales as the strategy's, not deadlines.
        self.period = short_period(self.kb.strategy.period)
        self.record = ComposedRecord(language=words.language, tag=words.tag)
        self.blocks: list[Block] = self.record.blocks

    # the words the composer writes itself, in the record's language

    def _(self, text: str, /, **values: Any) -> str:
        """`text` in the record's language, its placeholders filled."""
        return self.t._(text, **values)

    def n_(self, one: str, many: str, count: int, /, **values: Any) -> str:
        """The form of a counted text `count` takes in the record's language; ``{n}`` is the count."""
        return self.t.n_(one, many, count, **values)

    def tag_of(self, text: str) -> str:
        """The language tag of a run: the record's, or en-GB for a rule-base text still without its Welsh form."""
        if self.fallbacks and " ".join(text.split()) in self.fallbacks:
            return TAGS["en"]
        return self.t.tag

    def runs_of(self, text: str, bold: bool = False, keep_empty: bool = False) -> tuple[Run, ...]:
        """A text as runs, tagged with its language; a numbered rule text ("3. " and a finding's title still in
        English) is two runs, so that only the title is tagged English. No run for an empty text unless kept."""
        if not text and not keep_empty:
            return ()
        numbered = _NUMBERED.fullmatch(text) if self.fallbacks else None
        if numbered is not None and self.tag_of(numbered.group(2)) != self.t.tag:
            return (
                Run(numbered.group(1), bold, self.t.tag),
                Run(numbered.group(2), bold, self.tag_of(numbered.group(2))),
            )
        return (Run(text, bold, self.tag_of(text)),)

    # each appends one block

    def para(self, text: str = "", style: str | None = None, bold: bool = False, keep_next: bool = False) -> None:
        """A paragraph of one run of text (none when text is empty), in a style; keep_next keeps it on the page of
        what follows (a sentence that introduces a table), as a heading is kept."""
        self.blocks.append(Paragraph(self.runs_of(text, bold), style, keep_next))

    def runs(self, parts: list[tuple[str, bool]], style: str | None = None) -> None:
        """A paragraph of several runs, each (text, bold)."""
        self.blocks.append(
            Paragraph(tuple(run for text, bold in parts for run in self.runs_of(text, bold, keep_empty=True)), style)
        )

    def labelled(self, label: str, text: str) -> None:
        """A paragraph that starts with a bold label: "Affects: ...", so a reader can scan for it."""
        self.runs([(f"{label}: ", True), (text, False)])

    def heading(self, text: str, level: int) -> None:
        """A heading; levels 1 and 2 are listed in the contents."""
        self.blocks.append(Heading(text, level, self.runs_of(text, keep_empty=True)))

    def bullet(self, text: str) -> None:
        """An item of a list; items one after another make one list."""
        item = self.runs_of(text)
        if self.blocks and isinstance(self.blocks[-1], BulletList):
            self.blocks[-1] = BulletList((*self.blocks[-1].items, item))
        else:
            self.blocks.append(BulletList((item,)))

    def page_break(self) -> None:
        """What follows starts on a new page."""
        self.blocks.append(PageBreak())

    def contents(self) -> None:
        """The contents: its entries are the headings of level 1 and 2, which the renderer lists."""
        self.blocks.append(Contents(self.runs_of(self._("Contents"))))

    def cell(self, cell: str | Cell, bold: bool = False) -> TableCell:
        """A table cell with its runs."""
        found = cell if isinstance(cell, Cell) else Cell(cell, bold)
        return TableCell(found.text, self.runs_of(found.text, found.bold), found.bold, found.fill, found.span)

    def table(
        self,
        header: list[str] | None,
        rows: list[list[str | Cell]],
        widths: list[float],
        row_height_cm: float | None = None,
        row_labels: bool = False,
    ) -> None:
        """A table, its columns in the proportions given, and when given a bold header row; a row_height_cm makes
        each row below the header at least that tall (room to sign)."""
        self.blocks.append(
            Table(
                None if header is None else tuple(self.cell(text, bold=True) for text in header),
                tuple(tuple(self.cell(cell) for cell in row) for row in rows),
                tuple(widths),
                row_height_cm,
                row_labels,
            )
        )

    def key_values(self, rows: list[tuple[str, str]], widths: tuple[float, float] = (1, 2.6)) -> None:
        """A two-column table of labels and values: no header row, the labels in bold."""
        self.table(None, [[Cell(label, bold=True), value] for label, value in rows], list(widths), row_labels=True)

    def figure(self, png: bytes, width_cm: float, alt_text: str, title: str, caption: str) -> None:
        """A picture with its text alternative, and its caption beneath it."""
        self.blocks.append(Figure(png, width_cm, alt_text, title, self.runs_of(caption)))

    # words several sections use

    def group_names(self, ids: list[str]) -> str:
        """The names of groups, joined; "No particular group" when there are none."""
        return ", ".join(self.names.get(i, i) for i in ids) or self._("No particular group")

    def day(self, text: str) -> str:
        """A date as the record writes it in full: "1 December 2026", "1 Rhagfyr 2026" (as given, if not a date)."""
        return held_on(text) if self.t.language == "en" else self.t.date(text)

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
