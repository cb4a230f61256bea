"""The EIA workshop's two pages, driven headlessly: the facilitator opens a workshop on a draft, two participants
join (each browser its own key in the address) and score on their own, nobody sees a score before the reveal,
the spread shows after it, a stale agreement is refused in words, and finalising makes version 2.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from proofing.access import LOCAL_USER, User
from proofing.knowledge import KnowledgeBase
from proofing.language import translator
from proofing.plan import read_plan
from proofing.store import Store
from proofing.workshop import Consensus, MissedImpact, ParticipantScore, Workshop
from proofing.workshop_store import Workshops
from tests.app_pages import app_database, page
from views.common import plain

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "library-opening-hours.yaml"
TITLE = "Reduce opening hours at three branch libraries and move renewals online"
COMMENT = "Carers who work days cannot reach the branch in the evening"


@pytest.fixture()
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.delenv("PROOFING_PUBLIC_URL", raising=False)
    yield from app_database(tmp_path, monkeypatch)


def param(at: AppTest, name: str) -> str:
    """One query parameter of the page's address."""
    value = at.query_params[name]
    return value[0] if isinstance(value, list) else value


def texts(at: AppTest) -> str:
    """Everything the page says in words, in one string (Markdown escapes removed)."""
    shown = [*at.title, *at.header, *at.subheader, *at.markdown, *at.info, *at.success, *at.warning, *at.error]
    words = " ".join(str(element.value) for element in shown)
    return words.replace("\\", "")


def button(at: AppTest, label: str):
    """The one button with this label."""
    found = [b for b in at.button if b.label == label]
    assert found, f"no button {label!r}; there are {[b.label for b in at.button]}"
    return found[0]


def open_workshop(database: str) -> tuple[AppTest, Workshop, Store]:
    """A draft of the library example, and the facilitator's page with a workshop opened on it."""
    store = Store(database)
    store.create(read_plan(EXAMPLE))
    at = page("workshop.py")
    assert not at.exception
    assert at.title[0].value == "EIA workshop"
    assert at.selectbox(key="ws_draft").format_func(at.selectbox(key="ws_draft").value) == (
        f"{TITLE} (Leisure, Libraries and Culture)"
    )
    button(at, "Open a workshop").click().run()
    assert not at.exception
    workshop = Workshops(store, LOCAL_USER).workshop(param(at, "workshop"))
    return at, workshop, store


def join(workshop: Workshop, name: str, organisation: str) -> AppTest:
    """A new browser joins by the link's code."""
    at = page("join.py", code=workshop.code)
    assert not at.exception
    assert at.text_input[0].value == workshop.code  # the code prefilled from the link
    at.text_input(key="join_name").input(name)
    at.text_input(key="join_organisation").input(organisation)
    button(at, "Join").click().run()
    assert not at.exception
    return at


def score(at: AppTest, rule: str, verdict: str, likelihood: int, severity: int, comment: str = "") -> None:
    """Score one finding on the participant's page and save it."""
    widget = f"score_{rule}"
    at.radio(key=f"{widget}_verdict").set_value(verdict)
    at.radio(key=f"{widget}_likelihood").set_value(likelihood)
    at.radio(key=f"{widget}_severity").set_value(severity)
    at.text_area(key=f"{widget}_comment").input(comment)
    form_button = next(b for b in at.button if b.label == "Save my score" and b.form_id == f"form_{widget}")
    form_button.click().run()
    assert not at.exception


def reveal(at: AppTest) -> None:
    """Reveal the scores on the facilitator's page, confirming that scoring closes."""
    button(at, "Reveal the scores").click().run()
    assert "closes scoring" in at.warning[-1].value
    button(at, "Yes, reveal the scores and close scoring").click().run()
    assert not at.exception


def charts(at: AppTest) -> list:
    return list(at.get("vega_lite_chart"))


