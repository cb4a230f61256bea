"""Before and after: the command line, the Word record and the results page show the residual (proofing.impact)
and what would change the level (proofing.whatif) as the library computes them, in English and in Welsh."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from pathlib import Path

import docx
import pytest
from streamlit.testing.v1 import AppTest

from proofing import cli
from proofing.assessment import assess
from proofing.cli import main
from proofing.decisions import MitigationDecision
from proofing.impact import all_in_place, residual
from proofing.knowledge import KnowledgeBase
from proofing.plan import read_plan
from proofing.report import ReportDetails, save_report
from proofing.store import Store
from proofing.verify import verify_record
from proofing.whatif import what_would_lower
from tests.app_pages import app_database
from tests.test_whatif import NARROWER, SETTLED

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def run_json(*arguments: str) -> dict:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["assess", *arguments, "--json"]) == 0
    return json.loads(out.getvalue())


def run_text(*arguments: str) -> str:
    """The text `proofing assess` prints; the command line's language is put back after (main keeps it)."""
    kept = cli._translation
    out = io.StringIO()
    try:
        with redirect_stdout(out):
            main(["assess", *arguments])
    finally:
        cli._translation = kept
    return out.getvalue()


def test_the_json_residual_and_what_if_are_the_librarys(kb: KnowledgeBase) -> None:
    path = EXAMPLES / "day-centre-closure.yaml"
    data = run_json(str(path))
    plan = read_plan(path)
    expected = residual(kb, assess(kb, plan))
    assert data["residual"]["residual_level"] == expected.residual_level == data["residual"]["level"]
    assert data["residual"]["mitigations_counted"] == "no mitigation accepted yet"
    assert [f["rule"] for f in data["residual"]["findings"]] == [f.rule for f in expected.findings]
    assert all(f["residual_score"] == f["score"] for f in data["residual"]["findings"])
    suggestions = what_would_lower(kb, plan)
    assert suggestions
    assert [s["sentence"] for s in data["what_if"]] == [s.sentence for s in suggestions]
    assert data["what_if"][0]["changes"][0]["question"] == suggestions[0].changes[0].question


def test_accept_all_lowers_the_residual_level_where_the_rule_base_says_it_should(kb: KnowledgeBase) -> None:
    data = run_json(str(EXAMPLES / "staff-relocation-package.yaml"), "--accept-all")
    assert (data["residual"]["level"], data["residual"]["residual_level"]) == ("mitigate", "screened_out")
    assert data["residual"]["level_lowered"]
    # all_in_place marks each one done: the words say in place, never "accepted" (issue 22)
    assert data["residual"]["mitigations_counted"] == "every mitigation in place (done, with --accept-all)"
    assert "With every suggested mitigation in place (done, with --accept-all):" in run_text(
        str(EXAMPLES / "staff-relocation-package.yaml"), "--accept-all"
    )
    housing = run_json(str(EXAMPLES / "housing-allocations-policy.yaml"), "--accept-all")
    assert housing["residual"]["residual_level"] == "mitigate"
    assert housing["what_if"] == []


def test_the_text_has_before_and_after_and_what_would_change() -> None:
    text = run_text(str(EXAMPLES / "housing-allocations-policy.yaml"))
    assert "Before and after" in text and "What would change the level" in text
    assert "No mitigation accepted yet" in text
    assert "Nothing within two of the plan's own choices would lower the level." in text
    welsh = run_text(str(EXAMPLES / "day-centre-closure.yaml"), "--lang", "cy")
    assert "Pe bai" in welsh


def texts(path: Path) -> list[str]:
    return [paragraph.text for paragraph in docx.Document(str(path)).paragraphs]


@pytest.mark.parametrize(
    ("language", "headings"),
    [
        ("en", ["Before and after", "What would change the level", "Cumulative impact"]),
        ("cy", ["Cyn ac ar ôl", "Beth fyddai'n newid y lefel", "Effaith gronnol"]),
    ],
)
def test_the_record_has_the_sections_and_verifies(
    kb: KnowledgeBase, tmp_path: Path, language: str, headings: list[str]
) -> None:
    assessment = assess(kb, read_plan(EXAMPLES / "staff-relocation-package.yaml"))
    decisions = {key: MitigationDecision(status="accepted") for key in all_in_place(assessment)}
    out = tmp_path / f"record-{language}.docx"
    save_report(kb, assessment, out, ReportDetails(decisions=decisions), language=language)  # type: ignore[arg-type]
    found = texts(out)
    for heading in headings:
        assert heading in found, heading
    assert verify_record(kb, out).status == "intact"
    english = tmp_path / "cumulative.docx"
    save_report(kb, assessment, english)
    assert "No other live assessment hits the same groups in the same wards or period." in texts(english)


@pytest.fixture()
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    yield from app_database(tmp_path, monkeypatch)


def test_the_results_page_shows_before_and_after_and_a_what_if_sentence(database: str) -> None:
    """The library plan narrowed to older and disabled users who are being consulted (as in test_whatif's headline
    case: the whole library plan is too broad for one change to lower it), its other high findings settled."""
    plan = read_plan(EXAMPLES / "library-opening-hours.yaml")
    plan = plan.model_copy(update={"answers": {**plan.answers, **SETTLED, **NARROWER}})
    assessment_id = Store(database).create(plan)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["assessment"] = assessment_id
    at.switch_page("views/results.py")
    at.run()
    assert not at.exception
    assert "Before and after" in [h.value for h in at.subheader]  # under the page's "Analysis"
    table = next(frame for frame in at.table if "Before" in frame.value.columns)
    assert {"Finding", "Before", "After"} <= set(table.value.columns)
    markdown = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "Will there be help, in person or by phone, for people who cannot use the online route" in markdown
    assert "the level would fall from Full assessment needed to Mitigate" in markdown
