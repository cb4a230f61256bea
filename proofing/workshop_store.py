"""EIA workshops as the store keeps them: open one on a draft, join it, score, reveal, agree, finalise.

Everything a workshop is lives in the database (tables ``workshops``, ``workshop_participants``,
``workshop_scores``, ``workshop_missed`` and ``workshop_consensus``; migration 0006), never in one server's
memory, so two app processes behind a load balancer, sharing PostgreSQL, serve one workshop.

Who may do what is asked of ``proofing.access`` here, not in a page: opening and running a workshop needs
``run_workshop`` (and sight of the assessment); joining and scoring needs ``take_part``. A participant writes only
their own rows: a signed-in participant is their sign-in subject, whatever a page passes; in local mode (one user
at one machine) each browser that joins by name gets a participant key of its own. Scores stay hidden from
everyone until the facilitator reveals them, and are closed from then on, so estimates are independent.

An agreement about a finding names the revision it was based on (0 for a new one): an agreement based on an older
revision is refused with ``StaleAgreementError``, never silently lost. Finalising makes a new version of the
assessment, with the agreement as its decision notes, in the same transaction that marks the workshop finalised.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from proofing.access import User, require
from proofing.assessment import assess_draft, with_agreement
from proofing.decisions import AddedImpact, AgreedFinding, DecisionNotes
from proofing.errors import N_, Term
from proofing.indexing import index_rows
from proofing.knowledge import KnowledgeBase
from proofing.store import (
    LOCAL_SUBJECT,
    AssessmentRow,
    Store,
    StoreError,
    VersionRow,
    WorkshopConsensusRow,
    WorkshopMissedRow,
    WorkshopParticipantRow,
    WorkshopRow,
    WorkshopScoreRow,
)
from proofing.store.values import utc_now as _now
from proofing.workshop import (
    MISSED_PREFIX,
    Consensus,
    MissedGroup,
    MissedImpact,
    Participant,
    ParticipantScore,
    StoredConsensus,
    StoredMissed,
    StoredScore,
    Workshop,
    WorkshopFinding,
    WorkshopRecord,
    agreement_notes,
    missed_groups,
    new_code,
    shown_code,
    snapshot,
    spreads,
    typed_code,
    unagreed,
    workshop_record,
)
from proofing.workshop import FindingSpread as FindingSpread  # re-exported for pages

LOCAL_PARTICIPANT = f"{LOCAL_SUBJECT}:"  # a local-mode participant key: this prefix and a token
MAX_NAME = 200
MAX_ORGANISATION = 200
CODE_ATTEMPTS = 20


class WorkshopError(StoreError):
    """A workshop cannot do what was asked (no such code, scoring closed, not joined); says so in words."""


class StaleAgreementError(WorkshopError):
    """Someone changed an agreement since the facilitator opened it: reload and agree again."""

    def __init__(self, title: str, by: str, expected: int, current: int) -> None:
        super().__init__(
            N_(
                "the agreement on '{title}' was changed by {by} since you opened it (your edit was based on revision "
                "{expected}, it is now at {current}); nothing was saved: look at what they agreed, then agree again"
            ),
            title=title,
            by=by,
            expected=expected,
            current=current,
        )
        self.expected, self.current = expected, current


class FacilitatorView(BaseModel):
    """What the facilitator's screen shows: who is in, how far each is, and after the reveal the spread."""

    model_config = ConfigDict(frozen=True)

    workshop: Workshop
    participants: list[Participant]
    spreads: list[FindingSpread] = []  # empty until the reveal
    missed: list[StoredMissed] = []  # empty until the reveal
    missed_groups: list[MissedGroup] = []
    consensus: dict[str, StoredConsensus] = {}

    @property
    def finished(self) -> int:
        """How many participants said they have finished scoring."""
        return sum(participant.finished_at is not None for participant in self.participants)


class ParticipantView(BaseModel):
    """What one participant's screen shows: the workshop, themselves, and their own scores and missed impacts."""

    model_config = ConfigDict(frozen=True)

    workshop: Workshop
    participant: Participant
    scores: dict[str, ParticipantScore]
    missed: list[StoredMissed]


