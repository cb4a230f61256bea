"""The people of the load test, as locust users speaking Streamlit's protocol (benchmarks/load/streamlit_client.py).

Who, and how often (think time: the pause between two things a person does, drawn uniformly in each range):

- **Service managers** answering the questionnaire of their own draft: open it, answer one question at a time
  (radio, multi-select and number questions; free text and dates are typed, not chosen), every answer a save,
  5-15 s apart (reading a question and its help and choosing takes a person at least that); "Next" to the following
  step; at the last step they read the results and start another draft. Every answer the app confirms (the run after
  the change finished, with no error and no "not saved") is recorded, to be read back from the database afterwards.
- **Readers** (an approver, an equality officer): the results of a finished assessment, the register, the
  cumulative-impact page, 15-45 s apart (reading a page takes that long at least).
- **Exporters**: the Export page of a finished assessment, "Prepare the Word record" and the download, 30-90 s
  apart.
- **A workshop**: one facilitator opens it on a finished draft and watches the live panel; 30 participants join with
  its code on the Join page (name, organisation, Join) and score every finding (three choices and "Save my score"),
  10-30 s apart, as a room does at once.

While a person thinks, their browser goes on doing what the page asks of it: a fragment with ``run_every`` (the
workshop's live panel every 2.5 s, the participant's watch every 3 s) is run again at its interval, as the browser
does; that is load, reported as its own action.

A lost connection (the app process killed) is reported as a failure of the action under way; the tab then
reconnects through the proxy, as a browser does, and carries on.
"""

from __future__ import annotations

import random
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ClassVar, TypeVar

import gevent
from locust import User, task

from benchmarks.load.answers import Ack, LoadSetup, shown_answer, stored_answer
from benchmarks.load.streamlit_client import ConnectionLost, Run, StreamlitTab, TabError, Widget
from proofing.knowledge import KnowledgeBase, load_knowledge

T = TypeVar("T")
ANSWERED_KINDS = ("radio", "multiselect", "number_input")
JOIN_LINK = re.compile(r"join\?code=([A-Za-z0-9_-]+)")
NOT_SAVED = ("not saved", "not been saved")


class Shared:
    """What the users of one run share: the setup, the queue of drafts, the acknowledged answers, the workshop."""

    setup: ClassVar[LoadSetup | None] = None
    acks: ClassVar[list[Ack]] = []
    lock: ClassVar[threading.Lock] = threading.Lock()
    next_draft: ClassVar[int] = 0
    join_code: ClassVar[str | None] = None
    kb: ClassVar[KnowledgeBase | None] = None
    checked_after_reconnect: ClassVar[int] = 0  # confirmed answers looked for on the page after a reconnection
    not_shown_after_reconnect: ClassVar[list[str]] = []  # of them, those the page did not show

    @classmethod
    def start(cls, setup: LoadSetup) -> None:
        """Begin a run on `setup` (nothing of an earlier run kept)."""
        cls.setup, cls.acks, cls.next_draft, cls.join_code = setup, [], 0, None
        cls.checked_after_reconnect, cls.not_shown_after_reconnect = 0, []
        cls.kb = load_knowledge()

    @classmethod
    def draft(cls) -> str:
        """The next empty draft for a service manager."""
        assert cls.setup is not None
        with cls.lock:
            if cls.next_draft >= len(cls.setup.drafts):
                raise TabError("no empty draft left: make more (bench_load --drafts)")
            cls.next_draft += 1
            return cls.setup.drafts[cls.next_draft - 1]


