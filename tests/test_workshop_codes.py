"""Workshop join codes that cannot be guessed or reused: 40 bits, expiring, rate-limited, closed after the reveal;
and in local mode the facilitator is told the votes are not independent. Store-level on SQLite and PostgreSQL,
and the words on the pages (AppTest).
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from proofing.access import LOCAL_USER, User
from proofing.join_guard import LIMIT, JoinGuard, TooManyTries
from proofing.knowledge import KnowledgeBase
from proofing.plan import read_plan
from proofing.service import screening_level
from proofing.store import Store
from proofing.workshop import CODE_ALPHABET, Consensus, Workshop, code_lifetime, new_code, shown_code
from proofing.workshop_store import WorkshopError, Workshops
from tests.app_pages import app_database, page

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "library-opening-hours.yaml"
FACILITATOR = User(subject="facilitator-1", name="Facilitator", roles=frozenset({"facilitator"}))


def person(number: int) -> User:
    return User(subject=f"participant-{number}", name=f"Participant {number}", roles=frozenset({"trainee"}))


@pytest.fixture()
def store(url: str) -> Store:
    return Store(url)


@pytest.fixture()
def opened(store: Store, kb: KnowledgeBase) -> Workshop:
    plan = read_plan(EXAMPLE)
    assessment_id = store.create(plan, screening_level(kb, plan))
    return Workshops(store, FACILITATOR).open(kb, assessment_id)


def test_a_join_code_holds_at_least_40_bits() -> None:
    codes = {new_code() for _ in range(2_000)}
    assert len(codes) == 2_000  # no repeat in two thousand
    assert all(set(code) <= set(CODE_ALPHABET) for code in codes)
    assert min(len(code) for code in codes) * math.log2(len(set(CODE_ALPHABET))) >= 40
    assert shown_code("K7P3QX9A") == "K7P3-QX9A"


def test_a_finalised_workshops_code_answers_no_one_new(store: Store, kb: KnowledgeBase, opened: Workshop) -> None:
    inside = Workshops(store, person(1))
    inside.join(opened.id, "Participant 1", "Libraries")
    assert Workshops(store, person(2)).find(opened.code) == Workshops(store, person(2)).workshop(opened.id)
    facilitator = Workshops(store, FACILITATOR)
    facilitator.reveal(opened.id, expected_revision=opened.revision)
    for finding in opened.findings:
        facilitator.agree(
            opened.id,
            finding.rule,
            Consensus(likelihood=3, severity=3, note="the room"),
            expected_revision=0,
        )
    facilitator.finalise(kb, opened.id)
    assert Workshops(store, person(2)).find(opened.code) is None  # nobody new: the code has expired
    found = inside.find(opened.code)  # someone who took part can still come back to their scores
    assert found is not None and found.stage == "finalised"
    with pytest.raises(WorkshopError, match="finalised"):
        Workshops(store, person(2)).join(opened.id, "Participant 2", "Housing")


def test_a_code_expires_after_the_time_set(store: Store, opened: Workshop, monkeypatch: pytest.MonkeyPatch) -> None:
    assert code_lifetime().total_seconds() == 24 * 3600  # the default: a day
    monkeypatch.setenv("PROOFING_JOIN_CODE_HOURS", "0.0002")  # 0.72 seconds
    assert Workshops(store, person(1)).find(opened.code) is not None
    time.sleep(1.0)
    assert Workshops(store, person(1)).find(opened.code) is None
    with pytest.raises(WorkshopError, match="expired"):
        Workshops(store, person(1)).join(opened.id, "Participant 1", "Libraries")
    monkeypatch.setenv("PROOFING_JOIN_CODE_HOURS", "not a number")
    assert code_lifetime().total_seconds() == 24 * 3600


def test_no_one_new_joins_after_the_reveal(store: Store, opened: Workshop) -> None:
    inside = Workshops(store, person(1))
    inside.join(opened.id, "Participant 1", "Libraries")
    Workshops(store, FACILITATOR).reveal(opened.id, expected_revision=opened.revision)
    with pytest.raises(WorkshopError, match="revealed: it takes no one new"):
        Workshops(store, person(2)).join(opened.id, "Participant 2", "Housing")
    assert Workshops(store, person(2)).participant_view(opened.id) is None  # so they never see the plan's scoring
    assert inside.join(opened.id, "Participant 1", "Libraries and Culture") == "participant-1"  # rejoining is fine
    local = Workshops(store, LOCAL_USER)
    with pytest.raises(WorkshopError, match="revealed"):
        local.join(opened.id, "Another browser", "Housing")


def test_votes_are_independent_only_when_people_sign_in(store: Store) -> None:
    assert Workshops(store, person(1)).votes_independent
    assert not Workshops(store, LOCAL_USER).votes_independent


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_five_wrong_codes_a_minute_then_a_wait_per_session_and_per_address(store: Store, opened: Workshop) -> None:
    clock = Clock()
    guard = JoinGuard(clock=clock)
    workshops = Workshops(store, person(1))
    browser = ["session:one", "address:192.0.2.7"]
    for number in range(LIMIT):
        with pytest.raises(WorkshopError, match="no workshop has this join code"):
            guard.find(workshops, f"WRONG{number:03d}", browser)
        clock.now += 1
    with pytest.raises(TooManyTries) as waiting:
        guard.find(workshops, opened.code, browser)  # even the right code waits: guessing must not go on
    assert waiting.value.wait_seconds == 55  # the first wrong code, a minute on
    with pytest.raises(TooManyTries):  # another session from the same address waits too
        guard.find(workshops, opened.code, ["session:two", "address:192.0.2.7"])
    assert guard.find(workshops, opened.code, ["session:three", "address:198.51.100.1"]).id == opened.id
    clock.now += 55
    assert guard.find(workshops, opened.code, browser).id == opened.id
    assert guard.wait(browser) == 0


# --- the words on the pages ---------------------------------------------------------------------------------


@pytest.fixture()
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.delenv("PROOFING_PUBLIC_URL", raising=False)
    yield from app_database(tmp_path, monkeypatch)


def test_the_join_page_says_to_wait_after_five_wrong_codes(database: str) -> None:
    at = page("join.py")
    for number in range(LIMIT):
        at.text_input[0].input(f"WRNG-{number:04d}").run()
        assert at.error[0].value.startswith("No open workshop has this join code")
    at.text_input[0].input("WRNG-9999").run()
    assert not at.exception
    assert at.error[0].value.startswith("Too many wrong join codes from this browser or this address. Wait ")
    assert at.error[0].value.endswith(" seconds, then try again.")


def test_the_join_page_takes_no_one_new_after_the_reveal(database: str, kb: KnowledgeBase) -> None:
    store = Store(database)
    plan = read_plan(EXAMPLE)
    workshop = Workshops(store, LOCAL_USER).open(kb, store.create(plan, screening_level(kb, plan)))
    Workshops(store, LOCAL_USER).reveal(workshop.id, expected_revision=workshop.revision)
    at = page("join.py", code=workshop.code)
    assert not at.exception
    assert "it takes no one new" in at.info[0].value
    assert not [button for button in at.button if button.label == "Join"]


def test_the_facilitator_sees_that_local_votes_are_not_independent(database: str, kb: KnowledgeBase) -> None:
    store = Store(database)
    plan = read_plan(EXAMPLE)
    workshop = Workshops(store, LOCAL_USER).open(kb, store.create(plan, screening_level(kb, plan)))
    at = page("workshop.py", workshop=workshop.id)
    assert not at.exception
    assert any("the votes are not independent" in warning.value for warning in at.warning)
