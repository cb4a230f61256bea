"""Each way a policy officer can break the rule base gives one precise FILE:LINE message, never a traceback.

Every case takes a private copy of the real rule base, breaks one file in one way, and checks both the
library's error and what `proofing rules check --rules DIR` prints and returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from proofing.cli import main
from proofing.errors import RuleBaseError, display_path
from proofing.knowledge import load_knowledge


@dataclass(frozen=True)
class Breakage:
    name: str
    file: str
    old: str
    new: str
    marker: str  # the expected line is the line of this text in the broken file...
    occurrence: int  # ...at this occurrence (1 = first)
    message: str

    def apply(self, rules: Path) -> tuple[Path, int]:
        path = rules / self.file
        text = path.read_text(encoding="utf-8")
        assert self.old in text, f"{self.name}: the fixture no longer matches {self.file}"
        text = text.replace(self.old, self.new, 1)
        path.write_text(text, encoding="utf-8")
        position = -1
        for _ in range(self.occurrence):
            position = text.index(self.marker, position + 1)
        return path, text.count("\n", 0, position) + 1


BREAKAGES = [
    Breakage(
        "invalid YAML",
        "strategy/actions.yaml",
        '    text: "Engage communities that are not currently linked to mainstream activities"',
        '    text: "Engage communities" that are not currently linked',
        "that are not currently linked",
        1,
        "not valid YAML: expected <block end>, but found '<scalar>'",
    ),
    Breakage(
        "duplicate key",
        "strategy/outcomes.yaml",
        "  - id: CC15\n    number: 15\n",
        "  - id: CC15\n    number: 15\n    number: 16\n",
        "number: 16",
        1,
        "not valid YAML: duplicate key 'number' (first given on line {line_before})",
    ),
    Breakage(
        "duplicate id",
        "strategy/actions.yaml",
        '      - id: "2.6.2"',
        '      - id: "2.6.1"',
        '      - id: "2.6.1"',
        2,
        "duplicate id 2.6.1: the measure 2.6.1 here repeats the measure at {file}:{first_line}",
    ),
    Breakage(
        "dangling reference",
        "strategy/actions.yaml",
        '  - id: "2.6"\n    outcome: CC2\n',
        '  - id: "2.6"\n    outcome: CC22\n',
        "outcome: CC22",
        1,
        "action 2.6 cites unknown outcome CC22",
    ),
    Breakage(
        "wrong type",
        "strategy/outcomes.yaml",
        "  - id: CC15\n    number: 15\n",
        "  - id: CC15\n    number: fifteen\n",
        "number: fifteen",
        1,
        "outcome CC15: field 'number': input should be a valid integer, unable to parse string as an integer, "
        "got 'fifteen'",
    ),
    Breakage(
        "missing field",
        "strategy/actions.yaml",
        '    lead: "North Wales Police"\n    timescale: "December 2008 and ongoing"\n',
        '    timescale: "December 2008 and ongoing"\n',
        '  - id: "15.1"',
        1,
        "action 15.1: missing required field 'lead'",
    ),
    Breakage(
        "unexpected field",
        "strategy/outcomes.yaml",
        "  - id: CC15\n    number: 15\n",
        "  - id: CC15\n    number: 15\n    owner: Policy Unit\n",
        "owner: Policy Unit",
        1,
        "outcome CC15: unexpected field 'owner'; allowed fields are id, number, objective, text, chapter_text, "
        "contribution",
    ),
    Breakage(
        "measure under the wrong action",
        "strategy/actions.yaml",
        '      - id: "2.6.2"',
        '      - id: "2.5.2"',
        '      - id: "2.5.2"',
        1,
        "measure 2.5.2 is listed under action 2.6",
    ),
    Breakage(
        "community cites an unknown characteristic",
        "equality/communities.yaml",
        "    characteristics: [race, socio_economic]\n",
        "    characteristics: [race, ethnicity]\n",
        "characteristics: [race, ethnicity]",
        1,
        "community migrant_workers cites unknown characteristic ethnicity",
    ),
    Breakage(
        "rule reads an unknown question",
        "impacts/derived.yaml",
        "    when: {question: engagement_done, in: [none, not_known]}",
        "    when: {question: engagment_done, in: [none, not_known]}",
        "when: {question: engagment_done",
        1,
        "rule derive_not_engaged reads unknown question engagment_done",
    ),
    Breakage(
        "rule test does not fit the question",
        "impacts/derived.yaml",
        "    when: {any: [{question: evidence_used, contains: none}",
        "    when: {any: [{question: evidence_used, equals: none}",
        "    when: {any: [{question: evidence_used, equals: none}",
        1,
        "rule derive_thin_evidence tests question evidence_used with 'equals', which does not fit a many_of question",
    ),
    Breakage(
        "rule tests an option that does not exist",
        "impacts/derived.yaml",
        "        - {question: tension_potential, equals: high}",
        "        - {question: tension_potential, equals: extreme}",
        "    when:\n      any:\n        - {question: tension_potential, equals: extreme}",
        1,
        "rule derive_tension_risk tests question tension_potential against extreme, not among its options",
    ),
    Breakage(
        "fact read under any",
        "impacts/derived.yaml",
        "    when: {fact: digital_exclusion_risk}",
        "    when: {any: [{fact: digital_exclusion_risk}, {question: digital_only, equals: true}]}",
        "when: {any: [{fact: digital_exclusion_risk}",
        1,
        "rule derive_digital_exclusion_is_access reads fact digital_exclusion_risk under 'any' or 'not'; "
        "a fact may only be required",
    ),
    Breakage(
        "rule without cases",
        "impacts/derived.yaml",
        "    derives: not_engaged\n    cases:\n"
        "      - {name: no engagement, answers: {engagement_done: none}, fires: true}\n"
        "      - {name: the plan does not say, answers: {engagement_done: not_known}, fires: true}\n"
        "      - {name: consulted, answers: {engagement_done: done}, fires: false}\n",
        "    derives: not_engaged\n",
        "  - id: derive_not_engaged",
        1,
        "rule derive_not_engaged has no test cases",
    ),
    Breakage(
        "show_if reads a later question",
        "questionnaire.yaml",
        "        process: true\n        show_if: {question: engagement_done, equals: done}",
        "        process: true\n        show_if: {question: monitoring_plan, equals: true}",
        "show_if: {question: monitoring_plan, equals: true}",
        1,
        "question engagement_results: show_if reads unknown question monitoring_plan "
        "(a question may only depend on earlier ones)",
    ),
    Breakage(
        "a role names a question that does not exist",
        "questionnaire.yaml",
        "  engagement: engagement_done\n",
        "  engagement: engagement_status\n",
        "  engagement: engagement_status",
        1,
        "roles: engagement names unknown question engagement_status",
    ),
    Breakage(
        "the thin-evidence fact is not declared",
        "scoring.yaml",
        "  thin_evidence_fact: thin_evidence\n",
        "  thin_evidence_fact: little_evidence\n",
        "  thin_evidence_fact: little_evidence",
        1,
        "screening: thin_evidence_fact names undeclared fact little_evidence (declare it in facts.yaml)",
    ),
    Breakage(
        "a rule needs the fact it derives",
        "impacts/derived.yaml",
        "    when: {fact: digital_exclusion_risk}\n    derives: reduces_access\n",
        "    when: {fact: reduces_access}\n    derives: reduces_access\n",
        "    when: {fact: reduces_access}",
        1,
        "rule derive_digital_exclusion_is_access needs the fact reduces_access it derives, so it can never fire",
    ),
    Breakage(
        "a citation whose words do not fit the action",
        "impacts/language.yaml",
        "            Consult Welsh speakers and Welsh-language organisations on how the service will be offered"
        " in Welsh.\n          actions: ['2.1']\n",
        "            Translate the signs into Welsh.\n          actions: ['2.1']\n",
        "    finding:",
        1,
        "rule language_english_only: a mitigation cites action 2.1, but its words share none of the action's "
        "(consult, engag, views, involve, listen, feedback, report back, ask, invite, meet, agree with): cite an "
        "action that fits, or reword it",
    ),
    Breakage(
        "an unanswered question a finding reads could count as reassuring",
        "questionnaire.yaml",
        "        type: yes_no\n        unanswered: gap\n        unanswered_gap: >-\n"
        "          Whether information will be available in accessible formats",
        "        type: yes_no\n        help: >-\n          Whether information will be available in accessible formats",
        "      - id: accessible_formats",
        1,
        "question accessible_formats is read by a finding, so leaving it unanswered must not count as the "
        "reassuring answer: make it 'required: true', or give 'unanswered: gap' and 'unanswered_gap'",
    ),
]


@pytest.mark.parametrize("breakage", BREAKAGES, ids=lambda b: b.name)
def test_each_fault_is_reported_at_its_line(
    breakage: Breakage, rules_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, line = breakage.apply(rules_copy)
    text = path.read_text(encoding="utf-8")
    first_line = text.count("\n", 0, text.index(breakage.new)) + 1
    message = breakage.message.format(line_before=line - 1, file=display_path(path), first_line=first_line)
    expected = f"{display_path(path)}:{line}: {message}"

    with pytest.raises(RuleBaseError) as raised:
        load_knowledge(rules_copy)
    assert [str(problem) for problem in raised.value.problems] == [expected]

    assert main(["rules", "check", "--rules", str(rules_copy)]) == 1
    printed = capsys.readouterr()
    assert expected in printed.err.splitlines()
    assert "Traceback" not in printed.err + printed.out


def test_an_empty_file(rules_copy: Path) -> None:
    path = rules_copy / "equality" / "psed_aims.yaml"
    path.write_text("# nothing yet\n", encoding="utf-8")
    with pytest.raises(RuleBaseError) as raised:
        load_knowledge(rules_copy)
    assert str(raised.value) == f"{display_path(path)}:1: the file is empty"


def test_a_missing_file(rules_copy: Path) -> None:
    path = rules_copy / "strategy" / "indicators.yaml"
    path.unlink()
    with pytest.raises(RuleBaseError) as raised:
        load_knowledge(rules_copy)
    assert str(raised.value) == f"{display_path(path)}:1: file not found"


def test_a_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "check", "--rules", str(tmp_path / "nowhere")]) == 1
    assert "the rule base folder does not exist" in capsys.readouterr().err


def test_every_fault_is_listed_not_just_the_first(rules_copy: Path) -> None:
    by_name = {breakage.name: breakage for breakage in BREAKAGES}
    by_name["missing field"].apply(rules_copy)
    by_name["wrong type"].apply(rules_copy)
    with pytest.raises(RuleBaseError) as raised:
        load_knowledge(rules_copy)
    assert len(raised.value.problems) == 2


def test_every_broken_reference_is_listed(rules_copy: Path) -> None:
    by_name = {breakage.name: breakage for breakage in BREAKAGES}
    by_name["dangling reference"].apply(rules_copy)
    by_name["measure under the wrong action"].apply(rules_copy)
    with pytest.raises(RuleBaseError) as raised:
        load_knowledge(rules_copy)
    assert [problem.message for problem in raised.value.problems] == [
        "action 2.6 cites unknown outcome CC22",
        "measure 2.5.2 is listed under action 2.6",
    ]


def test_yaml_is_never_executed(rules_copy: Path) -> None:
    path = rules_copy / "rule_base.yaml"
    path.write_text("rule_base: !!python/object/apply:os.system ['echo pwned']\n", encoding="utf-8")
    with pytest.raises(RuleBaseError) as raised:
        load_knowledge(rules_copy)
    assert "not valid YAML" in str(raised.value)


def test_red_must_be_above_amber(rules_copy: Path) -> None:
    scoring = rules_copy / "scoring.yaml"
    scoring.write_text(scoring.read_text(encoding="utf-8").replace("  red: 15 ", "  red: 5 "), encoding="utf-8")
    with pytest.raises(RuleBaseError) as raised:
        load_knowledge(rules_copy)
    (problem,) = raised.value.problems
    assert problem.file == scoring and problem.line == 2
    assert "red (5) must be above amber (8)" in problem.message
