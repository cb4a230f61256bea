"""Read YAML so that every value can be traced back to its line, in bounded time and memory.

Policy officers edit the rule base by hand; when a value is wrong they need the file and line, not a
Python traceback. This reader keeps the line of every mapping key and list item, refuses duplicate
keys (plain YAML silently keeps the last), and turns pydantic's error locations back into lines.

Plans are read by the same rules (``load_plain``), into plain dicts and lists. Both readers are
bounded while the text is composed, before any value is built (``YamlLimits``): nesting depth (a
recursive reader would otherwise hit Python's recursion limit), the number of values counted with
what each alias repeats (a 1.7 KB "billion laughs" file expands to hundreds of millions), aliases
that repeat the collection they are inside (which would never end), and the length of a written
integer (Python refuses to convert one of more than 4,300 digits, and a sexagesimal one costs time).
Anything refused says on which line, in words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.error import Mark, MarkedYAMLError
from yaml.events import AliasEvent, Event
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from proofing.errors import Problem


@dataclass(frozen=True)
class YamlLimits:
    """How much one YAML text may hold; checked while it is composed, before any value is built."""

    max_depth: int  # lists and mappings inside each other (a scalar counts as one more level)
    max_values: int  # every scalar, list and mapping, counting each alias as the values it repeats
    max_number_length: int = 100  # characters of a written integer


# The project's rule files nest at most 14 deep and hold at most about 2,000 values each.
RULE_FILE_LIMITS = YamlLimits(max_depth=50, max_values=200_000)


class LocatedDict(dict[str, Any]):
    """A YAML mapping that remembers its own line and the line of each key (1-based)."""

    line: int
    key_lines: dict[str, int]


class LocatedList(list[Any]):
    """A YAML sequence that remembers its own line and the line of each item (1-based)."""

    line: int
    item_lines: list[int]


class YamlTextError(Exception):
    """Text that is not valid YAML: the line (1-based) and the reason, in words."""

    def __init__(self, line: int, reason: str) -> None:
        self.line = line
        self.reason = reason
        super().__init__(f"line {line}: {reason}")


class YamlLimitError(YamlTextError):
    """Valid YAML that holds more than a reader accepts (too deep, too many values, a number too long)."""


class YamlFileError(Exception):
    """A file that could not be read as YAML at all; carries the Problem to report."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


class _Refused(MarkedYAMLError):
    """Raised inside the reader when a limit is passed; becomes a YamlLimitError."""


# --- composing, with limits -----------------------------------------------------------------------


class _BoundedComposer(Composer):
    """PyYAML's composer, counting depth and values (aliases expanded) as it goes, refusing past the limits.

    Each composed value adds one to a running count and each alias adds the size of what it repeats,
    so the count is the size of the document as Python would build it, found without building it.
    """

    limits: YamlLimits
    _depth: int
    _values: int
    _sizes: dict[str, int]
    _open: set[str]
    peek_event: Callable[[], Event]  # the parser's, which every loader built on this composer has

    def get_single_node(self) -> Node | None:
        self._depth, self._values, self._sizes, self._open = 0, 0, {}, set()
        return super().get_single_node()

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()
        mark = cast("Mark | None", event.start_mark)  # libyaml's Mark carries the same line and column
        if isinstance(event, AliasEvent):
            if event.anchor in self._open:
                raise _Refused(
                    None,
                    None,
                    f"the alias *{event.anchor} repeats the list or mapping it is inside, which never ends",
                    mark,
                )
            self._count(self._sizes.get(event.anchor or "", 0), mark)  # an unknown one is refused below
            return super().compose_node(parent, index)
        self._depth += 1
        if self._depth > self.limits.max_depth:
            raise _Refused(None, None, f"lists and mappings are nested more than {self.limits.max_depth} deep", mark)
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self._open.add(anchor)
        before = self._values
        node = super().compose_node(parent, index)
        self._count(1, mark)
        if anchor is not None:
            self._open.discard(anchor)
            self._sizes[anchor] = self._values - before
        self._depth -= 1
        return node

    def _count(self, values: int, mark: Mark | None) -> None:
        self._values += values
        if self._values > self.limits.max_values:
            raise _Refused(
                None,
                None,
                f"the text holds more than {self.limits.max_values:,} values (counting what each alias repeats)",
                mark,
            )


# --- constructing ---------------------------------------------------------------------------------


