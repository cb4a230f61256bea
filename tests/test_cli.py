"""The command line speaks in words and exit codes: 0 sound, 1 faulty or not found, 2 bad input, 4 --fail-on."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import get_args

import pytest

from proofing.assessment import Level, assess
from proofing.cli import LEVELS, main
from proofing.knowledge import KnowledgeBase
from proofing.plan import read_plan
from proofing.report import save_report


def test_rules_check_on_the_project_rule_base(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "check"]) == 0
    out = capsys.readouterr().out
    assert "The rule base is sound: 21 outcomes, 69 actions, 162 measures, 37 Migrant Worker tasks" in out


def test_rules_dump_is_json_with_every_action(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "dump"]) == 0
    dump = json.loads(capsys.readouterr().out)
    actions = [action for outcome in dump["outcomes"] for action in outcome["actions"]]
    assert len(actions) == 69
    assert sum(len(action["measures"]) for action in actions) == 162
    assert dump["rule_base"]["sha256"] and dump["rule_base"]["version"]


def test_rules_show(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "show", "15.1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Action 15.1: Further develop Community tension monitoring")
    assert "15.1.4 Action reports produced" in out


def test_rules_show_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "show", "CC99"]) == 1
    assert "nothing in the rule base has the id 'CC99'" in capsys.readouterr().err


def test_mistyped_command_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["rules", "chek"])
    assert exited.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_the_console_script_is_installed() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "proofing.cli", "rules", "show", "MW23"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Migrant Worker task 23 (Learning and Achievement [Education])")


# --- bad output paths, --fail-on, and output the terminal cannot show (issue 9) ------------------------------

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
LIBRARY = EXAMPLES / "library-opening-hours.yaml"  # screened as full_assessment
RELOCATION = EXAMPLES / "staff-relocation-package.yaml"  # screened as mitigate
LIGHTING = EXAMPLES / "street-lighting-led.yaml"  # screened_out


def exits(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the command line in-process: its exit code, output and errors (asserting there is no traceback)."""
    code = main(argv)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def record(tmp_path_factory: pytest.TempPathFactory, kb: KnowledgeBase) -> Path:
    path = tmp_path_factory.mktemp("record") / "library.docx"
    save_report(kb, assess(kb, read_plan(LIBRARY)), path)
    return path


def test_assess_docx_onto_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = exits(["assess", str(LIBRARY), "--docx", str(tmp_path)], capsys)
    assert code == 2 and out == ""
    assert f"{tmp_path} is a folder; give the name of the file to write inside it" in err
    assert list(tmp_path.iterdir()) == []


def test_assess_docx_into_a_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "records" / "library.docx"
    code, _out, err = exits(["assess", str(LIBRARY), "--docx", str(target)], capsys)
    assert code == 2
    assert f"the folder {target.parent} does not exist (create it first)" in err


def test_assess_docx_under_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "records"
    blocker.write_text("not a folder", encoding="utf-8")
    code, _out, err = exits(["assess", str(LIBRARY), "--docx", str(blocker / "library.docx")], capsys)
    assert code == 2 and f"{blocker} is a file, not a folder" in err


def test_a_folder_of_plans_onto_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "records.docx"
    blocker.write_text("a file", encoding="utf-8")
    code, _out, err = exits(["assess", str(EXAMPLES), "--docx", str(blocker)], capsys)
    assert code == 2 and "is a file; with a folder of plans, --docx names the folder the records go to" in err


