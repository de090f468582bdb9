"""A Babel extractor for flow files, so `pybabel extract` collects their inline texts.

Registered as the `flows` extraction method (see pyproject.toml); `babel.cfg` maps
`flows/**.yaml` to it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from engine.flows.parse import parse_flow_text
from engine.flows.texts import flow_texts


def extract_flows(fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Collection[str],
                  options: Mapping[str, Any]) -> Iterator[tuple[int, str, str, list[str]]]:
    """Yield (line, function, msgid, comments) for every translatable text in one flow file."""
    name = getattr(fileobj, "name", "flow.yaml")
    text = fileobj.read().decode(options.get("encoding", "utf-8"))
    spec, _problems = parse_flow_text(text, str(name), Path(str(name)).stem)
    if spec is None:
        return
    for msgid, where in flow_texts(spec):
        yield where.line, "gettext", msgid, []
