"""The YAML reader keeps lines, refuses duplicate keys and never builds Python objects."""

from __future__ import annotations

from pathlib import Path

import pytest

from proofing import yamlsource
from proofing.yamlsource import (
    LOCATING_LOADERS,
    PLAIN_LOADERS,
    RULE_FILE_LIMITS,
    LocatedDict,
    LocatedList,
    YamlFileError,
    YamlLimitError,
    YamlLimits,
    YamlTextError,
    _load,
    enclosing_item,
    line_of,
    load_located,
    load_plain,
)

PROJECT = Path(__file__).resolve().parent.parent

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


# --- limits, for the rule base and for plans ---------------------------------------------------------------

PLAN_LIKE = YamlLimits(max_depth=10, max_values=10_000)
LOADERS = pytest.mark.parametrize("loader", PLAIN_LOADERS, ids=lambda loader: loader.__name__)


def test_a_rule_file_5000_deep_is_a_file_and_line_not_a_recursion_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("rules:\n" + "".join("  " * depth + "- \n" for depth in range(1, 5_000)), encoding="utf-8")
    with pytest.raises(YamlFileError) as raised:
        load_located(path)
    assert raised.value.problem.line == 51  # line n holds the n-th level
    assert raised.value.problem.message == "refused: lists and mappings are nested more than 50 deep"


def test_a_flow_style_rule_file_5000_deep_is_refused_too() -> None:
    with pytest.raises(YamlFileError, match=r"^x.yaml:3: refused: lists and mappings are nested more than 50 deep$"):
        load_located(Path("x.yaml"), "a: 1\nb: 2\nc: " + "[" * 5_000 + "]" * 5_000 + "\n")