def test_a_room_joins_scores_on_its_own_and_sees_the_spread_only_after_the_reveal(database: str) -> None:
    facilitator, workshop, store = open_workshop(database)
    words = texts(facilitator)
    assert "0 joined, 0 finished" in words
    shown_code = f"{workshop.code[:4]}-{workshop.code[4:]}"  # eight characters (40 bits), in two halves
    projected = " ".join(str(element.proto.body) for element in facilitator.get("html"))
    join_link = f"http://localhost:8501/join?code={workshop.code}"
    assert shown_code in projected and join_link in projected  # for other browser windows of this computer
    # Local mode serves this computer only: no QR code a phone could not follow, and the page says so plainly.
    assert not facilitator.get("image")
    assert any("phones and other computers cannot join" in warning.value for warning in facilitator.warning)
    assert "On this computer only:" in words
    # The room sees the numbered findings while it scores, never the rules' scores.
    for number, finding in enumerate(workshop.findings, start=1):
        assert f"{number}. {finding.title}" in words
    assert "The rules scored it" not in words and "likelihood" not in words

    first = workshop.findings[0]
    libraries = join(workshop, "Participant from Libraries", "Libraries")
    charity = join(workshop, "Participant from Age Cymru", "Age Cymru")
    libraries_key, charity_key = param(libraries, "as"), param(charity, "as")
    assert libraries_key != charity_key and libraries_key.startswith("local:")
    assert f"0 of {len(workshop.findings)} scored." in texts(libraries)
    # Before the reveal a participant sees each finding under its number, never the rules' score (anchoring).
    before = texts(libraries)
    assert f"1. {first.title}" in before and "The rules:" not in before and "of 25" not in before
    assert "The rules' own scores are shown after the reveal" in " ".join(c.value for c in libraries.caption)
    score(libraries, first.rule, "agree", 5, 5, COMMENT)
    score(charity, first.rule, "disagree", 1, 1, "The phone line covers renewals")
    assert f"1 of {len(workshop.findings)} scored." in texts(libraries)
    button(charity, "I have finished").click().run()

    # A refresh is a new session with the same address: the participant is still in, with their score.
    again = page("join.py", code=workshop.code, **{"as": libraries_key})
    assert not again.exception
    assert "You are in as Participant from Libraries (Libraries)." in texts(again)
    assert again.radio(key=f"score_{first.rule}_likelihood").value == 5
    assert again.text_area(key=f"score_{first.rule}_comment").value == COMMENT

    facilitator.run()
    words = texts(facilitator)
    assert "2 joined, 1 finished" in words
    people = facilitator.table[0].value  # who is in: the only table before the reveal
    assert list(people["Name"]) == ["Participant from Libraries", "Participant from Age Cymru"]
    assert list(people["Findings scored"]) == [f"1 of {len(workshop.findings)}"] * 2
    assert list(people["Finished"]) == ["Not yet", "Finished"]
    # No score of anyone before the reveal: no chart, no table of scores, no comment, no spread.
    assert not charts(facilitator) and len(facilitator.table) == 1
    assert COMMENT not in words and "agree, " not in words and "The room's scores" not in words

    reveal(facilitator)
    words = texts(facilitator)
    assert "1 agree, 1 disagree, 0 unsure. The room's scores run from 1 to 25, middle 13." in words
    drawn = charts(facilitator)
    assert drawn, "the spread is drawn"
    overview = json.loads(drawn[0].proto.spec)  # every finding in one chart, then each finding's own
    assert overview["config"]["axis"]["labelFontSize"] >= 18
    assert [layer["mark"]["shape"] for layer in overview["layer"] if layer["mark"].get("shape")] == ["diamond"]
    spec = json.loads(drawn[1].proto.spec)
    assert spec["config"]["axis"]["labelFontSize"] >= 18 and spec["config"]["axis"]["titleFontSize"] >= 22
    assert spec["title"]["fontSize"] >= 22
    layers = spec["layer"]
    assert [layer["mark"]["shape"] for layer in layers if layer["mark"].get("shape")] == ["diamond"]  # the rules'
    assert all(layer["encoding"]["x"]["scale"]["domain"] == [1, 25] for layer in layers)
    assert f"0 of {len(workshop.findings)} findings agreed." in words
    scores = facilitator.table[1].value  # after who is in
    assert list(scores["Who"]) == ["The rules", "Participant from Age Cymru", "Participant from Libraries"]
    assert list(scores["Score"]) == [str(first.score), "1", "25"]
    assert COMMENT in words  # an outlier: their comment is one to hear

    # The participant's page notices the reveal and shows their own scores, read-only.
    again.run()
    assert "The facilitator has revealed the scores; scoring is closed." in texts(again)
    assert not [b for b in again.button if b.label == "Save my score"]
    # ... beside the rules' scores, now shown, each finding under its number from opening.
    own = again.table[0].value
    assert list(own["Finding"]) == [plain(f"{n}. {f.title}") for n, f in enumerate(workshop.findings, start=1)]
    assert list(own["The rules' score"]) == [
        f"{f.score} (likelihood {f.likelihood}, severity {f.severity})" for f in workshop.findings
    ]
    assert list(own["Your score"])[0] == "25 (likelihood 5, severity 5)"
    assert list(own["Your comment"])[0] == COMMENT


