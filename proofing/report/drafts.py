"""The record's front matter says how much of its Welsh is draft (issue 25): a short paragraph on the title page of
each translated half, counted by the library (proofing.drafts) once the half is composed, so it counts every
translated text the half shows: the record's own words and the rule base's."""

from __future__ import annotations

from collections.abc import Iterable

from proofing.drafts import count, rule_texts_in
from proofing.report.blocks import Block, BulletList, Contents, Figure, Heading, Paragraph, Run, Table
from proofing.report.compose_base import ComposerBase


def _runs(block: Block) -> Iterable[tuple[Run, ...]]:
    """Each paragraph of runs a block shows."""
    if isinstance(block, Paragraph | Heading):
        yield block.runs
    elif isinstance(block, BulletList):
        yield from block.items
    elif isinstance(block, Table):
        for row in ([block.header] if block.header else []) + list(block.rows):
            yield from (cell.runs for cell in row)
    elif isinstance(block, Figure):
        yield block.caption
    elif isinstance(block, Contents):
        yield block.title


def record_text(blocks: Iterable[Block]) -> str:
    """The text the blocks show, a line for each paragraph or cell."""
    return "\n".join("".join(run.text for run in runs) for block in blocks for runs in _runs(block))


def draft_note(composer: ComposerBase, drafts: dict[str, bool]) -> None:
    """Put in the half's front matter (after the title page's table, before the board's summary) how many of its
    translated texts are drafts; nothing for a half with no translated text (English)."""
    counted = count(composer.t, rule_texts_in(record_text(composer.blocks), drafts), drafts)
    if counted.texts == 0:
        return
    text = composer.n_(
        "{n} of the {total} Welsh texts in this record is a draft not yet confirmed by a Welsh speaker; "
        "{confirmed} confirmed by the council's translation unit.",
        "{n} of the {total} Welsh texts in this record are drafts not yet confirmed by a Welsh speaker; "
        "{confirmed} confirmed by the council's translation unit.",
        counted.drafts,
        total=counted.texts,
        confirmed=counted.confirmed,
    )
    composer.para(text, style="Caption")
    note = composer.blocks.pop()
    start = 1 if composer.blocks and not isinstance(composer.blocks[0], Paragraph | Heading) else 0
    at = next(
        (i for i, block in enumerate(composer.blocks) if i >= start and isinstance(block, Heading)),
        len(composer.blocks),
    )
    composer.blocks.insert(at, note)
