"""YAML text → located nodes and plain data, shared by the YAML formats (process definitions, metrics,
decision tables).

Each format brings its ``SourceLimits``: bytes, nodes (aliases count each use) and nesting, the name of
the document in messages and the error it raises. What is read is safe YAML whose keys are unique
strings and whose values are JSON data; every problem carries the JSON pointer of the field and its line
and column in the source (``Locator``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

try:  # libyaml: several times faster, and it caps nesting at 1000 levels itself
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

from domain.definitions.errors import DefinitionInvalid, LocatedFieldError

Part = str | int
PathParts = tuple[Part, ...]


@dataclass(frozen=True)
class SourceLimits:
    """What a format accepts of a YAML document, and how it names its problems."""

    kind: str  # the document in messages: "the definition is empty"
    fields: str  # what its top-level mapping holds: "name, version, steps…"
    max_bytes: int
    max_nodes: int  # YAML nodes after expanding aliases
    max_depth: int  # nesting of YAML collections
    invalid: type[DefinitionInvalid] = DefinitionInvalid


# -- problems and where they are --------------------------------------------------------------------


@dataclass(frozen=True)
class Parsed:
    """A checked document: the source as sent, its canonical content's sha256 (what publishing
    compares), and the plain data it holds."""

    source: str
    sha256: str
    data: dict[str, Any]


@dataclass(frozen=True)
class Problem:
    path: PathParts
    message: str
    at_key: bool = False  # point at the key (an unknown or duplicate field) rather than its value


def pointer(path: Iterable[Part]) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def located(message: str, mark: yaml.Mark | None = None, field: str = "") -> LocatedFieldError:
    if mark is None:
        return LocatedFieldError(field, message)
    return LocatedFieldError(field, message, mark.line + 1, mark.column + 1)


def raise_if_any(
    errors: Sequence[LocatedFieldError], invalid: type[DefinitionInvalid] = DefinitionInvalid
) -> None:
    if errors:
        raise invalid(errors)


class Locator:
    """Maps a path in the parsed document to the YAML node it came from."""

    def __init__(self, root: yaml.Node) -> None:
        self.root = root

    def problems(self, problems: Iterable[Problem]) -> list[LocatedFieldError]:
        return [located(p.message, self.mark(p.path, p.at_key), pointer(p.path)) for p in problems]

    def mark(self, path: PathParts, at_key: bool = False) -> yaml.Mark:
        """Where ``path`` starts, or the deepest existing node on the way (a missing field: its parent)."""
        node = self.root
        for index, part in enumerate(path):
            pair = self._child(node, part)
            if pair is None:
                break
            key, node = pair
            if at_key and index == len(path) - 1 and key is not None:
                return key.start_mark
        return node.start_mark

    @staticmethod
    def _child(node: yaml.Node, part: Part) -> tuple[yaml.Node | None, yaml.Node] | None:
        if isinstance(node, yaml.MappingNode):
            # The last occurrence wins, as when the mapping was constructed (merge keys come first).
            for key, value in reversed(node.value):
                if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                    return key, value
        elif isinstance(node, yaml.SequenceNode) and str(part).isdigit() and int(part) < len(node.value):
            return None, node.value[int(part)]
        return None


# -- size, encoding and YAML ------------------------------------------------------------------------


def decode(source: str | bytes, limits: SourceLimits) -> str:
    """The text of ``source`` within the format's size (counted in UTF-8 bytes), without a BOM."""
    raw = source.encode("utf-8", "surrogatepass") if isinstance(source, str) else source
    if len(raw) > limits.max_bytes:
        message = f"the {limits.kind} is {len(raw)} bytes; the limit is {limits.max_bytes}"
        raise limits.invalid([LocatedFieldError("", message, 1, 1)])
    if isinstance(source, str):
        return source.removeprefix("\ufeff")
    try:
        return source.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = source[: exc.start].decode("utf-8", "replace")
        line, column = position(before, len(before))
        message = f"not UTF-8: byte 0x{source[exc.start]:02x} is invalid here"
        raise limits.invalid([LocatedFieldError("", message, line, column)]) from None


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


