"""The EIA workshop as the store keeps it, on SQLite and on PostgreSQL: every test runs on both.

Permissions are asked of the library (never of a page), scores stay hidden until the reveal and closed after it,
an agreement names the revision it was based on, finalising makes one new version, and 50 people scoring at
once lose nothing. PostgreSQL comes from PROOFING_TEST_PG_URL (tools/postgres.sh prints it), as in test_store.py:
without it the PostgreSQL variants fail, never skip.
"""

from __future__ import annotations

import statistics
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select

from proofing.access import LOCAL_USER, PermissionDenied, User
from proofing.assessment import assess_draft, with_agreement
from proofing.decisions import DecisionNotes
from proofing.knowledge import KnowledgeBase
from proofing.plan import Plan, read_plan
from proofing.service import screening_level
from proofing.store import Store, VersionRow, WorkshopRow, WorkshopScoreRow, _dispose_engine
from proofing.workshop import VERDICTS, Consensus, MissedImpact, ParticipantScore, Workshop
from proofing.workshop_store import StaleAgreementError, WorkshopError, Workshops

PG_ENV = "PROOFING_TEST_PG_URL"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PARTICIPANTS = 50

FACILITATOR = User(subject="facilitator-1", name="Facilitator", roles=frozenset({"facilitator"}))
SECOND_FACILITATOR = User(subject="facilitator-2", name="Second facilitator", roles=frozenset({"facilitator"}))
MANAGER = User(subject="manager-1", name="Service manager", roles=frozenset({"service_manager"}))


def participant(number: int) -> User:
    """A signed-in participant with only the trainee role (enough to take part)."""
    return User(subject=f"participant-{number}", name=f"Participant {number}", roles=frozenset({"trainee"}))


@pytest.fixture(scope="module")
def largest(kb: KnowledgeBase) -> Plan:
    """The example plan whose draft has the most findings (the first by name on a tie)."""
    plans = [read_plan(path) for path in sorted(EXAMPLES.glob("*.yaml"))]
    return max(plans, key=lambda plan: len(assess_draft(kb, plan)[0].findings))


@pytest.fixture()
def store(url: str) -> Store:
    return Store(url)


@pytest.fixture()
def assessment_id(store: Store, kb: KnowledgeBase, largest: Plan) -> str:
    return store.create(largest, screening_level(kb, largest), owner_subject=MANAGER.subject)


@pytest.fixture()
def opened(store: Store, kb: KnowledgeBase, assessment_id: str) -> Workshop:
    return Workshops(store, FACILITATOR).open(kb, assessment_id)


def score(finding: str, number: int = 0, index: int = 0, comment: str = "") -> ParticipantScore:
    """Participant `number`'s deterministic score of the `index`th finding: different for every participant."""
    return ParticipantScore(
        finding=finding,
        verdict=VERDICTS[(number + index) % 3],
        likelihood=1 + (number + index) % 5,
        severity=1 + (3 * number + 2 * index) % 5,
        comment=comment,
    )


def joined(store: Store, workshop: Workshop, number: int) -> Workshops:
    """Participant `number`'s face of the store, after joining the workshop."""
    workshops = Workshops(store, participant(number))
    assert workshops.join(workshop.id, f"Participant {number}", "Libraries") == f"participant-{number}"
    return workshops


def agree_all(workshops: Workshops, workshop: Workshop, keep: bool = True) -> None:
    for finding in workshop.findings:
        workshops.agree(
            workshop.id,
            finding.rule,
            Consensus(likelihood=1, severity=2, keep=keep, note="the room"),
            expected_revision=0,
        )


# --- permissions ------------------------------------------------------------------------------------------------


