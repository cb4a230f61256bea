"""The Welsh and the bilingual records, Word and HTML, checked against the catalogues without a browser (issue 25).

In a Welsh record no paragraph, table cell or heading may be an English text of ours that the Welsh catalogues
translate, and no longer rule-base text (a strategy action, a Migrant Worker task) may be quoted in English inside a
sentence (tests/test_welsh_everywhere.py's ``english_in``). In a bilingual record the English half is English on
purpose, so the check is the other way round as well: every English text of ours the English half shows has its
Welsh form in the Welsh half, and the Welsh half shows none of our English.

The plans are the examples whose mitigations draw on the most strategy actions and Migrant Worker tasks, with another
assessment on the same group (the cumulative table's group and level names) in the record's details.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

import docx
import pytest
from lxml import etree

from proofing.assessment import Assessment, assess
from proofing.cumulative import Overlap
from proofing.knowledge import KnowledgeBase
from proofing.language import catalogue, translator
from proofing.plan import read_plan
from proofing.report import ReportDetails, write_html_record, write_report
from proofing.screening import level_label
from tests.test_welsh_everywhere import QUOTED, english_in, english_with_welsh, visible_texts

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PLANS = ("school-eal-support", "housing-allocations-policy", "one-wrexham-festival", "day-centre-closure")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BLOCKS = {"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "caption", "figcaption", "dt", "dd", "summary"}


def fold(text: str) -> str:
    return " ".join(text.split())


def details(kb: KnowledgeBase) -> ReportDetails:
    """An assessor, a fixed time, and another live assessment hitting the same group (the cumulative table)."""
    overlap = Overlap(
        group="Race",
        assessment_id="other-plan",
        title="Cau llyfrgell Rhos",
        service="Llyfrgelloedd",
        status="draft",
        level=level_label(kb, "full_assessment"),
        period="2026 Q4",
    )
    return ReportDetails(
        assessors=["Head of Inclusion Services"], produced_at="2026-12-01T10:00:00+00:00", also_affected=[overlap]
    )


@pytest.fixture(scope="module", params=PLANS)
def assessment(request: pytest.FixtureRequest, kb: KnowledgeBase) -> Assessment:
    return assess(kb, read_plan(EXAMPLES / f"{request.param}.yaml"))


def word_halves(data: bytes) -> tuple[list[str], list[str]]:
    """A bilingual Word record's texts: (the Welsh half's, the English half's), each paragraph and each table cell
    once, split where the English half's title starts."""
    body = docx.Document(io.BytesIO(data)).element.body
    halves: tuple[list[str], list[str]] = ([], [])
    english = False
    for child in body.iterchildren():
        if child.tag == f"{W}p":
            texts = ["".join(t.text or "" for t in child.iter(f"{W}t"))]
        elif child.tag == f"{W}tbl":
            texts = ["".join(t.text or "" for t in cell.iter(f"{W}t")) for cell in child.iter(f"{W}tc")]
        else:
            continue
        english = english or texts[0].strip() == "Equality Impact Assessment"
        halves[english].extend(fold(text) for text in texts if text.strip())
    return halves


def html_texts(page: bytes, lang: str | None = None) -> list[str]:
    """The text of each block (paragraph, list item, cell, heading, caption) of an HTML record, or of its article
    in `lang` only."""
    tree = etree.fromstring(page, etree.HTMLParser(encoding="utf-8"))
    roots = [tree] if lang is None else [article for article in tree.iter("article") if article.get("lang") == lang]
    assert roots, f"no article in {lang}"
    return [
        fold("".join(element.itertext()))
        for root in roots
        for element in root.iter(*BLOCKS)
        if "".join(element.itertext()).strip()
    ]


def welsh_forms() -> dict[str, set[str]]:
    """Each English text of ours to its Welsh forms (one per context it is translated in), whitespace folded; a
    sentence the record ends with a full stop ("{steps}.") also has its words' forms with the full stop."""
    forms: dict[str, set[str]] = {}
    for (_context, english), entry in catalogue("cy").entries.items():
        if isinstance(entry.text, str) and entry.text != english:
            forms.setdefault(fold(english), set()).add(fold(entry.text))
    for english, welsh in list(forms.items()):
        if not english.endswith("."):
            forms.setdefault(english + ".", set()).update(form + "." for form in welsh)
    return forms


