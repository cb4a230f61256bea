"""The answers of a load test: what the app confirmed, as the store keeps it, and whether the store still has it.

Kept apart from the locust users (benchmarks/load/scenario.py) so that a test can use it without gevent.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from benchmarks.load.streamlit_client import TabError, Widget
from proofing.knowledge import KnowledgeBase
from proofing.store import Store


class LoadSetup(BaseModel):
    """What the run works on, made in the database before it starts (benchmarks/bench_load.py)."""

    drafts: list[str]  # empty drafts (details only), one per service manager at a time
    finished: list[str]  # assessments of the example plans, every required question answered
    workshop_title: str  # the finished draft the facilitator opens a workshop on, as the workshop page lists it


class Ack(BaseModel):
    """An answer the app confirmed: the draft, the question, the answer as the store keeps it, and when."""

    assessment_id: str
    question: str
    answer: Any
    at: float


def stored_answer(kb: KnowledgeBase, question_id: str, widget: Widget, choice: Any) -> Any:
    """The answer the store keeps when the question's `widget` is given `choice` (an option's words, a list of them,
    a number): option ids for words, True or False for a yes/no, an int for a whole number (views/widgets.py)."""
    question = kb.questionnaire.question(question_id)
    if question is None:
        raise TabError(f"no question {question_id}")
    if widget.kind == "number_input":
        return int(choice)
    if question.type == "yes_no":
        return widget.options.index(choice) == 0
    ids = [option.id for option in question.options]
    if widget.kind == "multiselect":
        return [ids[widget.options.index(item)] for item in choice]
    return ids[widget.options.index(choice)]


def shown_answer(kb: KnowledgeBase, widget: Widget) -> Any:
    """The answer a question's widget shows as the page drew it (None: none), as the store keeps it."""
    question_id = widget.id.rsplit("-q_", 1)[1]
    proto = widget.proto
    if widget.kind == "radio":
        return stored_answer(kb, question_id, widget, proto.raw_value) if proto.raw_value else None
    if widget.kind == "multiselect":
        return stored_answer(kb, question_id, widget, list(proto.raw_values)) if proto.raw_values else None
    if widget.kind == "number_input":
        return int(proto.value) if proto.HasField("value") else None
    return None


def lost(acks: list[Ack], database: str) -> list[Ack]:
    """The acknowledged answers the store does not have: for each question of each draft, the last answer the
    app confirmed, read back from the latest saved version through the library's store."""
    last: dict[tuple[str, str], Ack] = {}
    for ack in sorted(acks, key=lambda ack: ack.at):
        last[(ack.assessment_id, ack.question)] = ack
    store = Store(database)
    missing = []
    plans = {}
    for (assessment_id, question), ack in sorted(last.items()):
        if assessment_id not in plans:
            latest = store.latest(assessment_id)
            plans[assessment_id] = latest.plan.answers if latest is not None else {}
        if plans[assessment_id].get(question) != ack.answer:
            missing.append(ack)
    return missing


def history(ack: Ack, database: str) -> list[dict[str, Any]]:
    """Every saved version's answer to the acknowledged answer's question, oldest first: where a lost answer went."""
    store = Store(database)
    return [
        {"version": kept.version, "revision": kept.revision, "answer": kept.plan.answers.get(ack.question, "(none)")}
        for kept in sorted(store.versions(ack.assessment_id), key=lambda kept: (kept.version, kept.revision))
    ]