def test_a_service_manager_cannot_run_a_workshop_but_may_take_part(
    store: Store, kb: KnowledgeBase, assessment_id: str, opened: Workshop
) -> None:
    manager = Workshops(store, MANAGER)
    with pytest.raises(PermissionDenied, match=r"Service manager \(Service manager\) may not open and run a workshop"):
        manager.open(kb, assessment_id)
    with pytest.raises(PermissionDenied, match="may not open and run a workshop"):
        manager.reveal(opened.id, expected_revision=0)
    with pytest.raises(PermissionDenied, match="may not open and run a workshop"):
        manager.facilitator_view(kb, opened.id)
    assert manager.join(opened.id, "Service manager", "Libraries") == MANAGER.subject
    first = opened.findings[0].rule
    manager.submit(opened.id, score(first))
    revealed = Workshops(store, FACILITATOR).reveal(opened.id, expected_revision=0)
    with pytest.raises(PermissionDenied, match="may not open and run a workshop"):
        manager.agree(opened.id, first, Consensus(likelihood=2, severity=2), expected_revision=0)
    with pytest.raises(PermissionDenied, match="may not open and run a workshop"):
        manager.finalise(kb, revealed.id)
    nobody = User(subject="no-role", name="No role", roles=frozenset())
    with pytest.raises(PermissionDenied, match="may not join a workshop and score its draft"):
        Workshops(store, nobody).join(opened.id, "No role", "Libraries")
    view = Workshops(store, FACILITATOR).facilitator_view(kb, opened.id)
    scored = [(s.participant, s.finding) for spread in view.spreads for s in spread.scores]
    assert scored == [(MANAGER.subject, first)]  # the manager's score, as a participant, was kept


def test_a_signed_in_participant_writes_only_their_own_scores(
    store: Store, kb: KnowledgeBase, opened: Workshop
) -> None:
    first, second = joined(store, opened, 1), joined(store, opened, 2)
    finding = opened.findings[0].rule
    first.submit(opened.id, score(finding, 1, comment="mine"))
    # Participant 2 names participant 1's key: the store writes participant 2's own row, whatever is passed.
    assert second.join(opened.id, "Participant 2", "Libraries", participant="participant-1") == "participant-2"
    second.submit(opened.id, score(finding, 2, comment="theirs"), participant="participant-1")
    second.add_missed(
        opened.id,
        MissedImpact(title="Bus route", groups=["age"], reason="no bus", likelihood=3, severity=3),
        participant="participant-1",
    )
    own = first.participant_view(opened.id)
    assert own is not None and own.participant.key == "participant-1"
    assert own.scores[finding].comment == "mine" and own.missed == []
    theirs = second.participant_view(opened.id, participant="participant-1")
    assert theirs is not None and theirs.participant.key == "participant-2"
    assert theirs.scores[finding].comment == "theirs" and [m.title for m in theirs.missed] == ["Bus route"]
    missed_id = theirs.missed[0].id
    with pytest.raises(WorkshopError, match="not one of yours"):
        first.remove_missed(opened.id, missed_id)
    Workshops(store, FACILITATOR).reveal(opened.id, expected_revision=0)
    view = Workshops(store, FACILITATOR).facilitator_view(kb, opened.id)
    by_finding = next(spread for spread in view.spreads if spread.finding.rule == finding)
    assert sorted((s.participant, s.comment) for s in by_finding.scores) == [
        ("participant-1", "mine"),
        ("participant-2", "theirs"),
    ]
    assert [(m.participant, m.name) for m in view.missed] == [("participant-2", "Participant 2")]


def test_local_mode_gives_each_join_a_key_of_its_own_and_rejoins_with_it(store: Store, opened: Workshop) -> None:
    local = Workshops(store, LOCAL_USER)
    one = local.join(opened.id, "Participant 1", "Libraries")
    two = local.join(opened.id, "Participant 2", "Housing")
    assert one != two and one.startswith("local:") and two.startswith("local:")
    assert local.join(opened.id, "Participant 1", "Leisure", participant=one) == one  # rejoined, not a third
    finding = opened.findings[0].rule
    local.submit(opened.id, score(finding, 1), participant=one)
    mine, theirs = local.participant_view(opened.id, one), local.participant_view(opened.id, two)
    assert mine is not None and theirs is not None
    assert mine.participant.organisation == "Leisure" and list(mine.scores) == [finding]
    assert theirs.scores == {}
    assert local.participant_view(opened.id) is None  # no key: not joined
    with pytest.raises(WorkshopError, match="join the workshop"):
        local.submit(opened.id, score(finding, 1))
    with pytest.raises(WorkshopError, match="join the workshop"):
        local.submit(opened.id, score(finding, 1), participant="local:" + "0" * 16)  # a key nobody joined with


# --- independence -----------------------------------------------------------------------------------------------


