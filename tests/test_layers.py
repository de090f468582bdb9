"""Dependencies point down: no module imports a layer above its own, nor another package's
private module (one its package's `__all__` does not list)."""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path

from engine.settings import PROJECT_ROOT

# Lowest first. A package may import its own modules and any layer of a lower rank; packages of
# the same rank do not import each other. The engine (ranks below 10) knows no application:
# every layer of `coffee`, the Random Coffee application, ranks above every layer of `engine`.
RANKS = {
    "engine.store": 0, "engine.settings": 0,
    "engine.flows": 1, "engine.render": 1,
    "engine.dialog": 2,
    "engine.delivery": 3,
    "engine.transports": 4, "engine.assembly": 4,
    "engine.run": 5, "engine.preview": 5,
    "coffee.bot_settings": 10, "coffee.models": 10, "coffee.matching": 10,
    "coffee.migrations": 11, "coffee.cycle": 11,
    "coffee.organizers": 12,
    "coffee.admin": 13, "coffee.panel": 13,
    "coffee.app": 14,
    "coffee.preview": 15,
    "runner": 20, "scheduler": 20,
}
PACKAGES = ("engine", "coffee")


def owner(module: str) -> str | None:
    """The layer a dotted module name belongs to."""
    for name in sorted(RANKS, key=len, reverse=True):
        if module == name or module.startswith(name + "."):
            return name
    return None


def sources() -> Iterator[tuple[str, Path]]:
    for package in PACKAGES:
        for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
            parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
            if parts == (package, "__init__"):
                continue  # a root package only names what it is
            yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path
    for name in ("runner", "scheduler"):
        yield name, PROJECT_ROOT / f"{name}.py"


def imports(path: Path) -> Iterator[tuple[int, str, list[str]]]:
    """(line, module, names) of every import of the project's packages in a file, nested ones
    included."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in PACKAGES:
                    yield node.lineno, alias.name, []
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and \
                node.module.split(".")[0] in PACKAGES:
            yield node.lineno, node.module, [alias.name for alias in node.names]


def problems_of(module: str, path: Path) -> Iterator[str]:
    importer = owner(module)
    where = str(path.relative_to(PROJECT_ROOT)) if path.is_relative_to(PROJECT_ROOT) else path.name
    if importer is None:
        yield f"{where}: {module} belongs to no layer; add its package to RANKS in {__file__}"
        return
    for line, imported, names in imports(path):
        layer = owner(imported)
        if layer is None or layer == importer:
            continue
        if RANKS[layer] >= RANKS[importer]:
            yield (f"{where}:{line}: {importer} imports {imported}, a layer at or above its own "
                   f"({layer}); pass what it needs down instead")
            continue
        package = importlib.import_module(layer)
        public = getattr(package, "__all__", None)
        if public is None or (imported == layer and not names):
            continue
        if imported == layer:
            hidden = [name for name in names if name not in public]
        else:
            hidden = [] if imported[len(layer) + 1:].split(".")[0] in public else [imported]
        if hidden:
            yield (f"{where}:{line}: {', '.join(hidden)} is private to {layer} "
                   f"(public: {', '.join(public)})")


def test_dependencies_point_down_to_public_modules() -> None:
    problems = [problem for module, path in sources() for problem in problems_of(module, path)]
    assert problems == [], "\n".join(problems)


def test_the_check_sees_a_layer_above_and_a_private_module(tmp_path: Path) -> None:
    upward = tmp_path / "upward.py"
    upward.write_text("from coffee.app import build_bot\n"
                      "from coffee.cycle.schedule import Schedule\n"
                      "from engine.dialog.session import Frame\n"
                      "from engine.store import User\n", encoding="utf-8")
    found = list(problems_of("coffee.cycle.upward", upward))
    assert len(found) == 2, found
    assert "coffee.cycle imports coffee.app, a layer at or above its own" in found[0]
    assert "engine.dialog.session is private to engine.dialog" in found[1]


def test_the_engine_may_not_import_the_application(tmp_path: Path) -> None:
    transport = tmp_path / "transport.py"
    transport.write_text("import coffee.cycle.rounds\n"
                         "from coffee.organizers import ban\n", encoding="utf-8")
    found = list(problems_of("engine.transports.telegram", transport))
    assert len(found) == 2, found
    assert "engine.transports imports coffee.cycle.rounds, a layer at or above" in found[0]
    assert "engine.transports imports coffee.organizers, a layer at or above" in found[1]


def test_the_examples_use_the_engine_alone() -> None:
    """A bot in examples/ is built on the engine only: nothing of the Random Coffee application."""
    found = [f"{path.relative_to(PROJECT_ROOT)}:{line}: {module}"
             for path in sorted((PROJECT_ROOT / "examples").rglob("*.py"))
             for line, module, _names in imports(path) if module.split(".")[0] != "engine"]
    assert found == []
