"""Assessments: scores, levels and gaps follow scoring.yaml, reasons are in words, mitigations cite real actions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from proofing.assessment import Finding, _level, assess, assessment_as_text, rag_of
from proofing.cli import main
from proofing.knowledge import KnowledgeBase
from proofing.oracle import Firing
from proofing.plan import read_plan
from proofing.readout import knowledge_as_json

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_every_example_assesses_with_real_actions(
    kb: KnowledgeBase, path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["assess", str(path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    dump = knowledge_as_json(kb)
    known = {a["id"] for o in dump["outcomes"] for a in o["actions"]} | {t["id"] for t in dump["migrant_worker_tasks"]}
    assert result["rule_base"] == {"name": kb.name, "version": kb.version, "sha256": kb.sha256}
    assert result["level"] in {"screened_out", "mitigate", "full_assessment"}
    assert set(result["plan"]) >= {"title", "service", "owner", "description", "answers"}
    for finding in result["findings"]:
        assert finding["score"] == finding["likelihood"] * finding["severity"]
        assert finding["because"], f"{finding['rule']} gives no reason"
        for because in finding["because"]:
            assert set(because) >= {"question", "answer"}
            assert because["question"] in result["answers"]
        for mitigation in finding["mitigations"]:
            assert mitigation["actions"] and set(mitigation["actions"]) <= known


def test_examples_span_the_levels(kb: KnowledgeBase) -> None:
    levels = {assess(kb, read_plan(path)).level for path in EXAMPLES}
    assert levels == {"screened_out", "mitigate", "full_assessment"}


def test_findings_are_ordered_negatives_first_by_score(kb: KnowledgeBase) -> None:
    for path in EXAMPLES:
        findings = assess(kb, read_plan(path)).findings
        keys = [(f.direction != "negative", -f.score, f.rule) for f in findings]
        assert keys == sorted(keys)


def test_text_reads_in_words_not_ids(kb: KnowledgeBase) -> None:
    assessment = assess(kb, read_plan(EXAMPLES[0]))
    text = assessment_as_text(kb, assessment)
    assert assessment.plan.title in text
    assert "affected_communities" not in text and "change_type" not in text


def _finding(score_parts: tuple[int, int], groups: list[str], direction: str = "negative") -> Finding:
    likelihood, severity = score_parts
    return Finding.model_construct(
        rule="r",
        direction=direction,
        likelihood=likelihood,
        severity=severity,
        score=likelihood * severity,
        characteristics=groups,
        communities=[],
    )


@pytest.mark.parametrize(
    ("findings", "facts", "level"),
    [
        ([], {}, "screened_out"),
        ([_finding((1, 5), ["age"])], {}, "screened_out"),
        ([_finding((2, 3), ["age"])], {}, "mitigate"),
        ([_finding((3, 5), ["age"])], {}, "full_assessment"),
        ([_finding((5, 5), ["age"], "positive")], {}, "screened_out"),
        ([_finding((2, 4), ["age", "sex", "race", "disability"])], {}, "mitigate"),
        ([_finding((2, 4), ["age", "sex", "race", "disability"])], {"thin_evidence": ("x",)}, "full_assessment"),
    ],
)
def test_screening_levels_follow_scoring_yaml(
    kb: KnowledgeBase, findings: list[Finding], facts: dict[str, tuple[str, ...]], level: str
) -> None:
    assert _level(kb, findings, Firing(findings=(), facts=facts)) == level


@pytest.mark.parametrize(("score", "rag"), [(25, "red"), (15, "red"), (14, "amber"), (8, "amber"), (7, "green")])
def test_rag_bands(kb: KnowledgeBase, score: int, rag: str) -> None:
    assert rag_of(kb, score) == rag


def test_a_level_reads_as_words_and_none_as_not_screened(kb: KnowledgeBase) -> None:
    from proofing.assessment import level_label

    assert level_label(kb, "screened_out") == "Screened out"
    assert level_label(kb, "full_assessment") == "Full assessment needed"
    assert level_label(kb, None) == "Not screened yet"
