"""Places as data (rules/places.yaml): the wards load, an area's wards exist, the wards question offers them,
old text answers are mapped with a warning, the Caia Park rule tests its real wards, and Welsh names every place."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from proofing.errors import RuleBaseError
from proofing.knowledge import DEFAULT_RULES_DIR, KnowledgeBase, load_knowledge
from proofing.language import catalogue, localised, rules_coverage
from proofing.oracle import reference_evaluate
from proofing.plan import check_answers

CAIA_PARK_WARDS = ["cartrefle", "queensway", "smithfield", "whitegate", "wynnstay"]
MIX = {"known_myths": True, "recent_tension": True, "deprived_area": True, "geography": "named_wards"}


def test_the_wards_and_areas_load(kb: KnowledgeBase) -> None:
    wards = [place for place in kb.places if place.kind == "ward"]
    assert len(wards) == 49  # the wards of the 2021 Order, in use since 2022
    assert len({place.id for place in kb.places}) == len(kb.places)
    assert kb.place_of["chirk_north"].welsh_name == "Gogledd y Waun"
    assert kb.place_of["caia_park"].welsh_name == "Parc Caia"


def test_every_area_is_made_of_wards_of_the_list(kb: KnowledgeBase) -> None:
    areas = [place for place in kb.places if place.kind == "area"]
    assert areas
    for area in areas:
        assert area.wards and all(kb.place_of[ward].kind == "ward" for ward in area.wards), area.id
    assert kb.place_of["caia_park"].wards == CAIA_PARK_WARDS
    assert kb.wards_of(["caia_park", "holt"]) == ["cartrefle", "holt", *CAIA_PARK_WARDS[1:]]


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (
            "wards: [cartrefle, queensway, smithfield, whitegate, wynnstay]",
            "place caia_park: its wards name nowhere_ward, but there is no ward nowhere_ward in the list",
        ),
        ("wards: [chirk_north, chirk_south]", "place chirk: its wards name caia_park, but caia_park is an area"),
    ],
)
def test_a_bad_ward_in_an_area_is_a_file_and_line_fault(tmp_path: Path, broken: str, message: str) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, rules)
    path = rules / "places.yaml"
    text = path.read_text(encoding="utf-8")
    wrong = "nowhere_ward" if "cartrefle" in broken else "caia_park"
    path.write_text(text.replace(broken, broken.replace("]", f", {wrong}]")), encoding="utf-8")
    line = next(
        n for n, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if wrong in row and "wards:" in row
    )
    with pytest.raises(RuleBaseError) as raised:
        load_knowledge(rules)
    assert f"places.yaml:{line}: {message}" in str(raised.value)


def test_a_misspelt_field_in_places_is_a_file_and_line_fault(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, rules)
    path = rules / "places.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("    kind: ward\n", "    kynd: ward\n", 1), encoding="utf-8"
    )
    with pytest.raises(RuleBaseError) as raised:
        load_knowledge(rules)
    assert "places.yaml:" in str(raised.value) and "place acrefair_north: unexpected field 'kynd'" in str(raised.value)


def test_the_wards_question_offers_every_place(kb: KnowledgeBase) -> None:
    question = kb.questionnaire.question("wards")
    assert question is not None and question.type == "many_of" and question.options_source == "places"
    assert [option.id for option in question.options] == [place.id for place in kb.places]
    assert next(option for option in question.options if option.id == "caia_park").includes == CAIA_PARK_WARDS


def test_choosing_an_area_counts_as_choosing_its_wards(kb: KnowledgeBase) -> None:
    checked = check_answers(kb.questionnaire, {"geography": "named_wards", "wards": ["caia_park"]}, complete=False)
    assert set(checked.answers["wards"]) == {"caia_park", *CAIA_PARK_WARDS} and not checked.warnings


def test_an_old_text_answer_is_mapped_by_english_or_welsh_name_and_warns_about_the_rest(kb: KnowledgeBase) -> None:
    answers = {"geography": "named_wards", "wards": "parc caia, Plas Madoc and Hightown"}
    checked = check_answers(kb.questionnaire, answers, complete=False)
    assert not checked.problems
    assert {"caia_park", "plas_madoc", "acrefair_north", "queensway"} <= set(checked.answers["wards"])
    (warning,) = checked.warnings
    assert '"parc caia, Plas Madoc and Hightown"' in warning and '"Hightown" names no ward or area' in warning


def test_an_old_text_answer_naming_no_place_is_kept_in_a_warning_never_dropped_silently(kb: KnowledgeBase) -> None:
    answers = {"geography": "rural_areas", "wards": "The villages around the old day centre"}
    checked = check_answers(kb.questionnaire, answers, complete=False)
    assert not checked.problems and "wards" not in checked.answers
    assert any('"The villages around the old day centre"' in warning for warning in checked.warnings)


def test_a_matching_old_text_answer_warns_what_it_was_read_as(kb: KnowledgeBase) -> None:
    checked = check_answers(kb.questionnaire, {"geography": "named_wards", "wards": "Y Waun"}, complete=False)
    assert checked.answers["wards"] == ["chirk_north", "chirk_south", "chirk"]
    assert checked.warnings == [
        'The answer to "Which wards or communities?" (wards) was words, "Y Waun"; it is read as the places Chirk.'
    ]


@pytest.mark.parametrize(
    ("wards", "fires"), [(["queensway"], True), (["caia_park"], True), (["gresford_east_and_west"], False)]
)
def test_the_caia_park_rule_fires_in_its_wards_and_not_elsewhere(
    kb: KnowledgeBase, wards: list[str], fires: bool
) -> None:
    checked = check_answers(kb.questionnaire, MIX | {"wards": wards}, complete=False)
    assert not checked.problems
    assert ("tension_caia_park_conditions" in reference_evaluate(kb.rules, checked.answers).findings) is fires


def test_the_welsh_catalogue_names_every_place(kb: KnowledgeBase) -> None:
    catalogue.cache_clear()
    coverage = rules_coverage(kb, "cy")
    assert not [missing for missing in coverage.missing if missing.startswith("place.")]
    welsh = localised(kb, "cy").kb
    assert next(place for place in welsh.places if place.id == "caia_park").name == "Parc Caia"
    options = welsh.questionnaire.question("wards").options
    assert next(option for option in options if option.id == "chirk_north").label == "Gogledd y Waun"