def test_a_stale_agreement_is_refused_in_words_and_finalising_makes_version_2(database: str, kb: KnowledgeBase) -> None:
    facilitator, workshop, store = open_workshop(database)
    room = Workshops(store, LOCAL_USER)
    libraries = join(workshop, "Participant from Libraries", "Libraries")
    score(libraries, workshop.findings[0].rule, "agree", 4, 4)
    libraries.text_input(key="missed_title").input("Fewer warm spaces in winter")
    libraries.multiselect(key="missed_groups").set_value(["age"])
    libraries.text_area(key="missed_reason").input("Older people use the branch to keep warm")
    libraries.radio(key="missed_likelihood").set_value(3)
    libraries.radio(key="missed_severity").set_value(4)
    button(libraries, "Add this impact").click().run()
    assert not libraries.exception
    assert "Added 'Fewer warm spaces in winter'" in texts(libraries)
    facilitator.run()
    reveal(facilitator)

    spread_first = room.facilitator_view(kb, workshop.id).spreads[0].finding
    # Someone else agrees on the first finding after this page drew its form.
    colleague = Workshops(store, User(subject="other", name="Second facilitator", roles=frozenset({"facilitator"})))
    colleague.agree(
        workshop.id, spread_first.rule, Consensus(likelihood=2, severity=2, note="Mitigated"), expected_revision=0
    )
    widget = f"ws_{spread_first.rule}"
    facilitator.radio(key=f"{widget}_likelihood").set_value(5)
    next(b for b in facilitator.button if b.form_id == f"form_{widget}").click().run()
    assert not facilitator.exception
    warning = facilitator.warning[-1].value.replace("\\", "")
    assert "was changed by Second facilitator since you opened it" in warning and "nothing was saved" in warning
    assert "likelihood 2, severity 2 (score 4), kept; the room's reason: Mitigated" in warning
    assert room.facilitator_view(kb, workshop.id).consensus[spread_first.rule].likelihood == 2
    # Saving again, knowing what they agreed, replaces it.
    next(b for b in facilitator.button if b.form_id == f"form_{widget}").click().run()
    kept = room.facilitator_view(kb, workshop.id).consensus[spread_first.rule]
    assert (kept.likelihood, kept.revision) == (5, 2)

    # Finalising with findings still unagreed says which, in words.
    button(facilitator, "Finalise the workshop").click().run()
    assert "Agree a view on every finding before finalising" in facilitator.error[0].value.replace("\\", "")
    for finding in workshop.findings[1:]:
        room.agree(
            workshop.id,
            finding.rule,
            Consensus(likelihood=finding.likelihood, severity=finding.severity),
            expected_revision=0,
        )
    facilitator.run()
    missed = room.facilitator_view(kb, workshop.id).missed[0]
    assert "Affecting Age" in texts(facilitator)
    mwidget = f"ws_missed:{missed.id}"
    assert facilitator.radio(key=f"{mwidget}_keep").value is True
    next(b for b in facilitator.button if b.form_id == f"form_{mwidget}").click().run()
    assert "accepted as a finding" in texts(facilitator)
    button(facilitator, "Finalise the workshop").click().run()
    assert not facilitator.exception
    assert f"Finalised: the agreed view is version 2 of {TITLE}." in texts(facilitator)
    latest = store.latest(workshop.assessment_id)
    assert latest is not None and latest.version == 2
    assert set(latest.notes.agreed) == {finding.rule for finding in workshop.findings}
    assert [entry.title for entry in latest.notes.added.values()] == ["Fewer warm spaces in winter"]