def without_partner(english_half: Iterable[str], welsh_half: Iterable[str]) -> list[str]:
    """The English texts of ours the English half shows (whole, or a longer rule-base text quoted) whose Welsh form
    the Welsh half does not show. A quoted text is taken longest first, so a short one inside a longer one (an
    answer's words inside an action's) is the longer one's to pair."""
    everything, rule_base = english_with_welsh()
    forms = welsh_forms()
    english_shown = [fold(text) for text in english_half]
    welsh_shown = {fold(text) for text in welsh_half}
    welsh_joined = "\n".join(welsh_shown)
    missing = [text for text in set(english_shown) & everything if not forms[text] & welsh_shown]
    english_joined = "\n".join(english_shown)
    for english in sorted({fold(text) for text in rule_base if len(text) >= QUOTED}, key=len, reverse=True):
        if english in english_joined:
            if not any(form in welsh_joined for form in forms[english]):
                missing.append(english)
            english_joined = english_joined.replace(english, "\0")
    return sorted(set(missing))


def test_the_english_record_would_fail_the_check(kb: KnowledgeBase, assessment: Assessment) -> None:
    """The check can fail: the English record shows our English, task and action texts among it."""
    shown = visible_texts(write_report(kb, assessment, details(kb), language="en"))
    found = english_in(shown)
    assert len(found) > 20
    if assessment.plan.title.startswith("Reduce the English"):  # school-eal-support cites Migrant Worker tasks
        task = next(task for task in kb.migrant_worker_tasks if task.id == "MW16")
        assert fold(task.text) in found


def test_the_welsh_word_record_shows_none_of_our_english(kb: KnowledgeBase, assessment: Assessment) -> None:
    assert english_in(visible_texts(write_report(kb, assessment, details(kb), language="cy"))) == []


def test_the_welsh_html_record_shows_none_of_our_english(kb: KnowledgeBase, assessment: Assessment) -> None:
    shown = html_texts(write_html_record(kb, assessment, details(kb), language="cy"))
    assert len(shown) > 50
    assert english_in(shown) == []


def test_the_bilingual_word_record_pairs_each_english_text_with_its_welsh(
    kb: KnowledgeBase, assessment: Assessment
) -> None:
    welsh, english = word_halves(write_report(kb, assessment, details(kb), language="bilingual"))
    assert welsh and english and english_in(english) != []  # the English half is English, as it should be
    assert english_in(welsh) == []
    assert without_partner(english, welsh) == []


def test_the_bilingual_html_record_pairs_each_english_text_with_its_welsh(
    kb: KnowledgeBase, assessment: Assessment
) -> None:
    page = write_html_record(kb, assessment, details(kb), language="bilingual")
    welsh, english = html_texts(page, "cy"), html_texts(page, "en-GB")
    assert english_in(english) != []
    assert english_in(welsh) == []
    assert without_partner(english, welsh) == []


def test_a_missing_partner_is_found() -> None:
    """The pairing check fails when the Welsh half lacks the Welsh of an English text the English half shows."""
    forms = welsh_forms()
    english = "Equality Impact Assessment"
    assert without_partner([english], sorted(forms[english])) == []
    assert without_partner([english], ["Rhywbeth arall"]) == [english]


def test_who_made_a_command_line_record_is_said_in_welsh(kb: KnowledgeBase) -> None:
    """The record keeps "the service manager (proofing command line)" as written; the Welsh record says the command
    line's part in Welsh, the person's name or role as given."""
    assessment = assess(kb, read_plan(EXAMPLES / "payroll-software.yaml"))
    made = details(kb).model_copy(update={"produced_by": "the service manager (proofing command line)"})
    shown = visible_texts(write_report(kb, assessment, made, language="cy"))
    welsh = translator("cy")._("{user} (proofing command line)", user="the service manager")
    assert welsh != made.produced_by
    assert welsh in shown and made.produced_by not in shown
    assert made.produced_by in visible_texts(write_report(kb, assessment, made, language="en"))
