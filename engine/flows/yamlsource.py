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
                    None, None, f"'{key}' appears twice in one mapping", key_node.start_mark
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
    """Parse YAML text into Located/LocatedList values; raise YamlError with file:line."""
    try:
        return yaml.load(text, Loader=_LocatingLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        problem = error.problem or error.context or "invalid YAML"
        raise YamlError(name, line, f"invalid YAML: {problem}") from error
    except yaml.YAMLError as error:
        raise YamlError(name, 1, f"invalid YAML: {error}") from error
