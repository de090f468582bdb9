"""All flows of a bot, read from a directory of YAML files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from engine.flows.parse import Problem, parse_flow
from engine.flows.spec import FlowSpec, StateSpec, Where


@dataclass
class FlowLibrary:
    """The parsed flows by name, the command that enters each, and what went wrong reading them
    (`unreadable`: the names of the files that could not be read as a flow at all)."""

    flows: dict[str, FlowSpec] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, directory: Path, display_root: Path | None = None) -> FlowLibrary:
        """Read every `*.yaml` in `directory`; paths in messages are relative to `display_root`."""
        library = cls()
        files = sorted(directory.glob("*.yaml"))
        if not files:
            library.problems.append(Problem(Where(str(directory), 1), "no flow files (*.yaml)"))
        for path in files:
            display = _display_path(path, display_root)
            spec, problems = parse_flow(path, display)
            library.problems.extend(problems)
            if spec is not None:
                library.flows[spec.name] = spec
            else:
                library.unreadable.append(path.stem)
        library._check_commands()
        return library

    def _check_commands(self) -> None:
        seen: dict[str, FlowSpec] = {}
        for spec in self.flows.values():
            if spec.command is None:
                continue
            if spec.command in seen:
                self.problems.append(Problem(
                    spec.where, f"command /{spec.command} already enters flow "
                                f"'{seen[spec.command].name}' ({seen[spec.command].path})"))
            else:
                seen[spec.command] = spec

    def by_command(self, command: str) -> FlowSpec | None:
        return next((spec for spec in self.flows.values() if spec.command == command), None)

    def state(self, flow: str, state: str) -> StateSpec | None:
        spec = self.flows.get(flow)
        return spec.states.get(state) if spec else None


def _display_path(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return str(path.resolve().relative_to(root.resolve()))
        except ValueError:
            pass
    return str(path)