class _Loader(_SafeLoader):
    """Safe YAML whose unquoted dates stay strings: the formats are JSON data, and an instant is text."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _SafeLoader.yaml_implicit_resolvers.items()
}


def load(text: str, limits: SourceLimits) -> tuple[yaml.Node, dict[str, Any]]:
    """The YAML document as nodes (for places) and plain data, within the node and depth limits."""
    try:
        root, data = _read_yaml(text, limits)
    except yaml.YAMLError as exc:
        raise limits.invalid([_yaml_problem(exc, text)]) from None
    except RecursionError:
        raise limits.invalid([LocatedFieldError("", "invalid YAML: nested too deeply", 1, 1)]) from None
    if not isinstance(data, dict):
        message = f"the {limits.kind} must be a mapping ({limits.fields})"
        raise limits.invalid([located(message, root.start_mark)])
    raise_if_any(Locator(root).problems(_plain_data_problems(data, ())), limits.invalid)
    return root, data


_NODE_EVENTS = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent, yaml.AliasEvent)


def _too_large(limits: SourceLimits) -> str:
    return f"too large: more than {limits.max_nodes} YAML nodes (aliases count each use)"


def _count_nodes(text: str, limits: SourceLimits) -> None:
    """Stops at the first node over the limit while reading events: building a node tree of a 1 MB list
    takes seconds, reading its first 20,000 events milliseconds."""
    loader = _Loader(text)
    try:
        count = 0
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, _NODE_EVENTS):
                count += 1
                if count > limits.max_nodes:
                    mark = event.start_mark  # the C reader's mark has the same line and column
                    at = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
                    raise limits.invalid([LocatedFieldError("", _too_large(limits), *at)])
    finally:
        loader.dispose()


def _read_yaml(text: str, limits: SourceLimits) -> tuple[yaml.Node, Any]:
    _count_nodes(text, limits)
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            raise limits.invalid([LocatedFieldError("", f"the {limits.kind} is empty", 1, 1)])
        raise_if_any(_node_problems(root, limits), limits.invalid)
        return root, loader.construct_document(root)
    finally:
        loader.dispose()


def _yaml_problem(exc: yaml.YAMLError, text: str) -> LocatedFieldError:
    if isinstance(exc, yaml.MarkedYAMLError):
        context = exc.context or ""
        start, at = exc.context_mark, exc.problem_mark
        if context and start and at and (start.line, start.column) != (at.line, at.column):
            context += f" (from line {start.line + 1}, column {start.column + 1})"
        problem = ": ".join(part for part in (context, exc.problem) if part) or "cannot be read"
        return located(f"invalid YAML: {problem}", exc.problem_mark or exc.context_mark)
    if isinstance(exc, yaml.reader.ReaderError):
        line, column = position(text, exc.position)
        return LocatedFieldError("", f"invalid YAML: {exc.reason} (#x{exc.character:04x})", line, column)
    return LocatedFieldError("", f"invalid YAML: {exc}", 1, 1)


def _node_problems(root: yaml.Node, limits: SourceLimits) -> list[LocatedFieldError]:
    """Size and shape limits before anything is built: aliases are counted each time they are used, keys
    must be unique strings."""
    count = 0
    checked: set[int] = set()
    problems: list[LocatedFieldError] = []
    stack: list[tuple[yaml.Node, PathParts]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        count += 1
        if count > limits.max_nodes:
            return [located(_too_large(limits), root.start_mark)]
        if len(path) > limits.max_depth:
            message = f"nested more than {limits.max_depth} levels deep"
            return [located(message, node.start_mark, pointer(path))]
        if isinstance(node, yaml.MappingNode):
            if id(node) not in checked:
                checked.add(id(node))
                problems += _key_problems(node, path)
            for key, value in reversed(node.value):
                stack += [(value, (*path, str(key.value))), (key, path)]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(child, (*path, index)) for index, child in reversed(list(enumerate(node.value)))]
    return problems


def _key_problems(node: yaml.MappingNode, path: PathParts) -> list[LocatedFieldError]:
    seen: set[str] = set()
    problems = []
    for key, _ in node.value:
        if key.tag == "tag:yaml.org,2002:merge":
            continue
        if not (isinstance(key, yaml.ScalarNode) and key.tag == "tag:yaml.org,2002:str"):
            problems.append(located("a key must be a string; quote it", key.start_mark, pointer(path)))
        elif key.value in seen:
            field = pointer((*path, key.value))
            problems.append(located(f"duplicate key '{key.value}'", key.start_mark, field))
        else:
            seen.add(key.value)
    return problems


def _plain_data_problems(value: Any, path: PathParts) -> Iterator[Problem]:
    """JSON data only: explicit YAML tags (!!binary, !!set, !!timestamp…) and NaN have no JSON form."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _plain_data_problems(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _plain_data_problems(item, (*path, index))
    elif isinstance(value, float) and not math.isfinite(value):
        yield Problem(path, "not a finite number")
    elif value is not None and not isinstance(value, str | int | float):
        message = f"not plain data (a {type(value).__name__}); use a string, number, list or mapping"
        yield Problem(path, message)
