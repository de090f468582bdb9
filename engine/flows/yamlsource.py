"""Load YAML keeping the line of every mapping and key, so flow errors can say file:line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class Located(dict):
    """A YAML mapping that remembers where it and each of its keys stand in the file."""

    line: int
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        """The line of `key`, or of the mapping itself when the key is absent."""
        return self.key_lines.get(key, self.line)


class LocatedList(list):
    """A YAML sequence that remembers the line each item starts on."""

    line: int
    item_lines: list[int]


class YamlError(Exception):
    """A file that is not valid YAML, with the line the parser stopped on."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message


class _LocatingLoader(yaml.SafeLoader):
    """PyYAML's safe loader, building Located/LocatedList from the composed nodes' marks."""

    def construct_located_mapping(self, node: yaml.MappingNode) -> Located:
        mapping = Located()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        self.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool):
                raise yaml.constructor.ConstructorError(
                    None, None, "a key must be a plain word", key_node.start_mark
                )
            key = str(key)
            if key in mapping:
                raise yaml.constructor.ConstructorError(
                    None, None, f"'{key}' appears twice in the same block: rename or remove "
                    "one of them", key_node.start_mark
                )
            mapping[key] = self.construct_object(value_node, deep=True)
            mapping.key_lines[key] = key_node.start_mark.line + 1
        return mapping

    def construct_located_sequence(self, node: yaml.SequenceNode) -> LocatedList:
        items = LocatedList(self.construct_object(child, deep=True) for child in node.value)
        items.line = node.start_mark.line + 1
        items.item_lines = [child.start_mark.line + 1 for child in node.value]
        return items


_LocatingLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LocatingLoader.construct_located_mapping
)
_LocatingLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _LocatingLoader.construct_located_sequence
)


def read_source(path: Path, display_name: str) -> str:
    """A flow file's text; raise YamlError when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise YamlError(display_name, 1, f"cannot read the file: {error}") from error


def load_located(text: str, name: str) -> Any:
    """Parse YAML text into Located/LocatedList values; raise YamlError with file:line and
    the mistake in plain words, the line quoted."""
    try:
        return yaml.load(text, Loader=_LocatingLoader)
    except yaml.MarkedYAMLError as error:
        line, message = _plain(error, text.splitlines())
        raise YamlError(name, line, message) from error
    except yaml.YAMLError as error:
        raise YamlError(name, 1, f"the file cannot be read as YAML: {error}") from error


def _plain(error: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, str]:
    """(line, message) for what PyYAML stopped at, in words an organizer reads."""
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark else 1
    problem = error.problem or error.context or ""
    before = _previous(lines, line)
    if "cannot start any token" in problem and "\\t" in problem:
        return line, _shown(lines, line, f"line {line} is indented with a tab: indent with "
                                          "spaces only")
    if "cannot start any token" in problem:
        character = problem.split("'")[1] if problem.count("'") >= 2 else problem
        return line, _shown(lines, line, f"line {line} has a text starting with {character}, "
                                         "which YAML reserves: put the text in quotes")
    if "end of stream" in problem and error.context_mark is not None and "quoted" in (
            error.context or ""):
        opened = error.context_mark.line + 1
        return opened, _shown(lines, opened, f"the quote opened on line {opened} is never "
                                             "closed")
    if "unknown escape character" in problem:
        return line, _shown(lines, line, f"line {line} has a backslash that double quotes do "
                                         "not allow: write \\\\ for one, or use single quotes")
    if "unhashable key" in problem or "a key must be a plain word" in problem:
        return line, _shown(lines, line, f"line {line} has a value starting with {{ that YAML "
                                         "reads as a mapping: put the text in quotes")
    if problem == "mapping values are not allowed here" and mark is not None and \
            ":" in lines[line - 1][:mark.column]:
        return line, _shown(lines, line, f"line {line} has ': ' inside a value: put the value "
                                         "in quotes")
    if problem == "mapping values are not allowed here" or "<block mapping start>" in problem \
            or "<block sequence start>" in problem:
        return _indentation(lines, line, before)
    if "but found '-'" in problem:
        return line, _shown(lines, line, f"line {line} starts a list item among keys: a list "
                                         "goes under a key of its own, indented more")
    unclosed = _open_quote(lines, line)
    if unclosed is not None and ("'<scalar>'" in problem or "expected ':'" in problem):
        return unclosed, _shown(lines, unclosed, f"the quote opened on line {unclosed} is "
                                                 "never closed")
    if "but found '<scalar>'" in problem:
        return line, _shown(lines, line, f"line {line} goes on after its value ends (a quote "
                                         "inside single quotes is written twice: 'it''s')")
    if "could not find expected ':'" in problem:
        return before or line, _shown(lines, before or line, f"line {before or line} has no "
                                                             "':' after its key")
    if "did not find expected" in problem:
        return line, _shown(lines, line, f"line {line} does not line up with the lines above it")
    if "appears twice" in problem:
        return line, _shown(lines, line, f"line {line}: {problem}")
    if ("expected ',' or ']'" in problem or "expected ',' or '}'" in problem) and \
            error.context_mark is not None:
        opened = error.context_mark.line + 1
        bracket = "[" if "']'" in problem else "{"
        return opened, _shown(lines, opened, f"the {bracket} on line {opened} starts a list "
                                             "written on one line, and it does not end: "
                                             f"remove the {bracket} or close it")
    if "undefined alias" in problem:
        return line, _shown(lines, line, f"line {line} has a value starting with *, which YAML "
                                         "reads as a reference: put the text in quotes")
    return line, _shown(lines, line, f"YAML cannot read line {line} ({problem})")


def _indentation(lines: list[str], line: int, before: int | None) -> tuple[int, str]:
    """A line that does not fit where it is: indented more than the line above it, less
    without lining up with a line before, or a `key: value` inside a value."""
    indent = _indent(lines, line)
    if before is not None:
        above = _indent(lines, before)
        if indent > above:
            return line, _shown(lines, line, f"line {line} is indented more than the line "
                                             "above it")
        if indent < above:
            return line, _shown(lines, line, f"line {line} is indented less than the line "
                                             "above it, but not as far as any key before it")
        if ":" not in lines[before - 1].split("#")[0]:
            return before, _shown(lines, before, f"line {before} has no ':' after its key")
    return line, _shown(lines, line, f"line {line} does not line up with the lines above it")


def _open_quote(lines: list[str], line: int) -> int | None:
    """The nearest line above `line` that opens a double quote and does not close it (YAML
    reads on to the next quote, lines later, and stops where that makes no sense)."""
    for number in range(line - 1, 0, -1):
        text = lines[number - 1].replace('\\"', "")
        if text.count('"') % 2:
            return number
    return None


def _previous(lines: list[str], line: int) -> int | None:
    """The nearest line above `line` with something on it."""
    for number in range(line - 1, 0, -1):
        text = lines[number - 1].strip() if number <= len(lines) else ""
        if text and not text.startswith("#"):
            return number
    return None


def _indent(lines: list[str], line: int) -> int:
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return len(text) - len(text.lstrip(" "))


def _shown(lines: list[str], line: int, message: str) -> str:
    """The message, then the line itself as the editor shows it."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return f"{message}:\n    {line} | {text}"
