"""Welsh drafts shown as drafts (issue 25): a page and a record count the Welsh texts they show that no Welsh
speaker has confirmed, and a reviewed catalogue brought back by `proofing translate import` confirms its texts, so
the page's note and the record's front matter count fewer drafts.

Each test works on its own copy of the catalogues, so importing never changes the project's."""

from __future__ import annotations

import functools
import io
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import docx
import pytest
from babel.messages.catalog import Catalog
from streamlit.testing.v1 import AppTest

import proofing.report.composer
import views.common
from proofing.assessment import assess
from proofing.cli import main as proofing_main
from proofing.drafts import import_reviewed, rule_drafts
from proofing.knowledge import KnowledgeBase
from proofing.language import (
    LOCALE_DIR,
    Translator,
    catalogue,
    coverage_of,
    translator,
    ui_coverage,
    write_catalogue,
)
from proofing.plan import read_plan
from proofing.report import ReportDetails, write_report
from tests.app_pages import app_database

ROOT = Path(__file__).resolve().parent.parent
PAGE_NOTE = "{n} of the Welsh texts on this page is a draft not yet confirmed by a Welsh speaker."
RECORD_NOTE = (
    "{n} of the {total} Welsh texts in this record is a draft not yet confirmed by a Welsh speaker; "
    "{confirmed} confirmed by the council's translation unit."
)


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    """A copy of the project's catalogues, every text in them a draft as the project ships them."""
    copy = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, copy)
    return copy


def reviewed(folder: Path, texts: list[str], to: Path) -> Path:
    """A catalogue as the translation unit hands it back: `texts` with their Welsh, confirmed (no fuzzy flag)."""
    made = Catalog(locale="cy")
    for english in texts:
        entry = catalogue("cy", folder).lookup(english)
        assert entry is not None and isinstance(entry.text, str)
        made.add(english, string=entry.text)
    write_catalogue(made, to)
    return to


def counted(text: str, english: str, folder: Path) -> list[int]:
    """The numbers in `text` when it is the Welsh form of the counted note `english` (its forms, numbers blanked)."""
    entry = catalogue("cy", folder).lookup(english)
    assert entry is not None and isinstance(entry.text, tuple)
    blank = re.sub(r"\{\w+\}", "#", "\n".join(entry.text)).split("\n")
    if re.sub(r"\d+", "#", text) not in blank:
        return []
    return [int(number) for number in re.findall(r"\d+", text)]


def test_importing_a_reviewed_catalogue_confirms_its_texts(folder: Path, tmp_path: Path, kb: KnowledgeBase) -> None:
    texts = ["Assess a plan", "Results", "Register"]
    before = coverage_of(((None, text) for text in texts), "cy", folder)
    assert (before.confirmed, before.drafts) == (0, 3)
    whole_before = ui_coverage([], "cy", folder)
    imported = import_reviewed(kb, texts, "cy", reviewed(folder, texts, tmp_path / "back.po"), folder)
    assert (imported.updated + imported.added, imported.drafts, imported.refused) == (3, 0, [])
    after = coverage_of(((None, text) for text in texts), "cy", folder)
    assert (after.confirmed, after.drafts, after.missing) == (3, 0, [])
    assert ui_coverage([], "cy", folder) == whole_before  # no text but the reviewed ones was touched


def test_the_command_line_import_confirms_the_apps_words(folder: Path, tmp_path: Path) -> None:
    back = reviewed(folder, ["Assess a plan"], tmp_path / "back.po")
    assert proofing_main(["translate", "import", str(back), "--lang", "cy", "--locale", str(folder)]) == 0
    entry = catalogue("cy", folder).lookup("Assess a plan")
    assert entry is not None and not entry.fuzzy
    catalogue.cache_clear()