class AppUser(User):
    """A person in a browser tab on the app: every step they take is timed and reported to locust by name."""

    abstract = True
    think: ClassVar[tuple[float, float]] = (5.0, 15.0)

    def on_start(self) -> None:
        self.tab = StreamlitTab(self.host or "")
        self.page = Run()  # what the page shows now
        self.auto: dict[str, float] = {}  # the open page's fragments that run again by themselves, and how often

    def on_stop(self) -> None:
        self.tab.close()

    def wait_time(self) -> float:
        return 0.0  # each task thinks where a person would (pause), doing what the browser does meanwhile

    @contextmanager
    def timed(self, action: str, reconnect: bool = True) -> Iterator[None]:
        """Report the block to locust as `action`: its time, and its failure when it raises; after a lost connection,
        reconnect; after any other failure, end the task (StopAction)."""
        started = time.perf_counter()
        failure: Exception | None = None
        try:
            yield
        except Exception as failed:  # not the end of the run (GreenletExit): that action is neither done nor failed
            failure = failed
        self.environment.events.request.fire(
            request_type="app",
            name=action,
            response_time=(time.perf_counter() - started) * 1000,
            response_length=0,
            exception=failure,
            context={},
        )
        if isinstance(failure, ConnectionLost) and reconnect:
            self.reconnect()
        elif failure is not None:
            raise StopAction from failure

    def act(self, action: str, step: Callable[[], T]) -> T:
        """Do `step` as `action` (timed, reported); on failure, stop the task (after reconnecting when the
        connection was lost)."""
        result: list[T] = []
        with self.timed(action):
            result.append(step())
        if not result:
            raise StopAction
        return result[0]

    def checked(self, run: Run) -> Run:
        """The run, refused when the page showed an error (a person would see something went wrong)."""
        self.auto = run.auto_reruns or self.auto
        if run.errors:
            raise TabError("the page showed an error: " + run.errors[0][:200])
        return run

    def go(self, action: str, page: str, query: str = "") -> Run:
        """Open another page (the sidebar, or a link), as `action`."""
        self.auto = {}
        if self.tab.socket is None:
            return self.act(action, lambda: self.checked(self.tab.open(page, query)))
        return self.act(action, lambda: self.checked(self.tab.run(page=page, query=query)))

    def reconnect(self) -> None:
        """The connection was lost: connect again through the proxy and run the page at the same address."""
        with self.timed("reconnect after a lost connection", reconnect=False):
            self.page = self.checked(self.tab.reconnect())

    def pause(self, low: float | None = None, high: float | None = None) -> None:
        """Think for a while; meanwhile the page's self-refreshing fragments run at their intervals."""
        until = time.monotonic() + random.uniform(low or self.think[0], high or self.think[1])
        due = {fragment: time.monotonic() + interval for fragment, interval in self.auto.items()}
        while (now := time.monotonic()) < until:
            fragment, when = min(due.items(), key=lambda item: item[1]) if due else ("", until)
            self.tab.idle(max(0.0, min(when, until) - now))
            if fragment and time.monotonic() >= when and time.monotonic() < until:
                self.refresh(fragment)
                due[fragment] = time.monotonic() + self.auto.get(fragment, 3.0)

    def refresh(self, fragment: str) -> None:
        """The browser runs a fragment with ``run_every`` again: the page's own refresh, timed as an action."""
        self.act(f"auto-refresh ({self.tab.page or 'assess'})", lambda: self.tab.run(fragment_id=fragment, auto=True))


class StopAction(Exception):
    """The action failed (reported): the task ends here and the user starts another."""


def tolerant(method: Callable[[Any], None]) -> Callable[[Any], None]:
    """A task that ends when one of its actions failed (already reported), or when the page lacked what the person
    looks for (reported here)."""

    def run(self: Any) -> None:
        try:
            method(self)
        except StopAction:
            gevent.sleep(1.0)
        except TabError as unexpected:  # the page lacked what the person looks for: a failure too, reported
            self.environment.events.request.fire(
                request_type="app",
                name=f"page not as expected ({method.__name__})",
                response_time=0,
                response_length=0,
                exception=unexpected,
                context={},
            )
            gevent.sleep(1.0)

    run.__name__ = method.__name__
    run.__doc__ = method.__doc__
    return run