def test_the_project_rule_base_is_well_inside_the_limits() -> None:
    for path in sorted(Path(__file__).resolve().parent.parent.glob("rules/**/*.yaml")):
        load_located(path, limits=YamlLimits(max_depth=RULE_FILE_LIMITS.max_depth // 2, max_values=10_000))


def test_a_rule_file_that_is_a_folder_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    with pytest.raises(YamlFileError) as raised:
        load_located(tmp_path)
    assert raised.value.problem.message.startswith("cannot be read (")


def test_a_4301_digit_integer_in_a_rule_file_is_refused_with_its_line() -> None:
    with pytest.raises(YamlFileError, match=r"^x.yaml:2: refused: a number written with 4,301 characters is too long"):
        load_located(Path("x.yaml"), "a: 1\nb: " + "7" * 4_301 + "\n")


@LOADERS
def test_an_alias_bomb_is_refused_before_it_is_built(loader: type[object]) -> None:
    text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{name}: &{name} [{', '.join([f'*{previous}'] * 10)}]\n"
        for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
    )
    with pytest.raises(YamlLimitError) as raised:
        yamlsource._load(text, loader, PLAN_LIKE)
    assert raised.value.line == 4  # d: ten c's of 1,111 values each pass 10,000
    assert "more than 10,000 values (counting what each alias repeats)" in raised.value.reason


@LOADERS
def test_aliases_that_stay_small_are_read(loader: type[object]) -> None:
    data = yamlsource._load("base: &base [race, age]\nagain: *base\n", loader, PLAN_LIKE)
    assert data == {"base": ["race", "age"], "again": ["race", "age"]}


@LOADERS
def test_an_alias_inside_what_it_names_is_refused(loader: type[object]) -> None:
    with pytest.raises(YamlLimitError, match="the alias \\*a repeats the list or mapping it is inside"):
        yamlsource._load("x: 1\ny: &a [1, [2, *a]]\n", loader, PLAN_LIKE)


@LOADERS
def test_plain_loading_refuses_what_located_loading_refuses(loader: type[object]) -> None:
    cases = {
        "a: 1\nb: 2\na: 3\n": (3, "duplicate key 'a' (first given on line 1)"),
        "a:\n  - " + "[" * 11 + "]" * 11 + "\n": (2, "lists and mappings are nested more than 10 deep"),
        "a: -" + "1" * 100 + "\n": (1, "a number written with 101 characters is too long (at most 100 are read)"),
        "a: b\n\x07\n": (2, "the character U+0007 is not allowed in YAML"),
    }
    for text, (line, reason) in cases.items():
        with pytest.raises(YamlTextError) as raised:
            yamlsource._load(text, loader, PLAN_LIKE)
        assert (raised.value.line, raised.value.reason) == (line, reason), text


@LOADERS
def test_plain_loading_gives_plain_values(loader: type[object]) -> None:
    data = yamlsource._load("a: {b: [1, 2.5, yes, ~]}\nwhen: 2026-01-31\n", loader, PLAN_LIKE)
    assert data == {"a": {"b": [1, 2.5, True, None]}, "when": "2026-01-31"}
    assert type(data) is dict and type(data["a"]["b"]) is list


def test_a_lone_surrogate_in_text_is_a_line_not_an_encode_error() -> None:
    with pytest.raises(YamlTextError) as raised:
        load_plain("a: 1\nb: x\udc80\n", PLAN_LIKE)
    assert raised.value.line == 2 and "U+DC80" in raised.value.reason


def test_limits_count_every_value_not_only_aliases() -> None:
    with pytest.raises(YamlLimitError):
        load_plain("a: [" + ", ".join(["1"] * 10_001) + "]\n", PLAN_LIKE)
    assert len(load_plain("a: [" + ", ".join(["1"] * 9_000) + "]\n", PLAN_LIKE)["a"]) == 9_000


# --- the fast reader of rule files ----------------------------------------------------------------------------


def _with_lines(value: object) -> object:
    """A located value as plain data that includes every line it remembers, to compare two readings exactly."""
    if isinstance(value, LocatedDict):
        return ("map", value.line, value.key_lines, {key: _with_lines(item) for key, item in value.items()})
    if isinstance(value, LocatedList):
        return ("list", value.line, value.item_lines, [_with_lines(item) for item in value])
    return (type(value).__name__, value)


RULE_FILES = sorted(
    path.relative_to(PROJECT) for path in [*PROJECT.glob("rules/**/*.yaml"), *PROJECT.glob("tests/fixtures/**/*.yaml")]
)


def test_libyaml_reads_every_rule_file_exactly_as_the_pure_python_reader_does() -> None:
    """Values, types and every line of every rule file of ours and the test councils', read both ways."""
    assert len(LOCATING_LOADERS) == 2, "the wheels ship libyaml, so rule files are read by it first"
    fast, careful = LOCATING_LOADERS
    assert len(RULE_FILES) > 30
    for path in RULE_FILES:
        text = (PROJECT / path).read_text(encoding="utf-8")
        assert _with_lines(_load(text, fast, RULE_FILE_LIMITS)) == _with_lines(
            _load(text, careful, RULE_FILE_LIMITS)
        ), path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: 1\nb: [1, 2\nc: 3\n", "not valid YAML: "),  # unclosed flow list: libyaml refuses it too
        ("a: 1\nb: \x07bell\n", "not valid YAML: the character U+0007 is not allowed in YAML"),  # libyaml lets it by
        ("a: 1\nb: \x85next\n", "not valid YAML: could not find expected ':'"),  # NEL breaks the line, for both
        ("a: 1\nb: [x, 'y']\n", ""),  # sound: read the same both ways
        ("a: 1\na: 2\n", "not valid YAML: duplicate key 'a' (first given on line 1)"),
    ],
)
def test_a_rule_file_fault_is_worded_by_the_pure_python_reader(text: str, message: str) -> None:
    """Whatever the fast reader makes of a fault, the writer reads the pure-Python reader's words and line."""
    try:
        expected = load_located(Path("x.yaml"), text)
    except YamlFileError as error:
        assert message and error.problem.message.startswith(message)
        with pytest.raises(YamlTextError) as careful:
            _load(text, LOCATING_LOADERS[-1], RULE_FILE_LIMITS)
        assert error.problem.line == careful.value.line
        assert error.problem.message.endswith(careful.value.reason)
    else:
        assert not message
        assert _with_lines(expected) == _with_lines(_load(text, LOCATING_LOADERS[-1], RULE_FILE_LIMITS))