def test_scores_are_hidden_until_the_reveal_and_closed_after_it(
    store: Store, kb: KnowledgeBase, opened: Workshop
) -> None:
    people = [joined(store, opened, number) for number in range(3)]
    for number, person in enumerate(people):
        for index, finding in enumerate(opened.findings):
            person.submit(opened.id, score(finding.rule, number, index))
    missed_id = people[0].add_missed(
        opened.id, MissedImpact(title="Bus route", groups=["age"], reason="no bus", likelihood=3, severity=3)
    )
    people[0].finish(opened.id)
    facilitator = Workshops(store, FACILITATOR)
    before = facilitator.facilitator_view(kb, opened.id)
    assert before.spreads == [] and before.missed == [] and before.missed_groups == [] and before.consensus == {}
    assert [p.scored for p in before.participants] == [len(opened.findings)] * 3 and before.finished == 1
    assert "comment" not in before.model_dump_json() and "Bus route" not in before.model_dump_json()
    with pytest.raises(WorkshopError, match="changed since you looked"):
        facilitator.reveal(opened.id, expected_revision=5)
    revealed = facilitator.reveal(opened.id, expected_revision=0)
    assert revealed.stage == "revealed" and revealed.revision == 1
    assert facilitator.reveal(opened.id, expected_revision=0) == revealed  # pressed twice: revealed once
    first = opened.findings[0].rule
    closed = "the scores have been revealed, so scoring is closed"
    with pytest.raises(WorkshopError, match=closed):
        people[1].submit(opened.id, score(first, 9))
    with pytest.raises(WorkshopError, match=closed):
        people[1].add_missed(
            opened.id, MissedImpact(title="Late", groups=["age"], reason="late", likelihood=2, severity=2)
        )
    with pytest.raises(WorkshopError, match=closed):
        people[1].finish(opened.id)
    with pytest.raises(WorkshopError, match=closed):
        people[0].remove_missed(opened.id, missed_id)
    after = facilitator.facilitator_view(kb, opened.id)
    kept = {(s.participant, s.finding): (s.likelihood, s.severity) for spread in after.spreads for s in spread.scores}
    assert len(kept) == 3 * len(opened.findings)
    assert kept[("participant-1", first)] == (score(first, 1).likelihood, score(first, 1).severity)
    assert [m.title for m in after.missed] == ["Bus route"] and after.finished == 1


def test_a_score_sent_while_the_reveal_is_being_saved_waits_for_it_and_is_refused(
    store: Store, opened: Workshop
) -> None:
    """No score reads "still scoring" and lands after the reveal: the reveal's lock on the workshop holds it back."""
    person = joined(store, opened, 1)
    finding = opened.findings[0].rule
    outcome: list[BaseException | None] = []

    def send() -> None:
        try:
            person.submit(opened.id, score(finding, 1))
            outcome.append(None)
        except WorkshopError as refused:
            outcome.append(refused)

    sender = threading.Thread(target=send)
    with store._session(write=True) as session:  # a reveal in progress, as Workshops.reveal makes it
        row = session.get(WorkshopRow, opened.id, with_for_update=True)
        assert row is not None
        row.stage = "revealed"
        session.flush()
        sender.start()
        sender.join(timeout=0.5)
        assert sender.is_alive(), "the score did not wait for the reveal in progress"
    sender.join(timeout=30)
    assert len(outcome) == 1 and isinstance(outcome[0], WorkshopError)
    assert "scoring is closed" in str(outcome[0])
    view = person.participant_view(opened.id)
    assert view is not None and view.scores == {}


def test_a_resubmit_replaces_the_score_and_bad_scores_are_refused(
    store: Store, kb: KnowledgeBase, url: str, opened: Workshop
) -> None:
    person = joined(store, opened, 1)
    finding = opened.findings[0].rule
    person.submit(opened.id, score(finding, 1, comment="first thoughts"))
    person.submit(
        opened.id, ParticipantScore(finding=finding, verdict="unsure", likelihood=5, severity=5, comment="second")
    )
    view = person.participant_view(opened.id)
    assert view is not None and view.participant.scored == 1
    assert view.scores[finding] == ParticipantScore(
        finding=finding, verdict="unsure", likelihood=5, severity=5, comment="second"
    )
    with pytest.raises(WorkshopError, match="this workshop does not score the finding 'no-such-rule'"):
        person.submit(opened.id, score("no-such-rule", 1))
    with pytest.raises(ValidationError, match="less than or equal to 5"):
        ParticipantScore(finding=finding, verdict="agree", likelihood=6, severity=3)
    with pytest.raises(ValidationError):
        ParticipantScore(finding=finding, verdict="maybe", likelihood=3, severity=3)  # type: ignore[arg-type]
    with store._session() as session:
        rows = session.scalar(
            select(func.count()).select_from(WorkshopScoreRow).where(WorkshopScoreRow.workshop_id == opened.id)
        )
    assert rows == 1