class ServiceManager(AppUser):
    """Answers the questionnaire of their own draft, one saved answer at a time."""

    weight = 10
    think = (5.0, 15.0)

    def on_start(self) -> None:
        super().on_start()
        self.assessment = ""

    @task
    @tolerant
    def answer(self) -> None:
        """Answer the next unanswered question of the step shown; at the end of a step, go on; at the end of the
        questionnaire, read the results and start another draft."""
        if not self.assessment:
            self.assessment = Shared.draft()
            self.answered: set[str] = set()
            try:
                self.page = self.go("open questionnaire", "", f"assessment={self.assessment}")
            except StopAction:
                self.assessment = ""
                raise
            self.pause()
        questions = [
            widget
            for widget in self.page.widgets
            if widget.kind in ANSWERED_KINDS
            and "-q_" in widget.id
            and widget.id.rsplit("-q_", 1)[1] not in self.answered
            and not widget.proto.disabled
        ]
        if questions:
            self.save(questions[0])
        else:
            following = [widget for widget in self.page.widgets if widget.key_is("next")]
            if following:
                self.page = self.act("next step", lambda: self.checked(self.tab.click(following[0])))
            else:
                self.go("results", "results", f"assessment={self.assessment}")
                self.assessment = ""
        self.pause()

    def save(self, widget: Widget) -> None:
        """Choose an answer for the question `widget` asks, and record it once the app confirms it saved."""
        question = widget.id.rsplit("-q_", 1)[1]
        self.answered.add(question)
        choice: Any
        if widget.kind == "radio":
            choice = random.choice(widget.options)
        elif widget.kind == "multiselect":
            choice = [random.choice(widget.options)]
        else:
            low = widget.proto.min if widget.proto.has_min else 0
            high = widget.proto.max if widget.proto.has_max else 5000
            choice = random.randint(int(low), int(min(high, low + 5000)))
        kb = Shared.kb
        assert kb is not None
        answer = stored_answer(kb, question, widget, choice)

        def saved() -> Run:
            run = self.checked(self.tab.set(widget, choice))
            refused = [text for text in run.texts if any(words in text for words in NOT_SAVED)]
            if refused:
                raise TabError("the page said the answer was not saved: " + refused[0][:200])
            return run

        self.page = self.act("saved answer", saved)
        with Shared.lock:
            Shared.acks.append(Ack(assessment_id=self.assessment, question=question, answer=answer, at=time.time()))

    def reconnect(self) -> None:
        """Connect again (through the proxy, perhaps to another process) on the same draft and step, and count the
        answers confirmed before that the page, as the other process draws it, does not show."""
        super().reconnect()
        if not self.assessment:
            return
        assert Shared.kb is not None
        with Shared.lock:
            confirmed = {ack.question: ack.answer for ack in Shared.acks if ack.assessment_id == self.assessment}
        for widget in self.page.widgets:
            question = widget.id.rsplit("-q_", 1)[1] if "-q_" in widget.id else ""
            if question in confirmed:
                Shared.checked_after_reconnect += 1
                if shown_answer(Shared.kb, widget) != confirmed[question]:
                    Shared.not_shown_after_reconnect.append(f"{self.assessment} {question}")


class Reader(AppUser):
    """Reads: the results of a finished assessment, the register, the cumulative impact."""

    weight = 2
    think = (15.0, 45.0)

    @task(3)
    @tolerant
    def results(self) -> None:
        """The results page of a finished assessment."""
        assert Shared.setup is not None
        self.go("results", "results", f"assessment={random.choice(Shared.setup.finished)}")
        self.pause()

    @task(2)
    @tolerant
    def register(self) -> None:
        """The register of assessments."""
        self.go("register", "register")
        self.pause()

    @task(1)
    @tolerant
    def cumulative(self) -> None:
        """The cumulative-impact page."""
        self.go("cumulative", "cumulative")
        self.pause()


class Exporter(AppUser):
    """Exports the Word record of a finished assessment."""

    weight = 1
    think = (30.0, 90.0)

    @task
    @tolerant
    def export(self) -> None:
        """Open Export, prepare the Word record, download it."""
        assert Shared.setup is not None
        page = self.go("export page", "export", f"assessment={random.choice(Shared.setup.finished)}")

        def prepare() -> Run:
            return self.checked(self.tab.click(self.tab.widget(page, label="Prepare the Word record")))

        prepared = any(widget.label.startswith("Download the Word record") for widget in page.widgets)
        ready = page if prepared else self.act("export: prepare the Word record", prepare)  # this visit made it

        def download() -> None:
            button = self.tab.widget(ready, prefix="Download the Word record")
            if not self.tab.download(button).startswith(b"PK"):
                raise TabError("the Word record is not a .docx")

        self.act("export: download the Word record", download)
        self.pause()


