"""Bad plans get a message in words and never count a hidden answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from proofing.cli import main
from proofing.knowledge import KnowledgeBase
from proofing.plan import PlanError, check_answers, parse_plan, read_plan

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
GOOD = (EXAMPLES / "library-opening-hours.yaml").read_text(encoding="utf-8")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty"),
        ("title: [unclosed\n", "is not valid YAML (line 2"),
        ("- just\n- a list\n", "is not a plan"),
        ("title: A plan\n", "'service' is missing"),
        (GOOD.replace("owner: Head of Libraries", "owner: Head of Libraries\ncolour: blue"), "'colour' is not part"),
        (
            GOOD.replace("  geography: named_wards", "  geography: named_wards\n  favourite: 3"),
            "'favourite' is not a question",
        ),
        (GOOD.replace("people_affected: 4200", "people_affected: lots"), "answer with a number, not 'lots'"),
        (GOOD.replace("mixing: neutral", "mixing: sideways"), "'sideways' is not one of its options"),
        (GOOD.replace("deprived_area: true", "deprived_area: perhaps"), "answer yes or no"),
        (GOOD.replace("reduction_percent: 43", "reduction_percent: 140"), "above the largest allowed, 100"),
        (
            GOOD.replace("affected_communities: [", "affected_communities: [martians, "),
            "'martians' not among its options",
        ),
        (GOOD.replace("  monitoring_plan: false\n", ""), '"Is there a plan to monitor the effect'),
    ],
)
def test_bad_plans_are_refused_in_words(
    tmp_path: Path, text: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, text)
    assert main(["assess", str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, "title: x\n" + "#" * 10_000_000)
    with pytest.raises(PlanError, match="larger than a plan file can be"):
        read_plan(path)


def test_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assess", str(tmp_path / "none.yaml")]) == 2
    assert "cannot be read" in capsys.readouterr().err


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes(b"title: \xff\xfe\n")
    with pytest.raises(PlanError, match="is not UTF-8 text"):
        read_plan(path)


def test_a_hidden_answer_is_set_aside_with_a_warning(kb: KnowledgeBase) -> None:
    plan = parse_plan(GOOD.replace("change_type: [reduction, channel_shift]", "change_type: [reduction]"))
    checked = check_answers(kb.questionnaire, plan.answers)
    assert "digital_only" not in checked.answers and "assisted_digital" not in checked.answers
    assert any("(digital_only) was not used" in warning for warning in checked.warnings)
    assert not checked.problems


def test_many_of_answers_are_kept_in_questionnaire_order(kb: KnowledgeBase) -> None:
    checked = check_answers(kb.questionnaire, {"change_type": ["closure", "new_service"]}, complete=False)
    assert checked.answers["change_type"] == ["new_service", "closure"]
