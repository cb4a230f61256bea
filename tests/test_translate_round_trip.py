"""`proofing translate export` → the translation unit marks texts reviewed → `proofing translate import` (issue 25).

The export carries everything a Welsh reader sees: the rule base's texts and the app's, the record's and the command
line's own words (``_``, ``n_`` and ``N_`` in the code). The translation unit clears the fuzzy flag of each text it
confirms; importing the file moves those texts from draft to confirmed, and the page's drafts note and the Welsh
record's front matter count that many fewer drafts. An exported file sent back untouched changes nothing.

Each test works on its own copy of the catalogues (tests/test_drafts.py's ``folder``), never the project's.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

import proofing.report.composer
import views.common
from proofing.assessment import assess
from proofing.cli import main as proofing_main
from proofing.drafts import UI_NOTE, rule_drafts
from proofing.knowledge import KnowledgeBase
from proofing.language import (
    Translator,
    catalogue,
    coverage_of,
    localised,
    read_catalogue,
    rule_texts,
    write_catalogue,
)
from proofing.plan import read_plan
from proofing.report import ReportDetails, write_report
from tests.test_drafts import (  # noqa: F401  (database, folder: fixtures, used by name)
    ROOT,
    database,
    folder,
    made_in,
    page_drafts,
    record_numbers,
    welsh_page,
)


def export(locale: Path, to: Path, capsys: pytest.CaptureFixture[str]) -> Catalog:
    """`proofing translate export` over the catalogues in `locale`, read back."""
    assert proofing_main(["translate", "export", "--lang", "cy", "-o", str(to), "--locale", str(locale)]) == 0
    said = capsys.readouterr().out
    assert "the app's, the record's and the command line's own words" in said
    return read_catalogue(to, "cy", strict=True)


def review(exported: Catalog, confirmed: set[tuple[str | None, str]], to: Path) -> Path:
    """The exported file as the translation unit sends it back: the `confirmed` (context, English) texts without
    their fuzzy flag, every other text as it was."""
    for message in exported:
        english = message.id if isinstance(message.id, str) else message.id[0]
        if message.id and (message.context, english) in confirmed:
            message.flags.discard("fuzzy")
    write_catalogue(exported, to)
    return to


def test_the_export_carries_the_apps_own_words_beside_the_rule_base(
    folder: Path,  # noqa: F811
    tmp_path: Path,
    kb: KnowledgeBase,
    capsys: pytest.CaptureFixture[str],
) -> None:
    exported = export(folder, tmp_path / "out.po", capsys)
    own = {message.id if isinstance(message.id, str) else message.id[0] for message in exported if message.id}
    ours = [message for message in exported if message.id and UI_NOTE in message.auto_comments]
    rules = [message for message in exported if message.id and message.context]
    assert {"Assess a plan", "Prepare the Word record", "Submitted for approval"} <= own  # _() and N_() texts
    assert any(isinstance(message.id, tuple) for message in ours)  # n_() texts, with their plural
    assert all(message.locations for message in ours)  # where the code says each, for the translator
    assert {(message.context, message.id) for message in rules} == {(t.context, t.english) for t in rule_texts(kb)}
    assert all(message.fuzzy for message in exported if message.id)  # the project ships every text as a draft

    back = review(exported, set(), tmp_path / "untouched.po")  # sent back with nothing confirmed
    before = sorted(path.name for path in (folder / "cy" / "LC_MESSAGES").iterdir())
    assert proofing_main(["translate", "import", str(back), "--lang", "cy", "--locale", str(folder)]) == 0
    assert "0 added, 0 updated" in capsys.readouterr().out
    assert sorted(path.name for path in (folder / "cy" / "LC_MESSAGES").iterdir()) == before


def test_reviewed_texts_move_from_draft_to_confirmed_on_the_page(
    database: str,  # noqa: F811
    folder: Path,  # noqa: F811
    tmp_path: Path,
    kb: KnowledgeBase,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    made: list[Translator] = []
    monkeypatch.setattr(views.common, "translator", made_in(folder, made))
    at = welsh_page()
    assert not at.exception
    before = page_drafts(at, folder)
    shown = sorted(text for text in made[-1].drafts_used if isinstance(catalogue("cy", folder).lookup(text).text, str))  # type: ignore[union-attr]
    chosen = {(None, text) for text in shown[:4]}
    assert coverage_of(chosen, "cy", folder).drafts == 4

    exported = export(folder, tmp_path / "out.po", capsys)
    back = review(exported, chosen, tmp_path / "reviewed.po")
    assert proofing_main(["translate", "import", str(back), "--lang", "cy", "--locale", str(folder)]) == 0
    assert "0 refused" in capsys.readouterr().out
    after = coverage_of(chosen, "cy", folder)
    assert (after.confirmed, after.drafts, after.missing) == (4, 0, [])

    again = welsh_page()
    assert not again.exception
    assert page_drafts(again, folder) == before - 4


def test_reviewed_texts_move_from_draft_to_confirmed_in_the_records_front_matter(
    folder: Path,  # noqa: F811
    tmp_path: Path,
    kb: KnowledgeBase,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    made: list[Translator] = []
    monkeypatch.setattr(proofing.report.composer, "translator", made_in(folder, made))
    monkeypatch.setattr(proofing.report.composer, "rule_drafts", functools.partial(rule_drafts, folder=folder))
    library = assess(kb, read_plan(ROOT / "examples" / "library-opening-hours.yaml"))
    details = ReportDetails(assessors=["Head of Libraries"], produced_at="2026-12-01T10:00:00+00:00")
    [[drafts, total, confirmed]] = record_numbers(write_report(kb, library, details, language="cy"), folder)
    assert drafts == total > 0 and confirmed == 0
    used = sorted(text for text in made[-1].drafts_used if isinstance(catalogue("cy", folder).lookup(text).text, str))  # type: ignore[union-attr]
    # Three of the app's words the record used, and the titles of two of its findings (rule-base texts).
    english_titles = {rule.id: rule.title for rule in kb.rules}
    welsh_titles = {rule.id: rule.title for rule in localised(kb, "cy").kb.rules}
    found = [finding.rule for finding in library.findings[:2]]
    assert all(welsh_titles[rule] != english_titles[rule] for rule in found)
    chosen = {(None, text) for text in used[:3]} | {(f"rule.{rule}.title", english_titles[rule]) for rule in found}

    exported = export(folder, tmp_path / "out.po", capsys)
    back = review(exported, chosen, tmp_path / "reviewed.po")
    assert proofing_main(["translate", "import", str(back), "--lang", "cy", "--locale", str(folder)]) == 0
    assert "0 refused" in capsys.readouterr().out
    coverage = coverage_of(chosen, "cy", folder)
    assert (coverage.confirmed, coverage.drafts) == (5, 0)

    [[drafts_after, total_after, confirmed_after]] = record_numbers(
        write_report(kb, library, details, language="cy"), folder
    )
    assert (drafts_after, total_after, confirmed_after) == (drafts - 5, total, 5)
    assert record_numbers(write_report(kb, library, details, language="bilingual"), folder) == [[drafts - 5, total, 5]]
