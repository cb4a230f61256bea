"""The rule base says what the strategy says: every id the seed prints is there, and the counts hold."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from proofing import knowledge
from proofing.errors import RuleBaseError
from proofing.knowledge import KnowledgeBase, load_knowledge
from proofing.readout import describe, knowledge_as_json


def action_plan_part(strategy_text: str) -> str:
    return strategy_text[: strategy_text.index("DRAFT STRATEGY – DECEMBER 2007")]


def migrant_worker_part(strategy_text: str) -> str:
    return strategy_text[strategy_text.index("Joint Member/Officer Task Group on Migrant Workers") :]


# Strings in the action plan that look like measure ids but are not measures of their own.
NOT_MEASURES = {"4.8.2": "a faulty reference inside measure 2.8.3, repaired to 2.8.2"}


def test_every_action_the_seed_prints_is_in_the_rule_base(kb: KnowledgeBase, strategy_text: str) -> None:
    printed = set(re.findall(r"(?m)^(\d{1,2}\.\d{1,2}) ", action_plan_part(strategy_text)))
    assert len(printed) == 69
    assert printed == {action.id for action in kb.actions}


def test_every_measure_the_seed_prints_is_in_the_rule_base(kb: KnowledgeBase, strategy_text: str) -> None:
    printed = set(re.findall(r"\b(\d{1,2}\.\d{1,2}\.\d{1,2})\b", action_plan_part(strategy_text)))
    printed -= set(NOT_MEASURES)
    in_rule_base = {measure.id for action in kb.actions for measure in action.measures}
    assert printed == in_rule_base
    assert len(in_rule_base) == 162


def test_every_migrant_worker_task_the_seed_prints_is_in_the_rule_base(kb: KnowledgeBase, strategy_text: str) -> None:
    numbers: set[int] = set()
    pattern = r"(?m)(?:^|\t|<p>)(\d{1,2})(?: & (\d{1,2}))?(?:\t| (?=[A-Z]))"
    for match in re.finditer(pattern, migrant_worker_part(strategy_text)):
        numbers.update(int(group) for group in match.groups() if group)
    assert numbers == set(range(1, 38))
    assert [task.id for task in kb.migrant_worker_tasks] == [f"MW{n}" for n in range(1, 38)]


def test_tasks_12_and_13_share_their_row_but_keep_their_own_words(kb: KnowledgeBase) -> None:
    task_12, task_13 = kb.migrant_worker_tasks[11], kb.migrant_worker_tasks[12]
    assert task_12.text.startswith("Establish programme of education/awareness raising")
    assert task_13.text.startswith("To encourage employers to develop family friendly policies")
    assert (task_12.who, task_12.target, task_12.update) == (task_13.who, task_13.target, task_13.update)


@pytest.mark.parametrize(
    ("collection", "count"),
    [
        ("outcomes", 21),
        ("actions", 69),
        ("objectives", 4),
        ("migrant_worker_tasks", 37),
        ("indicators", 5),
        ("outcomes_2011", 6),
        ("psed_aims", 3),
    ],
)
def test_counts(kb: KnowledgeBase, collection: str, count: int) -> None:
    assert len(getattr(kb, collection)) == count


def test_vision_principles_and_characteristics(kb: KnowledgeBase) -> None:
    assert len(kb.vision.statements) == 6
    assert len(kb.principles.items) == 5
    protected = [c.id for c in kb.characteristics if c.kind == "protected"]
    assert len(protected) == 9
    assert {c.kind for c in kb.characteristics} == {"protected", "welsh_language", "socio_economic"}
    welsh = next(c for c in kb.characteristics if c.kind == "welsh_language")
    assert len(welsh.aspects) == 2


def test_the_communities_the_strategy_names_are_there(kb: KnowledgeBase) -> None:
    named = {
        "migrant_workers",
        "asylum_seekers_refugees",
        "gypsies_travellers",
        "bme_young_people",
        "established_minority_communities",
        "faith_communities",
        "majority_community",
        "children_young_people",
        "older_people",
    }
    assert named <= {community.id for community in kb.communities}


def test_outcomes_follow_the_strategy_numbering(kb: KnowledgeBase) -> None:
    assert [outcome.id for outcome in kb.outcomes] == [f"CC{n}" for n in range(1, 22)]
    # Printed "CC ref no: 6" in the seed; chapter 3 numbers it 9.
    assert kb.outcome("CC9").text.startswith("One Wrexham is understood and supported")
    assert kb.actions_of("CC16") == []


def test_repairs_of_split_rows(kb: KnowledgeBase) -> None:
    by_id = {action.id: action for action in kb.actions}
    assert by_id["2.8"].text == "Facilitate the development of the BME Voluntary and Community Sector"
    assert [m.text for m in by_id["2.8"].measures][-1] == "Implement actions as detailed in 2.8.2 above."
    assert (
        by_id["9.2"].measures[0].text == "Joint action plan developed and implemented to progress Charter of Belonging"
    )
    assert (by_id["9.2"].timescale, by_id["9.2"].resources, by_id["9.2"].target) == (
        "March 2009",
        "None",
        None,
    )
    assert by_id["19.3"].text == "Deliver a Foreign Language programme"


def test_lead_and_timescale_filled_where_the_seed_gives_them(kb: KnowledgeBase) -> None:
    assert all(action.lead for action in kb.actions)
    without_timescale = {action.id for action in kb.actions if not action.timescale}
    assert without_timescale == {"6.3", "7.4"}


def test_dump_has_the_documented_shape(kb: KnowledgeBase) -> None:
    dump = knowledge_as_json(kb)
    for key in [
        "principles",
        "vision",
        "objectives",
        "outcomes",
        "migrant_worker_tasks",
        "outcomes_2011",
        "indicators",
        "characteristics",
        "communities",
        "psed_aims",
    ]:
        assert dump[key], key
    outcome = next(o for o in dump["outcomes"] if o["id"] == "CC15")
    assert outcome["number"] == 15 and outcome["objective"] == "understanding_need"
    action = outcome["actions"][0]
    assert action["id"] == "15.1" and action["lead"] == "North Wales Police"
    assert action["measures"][0] == {
        "id": "15.1.1",
        "text": "Community tension issues identified by Neighbourhood Policing Panels",
    }
    assert set(action) >= {"id", "text", "measures", "involvement", "lead", "timescale", "resources"}
    task = dump["migrant_worker_tasks"][22]
    assert task["id"] == "MW23" and set(task) >= {"service", "text", "who", "target"}


@pytest.mark.parametrize(
    ("item_id", "expected"),
    [
        ("CC15", "Community tensions are recognised as they arise"),
        ("cc15", "Outcome CC15 (Understanding Community Needs)"),
        ("15.1", "Proposed lead organisation: North Wales Police"),
        ("2.6.1", "Of action 2.6: Engage communities"),
        ("MW23", "Review existing translation services"),
        ("P3", "Ensuring that young people are central"),
        ("V3", "similar life opportunities"),
        ("race", "Equality Act 2010"),
        ("foster_good_relations", "s.149(1)(c)"),
        ("engagement", "Strategic objective 1: Engagement"),
        ("I4", "National comparison: 80%"),
        ("2011-3", "Different communities come together"),
        ("migrant_workers", "Community: Migrant workers"),
        ("CC16", "Actions: none listed in the strategy"),
        ("7.4.1", "numbered in the strategy with no text"),
    ],
)
def test_describe_reads_as_text(kb: KnowledgeBase, item_id: str, expected: str) -> None:
    text = describe(kb, item_id)
    assert text is not None and expected in text


def test_describe_unknown_id(kb: KnowledgeBase) -> None:
    assert describe(kb, "CC99") is None


def test_ids_are_unique_across_the_rule_base(kb: KnowledgeBase) -> None:
    every_id = (
        [s.id for s in kb.vision.statements]
        + [p.id for p in kb.principles.items]
        + [o.id for o in kb.objectives]
        + [o.id for o in kb.outcomes]
        + [a.id for a in kb.actions]
        + [m.id for a in kb.actions for m in a.measures]
        + [t.id for t in kb.migrant_worker_tasks]
        + [i.id for i in kb.indicators]
        + [o.id for o in kb.outcomes_2011]
        + [c.id for c in kb.characteristics]
        + [c.id for c in kb.communities]
        + [a.id for a in kb.psed_aims]
        + [q.id for q in kb.questionnaire.questions]
        + [r.id for r in kb.rules]
        + [f.id for f in kb.facts]
    )
    assert len(every_id) == len(set(every_id)) == len(kb.items)


def test_the_rules_citing_an_action_include_findings_and_gaps(kb: KnowledgeBase) -> None:
    citing = {rule.id for rule in kb.rules_citing("18.1")}
    assert "positive_hate_crime_reporting" in citing
    assert "practice_no_monitoring_plan" in {rule.id for rule in kb.rules_citing("12.3")}  # a gap's remedy
    assert kb.rules_citing("no such action") == []


def test_the_same_files_loaded_again_give_the_same_rule_base_and_any_change_is_read(rules_copy: Path) -> None:
    first = load_knowledge(rules_copy)
    assert load_knowledge(rules_copy) is first  # the same bytes: the rule base already loaded
    assert load_knowledge(rules_copy, check_coverage=False) is not first  # asked for with other checks
    outcomes = rules_copy / "strategy" / "outcomes.yaml"
    text = outcomes.read_text(encoding="utf-8")
    name = first.outcomes[0].text
    outcomes.write_text(text.replace(name, name + " (revised)", 1), encoding="utf-8")
    revised = load_knowledge(rules_copy)
    assert revised is not first and revised.outcomes[0].text == name + " (revised)"
    assert revised.sha256 != first.sha256
    outcomes.write_text(text, encoding="utf-8")
    assert load_knowledge(rules_copy) is first  # the original bytes again
    (rules_copy / "impacts" / "broken.yaml").write_text("rules: [\n", encoding="utf-8")
    with pytest.raises(RuleBaseError):
        load_knowledge(rules_copy)  # a new file is a change too


def test_a_copy_with_one_file_changed_reads_only_that_file_again(rules_copy: Path, tmp_path: Path) -> None:
    first = load_knowledge(rules_copy)
    second_copy = tmp_path / "second"
    shutil.copytree(rules_copy, second_copy)
    outcomes = second_copy / "strategy" / "outcomes.yaml"
    name = first.outcomes[0].text
    outcomes.write_text(outcomes.read_text(encoding="utf-8").replace(name, name + " (revised)", 1), encoding="utf-8")
    second = load_knowledge(second_copy)
    assert second.outcomes[0].text == name + " (revised)"  # the changed file read afresh
    same_bytes = zip(second.actions, first.actions, strict=True)
    assert all(a is b for a, b in same_bytes)  # the same bytes in another folder: the models read before
    assert second.root == second_copy and second.sha256 != first.sha256
    read_alone = knowledge._load_knowledge(second_copy, second.sha256, True)
    knowledge._READ.clear()
    read_from_nothing = knowledge._load_knowledge(second_copy, second.sha256, True)
    assert read_alone.model_dump() == read_from_nothing.model_dump()  # reading some files again changes nothing
    original = rules_copy / "strategy" / "actions.yaml"
    broken = second_copy / "strategy" / "actions.yaml"
    broken.write_text(original.read_text(encoding="utf-8").replace("actions:", "actions: [", 1), encoding="utf-8")
    with pytest.raises(RuleBaseError) as raised:
        load_knowledge(second_copy)
    assert [problem.file for problem in raised.value.problems] == [broken]  # a fault names the copy's own file
