"""`proofing translate check`: every translated text against Debian's aspell-cy and the reviewed word list
(issue 25). A planted misspelling is found with its catalogue entry and fails the check; the project's own
catalogues pass."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from proofing.cli import main
from proofing.errors import CommandError
from proofing.language import LOCALE_DIR, write_catalogue
from proofing.spelling import check_catalogues, dictionary, words_of


def _scratch(tmp_path: Path, translations: dict[str, str], words: str = "") -> Path:
    """A locale folder of one Welsh catalogue with these translations (English to Welsh), and a word list."""
    folder = tmp_path / "locale"
    (folder / "cy" / "LC_MESSAGES").mkdir(parents=True)
    made = Catalog(locale="cy")
    for english, welsh in translations.items():
        made.add(english, welsh, flags=("fuzzy",))
    write_catalogue(made, folder / "cy" / "LC_MESSAGES" / "ui-scratch.po")
    (folder / "cy" / "words.txt").write_text("# reviewed words\n" + words, encoding="utf-8")
    return folder


def test_the_project_catalogues_pass(capsys: pytest.CaptureFixture[str]) -> None:
    """Every Welsh text of the project, rule base and interface, is in the dictionary or the reviewed word list."""
    report = check_catalogues("cy")
    assert report.texts > 2500 and report.words > 30000
    assert report.unknown == []
    assert main(["translate", "check", "--lang", "cy"]) == 0
    assert "0 unknown" in capsys.readouterr().out


def test_a_planted_misspelling_is_found_with_its_entry(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _scratch(
        tmp_path,
        {
            "The plan is ready.": "Mae'r cynllun yn barod.",
            "The council checks the plan.": "Mae'r cyngor yn gwirio'r cynlun.",  # cynllun, one l short
        },
    )
    report = check_catalogues("cy", folder)
    assert [(unknown.word, unknown.english) for unknown in report.unknown] == [
        ("cynlun", "The council checks the plan.")
    ]
    assert report.unknown[0].file == folder / "cy" / "LC_MESSAGES" / "ui-scratch.po"
    assert main(["translate", "check", "--lang", "cy", "--locale", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "ui-scratch.po:" in out
    assert 'cynlun, in the text for "The council checks the plan."' in out
    assert "1 unknown" in out


def test_the_reviewed_word_list_accepts_a_proper_noun(tmp_path: Path) -> None:
    translations = {"In Rhosllannerchrugog and Caia Park.": "Yn Rhosllannerchrugog a Pharc Caia."}
    assert {unknown.word for unknown in check_catalogues("cy", _scratch(tmp_path / "a", translations)).unknown} == {
        "Rhosllannerchrugog",
        "Caia",
    }
    listed = _scratch(tmp_path / "b", translations, words="Rhosllannerchrugog\nCaia\n")
    assert check_catalogues("cy", listed).unknown == []
    assert main(["translate", "check", "--lang", "cy", "--locale", str(listed)]) == 0


def test_placeholders_markup_and_numbers_are_not_words() -> None:
    text = (
        "Ysgrifennwyd y cynllun '{titel}' i <b>{path}</b> (fersiwn 2.1, sha256 {sha}): gweler "
        "[y canllaw](https://example.org/cymorth) neu rhowch --json, `proofing rules check` a "
        "PROOFING_PUBLIC_URL; lawrlwythwch y cofnod (.docx)."
    )
    assert words_of(text) == [
        "Ysgrifennwyd", "y", "cynllun", "i", "fersiwn", "gweler", "y", "canllaw", "neu", "rhowch", "a",
        "lawrlwythwch", "y", "cofnod",
    ]  # fmt: skip


def test_a_missing_dictionary_is_said_in_words() -> None:
    with pytest.raises(CommandError, match="not installed: run `bash tools/aspell.sh`"):
        dictionary("xx")


def test_the_word_list_says_what_belongs_there_and_who_reviews_it() -> None:
    header = [line for line in (LOCALE_DIR / "cy" / "words.txt").read_text(encoding="utf-8").splitlines()][:20]
    said = " ".join(header)
    assert "What belongs here" in said and "Who reviews it" in said and "translation unit" in said