def _workshop(row: WorkshopRow) -> Workshop:
    return Workshop(
        id=row.id,
        code=row.code,
        assessment_id=row.assessment_id,
        version=row.version,
        title=row.title,
        facilitator=row.facilitator,
        facilitator_subject=row.facilitator_subject,
        stage=row.stage,
        opened_at=row.opened_at,
        revealed_at=row.revealed_at,
        finalised_at=row.finalised_at,
        finalised_version=row.finalised_version,
        findings=[WorkshopFinding.model_validate(item) for item in row.findings],
        revision=row.revision,
    )


def _missed(row: WorkshopMissedRow, people: dict[str, WorkshopParticipantRow]) -> StoredMissed:
    person = people.get(row.participant)
    return StoredMissed(
        id=row.id,
        participant=row.participant,
        name=person.name if person else row.participant,
        organisation=person.organisation if person else "",
        title=row.title,
        groups=list(row.groups),
        reason=row.reason,
        likelihood=row.likelihood,
        severity=row.severity,
        direction=row.direction,
        added_at=row.added_at,
    )


def _consensus(row: WorkshopConsensusRow) -> StoredConsensus:
    return StoredConsensus(
        key=row.key,
        likelihood=row.likelihood,
        severity=row.severity,
        keep=row.keep,
        note=row.note,
        revision=row.revision,
        by=row.by,
        at=row.at,
    )


def _one_line(text: str, limit: int, what: str) -> str:
    words = " ".join(text.split())
    if not words:
        raise WorkshopError(N_("say {what} before joining"), what=Term(what))
    if len(words) > limit:
        raise WorkshopError(N_("{what} can be at most {limit} characters"), what=Term(what), limit=limit)
    return words


def _problem(error: ValidationError) -> str:
    detail = error.errors()[0]
    where = ".".join(str(part) for part in detail["loc"]) or "the entry"
    return f"{where}: {detail['msg']}"