class Facilitator(AppUser):
    """Opens the workshop on a finished draft, then watches the live panel (it refreshes itself)."""

    fixed_count = 1
    think = (20.0, 40.0)

    @task
    @tolerant
    def run_workshop(self) -> None:
        """Open the workshop (once), then keep the page open."""
        if Shared.join_code is None:
            assert Shared.setup is not None
            title = Shared.setup.workshop_title
            page = self.go("workshop: facilitator's page", "workshop")
            drafts = self.tab.widget(page, key="ws_draft")
            chosen = next((option for option in drafts.options if option.startswith(title)), None)
            if chosen is None:
                raise TabError(f"the workshop page does not list {title!r}")
            picked = self.act("workshop: choose the draft", lambda: self.checked(self.tab.set(drafts, chosen)))
            opening = self.tab.widget(picked, label="Open a workshop")
            opened = self.act("workshop: open", lambda: self.checked(self.tab.click(opening)))
            found = next((JOIN_LINK.search(text) for text in opened.texts if JOIN_LINK.search(text)), None)
            if found is None:
                raise TabError("the workshop page shows no join code")
            Shared.join_code = found.group(1)
        self.pause()


class Participant(AppUser):
    """Joins the workshop with its code and scores every finding, as the room does at once."""

    fixed_count = 30
    think = (10.0, 30.0)

    def on_start(self) -> None:
        super().on_start()
        self.joined = False
        self.scored: set[str] = set()

    @task
    @tolerant
    def take_part(self) -> None:
        """Join once the facilitator shows the code; then score the next finding not yet scored."""
        if Shared.join_code is None:
            gevent.sleep(1.0)
            return
        if not self.joined:
            self.join()
        forms = [
            widget
            for widget in self.page.widgets
            if widget.kind == "radio" and widget.id.endswith("_verdict") and widget.id not in self.scored
        ]
        if forms:
            self.score(forms[0])
        self.pause()

    def join(self) -> None:
        """Open the join page with the code, give a name and an organisation, and join."""
        page = self.go("workshop: join page", "join", f"code={Shared.join_code}")
        name = self.tab.widget(page, label="Your name")
        self.tab.keep(name, f"Participant {id(self) % 10_000}")  # typed, sent with the press of Join
        organisation = self.tab.widget(page, label="Your service or partner organisation")
        self.tab.keep(organisation, "A partner organisation")
        join = self.tab.widget(page, label="Join")
        self.page = self.act("workshop: join", lambda: self.checked(self.tab.click(join)))
        if "as=" not in self.tab.query:
            raise TabError("joining did not give this browser a participant key")
        self.joined = True

    def score(self, verdict: Widget) -> None:
        """Score one finding: a view, a likelihood, a severity, then "Save my score"; saved when the page says so."""
        self.scored.add(verdict.id)
        stem = verdict.id.rsplit("-", 1)[1].removesuffix("_verdict")
        for widget in (
            verdict,
            self.tab.widget(self.page, key=f"{stem}_likelihood"),
            self.tab.widget(self.page, key=f"{stem}_severity"),
        ):
            self.tab.keep(widget, random.choice(widget.options))
        submitter = f"FormSubmitter:form_{stem}-"
        submit = next((w for w in self.page.widgets if w.kind == "button" and submitter in w.id), None)
        if submit is None:
            raise TabError(f"no Save button for {stem}")

        def saved() -> Run:
            run = self.checked(self.tab.click(submit))
            if not any("is saved" in text for text in run.successes):
                raise TabError("the page did not say the score was saved")
            return run

        self.page = self.act("workshop: score saved", saved)
