"""The YAML reader keeps lines, refuses duplicate keys and never builds Python objects."""

from __future__ import annotations

from pathlib import Path

import pytest

from proofing.yamlsource import YamlFileError, enclosing_item, line_of, load_located

SAMPLE = """\
actions:
  - id: "1.1"
    text: first
  - id: "1.2"
    measures:
      - id: "1.2.1"
        text: measured
"""


def test_lines_follow_a_location() -> None:
    data = load_located(Path("x.yaml"), SAMPLE)
    assert line_of(data, ("actions",)) == 1
    assert line_of(data, ("actions", 1)) == 4
    assert line_of(data, ("actions", 1, "measures", 0, "text")) == 7
    # A field that is missing points at the item that lacks it.
    assert line_of(data, ("actions", 0, "lead")) == 2


def test_the_enclosing_item_names_the_fault() -> None:
    data = load_located(Path("x.yaml"), SAMPLE)
    key, item = enclosing_item(data, ("actions", 1, "measures", 0, "text"))
    assert key == "measures" and item["id"] == "1.2.1"


def test_dates_stay_as_written() -> None:
    data = load_located(Path("x.yaml"), "date: 2005-09-01\n")
    assert data["date"] == "2005-09-01"


def test_duplicate_keys_are_refused() -> None:
    with pytest.raises(YamlFileError) as raised:
        load_located(Path("x.yaml"), "a: 1\nb: 2\na: 3\n")
    assert str(raised.value) == "x.yaml:3: not valid YAML: duplicate key 'a' (first given on line 1)"


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes("name: Ynys M\xf4n\n".encode("latin-1"))
    with pytest.raises(YamlFileError) as raised:
        load_located(path)
    assert raised.value.problem.line == 1 and "not UTF-8" in raised.value.problem.message