def test_only_a_facilitator_runs_a_workshop_and_a_signed_in_participant_joins_by_name(
    database: str, monkeypatch: pytest.MonkeyPatch, kb: KnowledgeBase
) -> None:
    store = Store(database)
    assessment_id = store.create(read_plan(EXAMPLE))
    workshop = Workshops(store, LOCAL_USER).open(kb, assessment_id)
    trainee = User(subject="subject-of-a-trainee", name="Trainee from Housing", roles=frozenset({"trainee"}))
    monkeypatch.setattr("views.signin.require_user", lambda assigned=None: trainee)
    at = page("workshop.py")
    assert not at.exception
    assert at.info[0].value.startswith(plain("Only a facilitator can open and run a workshop"))
    assert not at.button
    joining = page("join.py", code=workshop.code.lower())
    assert joining.text_input(key="join_name").value == "Trainee from Housing"  # signed in: their own name
    joining.text_input(key="join_organisation").input("Youth Service")
    button(joining, "Join").click().run()
    assert not joining.exception
    assert "as" not in joining.query_params  # signed in, the key is the subject: never put in the address
    score(joining, workshop.findings[0].rule, "unsure", 3, 2)
    assert Workshops(store, trainee).participant_view(workshop.id).scores[workshop.findings[0].rule] == (
        ParticipantScore(finding=workshop.findings[0].rule, verdict="unsure", likelihood=3, severity=2)
    )
    wrong = page("join.py", code="ZZZ-ZZZ")
    assert "No open workshop has this join code" in wrong.error[0].value


def test_a_score_without_a_likelihood_is_not_saved_and_says_so(database: str) -> None:
    _facilitator, workshop, store = open_workshop(database)
    libraries = join(workshop, "Participant from Libraries", "Libraries")
    rule = workshop.findings[0].rule
    libraries.radio(key=f"score_{rule}_verdict").set_value("agree")
    next(b for b in libraries.button if b.form_id == f"form_score_{rule}").click().run()
    assert "Not saved yet: choose a likelihood and a severity first." in texts(libraries)
    view = Workshops(store, LOCAL_USER).participant_view(workshop.id, param(libraries, "as"))
    assert view is not None and view.scores == {}
    Workshops(store, LOCAL_USER).add_missed(
        workshop.id,
        MissedImpact(title="T", groups=["age"], reason="R", likelihood=1, severity=1),
        param(libraries, "as"),
    )
    libraries.run()
    button(libraries, plain("Remove 'T'")).click().run()
    assert Workshops(store, LOCAL_USER).participant_view(workshop.id, param(libraries, "as")).missed == []


def test_the_facilitator_page_speaks_welsh_when_the_session_does(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROOFING_LANGUAGE", "cy")
    Store(database).create(read_plan(EXAMPLE))
    at = page("workshop.py")
    assert not at.exception
    assert [title.value for title in at.title][-1] == translator("cy")._("EIA workshop") != "EIA workshop"
    assert "Agor gweithdy ar ddrafft" in [header.value for header in at.header]
    assert "Agor gweithdy" in [button.label for button in at.button]
    next(button for button in at.button if button.label == "Agor gweithdy").click().run()
    assert not at.exception
    labels = [button.label for button in at.button]
    assert "Datgelu'r sgoriau" in labels and "Yn ôl i'r rhestr o weithdai" in labels
    assert "Open a workshop" not in labels and "Reveal the scores" not in labels


def test_signed_in_the_join_link_and_qr_code_use_the_configured_public_address(
    database: str, monkeypatch: pytest.MonkeyPatch, kb: KnowledgeBase
) -> None:
    store = Store(database)
    assessment_id = store.create(read_plan(EXAMPLE))
    facilitator = User(subject="subject-of-a-facilitator", name="Facilitator", roles=frozenset({"facilitator"}))
    workshop = Workshops(store, facilitator).open(kb, assessment_id)
    monkeypatch.setattr("views.signin.require_user", lambda assigned=None: facilitator)
    monkeypatch.setenv("PROOFING_PUBLIC_URL", "https://proofing.example.gov.uk/")
    at = page("workshop.py", workshop=workshop.id)
    assert not at.exception
    link = f"https://proofing.example.gov.uk/join?code={workshop.code}"
    assert link in " ".join(str(element.proto.body) for element in at.get("html"))
    (qr,) = at.get("image")
    assert qr.captions == [f"QR code of the join link, {link}: scan it with a phone camera to join"]
    assert not any("cannot join" in warning.value or "cannot follow" in warning.value for warning in at.warning)

    # No setting and no public address from sign-in: the browser's address names this computer, so the page says
    # that phones cannot follow the link, and draws no QR code.
    monkeypatch.delenv("PROOFING_PUBLIC_URL")
    at = page("workshop.py", workshop=workshop.id)
    assert not at.exception
    assert not at.get("image")
    assert any("phones and other computers cannot follow it" in warning.value for warning in at.warning)

    # A setting that is not an address is not used, and the page says so.
    monkeypatch.setenv("PROOFING_PUBLIC_URL", "proofing.example.gov.uk")
    at = page("workshop.py", workshop=workshop.id)
    assert any("which is not a web address" in warning.value for warning in at.warning)
