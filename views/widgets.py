"""The one widget table: how a page draws a question of each answer type, and how its widget holds the answer.

The library's answer types (``proofing/answer_types.py``) know how an answer is parsed, worded, tested and
scored; this is the face's half, one ``Widget`` per type name: the drawing function, and the conversions between
a saved answer and what the Streamlit widget holds (a yes/no radio holds "Yes" or "No", a date picker a date).
Every page that draws a question or restores one from a saved version reads this table, so a new answer type
is drawn everywhere by adding one row here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import streamlit as st

from proofing import label_text
from proofing.questionnaire import Question
from views import typed_text
from views.common import _, marked, marked_text


def _same(question: Question, value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Widget:
    """How one answer type is drawn and held: ``draw(question, label, **common)`` draws it."""

    draw: Callable[..., Any]
    to_widget: Callable[[Question, Any], Any] = _same
    from_widget: Callable[[Question, Any], Any] = _same


def _yes_no(question: Question, label: str, **common: Any) -> None:
    """Yes or no as two radio buttons: the answer is kept as "Yes" or "No"; only its words are translated."""
    yes_no = {"Yes": _("Yes"), "No": _("No")}
    st.radio(label, list(yes_no), format_func=yes_no.get, index=None, horizontal=True, **common)


def _one_of(question: Question, label: str, **common: Any) -> None:
    """One option as radio buttons, with when to choose each under it."""
    labels = {option.id: marked(option.label) for option in question.options}
    captions = [marked(option.help) if option.help else "" for option in question.options]
    shown = captions if any(captions) else None
    st.radio(label, list(labels), format_func=labels.get, index=None, captions=shown, **common)


def _many_of(question: Question, label: str, **common: Any) -> None:
    """Several options as a multi-select; when to choose each is listed in its help (its options are plain)."""
    notes = [f"- {marked(option.label)}: {marked(option.help)}" for option in question.options if option.help]
    if notes:
        common["help"] = "\n\n".join([*([common["help"]] if common.get("help") else []), "\n".join(notes)])
    words = {option.id: marked_text(option.label) for option in question.options}
    st.multiselect(
        label,
        list(words),
        format_func=words.get,
        placeholder=_("Choose all that apply"),
        select_all=not question.excludes_others(),  # never "Select all" beside "None of these"
        **common,
    )


def _number(question: Question, label: str, **common: Any) -> None:
    """A number within the question's min and max."""
    st.number_input(label, step=1.0, format="%g", min_value=question.min, max_value=question.max, value=None, **common)


def _date(question: Question, label: str, **common: Any) -> None:
    """A date picker (the answer is kept as YYYY-MM-DD)."""
    st.date_input(label, value=None, format="DD/MM/YYYY", **common)


def _text(question: Question, label: str, **common: Any) -> None:
    """Free text as a text area, kept as it is typed whichever way the person leaves (views/typed_text.py)."""
    typed_text.text_area(label, max_chars=100_000, height=100, **common)


def _yes_no_held(question: Question, answer: Any) -> Any:
    return "Yes" if answer else "No"


def _yes_no_given(question: Question, given: Any) -> Any:
    return given == "Yes"


def _number_held(question: Question, answer: Any) -> Any:
    return float(answer)


def _number_given(question: Question, given: Any) -> Any:
    return int(given) if float(given).is_integer() else given


def _date_held(question: Question, answer: Any) -> Any:
    try:
        return date.fromisoformat(str(answer))
    except ValueError:
        return None


def _date_given(question: Question, given: Any) -> Any:
    return given.isoformat() if isinstance(given, date) else given


WIDGETS: dict[str, Widget] = {
    "yes_no": Widget(_yes_no, _yes_no_held, _yes_no_given),
    "one_of": Widget(_one_of),
    "many_of": Widget(_many_of),
    "number": Widget(_number, _number_held, _number_given),
    "text": Widget(_text),
    "date": Widget(_date, _date_held, _date_given),
}


def label(text: str) -> str:
    """A rule-base text as a widget's label, read by a screen reader as written (no backslash before its question
    mark: ``proofing.label_text``), with "(in English)" in plain words after a text that has no Welsh form yet."""
    return label_text.label(marked_text(text))


def widget(question: Question) -> Widget:
    """The widget of a question's answer type (free text for a type no row names, so a page still draws)."""
    return WIDGETS.get(question.type, WIDGETS["text"])


def draw(question: Question, label: str, **common: Any) -> None:
    """Draw one question as its answer type asks (``common``: key, help, on_change, disabled)."""
    widget(question).draw(question, label, **common)


def to_widget(question: Question, answer: Any) -> Any:
    """A saved answer as its widget holds it."""
    return widget(question).to_widget(question, answer)


def from_widget(question: Question, given: Any) -> Any:
    """A widget's value as a saved answer (None: not answered)."""
    if given is None or given == [] or given == "":
        return None
    return widget(question).from_widget(question, given)
