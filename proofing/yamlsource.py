"""Read YAML so that every value can be traced back to its line.

Policy officers edit the rule base by hand; when a value is wrong they need the file and line, not a
Python traceback. This reader keeps the line of every mapping key and list item, refuses duplicate
keys (plain YAML silently keeps the last), and turns pydantic's error locations back into lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from proofing.errors import Problem


class LocatedDict(dict[str, Any]):
    """A YAML mapping that remembers its own line and the line of each key (1-based)."""

    line: int
    key_lines: dict[str, int]


class LocatedList(list[Any]):
    """A YAML sequence that remembers its own line and the line of each item (1-based)."""

    line: int
    item_lines: list[int]


class _LocatingLoader(yaml.SafeLoader):
    """A safe loader (no Python objects, ever) that records lines and rejects duplicate keys."""


def _construct_mapping(loader: _LocatingLoader, node: yaml.MappingNode) -> LocatedDict:
    mapping = LocatedDict()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"duplicate key '{key}' (first given on line {mapping.key_lines[key]})",
                key_node.start_mark,
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


def _construct_sequence(loader: _LocatingLoader, node: yaml.SequenceNode) -> LocatedList:
    sequence = LocatedList(loader.construct_object(child, deep=True) for child in node.value)
    sequence.line = node.start_mark.line + 1
    sequence.item_lines = [child.start_mark.line + 1 for child in node.value]
    return sequence


_LocatingLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LocatingLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
# Dates stay text: the seed writes "March 2009" and "2005-09" and we keep them as written.
_LocatingLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class YamlFileError(Exception):
    """A file that could not be read as YAML at all; carries the Problem to report."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


def load_located(path: Path, text: str | None = None) -> Any:
    """Parse one YAML file into LocatedDict / LocatedList values, or raise YamlFileError with its line."""
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise YamlFileError(Problem(path, 1, "file not found")) from None
        except UnicodeDecodeError as error:
            raise YamlFileError(Problem(path, 1, f"not UTF-8 text ({error.reason})")) from None
    try:
        data = yaml.load(text, Loader=_LocatingLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        reason = error.problem or error.context or "unreadable"
        raise YamlFileError(Problem(path, line, f"not valid YAML: {reason}")) from None
    except yaml.YAMLError as error:
        raise YamlFileError(Problem(path, 1, f"not valid YAML: {error}")) from None
    if data is None:
        raise YamlFileError(Problem(path, 1, "the file is empty"))
    return data


def line_of(data: Any, location: Sequence[int | str]) -> int:
    """The line of the deepest value along `location` (a pydantic error's loc) that the file has."""
    line = getattr(data, "line", 1)
    node = data
    for step in location:
        if isinstance(node, LocatedDict) and isinstance(step, str) and step in node:
            line = node.key_lines[step]
            node = node[step]
        elif isinstance(node, LocatedList) and isinstance(step, int) and 0 <= step < len(node):
            line = node.item_lines[step]
            node = node[step]
        else:
            break
    return line


def enclosing_item(data: Any, location: Sequence[int | str]) -> tuple[str | None, Any]:
    """The list key and the innermost item with an `id` along `location`, to name what is faulty.

    For loc ("actions", 5, "measures", 1, "text") it returns ("measures", {"id": "2.6.2", ...}).
    """
    found: tuple[str | None, Any] = (None, None)
    node = data
    list_key: str | None = None
    for step in location:
        if isinstance(node, dict) and step in node:
            if isinstance(node[step], list) and isinstance(step, str):
                list_key = step
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        else:
            break
        if isinstance(node, dict) and "id" in node:
            found = (list_key, node)
    return found
