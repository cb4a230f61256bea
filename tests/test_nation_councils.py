"""Fixture councils in England, Scotland and Northern Ireland assess, export and verify, and say nothing Welsh.

Each of `tests/fixtures/council_{england,scotland,ni}` copied a Welsh council's questionnaire, Welsh-language
questions and rules and all, tagged to the Welsh Language Standards in its equality/duties.yaml; its nation's
duties leave them out. Through the command line (text, JSON, the Word record, verify), the record's own words and
every page of the app, none of them ever asks a Welsh-language question or names a Welsh duty. The Scottish one
asks about Gaelic; the Northern Irish one speaks of Section 75 and good relations, never the PSED.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from proofing.assessment import assess
from proofing.cli import main
from proofing.knowledge import load_knowledge
from proofing.plan import PlanError, read_plan
from proofing.store import Store
from tests.app_pages import app_database, page_text

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
COUNCILS = {
    "england": ("council_england", "Eastmere Borough Council"),
    "scotland": ("council_scotland", "Glenmorie Council"),
    "ni": ("council_ni", "Drumkeel District Council"),
}
# Anything Welsh: the language, its questions, its duties (the fixtures' Welsh questions all name Welsh).
WELSH = re.compile(r"welsh|cymraeg|bilingual|socio-economic duty", re.I)
# What each nation's record must say of its own duties.
OWN_WORDS = {
    "england": ["What the equality duty asks us to set out", "Protected characteristics"],
    "scotland": [
        "What the Scottish specific duties ask us to set out",
        "Protected characteristics, socio-economic disadvantage and Gaelic",
        "Gaelic",
    ],
    "ni": ["What Section 75 asks us to set out", "Section 75 (Northern Ireland Act 1998)", "Promote good relations"],
}


def rules_of(nation: str) -> Path:
    return FIXTURES / COUNCILS[nation][0]


def plan_of(nation: str) -> Path:
    return FIXTURES / "council_plans" / f"{nation}.yaml"


def docx_text(path: Path) -> str:
    """The visible text of a Word record: every run of every part, without the XML."""
    with zipfile.ZipFile(path) as package:
        parts = [package.read(name).decode("utf-8") for name in package.namelist() if name.endswith(".xml")]
    return " ".join(re.sub(r"<[^>]+>", " ", part) for part in parts)


@pytest.mark.parametrize("nation", list(COUNCILS))
def test_the_welsh_questions_rules_and_duties_are_gone(nation: str) -> None:
    kb = load_knowledge(rules_of(nation))
    asked = {q.id for q in kb.questionnaire.questions}
    assert {"bilingual", "welsh_opportunities"}.isdisjoint(asked)
    assert "welsh_medium" not in {o.id for o in kb.questionnaire.question("provision_ended").options}
    assert {"english_only", "welsh_medium_ended", "generations_meet"}.isdisjoint(r.id for r in kb.rules)
    assert not [d for d in kb.duties if WELSH.search(d.name)]
    if nation == "scotland":
        assert "gaelic_provision" in asked and "gaelic_not_offered" in {r.id for r in kb.rules}
    if nation == "ni":
        assert {"dependants_affected", "relations"} <= asked
        assert {c.id for c in kb.characteristics} >= {"political_opinion", "dependants"}
    if nation == "england":  # the socio-economic duty is England's to choose; this council has not
        assert "low_income" not in asked and "socio_economic" not in {c.id for c in kb.characteristics}


@pytest.mark.parametrize("nation", list(COUNCILS))
def test_each_fixture_council_is_sound(nation: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "check", "--rules", str(rules_of(nation))]) == 0, capsys.readouterr().err


@pytest.mark.parametrize("nation", list(COUNCILS))
def test_assess_export_and_verify_through_the_command_line(
    nation: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules, plan = str(rules_of(nation)), str(plan_of(nation))
    assert main(["assess", plan, "--rules", rules]) in (0, 2)
    text = capsys.readouterr().out
    assert main(["assess", plan, "--rules", rules, "--json"]) in (0, 2)
    found = json.loads(capsys.readouterr().out)
    record = tmp_path / "record.docx"
    assert main(["assess", plan, "--rules", rules, "--docx", str(record)]) in (0, 2)
    capsys.readouterr()
    assert main(["verify", str(record), "--rules", rules]) == 0, capsys.readouterr()
    verified = capsys.readouterr().out
    for output in (text, json.dumps(found), verified):
        assert not WELSH.search(output), WELSH.search(output)
    rules_fired = {finding["rule"] for finding in found["findings"]}
    assert (
        rules_fired
        == {
            "england": {"cut_for_older_residents"},
            "scotland": {"gaelic_not_offered", "low_income_pay_more"},
            "ni": {"carers_harder", "relations_divided"},
        }[nation]
    )
    if nation == "ni":
        aims = {aim for finding in found["findings"] for aim in finding["psed_aims"]}
        assert aims == {"s75_equality_of_opportunity", "s75_good_relations"}
        assert "Duty: Promote good relations" in text


@pytest.mark.parametrize("nation", list(COUNCILS))
def test_the_record_speaks_of_the_nations_own_duties(nation: str, tmp_path: Path) -> None:
    record = tmp_path / "record.docx"
    assert main(["assess", str(plan_of(nation)), "--rules", str(rules_of(nation)), "--docx", str(record)]) in (0, 2)
    text = docx_text(record)
    assert not WELSH.search(text), text[max(0, WELSH.search(text).start() - 200) :][:400]  # type: ignore[union-attr]
    assert COUNCILS[nation][1] in text
    for words in OWN_WORDS[nation]:
        assert words in text, words
    if nation == "ni":
        assert "s.149" not in text and "public sector equality duty" not in text.lower()


def test_the_same_plan_in_wales_asks_the_welsh_questions(tmp_path: Path) -> None:
    """The England fixture moved to Wales asks its Welsh questions again: the plan is then incomplete without them."""
    copy = tmp_path / "council_wales"
    shutil.copytree(rules_of("england"), copy)
    path = copy / "rule_base.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("nation: england", "nation: wales"), encoding="utf-8")
    kb = load_knowledge(copy)
    assert {"bilingual", "welsh_opportunities"} <= {q.id for q in kb.questionnaire.questions}
    with pytest.raises(PlanError) as refused:  # in Wales the Welsh question, and the socio-economic one, are required
        assess(kb, read_plan(plan_of("england")))
    assert "(bilingual) needs an answer" in str(refused.value) and "(low_income) needs an answer" in str(refused.value)


@pytest.fixture()
def app_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Store, Path]]:
    for url in app_database(tmp_path, monkeypatch):
        yield Store(url), tmp_path


APP_LANGUAGES = [
    "Dwyieithog / Bilingual (Welsh and English together)",
    "a bilingual record gives the Welsh and the English together",
    "Cymraeg",
]
PAGES = [
    "assess.py", "results.py", "export.py", "register.py", "rule_base.py", "cumulative.py", "workshop.py",
    "training.py", "trainer.py", "audit.py", "admin.py",
]  # fmt: skip


@pytest.mark.parametrize("nation", list(COUNCILS))
def test_no_app_page_asks_a_welsh_question_or_names_a_welsh_duty(
    app_on: tuple[Store, Path], monkeypatch: pytest.MonkeyPatch, nation: str
) -> None:
    store, _ = app_on
    monkeypatch.setenv("PROOFING_RULES_DIR", str(rules_of(nation)))
    st.cache_resource.clear()
    kb = load_knowledge(rules_of(nation))
    plan = read_plan(plan_of(nation))
    created = store.create(plan, assess(kb, plan).level)
    for name in PAGES:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
        at.query_params["assessment"] = created
        if name == "assess.py":
            at.query_params["step"] = "plan"  # the step where the copied Welsh questions were asked
        at.switch_page(f"views/{name}")
        at.run()
        assert not at.exception, (name, at.exception)
        # The app speaks Welsh and English wherever it runs: the language switch and the record's language choice
        # name Welsh (Cymraeg, a bilingual record). Those are the app's languages, not a question or duty of the
        # council's, so only they are taken out before looking for anything Welsh.
        text = page_text(at).replace("\\", "")  # shown text is Markdown-escaped
        for app_words in APP_LANGUAGES:
            text = text.replace(app_words, "")
        assert not WELSH.search(text), (name, text[max(0, WELSH.search(text).start() - 300) :][:600])  # type: ignore[union-attr]
        if name == "assess.py":
            assert "What does the plan do?" in text
            own = {"england": "which groups", "scotland": "Gaelic", "ni": "dependants"}[nation]
            assert own.lower() in text.lower(), (name, own)
