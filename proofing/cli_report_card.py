"""`proofing report --quarter 2027Q1 --docx FILE [--lang cy]` (or `--year 2027`): the strategy's report card (Results
Based Accountability) from the database ``PROOFING_DB_URL`` names (or ``--db``), as a Word document in the record's
style, for a scheduled job before the Co-ordination Group meets.

Exit codes: 0 written (an empty new database gives a report card of zeros, not an error); 2 bad usage (a period that
is neither a quarter nor a year) or a database that cannot be opened.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from proofing.cli_text import _, _say
from proofing.errors import CommandError
from proofing.knowledge import KnowledgeBase, load_knowledge
from proofing.language import localised
from proofing.report_card import PeriodError, parse_period, report_card
from proofing.report_card_word import write_card
from proofing.store import Store, StoreError


def add_parser(commands: Any) -> None:
    """Add `report (--quarter Q | --year Y) --docx FILE [--lang en|cy] [--db URL]` to the subcommands."""
    report = commands.add_parser("report", help="write the strategy's report card for a quarter or a year (Word)")
    when = report.add_mutually_exclusive_group(required=True)
    when.add_argument("--quarter", metavar="QUARTER", help="a quarter, such as 2027Q1")
    when.add_argument("--year", metavar="YEAR", help="a year, such as 2027")
    report.add_argument("--docx", metavar="FILE", required=True, type=Path, help="the Word file to write")
    report.add_argument("--lang", choices=("en", "cy"), default="en", help="the report card's language")
    report.add_argument("--db", metavar="URL", help="the database (default: PROOFING_DB_URL, else data/proofing.db)")


def report_command(arguments: argparse.Namespace, load: Any = load_knowledge) -> int:
    """Write the report card of the period asked for to the Word file named."""
    try:
        period = parse_period(arguments.quarter or arguments.year)
    except PeriodError:
        raise CommandError(
            _(
                "{period} is not a quarter (such as 2027Q1) or a year (such as 2027)",
                period=arguments.quarter or arguments.year,
            )
        ) from None
    if (arguments.quarter is not None) != (period.quarter is not None):
        raise CommandError(_("--quarter takes a quarter (such as 2027Q1) and --year a year (such as 2027)"))
    try:
        store = Store(arguments.db)
    except StoreError as error:
        raise CommandError(error.code, **error.values) from None  # worded by the face, in its language
    kb: KnowledgeBase = load()
    card = report_card(store, kb, period)
    shown = localised(kb, arguments.lang).kb if arguments.lang != "en" else kb
    arguments.docx.write_bytes(write_card(card, shown, arguments.lang))
    _say(_("Report card for {period} written to {path}", period=period.code, path=str(arguments.docx)))
    return 0
