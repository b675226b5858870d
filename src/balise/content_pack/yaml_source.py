"""Read YAML with the line of every mapping and of every key, so each problem can say where.

PyYAML's C parser does the reading; only the construction of mappings is ours, to remember
`node.start_mark.line + 1` for the mapping and for each of its keys.
"""

from __future__ import annotations

from pathlib import Path

import yaml

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineMap(dict):
    """A YAML mapping that remembers its own line and the line of each key (1-based)."""

    __slots__ = ("duplicate_keys", "key_lines", "line")

    def __init__(self, line: int):
        super().__init__()
        self.line = line
        self.key_lines: dict[object, int] = {}
        self.duplicate_keys: list[tuple[object, int]] = []

    def line_of(self, key: object) -> int:
        return self.key_lines.get(key, self.line)


class _LineLoader(_BaseLoader):
    pass


def _construct_line_map(loader: yaml.SafeLoader, node: yaml.MappingNode) -> LineMap:
    loader.flatten_mapping(node)
    mapping = LineMap(node.start_mark.line + 1)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        key_line = key_node.start_mark.line + 1
        if key in mapping:
            # PyYAML would silently keep the last one; a writer wants to know.
            mapping.duplicate_keys.append((key, key_line))
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_line
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_line_map)


def read_yaml(path: Path) -> object:
    """Parse one YAML file; mappings come back as `LineMap`. Raises yaml.YAMLError."""
    with open(path, "rb") as stream:
        return yaml.load(stream, Loader=_LineLoader)  # a SafeLoader subclass


def yaml_error_line(error: yaml.YAMLError) -> int | None:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    return mark.line + 1 if mark is not None else None
