"""The record as typed blocks: what the composer decides (every word, in the record's language, and the language
each run of text is in) and what a renderer lays out (a Word document, an HTML page).

A renderer never words anything: it turns these blocks into its format, and nothing else. So the Word record and
the HTML record say the same thing, and a new format needs no section code.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Cell:
    """One table cell as a section asks for it: its text, whether it is bold, its background colour (hex RGB) if
    any, and how many columns it spans (a row that heads a part of a table, such as a finding above its
    mitigations)."""

    text: str
    bold: bool = False
    fill: str | None = None
    span: int = 1


@dataclass(frozen=True)
class Run:
    """A run of text: bold or not, and the language it is in (a tag, "cy-GB"; None when untagged)."""

    text: str
    bold: bool = False
    lang: str | None = None


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of runs in a named style ("Title", "Subtitle", "Caption" or the body text when None);
    keep_next keeps it with what follows (a sentence that introduces a table)."""

    runs: tuple[Run, ...]
    style: str | None = None
    keep_next: bool = False


@dataclass(frozen=True)
class Heading:
    """A heading of level 1 to 3; levels 1 and 2 are listed in the contents."""

    text: str
    level: int
    runs: tuple[Run, ...]


@dataclass(frozen=True)
class BulletList:
    """A list of items, each a paragraph of runs."""

    items: tuple[tuple[Run, ...], ...]


@dataclass(frozen=True)
class TableCell:
    """A cell as rendered: its text (for measuring), its runs, bold, fill and span."""

    text: str
    runs: tuple[Run, ...]
    bold: bool = False
    fill: str | None = None
    span: int = 1


@dataclass(frozen=True)
class Table:
    """A table: a header row (None for a table of labels and values, whose first column labels each row), its
    rows, the columns' shares of the width, and for a table to sign in, each row's least height in cm."""

    header: tuple[TableCell, ...] | None
    rows: tuple[tuple[TableCell, ...], ...]
    widths: tuple[float, ...]
    row_height_cm: float | None = None
    row_labels: bool = False


@dataclass(frozen=True)
class Figure:
    """A picture (PNG) with its text alternative, its title and its caption, shown width_cm wide."""

    png: bytes
    width_cm: float
    alt: str
    title: str
    caption: tuple[Run, ...]


@dataclass(frozen=True)
class PageBreak:
    """What follows starts on a new page (for a renderer that has pages)."""


@dataclass(frozen=True)
class Contents:
    """The contents: its title; the entries are the headings of level 1 and 2 that follow."""

    title: tuple[Run, ...]


Block = Paragraph | Heading | BulletList | Table | Figure | PageBreak | Contents


@dataclass
class ComposedRecord:
    """One language's record, composed: its blocks, its language, and the words the document's frame shows (the
    title and keywords of its properties, the template's header and footer words)."""

    language: str
    tag: str
    blocks: list[Block] = field(default_factory=list)
    plan_title: str = ""
    council: str = ""
    rule_base_version: str = ""
    document_title: str = ""
    subject: str = ""
    author: str = ""
    keywords: str = ""
    frame_words: dict[str, str] = field(default_factory=dict)
    status: str = "draft"  # the record's status: draft, submitted or approved (proofing.report.status)
    status_mark: str = ""  # the words every page carries about its status ("Draft: not approved ...")
