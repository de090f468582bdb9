"""Templates and inline texts checked before they run: Jinja syntax (per-locale overrides
included), the names and attributes they read, HTML that Telegram accepts, and a template that
shows nothing (Telegram refuses an empty message)."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, TemplateSyntaxError, nodes

from engine.flows.lint_html import html_problems, without_jinja
from engine.flows.lint_names import Names, unknown_names
from engine.flows.parse import Problem
from engine.flows.spec import FlowSpec, Where

SUFFIX = ".j2"


@dataclass(frozen=True)
class TemplateNames:
    """What one template is rendered with: the participant's variables (`turn`) or not, and
    the extra names the code passes in."""

    turn: bool = True
    extra: Names | None = None


@dataclass(frozen=True)
class TemplateInputs:
    environment: Environment
    templates_dir: Path
    display_root: Path
    locales: Collection[str]
    turn_names: Names
    declared: Mapping[str, TemplateNames]
    # False while a flow file cannot be read: the names templates read come from the flows
    check_names: bool = True


def lint_templates(inputs: TemplateInputs) -> Iterator[Problem]:
    """Every `.j2` file under the templates directory."""
    files = sorted(inputs.templates_dir.rglob(f"*{SUFFIX}"))
    trees: dict[Path, nodes.Template] = {}
    for path in files:
        where_path = _display(path, inputs.display_root)
        source = path.read_text(encoding="utf-8")
        try:
            inputs.environment.compile(source, name=path.name, filename=str(path))
            trees[path] = inputs.environment.parse(source)
        except TemplateSyntaxError as error:
            yield Problem(Where(where_path, error.lineno or 1),
                          f"template syntax: {error.message}")
            continue
        for line, message in html_problems(without_jinja(source)):
            yield Problem(Where(where_path, line), message)
        if not _shows_something(trees[path]):
            yield Problem(Where(where_path, 1), "the template shows nothing: Telegram refuses "
                                                "an empty message, so nobody would get it")
    if not inputs.check_names:
        return
    included = _included_bindings(trees)
    for path, tree in trees.items():
        name = _template_name(path, inputs)
        names = dict(_names_for(name, inputs))
        allow = included.get(path.name, set())
        for unknown in unknown_names(tree, names, allow=allow):
            yield Problem(Where(_display(path, inputs.display_root), unknown.line),
                          f"the template {unknown.message}")


def lint_inline_texts(spec: FlowSpec, environment: Environment,
                      names: Names) -> Iterator[Problem]:
    """Inline `text:` of states and questions, and button labels: they are Jinja templates too
    (labels are plain text, not HTML)."""
    for state in spec.states.values():
        sources = [(text.inline, text.where, "text") for text in
                   (state.message, state.ask.prompt if state.ask else None)
                   if text is not None and text.inline is not None]
        sources.extend((button.label, button.where, "label") for button in state.buttons
                       if button.label)
        for source, where, kind in sources:
            try:
                environment.compile(source)
                tree = environment.parse(source)
            except TemplateSyntaxError as error:
                yield Problem(where, f"{kind} {source!r}: {error.message}")
                continue
            for unknown in unknown_names(tree, names, what=""):
                yield Problem(where, f"{kind} {source!r} {unknown.message}")
            if kind == "text":
                for _line, message in html_problems(without_jinja(source)):
                    yield Problem(where, f"{kind} {source!r}: {message}")


def _shows_something(tree: nodes.Template) -> bool:
    """Whether a template has anything to show: text that is not blank, an expression, a
    translated text or an included template."""
    for output in tree.find_all(nodes.Output):
        for child in output.nodes:
            if not isinstance(child, nodes.TemplateData) or child.data.strip():
                return True
    return any(True for _include in tree.find_all(nodes.Include))


def _names_for(name: str, inputs: TemplateInputs) -> Names:
    declared = inputs.declared.get(name, TemplateNames())
    base: dict[str, Any] = {key: None for key in inputs.environment.globals}
    if declared.turn:
        base.update(inputs.turn_names)
    base.update(declared.extra or {})
    return base


def _template_name(path: Path, inputs: TemplateInputs) -> str:
    relative = path.relative_to(inputs.templates_dir).with_suffix("")
    parts = relative.parts
    if len(parts) > 1 and parts[0] in inputs.locales:
        parts = parts[1:]
    return "/".join(parts)


def _included_bindings(trees: Mapping[Path, nodes.Template]) -> dict[str, set[str]]:
    """For each included file, the names its includers bind (an included template reads the
    includer's loop variables and `{% set %}` names)."""
    bound: dict[str, set[str]] = {}
    for tree in trees.values():
        stores = {name.name for name in tree.find_all(nodes.Name) if name.ctx == "store"}
        for include in tree.find_all(nodes.Include):
            if isinstance(include.template, nodes.Const):
                bound.setdefault(str(include.template.value), set()).update(stores)
    return bound


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)