def test_import_out_onto_a_folder_or_a_missing_folder(
    record: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = exits(["import", str(record), "--out", str(tmp_path)], capsys)
    assert code == 2 and f"{tmp_path} is a folder" in err
    code, _out, err = exits(["import", str(record), "--out", str(tmp_path / "new" / "plan.yaml")], capsys)
    assert code == 2 and "does not exist (create it first)" in err
    code, out, _err = exits(["import", str(record), "--out", str(tmp_path / "plan.yaml")], capsys)
    assert code == 0 and "Wrote the plan" in out and read_plan(tmp_path / "plan.yaml") == read_plan(LIBRARY)


def test_a_file_the_system_will_not_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A name longer than the file system allows fails when written, even for root: the message says why.
    target = tmp_path / ("x" * 300 + ".docx")
    code, _out, err = exits(["assess", str(LIGHTING), "--docx", str(target)], capsys)
    assert code == 2 and "cannot write" in err and "File name too long" in err
    code, _out, err = exits(["assess", str(target.with_suffix(".yaml"))], capsys)
    assert code == 2 and "cannot be read (File name too long)" in err


@pytest.mark.parametrize(
    ("plan", "fail_on", "expected"),
    [
        (LIGHTING, "mitigate", 0),
        (RELOCATION, "mitigate", 4),
        (RELOCATION, "full_assessment", 0),
        (LIBRARY, "full_assessment", 4),
        (LIBRARY, None, 0),
    ],
)
def test_fail_on_is_a_threshold(
    plan: Path, fail_on: str | None, expected: int, capsys: pytest.CaptureFixture[str], kb: KnowledgeBase
) -> None:
    level = assess(kb, read_plan(plan)).level
    code, out, err = exits(["assess", str(plan), "--json", *(["--fail-on", fail_on] if fail_on else [])], capsys)
    assert code == expected
    assert json.loads(out)["level"] == level  # the output is the same whatever the exit code
    assert (f"screened as {level}" in err) == (expected == 4)


def test_fail_on_over_a_folder_counts_every_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    for plan in (LIGHTING, RELOCATION):
        (plans / plan.name).write_bytes(plan.read_bytes())
    code, _out, err = exits(["assess", str(plans), "--docx", str(tmp_path / "out"), "--fail-on", "mitigate"], capsys)
    assert code == 4 and "1 plan(s) screened at 'mitigate' or above: staff-relocation-package.yaml" in err
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == [
        "relocation-support-for-staff-moving-to-the-new-depot-draft.docx",  # the title and status (issue 22)
        "replace-street-lights-with-led-lanterns-on-the-same-columns-draft.docx",
    ]


def test_fail_on_refuses_a_level_that_is_not_a_threshold(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["assess", str(LIBRARY), "--fail-on", "screened_out"])
    assert exited.value.code == 2
    assert "invalid choice: 'screened_out' (choose from 'mitigate', 'full_assessment')" in capsys.readouterr().err


def test_the_levels_are_the_assessments_levels_in_order() -> None:
    assert set(LEVELS) == set(get_args(Level)) and LEVELS[0] == "screened_out" and LEVELS[-1] == "full_assessment"


def test_output_survives_a_terminal_that_cannot_show_welsh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(LIBRARY.read_text(encoding="utf-8").replace("Head of Libraries", "Pennaeth Llŷfrgelloedd 📚"))
    for options in ([], ["--json"]):
        narrow = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
        monkeypatch.setattr(sys, "stdout", narrow)
        assert main(["assess", str(plan), *options]) == 0
        narrow.seek(0)
        shown = narrow.read()
        if options:
            assert json.loads(shown)["plan"]["owner"] == "Pennaeth Llŷfrgelloedd 📚"
        else:
            assert "owner Pennaeth Ll\\u0177frgelloedd \\U0001f4da" in shown


def test_a_rule_base_nested_5000_deep_is_a_file_and_line(rules_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (rules_copy / "facts.yaml").write_text("facts: " + "[" * 5_000 + "]" * 5_000 + "\n", encoding="utf-8")
    code, _out, err = exits(["rules", "check", "--rules", str(rules_copy)], capsys)
    assert code == 1
    assert "facts.yaml:1: refused: lists and mappings are nested more than 50 deep" in err


def test_calibrate_reports_every_case_and_fails_when_one_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["calibrate"]) == 0
    printed = capsys.readouterr().out
    assert "12 of 12 cases pass" in printed and "precision" in printed and "recall" in printed
    cases = Path(__file__).resolve().parent / "calibration"
    broken = (cases / "C12.yaml").read_text(encoding="utf-8").replace("levels: [screened_out]", "levels: [mitigate]")
    (tmp_path / "C12.yaml").write_text(broken, encoding="utf-8")
    assert main(["calibrate", str(tmp_path)]) == 1
    assert "C12  FAIL" in capsys.readouterr().out
    assert main(["calibrate", str(tmp_path / "missing")]) == 2