class Workshops:
    """The workshops in one store, as one signed-in person may use them (every call checked, writes audited)."""

    def __init__(self, store: Store, user: User) -> None:
        self.store, self.user = store, user

    def __repr__(self) -> str:
        return f"Workshops({self.store!r}, {self.user.subject!r})"

    @contextmanager
    def _session(self, *, write: bool = False) -> Iterator[Session]:
        with self.store.transaction(write=write) as session:  # the store's own transactions
            yield session

    # --- the facilitator ---------------------------------------------------------------------------------------

    def open(self, kb: KnowledgeBase, assessment_id: str) -> Workshop:
        """Open a workshop on the latest version of a draft assessment; it starts with scoring on one's own."""
        require(self.user, "run_workshop")
        access = self.store.access(assessment_id)
        if access is None:
            raise WorkshopError(N_("there is no assessment '{id}' to hold a workshop on"), id=assessment_id)
        require(self.user, "read", owner=access[0], shared_with=access[1])
        latest = self.store.latest(assessment_id)
        assert latest is not None
        if latest.status == "final":
            raise WorkshopError(
                N_("'{title}' is final: a workshop scores a draft (reopen it as a new draft first)"),
                title=latest.plan.title,
            )
        findings = snapshot(kb, assess_draft(kb, latest.plan)[0])
        if not findings:
            raise WorkshopError(
                N_("the rules found no impact in '{title}', so there is nothing to score"), title=latest.plan.title
            )
        for _ in range(CODE_ATTEMPTS):
            workshop_id = uuid.uuid4().hex
            try:
                with self._session(write=True) as session:
                    self.store.lock(session, assessment_id)
                    session.add(
                        WorkshopRow(
                            id=workshop_id,
                            code=new_code(),
                            assessment_id=assessment_id,
                            version=latest.version,
                            title=latest.plan.title[:500],
                            facilitator=self.user.described()[:500],
                            facilitator_subject=self.user.subject,
                            stage="scoring",
                            findings=[finding.model_dump(mode="json") for finding in findings],
                            opened_at=_now(),
                            revision=0,
                        )
                    )
                    session.flush()
                    self.store.audit_in(
                        session, self.user, "opened a workshop", assessment_id, latest.version, latest.plan.title
                    )
            except StoreError as error:
                if "uq_workshops_code" in str(error) or "UNIQUE" in str(error).upper():
                    continue  # two workshops drew the same code: draw again
                raise
            return self.workshop(workshop_id)
        raise WorkshopError(N_("no free join code could be drawn; try again"))

    def workshops(self, assessment_id: str | None = None) -> list[Workshop]:
        """The workshops (of one assessment, or all), newest first: for a facilitator to pick one up again."""
        require(self.user, "run_workshop")
        query = select(WorkshopRow).order_by(WorkshopRow.opened_at.desc())
        if assessment_id is not None:
            query = query.where(WorkshopRow.assessment_id == assessment_id)
        with self._session() as session:
            return [_workshop(row) for row in session.scalars(query)]

    def reveal(self, workshop_id: str, *, expected_revision: int) -> Workshop:
        """Show everyone's scores to the room and close scoring; pressing it twice reveals once."""
        require(self.user, "run_workshop")
        with self._session(write=True) as session:
            row = self._row(session, workshop_id, lock=True)
            if row.stage != "scoring":
                return _workshop(row)
            if row.revision != expected_revision:
                raise WorkshopError(N_("the workshop changed since you looked at it; look again, then reveal"))
            row.stage, row.revealed_at, row.revision = "revealed", _now(), row.revision + 1
            self.store.audit_in(session, self.user, "revealed workshop scores", row.assessment_id, row.version)
            return _workshop(row)

    def facilitator_view(self, kb: KnowledgeBase, workshop_id: str) -> FacilitatorView:
        """Everything the facilitator's screen shows now; the spread, missed impacts and agreement once revealed."""
        require(self.user, "run_workshop")
        with self._session() as session:
            row = self._row(session, workshop_id)
            workshop = _workshop(row)
            people = self._people(session, workshop_id)
            counts = dict(
                session.execute(
                    select(WorkshopScoreRow.participant, func.count())
                    .where(WorkshopScoreRow.workshop_id == workshop_id)
                    .group_by(WorkshopScoreRow.participant)
                ).all()
            )
            participants = [self._participant(person, counts.get(person.participant, 0)) for person in people.values()]
            if workshop.stage == "scoring":
                return FacilitatorView(workshop=workshop, participants=participants)
            scores = self._scores(session, workshop_id, people)
            missed = self._missed_impacts(session, workshop_id, people)
            consensus = self._agreements(session, workshop_id)
        return FacilitatorView(
            workshop=workshop,
            participants=participants,
            spreads=spreads(workshop.findings, scores),
            missed=missed,
            missed_groups=missed_groups(kb, missed),
            consensus=consensus,
        )

    def agree(self, workshop_id: str, key: str, agreement: Consensus, *, expected_revision: int) -> StoredConsensus:
        """Keep what the room agreed about a finding (its rule id) or a missed impact (MISSED_PREFIX and its id).

        `expected_revision` is the revision the facilitator's edit was based on (0: there was none): anything else
        is refused with StaleAgreementError. Agreement is only after the reveal and before finalising.
        """
        require(self.user, "run_workshop")
        with self._session(write=True) as session:
            row = self._row(session, workshop_id, lock=True)
            if row.stage != "revealed":
                raise WorkshopError(
                    N_("agree a view after the scores are revealed")
                    if row.stage == "scoring"
                    else N_("this workshop is finalised: its agreement can no longer change")
                )
            workshop = _workshop(row)
            title = self._title(session, workshop, key)
            current = session.get(WorkshopConsensusRow, (workshop_id, key), with_for_update=True)
            at = current.revision if current is not None else 0
            if at != expected_revision:
                raise StaleAgreementError(title, current.by if current else Term(N_("someone")), expected_revision, at)
            if current is None:
                current = WorkshopConsensusRow(workshop_id=workshop_id, key=key)
                session.add(current)
            current.likelihood, current.severity = agreement.likelihood, agreement.severity
            current.keep, current.note = agreement.keep, agreement.note
            current.revision, current.by, current.at = at + 1, self.user.described()[:500], _now()
            self.store.audit_in(
                session,
                self.user,
                "agreed a workshop view",
                row.assessment_id,
                row.version,
                f"{title}: likelihood {agreement.likelihood}, severity {agreement.severity}, "
                f"{'kept' if agreement.keep else 'dropped'}",
            )
            session.flush()
            return _consensus(current)

    def finalise(self, kb: KnowledgeBase, workshop_id: str) -> int:
        """Make a new version of the assessment holding the room's agreement; returns its number.

        Refused, in words, while a finding has no agreed view, or when the draft's answers changed since the
        workshop opened (its findings may then not be the ones the room scored). Finalising twice gives the same
        version.
        """
        require(self.user, "run_workshop")
        with self._session(write=True) as session:
            row = self._row(session, workshop_id, lock=True)
            if row.stage == "finalised" and row.finalised_version is not None:
                return row.finalised_version
            if row.stage == "scoring":
                raise WorkshopError(N_("reveal the scores and agree a view on each finding before finalising"))
            workshop = _workshop(row)
            consensus = self._agreements(session, workshop_id)
            missing = unagreed(workshop.findings, consensus)
            if missing:
                titles = "; ".join(f"'{finding.title}'" for finding in missing)
                raise WorkshopError(
                    N_("agree a view on every finding before finalising: still to agree {titles}"), titles=titles
                )
            self.store.lock(session, row.assessment_id)
            latest = self.store.latest_row(session, row.assessment_id)
            scored = session.scalars(
                select(VersionRow).where(
                    VersionRow.assessment_id == row.assessment_id, VersionRow.version == row.version
                )
            ).one()
            assert latest is not None
            if latest.plan != scored.plan:
                raise WorkshopError(
                    N_(
                        "the draft's answers changed after the workshop opened (it scored version {scored}, the "
                        "draft is now at version {now}), so its findings may not be the ones the room "
                        "scored: open a new workshop on the current draft, or restore the version the room scored"
                    ),
                    scored=row.version,
                    now=latest.version,
                )
            people = self._people(session, workshop_id)
            missed = self._missed_impacts(session, workshop_id, people)
            saved = Store.saved_of(latest, "draft")
            notes = agreement_notes(workshop_id, consensus, missed, saved.notes)  # typed: scores stay numbers
            plan = saved.plan
            assessment, problems = assess_draft(kb, plan)
            agreed = with_agreement(kb, assessment, notes)
            number = self.store.save_in(
                session,
                row.assessment_id,
                plan,
                saved.decisions,
                None if problems else agreed.level,
                expected_version=latest.version,
                notes=notes,
                editing=None,
                expected_revision=None,
                label=f"Agreed at the EIA workshop of {opened_on(row.opened_at)}",
                by=self.user,
                index=index_rows(kb, plan, agreed),  # assessed once, here: the store keeps what it is handed
            )
            row.stage, row.finalised_at, row.finalised_version = "finalised", _now(), number
            row.revision += 1
            self.store.audit_in(
                session,
                self.user,
                "finalised a workshop",
                row.assessment_id,
                number,
                f"{len(people)} took part; {len(consensus)} agreement(s)",
            )
            return number

    def record(self, kb: KnowledgeBase, workshop_id: str) -> WorkshopRecord:
        """The workshop's part of the Word record, for whoever may export the assessment it was held on."""
        with self._session() as session:
            row = self._row(session, workshop_id)
            owner = session.get(AssessmentRow, row.assessment_id)
            assert owner is not None
            access = self.store.access(row.assessment_id)
            assert access is not None
            require(self.user, "export", owner=access[0], shared_with=access[1])
            workshop = _workshop(row)
            people = self._people(session, workshop_id)
            scores = self._scores(session, workshop_id, people)
            missed = self._missed_impacts(session, workshop_id, people)
            consensus = self._agreements(session, workshop_id)
            participants = [self._participant(person, 0) for person in people.values()]
        return workshop_record(kb, workshop, participants, scores, missed, consensus)

    # --- participants ------------------------------------------------------------------------------------------

    def find(self, code: str, participant: str | None = None) -> Workshop | None:
        """The workshop a join code (as typed: any case, with or without its dash) opens, or None.

        A code stops answering when its workshop is finalised or ``code_lifetime()`` after it opened, except for
        someone who already joined (their key, or their sign-in subject), who can still come back to their scores.
        """
        require(self.user, "take_part")
        typed = typed_code(code)
        if not typed:
            return None
        with self._session() as session:
            row = session.scalars(select(WorkshopRow).where(WorkshopRow.code == typed)).first()
            if row is None:
                return None
            found = _workshop(row)
            if not found.code_expired(_now()):
                return found
            key = self._key(participant)
            joined = bool(key) and session.get(WorkshopParticipantRow, (row.id, key)) is not None
            return found if joined else None

    def workshop(self, workshop_id: str) -> Workshop:
        """One workshop, for anyone who may take part (its join code is what lets them in)."""
        require(self.user, "take_part")
        with self._session() as session:
            return _workshop(self._row(session, workshop_id))

    def join(self, workshop_id: str, name: str, organisation: str, participant: str | None = None) -> str:
        """Join (or, with one's key, rejoin) a workshop by name and service or partner organisation; one's key.

        A signed-in person is always their sign-in subject. In local mode a new browser gets a key of its own
        (keep it, as the page does in its address, to come back after a refresh); passing it again rejoins.
        """
        require(self.user, "take_part")
        name = _one_line(name, MAX_NAME, N_("your name"))
        organisation = _one_line(organisation, MAX_ORGANISATION, N_("your service or organisation"))
        key = self._key(participant, new=True)
        with self._session(write=True) as session:
            row = self._row(session, workshop_id, lock="share")
            person = session.get(WorkshopParticipantRow, (workshop_id, key))
            if person is None:
                self._admits_newcomers(_workshop(row))
                session.add(
                    WorkshopParticipantRow(
                        workshop_id=workshop_id, participant=key, name=name, organisation=organisation, joined_at=_now()
                    )
                )
                self.store.audit_in(
                    session, self.user, "joined a workshop", row.assessment_id, row.version, f"{name} ({organisation})"
                )
            else:
                person.name, person.organisation = name, organisation
        return key

    def participant_view(self, workshop_id: str, participant: str | None = None) -> ParticipantView | None:
        """One participant's own screen (None when they have not joined): never anyone else's scores."""
        require(self.user, "take_part")
        key = self._key(participant)
        with self._session() as session:
            row = self._row(session, workshop_id)
            person = session.get(WorkshopParticipantRow, (workshop_id, key)) if key else None
            if person is None:
                return None
            own = session.scalars(
                select(WorkshopScoreRow).where(
                    WorkshopScoreRow.workshop_id == workshop_id, WorkshopScoreRow.participant == key
                )
            ).all()
            missed = [
                _missed(item, {key: person})
                for item in session.scalars(
                    select(WorkshopMissedRow)
                    .where(WorkshopMissedRow.workshop_id == workshop_id, WorkshopMissedRow.participant == key)
                    .order_by(WorkshopMissedRow.id)
                )
            ]
            return ParticipantView(
                workshop=_workshop(row),
                participant=self._participant(person, len(own)),
                scores={
                    item.finding: ParticipantScore(
                        finding=item.finding,
                        verdict=item.verdict,
                        likelihood=item.likelihood,
                        severity=item.severity,
                        comment=item.comment,
                    )
                    for item in own
                },
                missed=missed,
            )

    def submit(self, workshop_id: str, score: ParticipantScore, participant: str | None = None) -> None:
        """Keep one participant's own score of one finding (again: replaces their earlier one). Only while scoring."""
        require(self.user, "take_part")
        key = self._key(participant)
        with self._session(write=True) as session:
            row, _person = self._scoring(session, workshop_id, key)
            if score.finding not in {item["rule"] for item in row.findings}:
                raise WorkshopError(N_("this workshop does not score the finding '{finding}'"), finding=score.finding)
            values = {
                "workshop_id": workshop_id,
                "participant": key,
                "finding": score.finding,
                "verdict": score.verdict,
                "likelihood": score.likelihood,
                "severity": score.severity,
                "comment": score.comment,
                "saved_at": _now(),
            }
            insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
            statement = insert(WorkshopScoreRow).values(**values)
            session.execute(
                statement.on_conflict_do_update(
                    index_elements=["workshop_id", "participant", "finding"],
                    set_={
                        name: statement.excluded[name]
                        for name in ("verdict", "likelihood", "severity", "comment", "saved_at")
                    },
                )
            )

    def add_missed(self, workshop_id: str, impact: MissedImpact, participant: str | None = None) -> int:
        """Keep an impact the participant thinks the rules missed; its id. Only while scoring."""
        require(self.user, "take_part")
        key = self._key(participant)
        with self._session(write=True) as session:
            self._scoring(session, workshop_id, key)
            item = WorkshopMissedRow(
                workshop_id=workshop_id,
                participant=key,
                title=impact.title,
                groups=list(impact.groups),
                reason=impact.reason,
                likelihood=impact.likelihood,
                severity=impact.severity,
                direction=impact.direction,
                added_at=_now(),
            )
            session.add(item)
            session.flush()
            return item.id

    def remove_missed(self, workshop_id: str, impact_id: int, participant: str | None = None) -> None:
        """Take back one's own missed impact (nobody else's). Only while scoring."""
        require(self.user, "take_part")
        key = self._key(participant)
        with self._session(write=True) as session:
            self._scoring(session, workshop_id, key)
            item = session.get(WorkshopMissedRow, impact_id)
            if item is None or item.workshop_id != workshop_id or item.participant != key:
                raise WorkshopError(N_("that missed impact is not one of yours"))
            session.delete(item)

    def finish(self, workshop_id: str, finished: bool = True, participant: str | None = None) -> None:
        """Say one has finished scoring (or, with False, that one is still at it)."""
        require(self.user, "take_part")
        key = self._key(participant)
        with self._session(write=True) as session:
            _row, person = self._scoring(session, workshop_id, key)
            person.finished_at = _now() if finished else None

    # --- helpers ------------------------------------------------------------------------------------------------

    @property
    def votes_independent(self) -> bool:
        """Whether each participant is a different person the app can tell apart: False in local mode, where every
        browser is the same local user and one person can join from several browsers and score several times."""
        return self.user.subject != LOCAL_SUBJECT

    @staticmethod
    def _admits_newcomers(workshop: Workshop) -> None:
        """Refuse someone new, in words, once scores are revealed, the workshop is finalised or its code expired."""
        if workshop.stage == "finalised":
            raise WorkshopError(N_("this workshop is finalised: it takes no one new"))
        if not workshop.takes_new_participants:
            raise WorkshopError(N_("the scores of this workshop are revealed: it takes no one new"))
        if workshop.code_expired(_now()):
            raise WorkshopError(N_("this workshop's join code has expired: ask the facilitator to open a new workshop"))

    def _key(self, participant: str | None, *, new: bool = False) -> str:
        """The participant key this person acts as: their subject, or in local mode a browser's own token."""
        if self.user.subject != LOCAL_SUBJECT:
            return self.user.subject
        if participant and participant.startswith(LOCAL_PARTICIPANT) and len(participant) <= 64:
            return participant
        if new:
            return LOCAL_PARTICIPANT + secrets.token_hex(8)
        return ""

    @staticmethod
    def _row(session: Session, workshop_id: str, *, lock: bool | Literal["share"] = False) -> WorkshopRow:
        locking = {"read": True} if lock == "share" else lock
        row = session.get(WorkshopRow, workshop_id, with_for_update=locking) if len(workshop_id) == 32 else None
        if row is None:
            raise WorkshopError(N_("there is no such workshop (check the link or the join code)"))
        return row

    def _scoring(self, session: Session, workshop_id: str, key: str) -> tuple[WorkshopRow, WorkshopParticipantRow]:
        # A shared lock on the workshop row (PostgreSQL: FOR SHARE; SQLite's writes are serial already): scoring
        # writes never wait for each other, but a reveal (FOR UPDATE) waits for those in flight and they for it,
        # so no score read "scoring" and lands after the reveal committed.
        row = self._row(session, workshop_id, lock="share")
        person = session.get(WorkshopParticipantRow, (workshop_id, key)) if key else None
        if person is None:
            raise WorkshopError(N_("join the workshop (with your name and organisation) before scoring"))
        if row.stage != "scoring":
            raise WorkshopError(
                N_("the scores have been revealed, so scoring is closed: your scores so far are kept and shown")
            )
        return row, person

    @staticmethod
    def _agreements(session: Session, workshop_id: str) -> dict[str, StoredConsensus]:
        """What the room agreed so far, by finding rule id (or MISSED_PREFIX and a missed impact's id)."""
        query = select(WorkshopConsensusRow).where(WorkshopConsensusRow.workshop_id == workshop_id)
        return {item.key: _consensus(item) for item in session.scalars(query)}

    @staticmethod
    def _missed_impacts(
        session: Session, workshop_id: str, people: dict[str, WorkshopParticipantRow]
    ) -> list[StoredMissed]:
        """Every missed impact raised in the workshop, in the order raised, with who raised it."""
        query = (
            select(WorkshopMissedRow).where(WorkshopMissedRow.workshop_id == workshop_id).order_by(WorkshopMissedRow.id)
        )
        return [_missed(item, people) for item in session.scalars(query)]

    @staticmethod
    def _people(session: Session, workshop_id: str) -> dict[str, WorkshopParticipantRow]:
        return {
            person.participant: person
            for person in session.scalars(
                select(WorkshopParticipantRow)
                .where(WorkshopParticipantRow.workshop_id == workshop_id)
                .order_by(WorkshopParticipantRow.joined_at, WorkshopParticipantRow.name)
            )
        }

    @staticmethod
    def _participant(person: WorkshopParticipantRow, scored: int) -> Participant:
        return Participant(
            key=person.participant,
            name=person.name,
            organisation=person.organisation,
            joined_at=person.joined_at,
            finished_at=person.finished_at,
            scored=scored,
        )

    @staticmethod
    def _scores(session: Session, workshop_id: str, people: dict[str, WorkshopParticipantRow]) -> list[StoredScore]:
        scores = []
        for item in session.scalars(select(WorkshopScoreRow).where(WorkshopScoreRow.workshop_id == workshop_id)):
            person = people.get(item.participant)
            scores.append(
                StoredScore(
                    participant=item.participant,
                    name=person.name if person else item.participant,
                    organisation=person.organisation if person else "",
                    finding=item.finding,
                    verdict=item.verdict,
                    likelihood=item.likelihood,
                    severity=item.severity,
                    comment=item.comment,
                    saved_at=item.saved_at,
                )
            )
        return scores

    @staticmethod
    def _title(session: Session, workshop: Workshop, key: str) -> str:
        if key.startswith(MISSED_PREFIX):
            number = key.removeprefix(MISSED_PREFIX)
            item = session.get(WorkshopMissedRow, int(number)) if number.isdigit() else None
            if item is None or item.workshop_id != workshop.id:
                raise WorkshopError(N_("there is no such missed impact in this workshop"))
            return item.title
        for finding in workshop.findings:
            if finding.rule == key:
                return finding.title
        raise WorkshopError(N_("this workshop does not score the finding '{finding}'"), finding=key)


