"""The EIA workshop's reasoning, without a store: spreads, missed impacts, agreement notes, the agreed view, dissent."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from proofing.assessment import Assessment, assess, assess_agreed, with_agreement
from proofing.decisions import AgreedFinding, DecisionNotes
from proofing.knowledge import KnowledgeBase
from proofing.plan import read_plan
from proofing.workshop import (
    MISSED_PREFIX,
    OUTLIER_DISTANCE,
    Participant,
    StoredConsensus,
    StoredMissed,
    StoredScore,
    Verdict,
    Workshop,
    WorkshopFinding,
    WorkshopPerson,
    agreement_notes,
    missed_groups,
    snapshot,
    spreads,
    unagreed,
    workshop_record,
)

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
AT = datetime(2026, 12, 1, 10, tzinfo=UTC)
WORKSHOP_ID = "0123456789abcdef0123456789abcdef"


def finding(rule: str, likelihood: int = 4, severity: int = 4) -> WorkshopFinding:
    return WorkshopFinding(
        rule=rule, title=f"Finding {rule}", direction="negative", likelihood=likelihood, severity=severity, groups=[]
    )


def score(who: str, rule: str, verdict: Verdict, likelihood: int, severity: int, comment: str = "") -> StoredScore:
    return StoredScore(
        participant=who,
        name=f"Participant from {who}",
        organisation=who,
        finding=rule,
        verdict=verdict,
        likelihood=likelihood,
        severity=severity,
        comment=comment,
        saved_at=AT,
    )


def missed(number: int, groups: list[str], who: str = "Housing") -> StoredMissed:
    return StoredMissed(
        id=number,
        participant=who,
        name=f"Participant from {who}",
        organisation=who,
        title=f"Missed impact {number}",
        groups=groups,
        reason="The rules do not ask about it",
        likelihood=3,
        severity=4,
        added_at=AT,
    )


def agreed(key: str, likelihood: int, severity: int, keep: bool = True, note: str = "") -> StoredConsensus:
    return StoredConsensus(
        key=key, likelihood=likelihood, severity=severity, keep=keep, note=note, revision=1, by="Facilitator", at=AT
    )


@pytest.fixture(scope="module")
def day_centre(kb: KnowledgeBase) -> Assessment:
    return assess(kb, read_plan(EXAMPLES / "day-centre-closure.yaml"))


# --- spreads ---------------------------------------------------------------------------------------------------


def test_spreads_put_the_most_disagreed_first_and_the_unscored_last() -> None:
    calm, split, unscored = finding("calm"), finding("split"), finding("unscored")
    room = [
        score("Housing", "calm", "agree", 4, 4),
        score("Libraries", "calm", "agree", 4, 4),
        score("Housing", "split", "agree", 5, 5),
        score("Libraries", "split", "disagree", 1, 1),
    ]
    result = spreads([calm, unscored, split], room)
    assert [s.finding.rule for s in result] == ["split", "calm", "unscored"]
    assert (result[0].low, result[0].middle, result[0].high) == (1, 13.0, 25)
    assert result[0].disagreement == 24 + 3  # the range, and the middle's distance from the rules' 16
    assert result[1].disagreement == 0 and result[1].outliers == []
    nobody = result[2]
    assert (nobody.low, nobody.middle, nobody.high, nobody.scores, nobody.outliers) == (None, None, None, [], [])
    assert nobody.verdicts == {"agree": 0, "disagree": 0, "unsure": 0}


def test_an_outlier_is_far_from_the_middle_or_a_minority_verdict() -> None:
    rule = "r"
    room = [
        score("Housing", rule, "agree", 4, 4),  # 16, the middle
        score("Libraries", rule, "agree", 4, 4),
        score("Police", rule, "agree", 2, 4),  # 8: OUTLIER_DISTANCE or more from 16
        score("Health", rule, "agree", 4, 3),  # 12: close, same verdict
        score("Schools", rule, "disagree", 4, 4),  # close, but the only one to disagree
    ]
    spread = spreads([finding(rule)], room)[0]
    assert spread.middle == 16.0 and 16 - 8 >= OUTLIER_DISTANCE > 16 - 12
    assert sorted(o.organisation for o in spread.outliers) == ["Police", "Schools"]
    assert spread.verdicts == {"agree": 4, "disagree": 1, "unsure": 0}


def test_scores_of_a_finding_not_in_the_workshop_are_ignored() -> None:
    result = spreads([finding("r")], [score("Housing", "other", "agree", 5, 5)])
    assert result[0].scores == []


# --- missed impacts --------------------------------------------------------------------------------------------


def test_missed_impacts_are_grouped_by_the_groups_they_name_most_raised_first(kb: KnowledgeBase) -> None:
    impacts = [missed(1, ["sex", "age"]), missed(2, ["race"]), missed(3, ["age", "sex"], who="Libraries")]
    grouped = missed_groups(kb, impacts)
    assert [group.groups for group in grouped] == [["age", "sex"], ["race"]]
    assert grouped[0].names == ["Age", "Sex"] and [impact.id for impact in grouped[0].impacts] == [1, 3]
    assert missed_groups(kb, []) == []


# --- agreement notes -------------------------------------------------------------------------------------------


def test_agreement_notes_round_trip_through_decision_notes() -> None:
    consensus = {
        "kept": agreed("kept", 2, 3, note="Another hall stays open"),
        "dropped": agreed("dropped", 1, 1, keep=False, note="Step-free"),
        f"{MISSED_PREFIX}7": agreed(f"{MISSED_PREFIX}7", 4, 3, note="Carers"),
        f"{MISSED_PREFIX}8": agreed(f"{MISSED_PREFIX}8", 2, 2, keep=False),
    }
    old = AgreedFinding(likelihood=1, severity=1, workshop="an-earlier-workshop")
    earlier = DecisionNotes.model_validate({"set_aside": {"x": {"reason": "Out of scope"}}, "agreed": {"old": old}})
    parsed = agreement_notes(WORKSHOP_ID, consensus, [missed(7, ["age", "sex"]), missed(8, ["race"])], earlier)
    assert isinstance(parsed, DecisionNotes)  # typed: the room's scores are never turned into text
    assert all(type(entry.likelihood) is int for entry in [*parsed.agreed.values(), *parsed.added.values()])
    assert parsed.set_aside["x"].reason == "Out of scope"  # earlier notes are kept ...
    assert set(parsed.agreed) == {"kept", "dropped"}  # ... but an earlier workshop's agreement is replaced
    assert parsed.agreed["kept"] == AgreedFinding(
        likelihood=2, severity=3, note="Another hall stays open", workshop=WORKSHOP_ID
    )
    assert parsed.agreed["dropped"].keep is False
    assert list(parsed.added) == [f"{WORKSHOP_ID[:8]}-7"]  # the impact not accepted is not added
    added = parsed.added[f"{WORKSHOP_ID[:8]}-7"]
    assert added.groups == ["age", "sex"] and (added.likelihood, added.severity) == (4, 3)
    assert added.reason == "The rules do not ask about it (the workshop: Carers)"
    assert earlier.agreed == {"old": old}  # not changed in place


def test_unagreed_names_the_findings_still_to_agree() -> None:
    first, second = finding("a"), finding("b")
    assert unagreed([first, second], {"a": agreed("a", 1, 1)}) == [second]


# --- the agreed view -------------------------------------------------------------------------------------------


def notes_for(*entries: tuple[str, int, int, bool], added: dict[str, dict[str, str]] | None = None) -> DecisionNotes:
    return DecisionNotes.model_validate(
        {
            "agreed": {
                rule: {"likelihood": str(lk), "severity": str(sv), "keep": str(keep), "note": "n", "workshop": "w"}
                for rule, lk, sv, keep in entries
            },
            "added": added or {},
        }
    )


def test_with_agreement_rescores_drops_and_adds(kb: KnowledgeBase, day_centre: Assessment) -> None:
    first, second, third = (f.rule for f in day_centre.findings[:3])
    rules = {f.rule: f for f in day_centre.findings}
    added = {
        "k1": {
            "title": "Carers lose respite",
            "groups": "age,sex,not_a_group",
            "reason": "Most  carers are\nolder women",
            "likelihood": "4",
            "severity": "3",
            "workshop": "w",
        }
    }
    notes = notes_for(
        (first, 2, 2, True),
        (second, 1, 1, False),
        (third, *(rules[third].likelihood, rules[third].severity), True),
        added=added,
    )
    agreed = with_agreement(kb, day_centre, notes)
    by_rule = {f.rule: f for f in agreed.findings}
    rescored = by_rule[first]
    assert (rescored.likelihood, rescored.severity, rescored.score) == (2, 2, 4)
    assert (rescored.rules_likelihood, rescored.rules_severity) == (rules[first].likelihood, rules[first].severity)
    assert rescored.workshop == "w" and rescored.workshop_note == "n" and rescored.rag == "green"
    assert second not in by_rule and [f.rule for f in agreed.dropped] == [second]
    same = by_rule[third]  # agreed at the rules' own scores: marked as agreed, no rules' scores beside it
    assert same.workshop == "w" and same.rules_likelihood is None and same.rules_severity is None
    new = by_rule["workshop:k1"]
    assert new.added_by_workshop and new.mitigations == [] and new.because == []
    assert new.characteristics == ["age", "sex"] and new.communities == []  # an unknown group is left out
    assert new.rationale == "Most carers are older women"
    assert {entry.id for entry in agreed.profile} >= {"sex"}
    assert [f.score for f in agreed.findings if f.direction == "negative"] == sorted(
        (f.score for f in agreed.findings if f.direction == "negative"), reverse=True
    )


def test_nothing_agreed_leaves_the_assessment_as_it_was(kb: KnowledgeBase, day_centre: Assessment) -> None:
    assert with_agreement(kb, day_centre, DecisionNotes()) is day_centre


def test_agreement_about_a_finding_the_plan_no_longer_raises_is_ignored(
    kb: KnowledgeBase, day_centre: Assessment
) -> None:
    agreed = with_agreement(kb, day_centre, notes_for(("not_a_rule", 1, 1, False)))
    assert agreed.findings == day_centre.findings and agreed.dropped == []


def test_the_level_follows_the_agreed_scores(kb: KnowledgeBase) -> None:
    plan = read_plan(EXAMPLES / "staff-relocation-package.yaml")
    rules = assess(kb, plan)
    assert rules.level == "mitigate"
    material = [f.rule for f in rules.findings if f.direction == "negative"]
    dropped, _ = assess_agreed(kb, plan, notes_for(*((rule, 1, 1, False) for rule in material)))
    assert dropped.level == "screened_out" and dropped.level_words == kb.scoring.level_words["screened_out"]
    assert dropped.decision == kb.scoring.decision_words["screened_out"] and dropped.profile == []
    raised, _ = assess_agreed(kb, plan, notes_for(*((rule, 5, 5, True) for rule in material)))
    assert raised.level == "full_assessment"
    lowered, _ = assess_agreed(kb, plan, notes_for(*((rule, 1, 1, True) for rule in material)))
    assert lowered.level == "screened_out" and len(lowered.findings) == len(rules.findings)


def test_a_material_impact_the_room_adds_screens_a_plan_in(kb: KnowledgeBase) -> None:
    plan = read_plan(EXAMPLES / "translation-contract.yaml")
    assert assess(kb, plan).level == "screened_out"
    added = {"k": {"title": "T", "groups": "race", "reason": "R", "likelihood": "4", "severity": "4", "workshop": "w"}}
    agreed, _ = assess_agreed(kb, plan, notes_for(added=added))
    assert agreed.level == "full_assessment"


# --- the workshop's record -------------------------------------------------------------------------------------


def test_workshop_record_notes_dissent_in_sentences(kb: KnowledgeBase, day_centre: Assessment) -> None:
    findings = snapshot(kb, day_centre)[:2]
    kept, dropped = findings
    workshop = Workshop(
        id=WORKSHOP_ID,
        code="K7P3QX",
        assessment_id="a",
        version=1,
        title="Day centre",
        facilitator="Facilitator",
        facilitator_subject="f",
        stage="finalised",
        opened_at=AT,
        finalised_version=2,
        findings=findings,
    )
    people = [
        Participant(key=who, name=f"Participant from {who}", organisation=who, joined_at=AT)
        for who in ("Housing", "Libraries", "Police")
    ]
    room = [
        score("Housing", kept.rule, "agree", kept.likelihood, kept.severity),
        score("Libraries", kept.rule, "disagree", kept.likelihood, kept.severity, "Buses run hourly"),  # against
        score("Police", kept.rule, "agree", 1, 1),  # far from the agreed score
        score("Housing", dropped.rule, "agree", 3, 3, "It still matters"),  # agreed with one the room dropped
        score("Libraries", dropped.rule, "disagree", 1, 1),
    ]
    consensus = {
        kept.rule: agreed(kept.rule, kept.likelihood, kept.severity),
        dropped.rule: agreed(dropped.rule, 1, 1, keep=False, note="Not likely"),
        f"{MISSED_PREFIX}1": agreed(f"{MISSED_PREFIX}1", 4, 3),
    }
    record = workshop_record(kb, workshop, people, room, [missed(1, ["age"]), missed(2, ["race"])], consensus)
    assert record.held_on == "2026-12-01" and record.participants[0] == WorkshopPerson(
        name="Participant from Housing", organisation="Housing"
    )
    first, second = record.findings
    assert (first.rules_likelihood, first.agreed_likelihood, first.kept, first.scored_by) == (
        kept.likelihood,
        kept.likelihood,
        True,
        3,
    )
    assert first.dissent == [
        "Participant from Police (Police) scored 1 (likelihood 1, severity 1) and said agree it is a likely impact",
        f"Participant from Libraries (Libraries) scored {kept.score} (likelihood {kept.likelihood}, severity "
        f"{kept.severity}) and said disagree: Buses run hourly",
    ]
    assert second.kept is False and second.note == "Not likely"
    assert second.dissent == [
        "Participant from Housing (Housing) scored 9 (likelihood 3, severity 3) and said agree it is a likely "
        "impact: It still matters"
    ]
    accepted, refused = record.added
    assert accepted.accepted and (accepted.agreed_likelihood, accepted.agreed_severity) == (4, 3)
    assert accepted.groups == ["Age"] and accepted.raised_by == "Participant from Housing (Housing)"
    assert not refused.accepted and refused.agreed_likelihood is None


# --- numbers from opening to record ------------------------------------------------------------------------------


def test_a_finding_keeps_its_number_whatever_order_the_spread_shows() -> None:
    calm, split, unscored = finding("calm"), finding("split"), finding("unscored")
    room = [
        score("Housing", "calm", "agree", 4, 4),
        score("Housing", "split", "agree", 5, 5),
        score("Libraries", "split", "disagree", 1, 1),
    ]
    result = spreads([calm, split, unscored], room)
    assert [s.finding.rule for s in result] == ["split", "calm", "unscored"]  # most disagreement first ...
    assert [s.number for s in result] == [2, 1, 3]  # ... each under the number it had at opening
    workshop = Workshop(
        id=WORKSHOP_ID,
        code="K7P3QX9A",
        assessment_id="a",
        version=1,
        title="Day centre",
        facilitator="Facilitator",
        facilitator_subject="f",
        stage="revealed",
        opened_at=AT,
        findings=[calm, split, unscored],
    )
    assert workshop.numbers == {"calm": 1, "split": 2, "unscored": 3}
    assert {s.finding.rule: s.number for s in result} == workshop.numbers


def test_findings_equally_disagreed_about_come_in_the_order_of_their_numbers() -> None:
    findings = [finding("z"), finding("a"), finding("m")]
    result = spreads(findings, [])  # nobody scored: every one equally (not) disagreed about
    assert [(s.number, s.finding.rule) for s in result] == [(1, "z"), (2, "a"), (3, "m")]


def test_the_record_numbers_each_finding_as_the_room_did(kb: KnowledgeBase, day_centre: Assessment) -> None:
    findings = snapshot(kb, day_centre)[:3]
    workshop = Workshop(
        id=WORKSHOP_ID,
        code="K7P3QX9A",
        assessment_id="a",
        version=1,
        title="Day centre",
        facilitator="Facilitator",
        facilitator_subject="f",
        stage="finalised",
        opened_at=AT,
        finalised_version=2,
        findings=findings,
    )
    last = findings[-1]
    room = [score("Housing", last.rule, "agree", 5, 5), score("Police", last.rule, "disagree", 1, 1)]
    record = workshop_record(kb, workshop, [], room, [], {})
    # The last finding is the most disagreed about (first on the facilitator's screen) but stays number 3.
    assert spreads(findings, room)[0].finding.rule == last.rule
    assert [(outcome.number, outcome.rule) for outcome in record.findings] == [
        (number, item.rule) for number, item in enumerate(findings, start=1)
    ]


# --- every comment reaches the facilitator --------------------------------------------------------------------


def test_every_comment_is_a_view_to_hear_not_only_those_who_stand_apart() -> None:
    rule = "r"
    room = [
        score("Housing", rule, "agree", 4, 4, "We see it at the counter"),  # the middle, the majority, a comment
        score("Libraries", rule, "agree", 4, 4),  # the middle, no comment: nothing to hear
        score("Police", rule, "agree", 2, 4, "Mostly covered"),  # far from the middle
        score("Health", rule, "agree", 4, 3, "   "),  # blank: no comment
        score("Schools", rule, "disagree", 4, 4),  # a minority verdict, no comment: still one to hear
    ]
    spread = spreads([finding(rule)], room)[0]
    heard = [(view.score.organisation, view.apart, view.minority) for view in spread.to_hear]
    assert heard == [("Police", True, False), ("Schools", False, True), ("Housing", False, False)]
    assert sorted(o.organisation for o in spread.outliers) == ["Police", "Schools"]  # dissent stays as it was


def test_a_split_room_of_two_hears_both_comments() -> None:
    """The comment that went missing: two people, one agrees and one disagrees, with close scores. Neither is a
    minority (one of two is not fewer than half) nor far from the middle, so neither was an outlier, and "views to
    hear" showed neither comment."""
    rule = "r"
    room = [
        score("Housing", rule, "agree", 4, 4, "Older people use it daily"),
        score("Libraries", rule, "disagree", 3, 4, "The mobile library covers it"),
    ]
    spread = spreads([finding(rule)], room)[0]
    assert spread.outliers == []
    assert [view.score.comment for view in spread.to_hear] == [
        "The mobile library covers it",
        "Older people use it daily",
    ]


def test_comments_stay_with_their_own_finding() -> None:
    first, second = finding("first"), finding("second")
    room = [
        score("Housing", "first", "agree", 4, 4, "On the first"),
        score("Housing", "second", "agree", 4, 4, "On the second"),
        score("Libraries", "second", "agree", 4, 4, "Also on the second"),
    ]
    by_rule = {spread.finding.rule: spread for spread in spreads([first, second], room)}
    assert [view.score.comment for view in by_rule["first"].to_hear] == ["On the first"]
    assert sorted(view.score.comment for view in by_rule["second"].to_hear) == ["Also on the second", "On the second"]
