"""The names and attributes a template or `when:` expression reads, checked against what the
engine provides (`invitation.opne` -> did you mean `open`?)."""

from __future__ import annotations

import dataclasses
import difflib
import typing
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import nodes

# Methods a template may call on any mapping it is given.
MAPPING_METHODS = frozenset({"get", "items", "keys", "values"})


@dataclass(frozen=True)
class Shape:
    """What can be read from a value: its attributes (None: anything) and its items' shape."""

    attributes: Mapping[str, Shape | None] | None = None
    item: Shape | None = None
    mapping: bool = False
    # why an attribute may be missing, said after "there is no 'x'" ({name}: the attribute)
    missing: str | None = None

    @classmethod
    def of_keys(cls, keys: Collection[str], missing: str | None = None) -> Shape:
        """A mapping with these keys, each holding anything."""
        return cls({key: None for key in keys}, mapping=True, missing=missing)


Names = Mapping[str, "Shape | None"]


def shape_of(annotation: Any) -> Shape | None:
    """The shape of a type: a dataclass's fields and properties, a list's items; None (anything)
    for everything else."""
    origin = typing.get_origin(annotation)
    if origin in (list, tuple, Collection, typing.Sequence) or (
            origin is not None and getattr(origin, "__name__", "") in ("Sequence", "Iterable")):
        args = [arg for arg in typing.get_args(annotation) if arg is not Ellipsis]
        return Shape(item=shape_of(args[0]) if args else None)
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        hints = typing.get_type_hints(annotation)
        attributes: dict[str, Shape | None] = {
            item.name: shape_of(hints.get(item.name)) for item in dataclasses.fields(annotation)}
        for name, member in vars(annotation).items():
            if isinstance(member, property) and member.fget is not None:
                attributes[name] = shape_of(_return_hint(member.fget))
        return Shape(attributes)
    return None


def returned_shape(function: Callable[..., Any]) -> Shape | None:
    """The shape of what a registered variable returns, from its annotation."""
    return shape_of(_return_hint(function))


def _return_hint(function: Callable[..., Any]) -> Any:
    try:
        return typing.get_type_hints(function).get("return")
    except (NameError, TypeError):
        return None


@dataclass
class Unknown:
    """One name or attribute that is not provided, with the line of the template it is on."""

    line: int
    message: str


@dataclass
class _Scope:
    names: dict[str, Shape | None]


def unknown_names(tree: nodes.Template, names: Names, *, allow: Collection[str] = (),
                  what: str = "") -> Iterator[Unknown]:
    """Every top-level name and attribute `tree` reads that `names` does not provide.

    Names the template binds itself (`{% set %}`, loop variables, macros) are followed: a loop
    over `questions` gives its variable the shape of one question row.
    """
    scope = _Scope(dict(names))
    for name in allow:
        scope.names.setdefault(name, None)
    yield from _walk(tree, scope, what)


def _walk(node: nodes.Node, scope: _Scope, what: str) -> Iterator[Unknown]:
    if isinstance(node, nodes.For):
        yield from _walk(node.iter, scope, what)
        item = _resolve_quiet(node.iter, scope)
        inner = _Scope({**scope.names, "loop": None})
        _bind(node.target, inner, item.item if item else None)
        for child in (*node.body, *node.else_, *([node.test] if node.test else [])):
            yield from _walk(child, inner, what)
        return
    if isinstance(node, nodes.Assign | nodes.AssignBlock):
        if isinstance(node, nodes.Assign):
            yield from _walk(node.node, scope, what)
        else:
            for child in node.body:
                yield from _walk(child, scope, what)
        _bind(node.target, scope, None)
        return
    if isinstance(node, nodes.Macro | nodes.CallBlock):
        inner = _Scope({**scope.names, **{arg.name: None for arg in node.args},
                        "caller": None, "varargs": None, "kwargs": None})
        for child in node.body:
            yield from _walk(child, inner, what)
        if isinstance(node, nodes.Macro):
            scope.names[node.name] = None
        return
    if isinstance(node, nodes.Name) and node.ctx == "load":
        if node.name not in scope.names:
            close = _closest(node.name, scope.names)
            yield Unknown(node.lineno, f"{what}reads '{node.name}', which is not provided"
                          + (f"; did you mean '{close}'?" if close else
                             f" (provided: {', '.join(sorted(scope.names))})"))
        return
    if isinstance(node, nodes.Getattr):
        yield from _walk(node.node, scope, what)
        base = _resolve_quiet(node.node, scope)
        if base is not None and base.attributes is not None and node.attr not in \
                base.attributes and not (base.mapping and node.attr in MAPPING_METHODS):
            close = _closest(node.attr, base.attributes)
            path = _path(node)
            why = f": {base.missing.format(name=node.attr)}" if base.missing else ""
            yield Unknown(node.lineno, f"{what}reads '{path}': there is no '{node.attr}'{why}"
                          + (f"; did you mean '{close}'?" if close else
                             f" (there are: {', '.join(sorted(base.attributes))})"))
        return
    for child in node.iter_child_nodes():
        yield from _walk(child, scope, what)


def _bind(target: nodes.Node, scope: _Scope, shape: Shape | None) -> None:
    if isinstance(target, nodes.Name):
        scope.names[target.name] = shape
    elif isinstance(target, nodes.Tuple):
        for item in target.items:
            _bind(item, scope, None)


def _resolve_quiet(node: nodes.Node, scope: _Scope) -> Shape | None:
    """The shape of an expression, None when it cannot be told (anything goes then)."""
    if isinstance(node, nodes.Name):
        return scope.names.get(node.name)
    if isinstance(node, nodes.Getattr):
        base = _resolve_quiet(node.node, scope)
        if base is None or base.attributes is None:
            return None
        return base.attributes.get(node.attr)
    if isinstance(node, nodes.Getitem):
        base = _resolve_quiet(node.node, scope)
        if base is None:
            return None
        if base.item is not None:
            return base.item
        key = node.arg
        if base.attributes is not None and isinstance(key, nodes.Const) and \
                isinstance(key.value, str):
            return base.attributes.get(key.value)
    return None


def _path(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_path(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        arg = node.arg.value if isinstance(node.arg, nodes.Const) else "..."
        return f"{_path(node.node)}[{arg!r}]" if isinstance(arg, str) else \
            f"{_path(node.node)}[{arg}]"
    return "..."


def _closest(name: str, candidates: Collection[str]) -> str | None:
    matches = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None