class _StrictConstructor(SafeConstructor):
    """The safe constructor (no Python objects, ever) that refuses duplicate keys and over-long integers."""

    limits: YamlLimits

    def mapping_items(self, node: MappingNode) -> Iterator[tuple[str, Any, int]]:
        """Each key (as text), value and key line of a mapping; refuses a key given twice."""
        self.flatten_mapping(node)
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key '{key}' (first given on line {seen[key]})", key_node.start_mark
                )
            seen[key] = key_node.start_mark.line + 1
            yield key, self.construct_object(value_node, deep=True), seen[key]

    def construct_bounded_int(self, node: ScalarNode) -> int:
        """An integer, refused when written with more characters than the limit."""
        if len(node.value) > self.limits.max_number_length:
            raise _Refused(
                None,
                None,
                f"a number written with {len(node.value):,} characters is too long "
                f"(at most {self.limits.max_number_length} are read)",
                node.start_mark,
            )
        return int(self.construct_yaml_int(node))


def _construct_located_mapping(loader: _StrictConstructor, node: MappingNode) -> LocatedDict:
    mapping = LocatedDict()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key, value, line in loader.mapping_items(node):
        mapping[key] = value
        mapping.key_lines[key] = line
    return mapping


def _construct_located_sequence(loader: _StrictConstructor, node: SequenceNode) -> LocatedList:
    sequence = LocatedList(loader.construct_object(child, deep=True) for child in node.value)
    sequence.line = node.start_mark.line + 1
    sequence.item_lines = [child.start_mark.line + 1 for child in node.value]
    return sequence


def _construct_plain_mapping(loader: _StrictConstructor, node: MappingNode) -> dict[str, Any]:
    return {key: value for key, value, _line in loader.mapping_items(node)}


def _construct_plain_sequence(loader: _StrictConstructor, node: SequenceNode) -> list[Any]:
    return [loader.construct_object(child, deep=True) for child in node.value]


# Dates stay text: the seed writes "March 2009" and "2005-09" and we keep them as written.
_IMPLICIT_RESOLVERS = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_MAP, _SEQ, _INT = (
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG,
    "tag:yaml.org,2002:int",
)


def _add(loader: type[Any], tag: str, constructor: Callable[[Any, Any], Any]) -> None:
    """Register a constructor on one of the loaders below (PyYAML's stubs know only its own loader classes)."""
    loader.add_constructor(tag, constructor)


class _LocatingLoader(_BoundedComposer, yaml.SafeLoader, _StrictConstructor):
    """Rule files: the pure-Python reader (its messages are the ones rule writers see), keeping lines."""

    yaml_implicit_resolvers = _IMPLICIT_RESOLVERS


_add(_LocatingLoader, _MAP, _construct_located_mapping)
_add(_LocatingLoader, _SEQ, _construct_located_sequence)
_add(_LocatingLoader, _INT, _StrictConstructor.construct_bounded_int)


class _PlainLoader(_BoundedComposer, yaml.SafeLoader, _StrictConstructor):
    """Plans, where libyaml is missing: plain dicts and lists, the same refusals."""

    yaml_implicit_resolvers = _IMPLICIT_RESOLVERS


_add(_PlainLoader, _MAP, _construct_plain_mapping)
_add(_PlainLoader, _SEQ, _construct_plain_sequence)
_add(_PlainLoader, _INT, _StrictConstructor.construct_bounded_int)

PLAIN_LOADERS: list[type[Any]] = [_PlainLoader]
# Rule files: libyaml first when the wheels ship it, the pure-Python reader (whose messages rule writers see) last.
LOCATING_LOADERS: list[type[Any]] = [_LocatingLoader]
if yaml.__with_libyaml__:  # pragma: no branch - the wheels ship it
    from yaml._yaml import CParser

    class _LibyamlLoader(_BoundedComposer, CParser, _StrictConstructor, Resolver):
        """libyaml's parser under our composer (same limits, same lines) and our constructor."""

        yaml_implicit_resolvers = _IMPLICIT_RESOLVERS

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

    class _FastPlainLoader(_LibyamlLoader):
        """Plans: libyaml's parser (a 2 MB plan parses in a fifth of a second, not four) under our composer."""

    _add(_FastPlainLoader, _MAP, _construct_plain_mapping)
    _add(_FastPlainLoader, _SEQ, _construct_plain_sequence)
    _add(_FastPlainLoader, _INT, _StrictConstructor.construct_bounded_int)
    PLAIN_LOADERS.insert(0, _FastPlainLoader)

    class _FastLocatingLoader(_LibyamlLoader):
        """Rule files that read cleanly: libyaml's parser under our composer, keeping the same lines (a rule base
        loads several times faster, which every command, page and check that reads one feels)."""

    _add(_FastLocatingLoader, _MAP, _construct_located_mapping)
    _add(_FastLocatingLoader, _SEQ, _construct_located_sequence)
    _add(_FastLocatingLoader, _INT, _StrictConstructor.construct_bounded_int)
    LOCATING_LOADERS.insert(0, _FastLocatingLoader)


