"""A new language is a folder of catalogues, with no change to the code (issue 21, "One home for every word").

Each test copies the project's locale folder to a temporary one, adds a language the project does not have (Irish,
``ga``: one tiny ``.po`` file and its ``language.yaml``), points ``PROOFING_LOCALE_DIR`` at the copy and runs the
real entry points in a new process (as a council would after dropping the folder in): the language is listed,
offered by the command line and the app's language switch, and a plan is assessed and written to a Word record in
it with no traceback. Texts the tiny catalogue does not translate stay English, as Welsh's untranslated texts do.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "examples" / "library-opening-hours.yaml"
IRISH_PO = """\
msgid ""
msgstr ""
"Language: ga\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Language of this record"
msgstr "Teanga an taifid seo"
"""
IRISH_FACTS = "name: Gaeilge\nenglish: Irish\ntag: ga-IE\nbabel: ga\n"


@pytest.fixture()
def locale_with_irish(tmp_path: Path) -> Path:
    """A copy of the project's catalogues with one more language in it, and nothing else changed."""
    folder = tmp_path / "locale"
    shutil.copytree(ROOT / "proofing" / "locale", folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (folder / "ga" / "LC_MESSAGES").mkdir(parents=True)
    (folder / "ga" / "LC_MESSAGES" / "ui-ga.po").write_text(IRISH_PO, encoding="utf-8")
    (folder / "ga" / "language.yaml").write_text(IRISH_FACTS, encoding="utf-8")
    return folder


def run(args: list[str], folder: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `args` in a new process that reads its catalogues from `folder`."""
    env = {**os.environ, "PROOFING_LOCALE_DIR": str(folder), "PROOFING_LANGUAGE": "en"}
    return subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=300, check=False)


def proofing(*args: str, folder: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The command line, as installed, reading its catalogues from `folder`."""
    return run([str(Path(sys.executable).parent / "proofing"), *args], folder, cwd)


def test_the_language_is_listed_from_the_folder(locale_with_irish: Path, tmp_path: Path) -> None:
    script = (
        "import json; from proofing.language import languages, record_languages, language_name, LANGUAGE_NAMES;"
        "print(json.dumps([languages(), record_languages(), language_name('ga'), LANGUAGE_NAMES]))"
    )
    done = run([sys.executable, "-c", script], locale_with_irish, tmp_path)
    assert done.returncode == 0, done.stderr
    spoken, record, name, names = json.loads(done.stdout)
    assert spoken == ["cy", "en", "ga"]
    assert record == ["cy", "en", "ga", "bilingual"]
    assert name == "Gaeilge"  # from its language.yaml, not from the code
    assert names == {"cy": "Cymraeg", "en": "English", "ga": "Gaeilge"}
    # The project's own folder, untouched, does not have it.
    here = subprocess.run(
        [sys.executable, "-c", "from proofing.language import languages; print(list(languages()))"],
        env={key: value for key, value in os.environ.items() if key != "PROOFING_LOCALE_DIR"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert here.stdout.strip() == "['cy', 'en']"


def test_the_command_line_offers_and_speaks_it(locale_with_irish: Path, tmp_path: Path) -> None:
    helped = proofing("assess", "--help", folder=locale_with_irish, cwd=tmp_path)
    assert helped.returncode == 0, helped.stderr
    assert "ga" in helped.stdout.split("--lang {", 1)[1].split("}", 1)[0].split(",")
    text = proofing("assess", str(LIBRARY), "--lang", "ga", folder=locale_with_irish, cwd=tmp_path)
    assert text.returncode in (0, 3), text.stderr  # 3: screened at or above --fail-on, never a crash
    assert "Traceback" not in text.stderr + text.stdout
    english = proofing("assess", str(LIBRARY), "--lang", "en", folder=locale_with_irish, cwd=tmp_path)
    assert text.stdout == english.stdout  # nothing in the assessment's text is translated yet: English per text
    unknown = proofing("assess", str(LIBRARY), "--lang", "xx", folder=locale_with_irish, cwd=tmp_path)
    assert unknown.returncode == 2 and "invalid choice" in unknown.stderr


def test_a_word_record_in_it(locale_with_irish: Path, tmp_path: Path) -> None:
    target = tmp_path / "record.docx"
    done = proofing(
        "assess", str(LIBRARY), "--lang", "ga", "--docx", str(target), folder=locale_with_irish, cwd=tmp_path
    )
    assert done.returncode in (0, 3), done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    with zipfile.ZipFile(target) as record:
        body = record.read("word/document.xml").decode("utf-8")
        styles = record.read("word/styles.xml").decode("utf-8")
    assert "Teanga an taifid seo" in body  # the one text its catalogue translates
    assert "Irish" in body  # the record's language, named by its language.yaml
    assert 'w:val="ga-IE"' in styles or 'w:val="ga-IE"' in body  # marked for screen readers as its tag says
    verified = proofing("verify", str(target), folder=locale_with_irish, cwd=tmp_path)
    assert verified.returncode == 0, verified.stdout + verified.stderr


APP_SCRIPT = """
import sys
from streamlit.testing.v1 import AppTest

at = AppTest.from_file(sys.argv[1], default_timeout=120).run()
assert not at.exception, at.exception
switch = next(each for each in at.sidebar.radio if each.label == "Iaith · Language")
print(list(switch.options))
switch.set_value("ga").run()
assert not at.exception, at.exception
print(at.session_state["language"])
"""


def test_the_app_switch_offers_it(locale_with_irish: Path, tmp_path: Path) -> None:
    script = tmp_path / "app_check.py"
    script.write_text(textwrap.dedent(APP_SCRIPT), encoding="utf-8")
    env_db = f"sqlite:///{tmp_path / 'app.db'}"
    done = run(
        ["env", f"PROOFING_DB_URL={env_db}", sys.executable, str(script), str(ROOT / "app.py")],
        locale_with_irish,
        ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    options, chosen = done.stdout.strip().splitlines()[-2:]
    assert options == "['Cymraeg', 'English', 'Gaeilge']"
    assert chosen == "ga"  # chosen, and remembered in the store without a complaint


def test_an_html_record_in_it(locale_with_irish: Path, tmp_path: Path) -> None:
    target = tmp_path / "record.html"
    done = proofing(
        "assess", str(LIBRARY), "--lang", "ga", "--html", str(target), folder=locale_with_irish, cwd=tmp_path
    )
    assert done.returncode in (0, 3), done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    page = target.read_text(encoding="utf-8")
    assert 'lang="ga-IE"' in page and "Teanga an taifid seo" in page
    assert 'lang="en-GB"' in page  # the texts its catalogue leaves out stay English, and say so