def test_a_text_that_is_neither_ours_nor_the_rule_bases_is_refused(
    folder: Path, tmp_path: Path, kb: KnowledgeBase
) -> None:
    made = Catalog(locale="cy")
    made.add("No such text anywhere", string="Dim testun o'r fath")
    write_catalogue(made, tmp_path / "back.po")
    imported = import_reviewed(kb, ["Assess a plan"], "cy", tmp_path / "back.po", folder)
    assert imported.added == imported.updated == 0 and len(imported.refused) == 1


@pytest.fixture()
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    yield from app_database(tmp_path, monkeypatch)


def made_in(folder: Path, made: list[Translator]) -> Callable[[str], Translator]:
    """A translator factory over `folder` that keeps each translator it makes in `made`."""

    def make(language: str, *_args: object) -> Translator:
        words = translator(language, folder)  # type: ignore[arg-type]
        made.append(words)
        return words

    return make


def welsh_page() -> AppTest:
    """The first page in Welsh, run twice: a page that stops early shows its note from its second run on."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["language"] = "cy"
    return at.run().run()


def page_drafts(at: AppTest, folder: Path) -> int:
    found = [counted(caption.value, PAGE_NOTE, folder) for caption in at.caption]
    numbers = [numbers for numbers in found if numbers]
    assert len(numbers) == 1, [caption.value for caption in at.caption]
    return numbers[0][0]


def test_the_page_note_counts_fewer_drafts_once_some_are_confirmed(
    database: str, folder: Path, tmp_path: Path, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[Translator] = []
    monkeypatch.setattr(views.common, "translator", made_in(folder, made))
    at = welsh_page()
    assert not at.exception
    before = page_drafts(at, folder)
    served = made[-1]
    singular = sorted(text for text in served.drafts_used if isinstance(catalogue("cy", folder).lookup(text).text, str))  # type: ignore[union-attr]
    assert before == len(served.drafts_used) > 3
    import_reviewed(kb, singular[:3], "cy", reviewed(folder, singular[:3], tmp_path / "back.po"), folder)
    again = welsh_page()
    assert not again.exception
    assert page_drafts(again, folder) == before - 3
    english = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run().run()
    assert not any(counted(caption.value, PAGE_NOTE, folder) for caption in english.caption)
    assert not any("Welsh texts" in caption.value for caption in english.caption)


def record_numbers(data: bytes, folder: Path) -> list[list[int]]:
    """The draft, total and confirmed counts each half's front matter gives."""
    paragraphs = [paragraph.text for paragraph in docx.Document(io.BytesIO(data)).paragraphs]
    return [numbers for text in paragraphs if (numbers := counted(text, RECORD_NOTE, folder))]


def test_the_records_front_matter_counts_fewer_drafts_once_some_are_confirmed(
    folder: Path, tmp_path: Path, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[Translator] = []
    monkeypatch.setattr(proofing.report.composer, "translator", made_in(folder, made))
    monkeypatch.setattr(proofing.report.composer, "rule_drafts", functools.partial(rule_drafts, folder=folder))
    library = assess(kb, read_plan(ROOT / "examples" / "library-opening-hours.yaml"))
    details = ReportDetails(assessors=["Head of Libraries"], produced_at="2026-12-01T10:00:00+00:00")
    [[drafts, total, confirmed]] = record_numbers(write_report(kb, library, details, language="cy"), folder)
    assert drafts == total > 0 and confirmed == 0
    used = made[-1]
    singular = sorted(text for text in used.drafts_used if isinstance(catalogue("cy", folder).lookup(text).text, str))  # type: ignore[union-attr]
    import_reviewed(kb, singular[:5], "cy", reviewed(folder, singular[:5], tmp_path / "back.po"), folder)
    [[drafts_after, total_after, confirmed_after]] = record_numbers(
        write_report(kb, library, details, language="cy"), folder
    )
    assert (drafts_after, total_after, confirmed_after) == (drafts - 5, total, 5)
    bilingual = record_numbers(write_report(kb, library, details, language="bilingual"), folder)
    assert bilingual == [[drafts - 5, total, 5]]  # the Welsh half says it; the English half has no Welsh
    assert record_numbers(write_report(kb, library, details, language="en"), folder) == []
