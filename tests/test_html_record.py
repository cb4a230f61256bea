"""The accessible HTML record: written by `proofing assess --html` for every example in every record language, it
verifies as a .docx does (exit 0 intact, 4 when its visible text was edited, 1 when its record was altered or its
signature not the council's), says what the Word record says, marks its languages, and passes axe-core."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import docx
import pytest
from lxml import etree
from playwright.sync_api import sync_playwright

from proofing.assessment import Assessment, assess
from proofing.cli import main
from proofing.knowledge import KnowledgeBase
from proofing.plan import read_plan
from proofing.record import read_record
from proofing.report import ReportDetails, write_html_record, write_report
from proofing.signing import Signer, generate_keys, load_private_key
from proofing.verify import verify_record
from proofing.verify_html import RECORD_SCRIPT_ID
from tests.conftest import CHROMIUM, CHROMIUM_FLAGS

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
AXE = ROOT / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
FIXED = {"produced_at": "2026-12-01T09:00:00+00:00", "produced_by": "test"}


@pytest.fixture(scope="module")
def library(kb: KnowledgeBase) -> Assessment:
    return assess(kb, read_plan(ROOT / "examples" / "library-opening-hours.yaml"))


@pytest.fixture(scope="module")
def pages(kb: KnowledgeBase, library: Assessment) -> dict[str, bytes]:
    return {
        language: write_html_record(kb, library, ReportDetails(**FIXED), language=language)  # type: ignore[arg-type]
        for language in ("en", "cy", "bilingual")
    }


def _tree(page: bytes) -> etree._Element:
    return etree.fromstring(page, etree.HTMLParser(encoding="utf-8"))


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


@pytest.mark.parametrize("language", ["en", "cy", "bilingual"])
def test_assess_html_writes_a_record_that_verify_passes(
    language: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "record.html"
    plan = ROOT / "examples" / "day-centre-closure.yaml"
    assert main(["assess", str(plan), "--html", str(out), "--lang", language]) == 0
    assert str(out) in capsys.readouterr().out
    assert out.read_bytes().startswith(b"<!DOCTYPE html>")
    assert main(["verify", str(out)]) == 0
    assert out.name in capsys.readouterr().out


@pytest.mark.parametrize("language", ["en", "cy", "bilingual"])
def test_every_example_in_every_language_verifies_intact(kb: KnowledgeBase, language: str) -> None:
    for example in EXAMPLES:
        assessment = assess(kb, read_plan(example))
        page = write_html_record(kb, assessment, language=language)  # type: ignore[arg-type]
        result = verify_record(kb, page)
        assert (result.status, result.visible_changes, result.differences) == ("intact", [], []), example.name
        assert json.loads(_record_script(page))["meta"]["language"] == language


def _record_script(page: bytes) -> str:
    return next(s for s in _tree(page).iter("script") if s.get("id") == RECORD_SCRIPT_ID).text or ""


def test_the_languages_are_marked(pages: dict[str, bytes]) -> None:
    english, welsh, both = (_tree(pages[language]) for language in ("en", "cy", "bilingual"))
    assert english.get("lang") == "en-GB"
    assert welsh.get("lang") == "cy"
    assert [a.get("lang") for a in english.iter("article")] == ["en-GB"]
    assert [a.get("lang") for a in welsh.iter("article")] == ["cy"]
    assert both.get("lang") == "cy"  # Welsh first, as the Welsh Language Standards ask
    assert [a.get("lang") for a in both.iter("article")] == ["cy", "en-GB"]
    assert _text(next(welsh.iter("h1"))) != _text(next(english.iter("h1")))
    # A run in another language than its article's says so (the English half's text is English, the Welsh half's
    # English fallbacks, if any, are tagged en-GB): no span repeats its article's language.
    for tree in (english, welsh, both):
        for article in tree.iter("article"):
            assert all(span.get("lang") != article.get("lang") for span in article.iter("span"))


def test_it_says_what_the_word_record_says(kb: KnowledgeBase, library: Assessment, pages: dict[str, bytes]) -> None:
    for language in ("en", "cy"):
        written = write_report(kb, library, ReportDetails(**FIXED), language=language)  # type: ignore[arg-type]
        record = docx.Document(io.BytesIO(written))
        own_sha = read_record(written).sha256  # each rendering quotes its own record's sha256
        word = [
            " ".join(p.text.split()) for p in record.paragraphs if p.style.name.startswith("Heading") and p.text.strip()
        ]
        tree = _tree(pages[language])
        article = next(tree.iter("article"))
        html = [_text(h) for h in article.iter("h2", "h3", "h4") if h.getparent().tag != "nav"]
        assert html == word
        # every table cell's text is in the page too, the header rows as header cells of their columns
        cells = {"".join(_text(cell).split()) for cell in article.iter("td", "th")}  # a line break is a <br>
        for table in record.tables:
            for row in table.rows:
                for cell in row.cells:
                    if cell.text != own_sha:
                        assert "".join(cell.text.split()) in cells


def test_tables_headings_and_the_chart_are_accessible(pages: dict[str, bytes]) -> None:
    tree = _tree(pages["en"])
    levels = [int(h.tag[1]) for h in tree.iter("h1", "h2", "h3", "h4")]
    assert levels[0] == 1 and all(after - before <= 1 for before, after in zip(levels, levels[1:], strict=False))
    tables = list(tree.iter("table"))
    assert len(tables) > 5
    for table in tables:
        headers = list(table.iter("th"))
        assert headers, "a table without header cells"
        assert all(th.get("scope") in ("col", "row", "rowgroup") for th in headers)
    images = list(tree.iter("img"))
    assert len(images) == 1
    assert images[0].get("src", "").startswith("data:image/png;base64,")
    assert "Bar chart. The number of findings for each of" in images[0].get("alt", "")
    links = [a.get("href") for a in tree.iter("a")]
    ids = {element.get("id") for element in tree.iter() if element.get("id")}
    assert links and all(link.startswith("#") and link[1:] in ids for link in links)


def _verify(path: Path, *extra: str) -> int:
    return main(["verify", str(path), *extra])


def test_an_edit_to_the_visible_text_is_caught(
    tmp_path: Path, pages: dict[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    page = pages["en"].decode("utf-8")
    out = tmp_path / "record.html"
    out.write_text(page, encoding="utf-8")
    assert _verify(out) == 0
    edited = page.replace("Summary for the board</h2><p><strong>", "Summary for the board</h2><p><strong>Not ", 1)
    assert edited != page
    out.write_text(edited, encoding="utf-8")
    capsys.readouterr()
    assert _verify(out, "--json") == 4
    assert json.loads(capsys.readouterr().out)["visible_changes"] == ["Summary for the board"]
    hidden = page.replace("<table>", '<table class="hidden">', 1)  # a class the style sheet could hide
    out.write_text(hidden, encoding="utf-8")
    assert _verify(out) == 4
    restyled = page.replace("</style>", "td { display: none; }</style>", 1)
    out.write_text(restyled, encoding="utf-8")
    capsys.readouterr()
    assert _verify(out, "--json") == 4
    assert json.loads(capsys.readouterr().out)["visible_changes"] == ["Page head"]


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (lambda page: page.replace('"level":"', '"level":"x', 1), "was altered"),
        (lambda page: page.replace("<table>", '<table style="display:none">', 1), "style attribute"),
        (lambda page: page.replace("</body>", "<script>alert(1)</script></body>", 1), "script"),
        (lambda page: page.replace("<table>", "<iframe></iframe><table>", 1), "<iframe>"),
        (lambda page: re.sub(r'data-sha256="[0-9a-f]{64}"', 'data-sha256="' + "1" * 64 + '"', page), "was altered"),
    ],
)
def test_an_edit_to_the_embedded_record_or_its_page_is_refused(
    tmp_path: Path, pages: dict[str, bytes], capsys: pytest.CaptureFixture[str], edit, words: str
) -> None:
    page = pages["en"].decode("utf-8")
    edited = edit(page)
    assert edited != page
    out = tmp_path / "record.html"
    out.write_text(edited, encoding="utf-8")
    capsys.readouterr()
    assert _verify(out) == 1
    assert words in capsys.readouterr().err


def test_a_record_signed_with_a_key_verifies_only_with_that_key(
    kb: KnowledgeBase, library: Assessment, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    generate_keys(tmp_path / "private.pem", tmp_path / "public.pem")
    generate_keys(tmp_path / "other.pem", tmp_path / "other-public.pem")
    signer = Signer("Equality officer", load_private_key(tmp_path / "private.pem"))
    out = tmp_path / "signed.html"
    out.write_bytes(write_html_record(kb, library, ReportDetails(**FIXED), signer=signer, language="bilingual"))
    result = verify_record(kb, out, load_private_key(tmp_path / "private.pem").public_key())
    assert result.status == "intact" and result.signature_checked and result.signed_by == "Equality officer"
    assert _verify(out, "--key", str(tmp_path / "public.pem")) == 0
    capsys.readouterr()
    assert _verify(out) == 1  # signed, but no key given to check it
    assert "by a key you did not check" in capsys.readouterr().err
    assert _verify(out, "--key", str(tmp_path / "other-public.pem")) == 1
    unsigned = re.sub(r' data-signature="[^"]*"', "", out.read_text(encoding="utf-8"))
    out.write_text(unsigned, encoding="utf-8")
    assert _verify(out, "--key", str(tmp_path / "public.pem")) == 1


def test_the_record_script_cannot_be_closed_by_a_plan(kb: KnowledgeBase, library: Assessment) -> None:
    plan = library.plan.model_copy(update={"title": "Libraries </script><script>alert(1)</script> & more"})
    page = write_html_record(kb, assess(kb, plan), ReportDetails(**FIXED))
    tree = _tree(page)
    scripts = list(tree.iter("script"))
    assert [s.get("id") for s in scripts] == [RECORD_SCRIPT_ID]
    subtitle = next(p for p in tree.iter("p") if p.get("class") == "subtitle")
    assert _text(subtitle) == "Libraries </script><script>alert(1)</script> & more"
    assert verify_record(kb, page).status == "intact"


def test_the_html_record_passes_axe(tmp_path: Path, pages: dict[str, bytes]) -> None:
    assert AXE.exists(), "axe-core is missing: run tools/axe.sh (make test does this)"
    assert Path(CHROMIUM).exists(), "Chromium is missing: run tools/chromium.sh (make test does this)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        for language, written in pages.items():
            path = tmp_path / f"record-{language}.html"
            path.write_bytes(written)
            page.goto(path.as_uri())
            assert page.locator("h1").count() >= 1
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate(
                "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                ".filter(v => ['serious', 'critical'].includes(v.impact))"
                ".map(v => v.id + ': ' + v.help + ' ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"
            )
            assert violations == [], (language, violations)
        browser.close()


def test_a_folder_of_plans_is_refused_with_words(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assess", str(ROOT / "examples"), "--html", str(tmp_path / "records.html")]) == 2
    assert "--html writes the record of one plan" in capsys.readouterr().err
    assert not (tmp_path / "records.html").exists()


def test_the_plan_is_recovered_from_an_html_record(
    tmp_path: Path, pages: dict[str, bytes], library: Assessment
) -> None:
    (tmp_path / "record.html").write_bytes(pages["cy"])
    assert main(["import", str(tmp_path / "record.html"), "--out", str(tmp_path / "plan.yaml")]) == 0
    assert read_plan(tmp_path / "plan.yaml") == library.plan
