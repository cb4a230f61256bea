"""Every word through the translator (issue 25): the strategy's own texts (actions with their lead and timescale,
outcomes, principles, cohesion indicators) and the mitigations' effect notes have the project's own Welsh drafts,
marked as such, and go through the same lookup as the rest of the rule base; the Welsh record shows none of our
English where a Welsh form exists.

The check is made against the catalogues, not restated by hand: every English text a Welsh catalogue translates
(to something other than itself) is looked for in the Welsh record, whole (a paragraph or a cell that is nothing
but that text) and, for the rule base's longer texts, inside any paragraph or cell (an action quoted in a
sentence: "Yn seiliedig ar y strategaeth: cam gweithredu 2.1, ...").
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from babel.messages.catalog import Message
from babel.messages.pofile import read_po

from proofing.assessment import Assessment, assess
from proofing.cumulative import Overlap
from proofing.knowledge import KnowledgeBase
from proofing.language import LANGUAGE_NAMES, LOCALE_DIR, catalogue, localised, rules_coverage
from proofing.plan import read_plan
from proofing.report import ReportDetails, write_report
from proofing.rule_words import rule_words
from proofing.screening import level_label
from proofing.strategy_texts import effect_walk, strategy_walk

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
STRATEGY_PO = LOCALE_DIR / "cy" / "LC_MESSAGES" / "rules-strategy25.po"
STRATEGY_REST_PO = LOCALE_DIR / "cy" / "LC_MESSAGES" / "rules-welsh25a.po"  # the vision, objectives, tasks, 2011-14
OWN_DRAFT = "The project's own draft translation, not the council's published Welsh"
QUOTED = 25  # a rule-base text this long is looked for inside sentences too (shorter ones may be words of Welsh)


def english_with_welsh() -> tuple[set[str], set[str]]:
    """(every English text the Welsh catalogues translate to something else, the rule-base ones among them)."""
    everything: set[str] = set()
    rule_base: set[str] = set()
    for (context, english), entry in catalogue("cy").entries.items():
        if not isinstance(entry.text, str) or entry.text == english or "{" in english:
            continue
        everything.add(english)
        if context is not None:
            rule_base.add(english)
    everything -= set(LANGUAGE_NAMES.values())  # the language switch names each language in itself
    everything = {text for text in everything if len(text) > 3 and any(letter.isalpha() for letter in text)}
    return everything, rule_base


def visible_texts(data: bytes) -> list[str]:
    """Every paragraph and table cell of a Word record, headers and footers too."""
    document = docx.Document(io.BytesIO(data))
    texts = [paragraph.text for paragraph in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for section in document.sections:
        for part in (section.header, section.footer):
            texts += [paragraph.text for paragraph in part.paragraphs]
    return [text.strip() for text in texts if text.strip()]


def english_in(texts: list[str]) -> list[str]:
    """The English of ours with a Welsh form that `texts` show, whole or (a longer rule-base text) quoted."""
    everything, rule_base = english_with_welsh()
    whole = {text for text in texts if text in everything}
    joined = "\n".join(" ".join(text.split()) for text in texts)
    quoted = {english for english in rule_base if len(english) >= QUOTED and " ".join(english.split()) in joined}
    return sorted(whole | quoted)


@pytest.fixture(scope="module")
def day_centre(kb: KnowledgeBase) -> Assessment:
    return assess(kb, read_plan(EXAMPLES / "day-centre-closure.yaml"))


def cited_actions(kb: KnowledgeBase, assessment: Assessment) -> list[str]:
    return sorted({action for f in assessment.findings for m in f.mitigations for action in m.actions})


def test_every_strategy_text_has_a_draft_marked_as_the_projects_own(kb: KnowledgeBase) -> None:
    entries: dict[tuple[str | None, str], Message] = {}
    for path in (STRATEGY_PO, STRATEGY_REST_PO):
        with path.open("rb") as handle:
            entries |= {
                (message.context, message.id): message for message in read_po(handle, locale="cy") if message.id
            }
    walked = list(strategy_walk(kb))
    assert len(walked) > 200  # 69 actions with their lead and timescale, 21 outcomes, principles, indicators
    effects = list(effect_walk(kb))
    assert len(effects) == sum(
        1 for rule in kb.rules if rule.finding for m in rule.finding.mitigations if m.effect is not None
    )
    walked += effects
    for context, english, _where in walked:
        message = entries.get((context, english))
        assert message is not None, f"no Welsh draft for {context}: {english}"
        assert message.string and message.string != english or english in {"AVOW", "NEWI", "2007 – 2008"}
        assert message.fuzzy, f"{context} is not marked as a draft"
        assert OWN_DRAFT in message.auto_comments, f"{context} is not marked as the project's own translation"
    coverage = rules_coverage(kb, "cy")
    assert coverage.missing == [] and coverage.placeholder_faults == []


def test_the_welsh_rule_base_holds_the_strategys_texts_in_welsh(kb: KnowledgeBase) -> None:
    welsh = localised(kb, "cy").kb
    english_action = next(action for action in kb.actions if action.id == "2.1")
    action = next(action for action in welsh.actions if action.id == "2.1")
    assert action.text.startswith("Datblygu Strategaeth Ymgynghori ac Ymgysylltu")
    assert action.lead != english_action.lead and action.timescale == "Mawrth 2009"
    assert [o.id for o in welsh.outcomes] == [o.id for o in kb.outcomes]  # the same outcomes, in other words
    assert all(w.text != e.text for w, e in zip(welsh.outcomes, kb.outcomes, strict=True))
    assert all(w.text != e.text for w, e in zip(welsh.indicators, kb.indicators, strict=True))
    assert all(w.text != e.text for w, e in zip(welsh.principles.items, kb.principles.items, strict=True))
    assert welsh.indicators[2].baselines[0].survey == "Llais y Bobl"
    english_rule = next(rule for rule in kb.rules if rule.id == "access_closure_older_disabled")
    rule = next(rule for rule in welsh.rules if rule.id == english_rule.id)
    assert rule.finding is not None and english_rule.finding is not None
    for english_mitigation, mitigation in zip(english_rule.finding.mitigations, rule.finding.mitigations, strict=True):
        assert english_mitigation.effect is not None and mitigation.effect is not None
        assert mitigation.effect.reason != english_mitigation.effect.reason  # the effect note, in Welsh
        assert mitigation.effect.model_dump(exclude={"reason"}) == english_mitigation.effect.model_dump(
            exclude={"reason"}
        )  # the same effect on the score


def test_the_welsh_record_shows_no_english_of_ours(kb: KnowledgeBase, day_centre: Assessment) -> None:
    details = ReportDetails(assessors=["Head of Adult Social Care"], produced_at="2026-12-01T10:00:00+00:00")
    texts = visible_texts(write_report(kb, day_centre, details, language="cy"))
    assert english_in(texts) == []
    welsh = localised(kb, "cy").kb
    joined = " ".join(" ".join(texts).split())
    english = " ".join(" ".join(visible_texts(write_report(kb, day_centre, details, language="en"))).split())
    quoted = [action for action in cited_actions(kb, day_centre) if said(kb, action) in english]
    assert len(quoted) >= 5  # the record quotes the actions the plan's mitigations draw on
    for action_id in quoted:
        assert said(welsh, action_id) in joined and said(kb, action_id) not in joined


def said(kb: KnowledgeBase, action_id: str) -> str:
    """An action's text as the rule base `kb` words it, whitespace folded."""
    found = kb.find(action_id)
    assert found is not None
    return " ".join(found[1].text.split())