# --- consensus --------------------------------------------------------------------------------------------------


def test_a_stale_agreement_is_refused_naming_who_changed_it(store: Store, kb: KnowledgeBase, opened: Workshop) -> None:
    one, two = Workshops(store, FACILITATOR), Workshops(store, SECOND_FACILITATOR)
    finding = opened.findings[0]
    with pytest.raises(WorkshopError, match="after the scores are revealed"):
        one.agree(opened.id, finding.rule, Consensus(likelihood=2, severity=2), expected_revision=0)
    one.reveal(opened.id, expected_revision=0)
    saved = one.agree(opened.id, finding.rule, Consensus(likelihood=2, severity=3, note="first"), expected_revision=0)
    assert saved.revision == 1 and saved.by == "Facilitator"
    with pytest.raises(StaleAgreementError, match=r"changed by Facilitator since you opened it") as refused:
        two.agree(opened.id, finding.rule, Consensus(likelihood=5, severity=5), expected_revision=0)
    assert (refused.value.expected, refused.value.current) == (0, 1)
    assert finding.title in str(refused.value)
    kept = one.facilitator_view(kb, opened.id).consensus[finding.rule]
    assert (kept.likelihood, kept.severity, kept.note) == (2, 3, "first")  # the refused edit saved nothing
    again = two.agree(opened.id, finding.rule, Consensus(likelihood=5, severity=4), expected_revision=1)
    assert again.revision == 2 and again.by == "Second facilitator" and (again.likelihood, again.severity) == (5, 4)
    with pytest.raises(WorkshopError, match="does not score the finding 'no-such-rule'"):
        one.agree(opened.id, "no-such-rule", Consensus(likelihood=2, severity=2), expected_revision=0)
    with pytest.raises(WorkshopError, match="no such missed impact"):
        one.agree(opened.id, "missed:999", Consensus(likelihood=2, severity=2), expected_revision=0)


def test_racing_agreements_on_one_finding_let_exactly_one_win(url: str, kb: KnowledgeBase, opened: Workshop) -> None:
    Workshops(Store(url), FACILITATOR).reveal(opened.id, expected_revision=0)
    racers = 8
    barrier = threading.Barrier(racers)
    finding = opened.findings[1].rule

    def race(number: int) -> int | StaleAgreementError:
        mine = Workshops(
            Store(url),
            User(subject=f"facilitator-{number}", name=f"Facilitator {number}", roles=frozenset({"facilitator"})),
        )
        barrier.wait()
        try:
            return mine.agree(
                opened.id, finding, Consensus(likelihood=1 + number % 5, severity=2), expected_revision=0
            ).revision
        except StaleAgreementError as refused:
            return refused

    with ThreadPoolExecutor(max_workers=racers) as pool:
        outcomes = list(pool.map(race, range(racers)))
    won = [number for number, outcome in enumerate(outcomes) if outcome == 1]
    assert len(won) == 1
    assert all(isinstance(outcome, StaleAgreementError) for number, outcome in enumerate(outcomes) if number != won[0])
    kept = Workshops(Store(url), FACILITATOR).facilitator_view(kb, opened.id).consensus[finding]
    assert kept.revision == 1 and kept.by == f"Facilitator {won[0]}" and kept.likelihood == 1 + won[0] % 5


# --- finalising -------------------------------------------------------------------------------------------------


def test_finalise_is_refused_before_the_reveal_and_while_a_finding_is_unagreed(
    store: Store, kb: KnowledgeBase, opened: Workshop
) -> None:
    facilitator = Workshops(store, FACILITATOR)
    with pytest.raises(WorkshopError, match="reveal the scores"):
        facilitator.finalise(kb, opened.id)
    facilitator.reveal(opened.id, expected_revision=0)
    *agreed, last = opened.findings
    for finding in agreed:
        facilitator.agree(opened.id, finding.rule, Consensus(likelihood=2, severity=2), expected_revision=0)
    with pytest.raises(WorkshopError, match="still to agree") as refused:
        facilitator.finalise(kb, opened.id)
    assert f"'{last.title}'" in str(refused.value) and agreed[0].title not in str(refused.value)
    assert len(store.versions(opened.assessment_id)) == 1  # nothing made