def records_for(kb: KnowledgeBase, workshops: Workshops, notes: DecisionNotes) -> list[WorkshopRecord]:
    """The records of the workshops whose agreement a version's `notes` hold, oldest first: for its Word record."""
    ids: list[str] = []
    agreements: list[AgreedFinding | AddedImpact] = [*notes.agreed.values(), *notes.added.values()]
    for entry in agreements:
        if entry.workshop not in ids:
            ids.append(entry.workshop)
    found = []
    for workshop_id in ids:
        try:
            found.append(workshops.record(kb, workshop_id))
        except WorkshopError:
            continue  # a workshop since deleted with nothing to show; its agreement stays in the notes
    return sorted(found, key=lambda record: record.held_on)


def join_link(base_url: str, workshop: Workshop) -> str:
    """The link a participant follows to join: the app's Join page with the workshop's code."""
    return f"{base_url.rstrip('/')}/join?code={workshop.code}"


def shown(workshop: Workshop) -> str:
    """The workshop's join code as the projector shows it."""
    return shown_code(workshop.code)


def opened_on(moment: datetime) -> str:
    """A date as a record says it: "1 December 2026"."""
    return f"{moment.day} {moment:%B %Y}"


__all__ = [
    "FacilitatorView",
    "ParticipantView",
    "StaleAgreementError",
    "WorkshopError",
    "Workshops",
    "join_link",
    "records_for",
    "opened_on",
    "shown",
]