def test_the_cumulative_table_names_groups_and_levels_in_welsh(kb: KnowledgeBase, day_centre: Assessment) -> None:
    """The other assessments' group and level are kept as the English rule base words them (an approval keeps
    them so); the Welsh record says them in Welsh."""
    overlap = Overlap(
        group="Age",
        assessment_id="other-plan",
        title="Cau llyfrgell Rhos",
        service="Llyfrgelloedd",
        status="draft",
        level=level_label(kb, "full_assessment"),
        period="2026 Q4",
    )
    details = ReportDetails(
        assessors=["Head of Adult Social Care"], produced_at="2026-12-01T10:00:00+00:00", also_affected=[overlap]
    )
    texts = visible_texts(write_report(kb, day_centre, details, language="cy"))
    assert english_in(texts) == []
    assert "Age" not in texts and "Full assessment needed" not in texts
    welsh = localised(kb, "cy").kb
    assert next(c.name for c in welsh.characteristics if c.id == "age") in texts
    assert level_label(welsh, "full_assessment") in texts


def test_rule_words_says_a_kept_english_text_in_the_readers_language(kb: KnowledgeBase) -> None:
    welsh = localised(kb, "cy").kb
    assert rule_words("Age", "cy") == next(c.name for c in welsh.characteristics if c.id == "age") != "Age"
    assert rule_words(level_label(kb, "mitigate"), "cy") == level_label(welsh, "mitigate")
    assert rule_words("Age", "en") == "Age"
    assert rule_words("a name no catalogue knows", "cy") == "a name no catalogue knows"