def test_finalise_is_refused_when_the_draft_changed_after_the_workshop_opened(
    store: Store, kb: KnowledgeBase, largest: Plan, opened: Workshop
) -> None:
    facilitator = Workshops(store, FACILITATOR)
    facilitator.reveal(opened.id, expected_revision=0)
    agree_all(facilitator, opened)
    changed = largest.model_copy(update={"answers": largest.answers | {"people_affected": 4300}})
    assert store.save(opened.assessment_id, changed, expected_version=1) == 2
    with pytest.raises(WorkshopError, match="the draft's answers changed after the workshop opened"):
        facilitator.finalise(kb, opened.id)
    assert len(store.versions(opened.assessment_id)) == 2
    assert facilitator.workshop(opened.id).stage == "revealed"


def test_a_workshop_score_reaches_the_agreed_version_typed(
    store: Store, kb: KnowledgeBase, opened: Workshop, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From the room's agreement to the stored version and back, a score is a number and a flag a boolean: the
    store is handed typed notes (checked at its boundary), keeps them as typed JSON, and reads them back typed."""
    person = joined(store, opened, 1)
    missed_id = person.add_missed(
        opened.id, MissedImpact(title="Bus route", groups=["age", "sex"], reason="no bus", likelihood=4, severity=2)
    )
    facilitator = Workshops(store, FACILITATOR)
    facilitator.reveal(opened.id, expected_revision=0)
    agree_all(facilitator, opened, keep=False)
    facilitator.agree(opened.id, f"missed:{missed_id}", Consensus(likelihood=4, severity=5), expected_revision=0)
    handed: list[object] = []
    real = store.save_in

    def boundary(*args: object, **kwargs: object) -> int:
        handed.append(kwargs["notes"])
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "save_in", boundary)
    number = facilitator.finalise(kb, opened.id)
    [notes] = handed
    assert isinstance(notes, DecisionNotes)  # at the store's boundary: the model, not text
    [added] = notes.added.values()
    assert (type(added.likelihood), type(added.severity), added.groups) == (int, int, ["age", "sex"])
    assert (added.likelihood, added.severity) == (4, 5)
    assert all(type(agreed.likelihood) is int and agreed.keep is False for agreed in notes.agreed.values())
    with store.reading() as session:
        kept = session.scalars(
            select(VersionRow.notes).where(
                VersionRow.assessment_id == opened.assessment_id, VersionRow.version == number
            )
        ).one()
    [stored] = kept["added"].values()
    assert (stored["likelihood"], stored["severity"], stored["groups"]) == (4, 5, ["age", "sex"])  # JSON numbers
    assert all(entry["keep"] is False for entry in kept["agreed"].values())  # JSON false, not "False"
    latest = store.version(opened.assessment_id, number)
    assert latest is not None and latest.notes == notes  # read back as the model it was handed


def test_finalise_makes_one_agreed_version_and_closes_the_workshop(
    store: Store, kb: KnowledgeBase, largest: Plan, opened: Workshop
) -> None:
    person = joined(store, opened, 1)
    for index, finding in enumerate(opened.findings):
        person.submit(opened.id, score(finding.rule, 1, index))
    missed_id = person.add_missed(
        opened.id, MissedImpact(title="Bus route", groups=["age"], reason="no bus", likelihood=3, severity=3)
    )
    facilitator = Workshops(store, FACILITATOR)
    facilitator.reveal(opened.id, expected_revision=0)
    agree_all(facilitator, opened, keep=False)  # the room drops every finding the rules raised ...
    accepted = Consensus(likelihood=1, severity=2, note="minor")  # ... and accepts, as minor, the one they missed
    facilitator.agree(opened.id, f"missed:{missed_id}", accepted, expected_revision=0)
    number = facilitator.finalise(kb, opened.id)
    assert number == 2
    latest = store.latest(opened.assessment_id)
    assert latest is not None and latest.version == 2
    assert latest.label == f"Agreed at the EIA workshop of {opened.opened_at.day} {opened.opened_at:%B %Y}"
    assert set(latest.notes.agreed) == {finding.rule for finding in opened.findings}
    assert all(agreed.keep is False for agreed in latest.notes.agreed.values())
    assert [added.title for added in latest.notes.added.values()] == ["Bus route"]
    rules_level = assess_draft(kb, largest)[0].level
    agreed_level = with_agreement(kb, assess_draft(kb, largest)[0], latest.notes).level
    assert latest.level == agreed_level and agreed_level != rules_level
    assert latest.plan == largest  # the answers are the ones the room scored
    actions = [entry.action for entry in store.audit(opened.assessment_id)]
    assert "finalised a workshop" in actions and "revealed workshop scores" in actions
    assert actions.count("agreed a workshop view") == len(opened.findings) + 1
    assert facilitator.finalise(kb, opened.id) == 2  # twice: the same version
    assert len(store.versions(opened.assessment_id)) == 2
    done = facilitator.workshop(opened.id)
    assert done.stage == "finalised" and done.finalised_version == 2
    with pytest.raises(WorkshopError, match="finalised: its agreement can no longer change"):
        facilitator.agree(opened.id, opened.findings[0].rule, Consensus(likelihood=3, severity=3), expected_revision=1)
    with pytest.raises(WorkshopError, match="finalised: it takes no one new"):
        Workshops(store, participant(2)).join(opened.id, "Participant 2", "Libraries")


def test_a_workshop_lives_in_the_database_not_in_a_process(url: str, kb: KnowledgeBase, largest: Plan) -> None:
    assessment_id = Store(url).create(largest, screening_level(kb, largest))
    workshop = Workshops(Store(url), FACILITATOR).open(kb, assessment_id)
    joined(Store(url), workshop, 1).submit(workshop.id, score(workshop.findings[0].rule, 1))
    _dispose_engine(url)  # as if the process had ended: no engine, no pool, no cached rows
    other = Workshops(Store(url), FACILITATOR)
    assert other.workshop(workshop.id) == workshop
    found = Workshops(Store(url), participant(2)).find(workshop.code.lower())
    assert found is not None and found.id == workshop.id
    assert [w.id for w in other.workshops(assessment_id)] == [workshop.id]
    view = other.facilitator_view(kb, workshop.id)
    assert [(p.key, p.scored) for p in view.participants] == [("participant-1", 1)]


# --- the acceptance test: 50 people scoring at once ---------------------------------------------------------------


def test_fifty_participants_scoring_at_once_lose_nothing_and_the_spread_is_right(
    url: str, kb: KnowledgeBase, largest: Plan
) -> None:
    """50 participants, each with their own Store and face of it, join and score every finding at the same moment.

    Afterwards the store holds 50 × findings scores, and the spread the facilitator sees (from the store, after the
    reveal) matches what is computed here from the scores the threads sent.
    """
    assessment_id = Store(url).create(largest, screening_level(kb, largest))
    workshop = Workshops(Store(url), FACILITATOR).open(kb, assessment_id)
    findings = [finding.rule for finding in workshop.findings]
    assert len(findings) == len(assess_draft(kb, largest)[0].findings) >= 9
    barrier = threading.Barrier(PARTICIPANTS)

    def take_part(number: int) -> list[ParticipantScore]:
        mine = Workshops(Store(url), participant(number))
        barrier.wait()
        mine.join(workshop.id, f"Participant {number}", "Libraries")
        sent = [score(rule, number, index, comment=f"from {number}") for index, rule in enumerate(findings)]
        for each in sent:
            mine.submit(workshop.id, each)
        mine.finish(workshop.id)
        return sent

    with ThreadPoolExecutor(max_workers=PARTICIPANTS) as pool:
        sent = {number: scores for number, scores in enumerate(pool.map(take_part, range(PARTICIPANTS)))}

    store = Store(url)
    with store._session() as session:
        rows = session.scalar(
            select(func.count()).select_from(WorkshopScoreRow).where(WorkshopScoreRow.workshop_id == workshop.id)
        )
    assert rows == PARTICIPANTS * len(findings)
    facilitator = Workshops(store, FACILITATOR)
    facilitator.reveal(workshop.id, expected_revision=0)
    view = facilitator.facilitator_view(kb, workshop.id)
    assert view.finished == PARTICIPANTS and all(p.scored == len(findings) for p in view.participants)
    assert sorted(spread.finding.rule for spread in view.spreads) == sorted(findings)
    for spread in view.spreads:
        room = [scores[findings.index(spread.finding.rule)] for scores in sent.values()]
        values = [each.score for each in room]
        assert len(spread.scores) == PARTICIPANTS
        assert (spread.low, spread.middle, spread.high) == (min(values), statistics.median(values), max(values))
        assert spread.verdicts == {verdict: sum(each.verdict == verdict for each in room) for verdict in VERDICTS}
        stored = {(s.participant, s.likelihood, s.severity, s.verdict, s.comment) for s in spread.scores}
        assert stored == {
            (f"participant-{number}", each.likelihood, each.severity, each.verdict, f"from {number}")
            for number, scores in sent.items()
            for each in [scores[findings.index(spread.finding.rule)]]
        }


# --- numbers and comments, from the participants' pages to the facilitator's -------------------------------------


def test_every_comment_reaches_the_facilitators_views_to_hear(
    store: Store, kb: KnowledgeBase, opened: Workshop
) -> None:
    """Several participants comment on the same finding and on different ones: one sends a comment with a change of
    score, one edits a comment, one scores close to the room without a word. After the reveal every comment is a
    view to hear, in its latest words, under the finding it was written on, and each finding keeps its number."""
    first, second = opened.findings[0], opened.findings[1]
    one, two, three = (joined(store, opened, number) for number in (1, 2, 3))

    def mine(finding: str, verdict: str, likelihood: int, severity: int, comment: str = "") -> ParticipantScore:
        return ParticipantScore(
            finding=finding, verdict=verdict, likelihood=likelihood, severity=severity, comment=comment
        )

    one.submit(opened.id, mine(first.rule, "agree", 4, 4))
    one.submit(opened.id, mine(first.rule, "agree", 3, 4, "Sent with a change of score"))  # score and comment at once
    two.submit(opened.id, mine(first.rule, "agree", 4, 4, "A first thought"))
    two.submit(opened.id, mine(first.rule, "agree", 4, 4, "An edited comment"))  # the same score, the words edited
    three.submit(opened.id, mine(first.rule, "agree", 4, 4))  # close to the room, no comment
    two.submit(opened.id, mine(second.rule, "disagree", 2, 2, "On the second finding"))
    three.submit(opened.id, mine(second.rule, "agree", 2, 3, "Also on the second finding"))

    facilitator = Workshops(store, FACILITATOR)
    assert facilitator.facilitator_view(kb, opened.id).spreads == []  # nothing to hear before the reveal
    facilitator.reveal(opened.id, expected_revision=0)
    view = facilitator.facilitator_view(kb, opened.id)
    by_rule = {spread.finding.rule: spread for spread in view.spreads}
    heard = {rule: {(h.score.name, h.score.comment) for h in spread.to_hear} for rule, spread in by_rule.items()}
    assert heard[first.rule] == {
        ("Participant 1", "Sent with a change of score"),
        ("Participant 2", "An edited comment"),
    }
    assert heard[second.rule] == {
        ("Participant 2", "On the second finding"),
        ("Participant 3", "Also on the second finding"),
    }
    assert all(not spread.to_hear for spread in view.spreads if spread.finding.rule not in (first.rule, second.rule))
    [sent] = [s for s in by_rule[first.rule].scores if s.name == "Participant 1"]
    assert (sent.likelihood, sent.severity) == (3, 4)  # the change of score came with the comment
    # The facilitator's numbers are the participants' (the order of the workshop's findings, from 1).
    participant_numbers = {finding.rule: n for n, finding in enumerate(one.workshop(opened.id).findings, start=1)}
    assert {spread.finding.rule: spread.number for spread in view.spreads} == participant_numbers


def test_the_record_numbers_the_findings_as_the_room_did(store: Store, kb: KnowledgeBase, opened: Workshop) -> None:
    participant_one = joined(store, opened, 1)
    last = opened.findings[-1]
    participant_one.submit(opened.id, ParticipantScore(finding=last.rule, verdict="disagree", likelihood=1, severity=1))
    facilitator = Workshops(store, FACILITATOR)
    facilitator.reveal(opened.id, expected_revision=0)
    view = facilitator.facilitator_view(kb, opened.id)
    assert view.spreads[0].finding.rule == last.rule and view.spreads[0].number == len(opened.findings)
    record = Workshops(store, MANAGER).record(kb, opened.id)  # the owner may export it
    assert [(outcome.number, outcome.rule) for outcome in record.findings] == [
        (number, finding.rule) for number, finding in enumerate(opened.findings, start=1)
    ]
