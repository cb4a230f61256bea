"""`proofing rules check` runs a rule base's own tests: rule cases (oracle and engine), cards, effects."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from proofing import selfcheck
from proofing.cli import main
from proofing.knowledge import DEFAULT_RULES_DIR, load_knowledge
from proofing.oracle import Firing

SECOND_COUNCIL = Path(__file__).parent / "fixtures" / "second_council"
SUMMARY = re.compile(r"(\d+) rule cases, (\d+) training cards, (\d+) faults \(run in ([\d.]+) s\)\.")


def _line_of(path: Path, text: str) -> int:
    """The line a piece of text starts on in a file (it must be there exactly once)."""
    content = path.read_text(encoding="utf-8")
    assert content.count(text) == 1, text
    return content[: content.index(text)].count("\n") + 1


def _replace(path: Path, old: str, new: str) -> None:
    content = path.read_text(encoding="utf-8")
    assert content.count(old) == 1, old
    path.write_text(content.replace(old, new), encoding="utf-8")


def test_the_project_rule_base_runs_every_case_and_card_and_is_sound(capsys: pytest.CaptureFixture[str]) -> None:
    kb = load_knowledge(DEFAULT_RULES_DIR)
    assert main(["rules", "check"]) == 0
    out = capsys.readouterr().out
    found = SUMMARY.search(out)
    assert found, out
    cases, cards, faults = (int(found[n]) for n in (1, 2, 3))
    assert cases == sum(len(rule.cases) for rule in kb.rules) >= 300
    assert cards == len(kb.training) >= 10
    assert faults == 0


def _break(path: Path, name: str, answers: str) -> int:
    """Give a firing case answers under which its rule does not fire; the line of the case."""
    case = f"      - name: {name}\n"
    line = _line_of(path, case)
    _replace(
        path, f"{case}        answers: {answers}\n", f"{case}        answers: {{welsh_provision: full_bilingual}}\n"
    )
    return line


def test_a_broken_case_in_a_copy_fails_at_its_file_and_line(
    rules_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    language = rules_copy / "impacts" / "language.yaml"
    name = "a new online booking system in English only"
    line = _break(language, name, "{welsh_provision: english_only}")
    assert main(["rules", "check", "--rules", str(rules_copy)]) == 1
    err = capsys.readouterr().err
    rule = next(rule for rule in load_knowledge(DEFAULT_RULES_DIR).rules if name in {c.name for c in rule.cases})
    expected = f'{language}:{line}: rule {rule.id}, case "{name}": expected to fire, did not (engine and oracle agree)'
    assert expected in err, err
    assert "The rule base has 1 fault." in err


def test_every_fault_is_listed_not_just_the_first(rules_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    language = rules_copy / "impacts" / "language.yaml"
    first = _break(language, "a new online booking system in English only", "{welsh_provision: english_only}")
    second = _break(language, "leaflets bilingual but the online form English only", "{welsh_provision: partial}")
    assert main(["rules", "check", "--rules", str(rules_copy)]) == 1
    err = capsys.readouterr().err
    assert f"{language}:{first}: " in err and f"{language}:{second}: " in err
    assert err.count("expected to fire, did not (engine and oracle agree)") == 2
    assert "The rule base has 2 faults." in err


def test_when_the_engine_and_the_oracle_disagree_the_case_says_which_fires(monkeypatch: pytest.MonkeyPatch) -> None:
    kb = load_knowledge(SECOND_COUNCIL)
    monkeypatch.setattr(selfcheck, "evaluate", lambda kb, answers: Firing(findings=(), facts={}))
    report = selfcheck.run_self_check(kb)
    faults = [fault for fault in report.faults if "no effect is declared" not in fault.message]
    firing_cases = sum(1 for rule in kb.rules for case in rule.cases if case.fires)
    assert len(faults) == firing_cases > 0
    assert all("the engine and oracle disagree: the oracle fires it, the engine does not" in f.message for f in faults)
    assert all(f.file.parent.name == "impacts" and f.line > 1 for f in faults)


def test_a_card_whose_level_or_groups_no_longer_hold_fails_at_its_expect_lines(
    rules_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cards = rules_copy / "training" / "cases.yaml"
    level = "      level: full_assessment\n      impacts: [tension_caia_park_conditions,"
    level_line = _line_of(cards, level)
    _replace(cards, level, level.replace("full_assessment", "mitigate"))
    groups = (
        "      groups: [race, socio_economic, migrant_workers, majority_community, caia_park_communities, "
        "migrant_families]"
    )
    groups_line = _line_of(cards, groups)
    _replace(cards, groups, groups.replace("race, ", "race, disability, "))
    assert main(["rules", "check", "--rules", str(rules_copy)]) == 1
    err = capsys.readouterr().err
    assert (
        f"{cards}:{level_line}: training case caia_park_advice_centre expects the level mitigate; "
        "the rules give full_assessment"
    ) in err
    assert (
        f"{cards}:{groups_line}: training case caia_park_advice_centre expects these groups, "
        "but its impacts do not name disability" in err
    )


def test_a_mitigation_without_an_effect_fails_the_check(rules_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert not selfcheck.effect_faults(load_knowledge(DEFAULT_RULES_DIR))
    language = rules_copy / "impacts" / "language.yaml"
    lines = language.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(number for number, text in enumerate(lines) if text.strip() == "effect:")
    indent = len(lines[start]) - len(lines[start].lstrip())
    end = next(n for n in range(start + 1, len(lines)) if len(lines[n]) - len(lines[n].lstrip()) <= indent)
    language.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
    assert main(["rules", "check", "--rules", str(rules_copy)]) == 1
    err = capsys.readouterr().err
    assert f"{language}:" in err and "no effect is declared" in err and "The rule base has 1 fault." in err


def _run(rules: Path) -> subprocess.CompletedProcess[str]:
    """`proofing rules check --rules DIR` in a process of its own, as a council runs it (no pytest)."""
    return subprocess.run(
        [sys.executable, "-m", "proofing.cli", "rules", "check", "--rules", str(rules)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


EFFECTS = {
    '{text: Offer the service in Welsh and English from the start., actions: ["1.1"]}': "likelihood",
    '{text: Consult older residents on the alternatives before the change., actions: ["1.2"]}': "severity",
}


def test_a_second_council_checks_its_own_cases_without_pytest(tmp_path: Path) -> None:
    kb = load_knowledge(SECOND_COUNCIL)
    cases = sum(len(rule.cases) for rule in kb.rules)
    assert cases >= 4 and not kb.training
    # As the fixture stands, its cases hold but two mitigations declare no effect: both, and nothing else, fail.
    as_is = _run(SECOND_COUNCIL)
    assert as_is.returncode == 1
    found = SUMMARY.search(as_is.stderr)
    assert found, as_is.stderr
    assert (int(found[1]), int(found[2]), int(found[3])) == (cases, 0, 2)
    assert as_is.stderr.count("no effect is declared") == 2 and "case " not in as_is.stderr

    copy = tmp_path / "second_council"
    shutil.copytree(SECOND_COUNCIL, copy)
    rules = copy / "impacts" / "rules.yaml"
    for mitigation, lowers in EFFECTS.items():
        effect = f", effect: {{lowers: {lowers}, by: 1, reason: it answers the cause}}}}"
        _replace(rules, mitigation, mitigation[:-1] + effect)
    sound = _run(copy)
    assert sound.returncode == 0, sound.stderr
    found = SUMMARY.search(sound.stdout)
    assert found, sound.stdout
    assert (int(found[1]), int(found[2]), int(found[3])) == (cases, 0, 0)

    case = "{name: English only, answers: {bilingual: false}, fires: true}"
    line = _line_of(rules, case)
    _replace(rules, case, case.replace("bilingual: false", "bilingual: true"))
    broken = _run(copy)
    assert broken.returncode == 1
    expected = 'rule english_only, case "English only": expected to fire, did not (engine and oracle agree)'
    assert f"{rules}:{line}: {expected}" in broken.stderr
    assert "The rule base has 1 fault." in broken.stderr
