"""The command line speaks in words and exit codes: 0 sound, 1 faulty or not found, 2 mistyped."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from proofing.cli import main


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
