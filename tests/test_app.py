"""The app starts and shows the rule base it assesses against."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def test_the_app_starts_and_names_the_strategy() -> None:
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert at.title[0].value == "Cohesion proofing"
    assert any("One Wrexham" in markdown.value for markdown in at.markdown)
    assert len(at.expander) == 4