def _load(text: str, loader_class: type[Any], limits: YamlLimits) -> Any:
    """Parse with one loader under `limits`; every failure becomes a YamlTextError with its line."""
    loader = None
    try:
        loader = loader_class(text)  # the pure-Python reader checks the characters here
        loader.limits = limits
        return loader.get_single_data()
    except _Refused as error:
        raise YamlLimitError(_mark_line(error), error.problem or "refused") from None
    except MarkedYAMLError as error:
        raise YamlTextError(_mark_line(error), error.problem or error.context or "unreadable") from None
    except yaml.reader.ReaderError as error:
        line = _line_at(text, error.position)
        if isinstance(error.character, int):
            raise YamlTextError(line, f"the character U+{error.character:04X} is not allowed in YAML") from None
        raise YamlTextError(line, str(error.reason)) from None
    except UnicodeEncodeError as error:  # libyaml encodes the text first, and a lone surrogate cannot be
        raise YamlTextError(_line_at(text, error.start), _surrogate_words(text, error.start)) from None
    except yaml.YAMLError as error:
        raise YamlTextError(1, str(error).splitlines()[0]) from None
    except RecursionError:  # the limits make this unreachable; kept so that it can never be a traceback
        raise YamlLimitError(1, "lists and mappings are nested too deeply to be read") from None
    finally:
        if loader is not None:
            loader.dispose()


def _mark_line(error: MarkedYAMLError) -> int:
    mark = error.problem_mark or error.context_mark
    return mark.line + 1 if mark else 1


def _line_at(text: str, position: int) -> int:
    return text.count("\n", 0, max(position, 0)) + 1


def _surrogate_words(text: str, position: int) -> str:
    return f"the character U+{ord(text[position]):04X} (a lone surrogate) is not text that can be written"


def load_plain(text: str, limits: YamlLimits) -> Any:
    """Parse YAML text into plain dicts, lists and scalars, refusing what `limits` bound and duplicate keys.

    Dates stay text, nothing but plain data is ever built, and every refusal is a YamlTextError with
    the line; a YamlLimitError when the text is valid but holds too much. Used for plans, which must
    be read as strictly as the rule base (the README promises duplicate keys are refused).
    """
    return _load(text, PLAIN_LOADERS[0], limits)


def load_located(path: Path, text: str | None = None, limits: YamlLimits = RULE_FILE_LIMITS) -> Any:
    """Parse one YAML file into LocatedDict / LocatedList values, or raise YamlFileError with its line."""
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise YamlFileError(Problem(path, 1, "file not found")) from None
        except UnicodeDecodeError as error:
            raise YamlFileError(Problem(path, 1, f"not UTF-8 text ({error.reason})")) from None
        except OSError as error:
            raise YamlFileError(Problem(path, 1, f"cannot be read ({error.strerror or error})")) from None
    try:
        data = _load_located_text(text, limits)
    except YamlLimitError as error:
        raise YamlFileError(Problem(path, error.line, f"refused: {error.reason}")) from None
    except YamlTextError as error:
        raise YamlFileError(Problem(path, error.line, f"not valid YAML: {error.reason}")) from None
    if data is None:
        raise YamlFileError(Problem(path, 1, "the file is empty"))
    return data


def _load_located_text(text: str, limits: YamlLimits) -> Any:
    """A rule file's values with their lines: read by the fastest loader that reads the text cleanly.

    Any text that the fast reader refuses, or that holds a character the pure-Python reader refuses (libyaml lets
    some through), is read again by the pure-Python reader, so a fault is always reported in its words and nothing
    it refuses is ever accepted.
    """
    fast, careful = LOCATING_LOADERS[0], LOCATING_LOADERS[-1]
    if fast is not careful and not yaml.reader.Reader.NON_PRINTABLE.search(text):
        try:
            return _load(text, fast, limits)
        except YamlTextError:
            pass
    return _load(text, careful, limits)


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
