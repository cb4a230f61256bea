"""proofing.vocabulary: each word list once, covering the library's ids, worded through the one translator; no page
keeps its own copy of those words; one wording of a what-if change for the command line, the app and the record."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import get_args

import pytest

from proofing import vocabulary
from proofing.access import ROLES, Role
from proofing.approvals import SignOff
from proofing.assessment import Gap
from proofing.decisions import DECISION_STATUSES
from proofing.language import RECORD_LANGUAGES, catalogue, translator
from proofing.screening import Rag
from proofing.store import STATUS_WORDS as STORE_STATUS_WORDS
from proofing.store import STATUSES
from proofing.workshop import VERDICTS, Stage

PROJECT = Path(__file__).resolve().parent.parent
VIEWS = sorted((PROJECT / "views").glob("*.py"))
# The language switch and the record-language choice belong to their own pages (views/common.py, views/export.py).
LEFT_TO_THEIR_OWNERS = {"export.py"}

LIBRARY_IDS: dict[str, set[object]] = {
    "roles": set(ROLES) | set(get_args(Role)),
    "statuses": set(STATUSES) | set(STORE_STATUS_WORDS),
    "decisions": set(DECISION_STATUSES),
    "sign_offs": set(get_args(SignOff.model_fields["outcome"].annotation)),
    "stages": set(get_args(Stage)),
    "verdicts": set(VERDICTS),
    "verdicts_short": set(VERDICTS),
    "rag": set(get_args(Rag)),
    "rag_tags": set(get_args(Rag)),
    "likelihoods": {1, 2, 3, 4, 5},
    "gap_severities": set(get_args(Gap.model_fields["severity"].annotation)),
    "record_languages": set(RECORD_LANGUAGES),
}


def test_every_list_is_checked_against_the_library() -> None:
    assert set(vocabulary.LISTS) == set(LIBRARY_IDS)


@pytest.mark.parametrize("name", sorted(LIBRARY_IDS))
def test_each_list_covers_the_library_ids(name: str) -> None:
    words = vocabulary.LISTS[name]
    missing = LIBRARY_IDS[name] - set(words)
    assert not missing, f"{name} has no words for {sorted(map(str, missing))}"
    assert all(isinstance(text, str) and text.strip() for text in words.values())


def test_the_library_keeps_the_same_english_as_the_vocabulary() -> None:
    """The store's own status words (a module this workstream does not own) say what the vocabulary says."""
    for status, english in STORE_STATUS_WORDS.items():
        assert vocabulary.STATUS_WORDS[status].lower() == english.lower()


@pytest.mark.parametrize("name", sorted(LIBRARY_IDS))
def test_every_word_has_a_welsh_entry(name: str) -> None:
    catalogue.cache_clear()
    welsh = catalogue("cy")
    missing = [text for text in vocabulary.LISTS[name].values() if welsh.lookup(text) is None]
    assert not missing


def test_worded_translates_each_id_and_keeps_the_ids() -> None:
    cy, en = translator("cy"), translator("en")
    english = vocabulary.worded(vocabulary.ROLE_WORDS, en)
    welsh = vocabulary.worded(vocabulary.ROLE_WORDS, cy)
    assert english == vocabulary.ROLE_WORDS
    assert set(welsh) == set(english)
    assert welsh["approver"] != english["approver"]
    assert vocabulary.word(vocabulary.STATUS_WORDS, "withdrawn", cy) == "withdrawn"  # unknown: shown as it is


def _english_word_dicts(path: Path) -> list[tuple[int, list[str]]]:
    """Each dict literal in a page whose values are translated literals the vocabulary already holds."""
    known = {text for words in vocabulary.LISTS.values() for text in words.values()}
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Dict):
            continue
        texts = []
        for value in node.values:
            if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in {"_", "N_"}:
                argument = value.args[0] if value.args else None
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    texts.append(argument.value)
            elif isinstance(value, ast.Constant) and isinstance(value.value, str):
                texts.append(value.value)
        copied = [text for text in texts if text in known]
        if len(copied) >= 2:
            found.append((node.lineno, copied))
    return found


def test_no_page_keeps_its_own_copy_of_a_word_list() -> None:
    copies = {
        f"views/{path.name}:{line}": words
        for path in VIEWS
        if path.name not in LEFT_TO_THEIR_OWNERS
        for line, words in _english_word_dicts(path)
    }
    assert not copies, copies


def test_the_copy_check_finds_a_copy(tmp_path: Path) -> None:
    page = tmp_path / "page.py"
    page.write_text('NAMES = {"draft": _("Draft"), "final": _("Final")}\n', encoding="utf-8")
    assert _english_word_dicts(page) == [(1, ["Draft", "Final"])]


def test_one_wording_of_a_change_in_both_languages() -> None:
    en, cy = translator("en"), translator("cy")
    clause = vocabulary.change_clause(en, "Is it new?", "Yes", "No")
    assert clause == 'the answer to "Is it new?" were "Yes" rather than "No"'
    sentence = vocabulary.level_fall_sentence(en, [clause, "x"], "Full", "Screened out")
    assert sentence == f"If {clause} and x, the level would fall from Full to Screened out."
    welsh = vocabulary.level_fall_sentence(cy, ["a"], "Llawn", "Dim")
    assert welsh != vocabulary.level_fall_sentence(en, ["a"], "Llawn", "Dim")
    assert "Llawn" in welsh and "Dim" in welsh
