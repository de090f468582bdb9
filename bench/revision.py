"""Checkouts a benchmark runs the bot from: this one, or an earlier revision built in a
temporary git worktree with a virtualenv of its own (its own pyproject's dependencies, the
PostgreSQL driver included when it names one), removed on exit.

    with built("b02050e") as earlier:          # Tree(name="b02050e", root=..., python=...)
        ...
    this_checkout()                            # Tree(name="4f1c2d3+", ...): "+" for edits
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Tree:
    """A checkout with an interpreter that has its dependencies."""

    name: str  # how a report names it: a short commit id
    root: Path
    python: str


def this_checkout() -> Tree:
    """The checkout this script runs from, with this interpreter; named by its commit, with a
    "+" when files differ from it."""
    name = _git("describe", "--always", "--abbrev=7", "--dirty=+", "--exclude=*")
    return Tree(name, REPO_ROOT, sys.executable)


@contextmanager
def built(revision: str) -> Iterator[Tree]:
    """`revision` checked out in a temporary worktree with its dependencies installed in a
    virtualenv of its own; both removed on exit."""
    commit = _git("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    with tempfile.TemporaryDirectory(prefix="bench-revision-") as folder:
        root = Path(folder) / "tree"
        _git("worktree", "add", "--detach", "--quiet", str(root), commit)
        try:
            print(f"building {revision} ({commit[:7]}) in a worktree of its own...", flush=True)
            _run([sys.executable, "-m", "venv", str(root / ".venv")])
            python = str(root / ".venv" / "bin" / "python")
            # An extra a revision does not define is only warned about.
            _run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                  "-e", f"{root}[postgres]"])
            yield Tree(_git("rev-parse", "--short=7", commit), root, python)
        finally:
            _git("worktree", "remove", "--force", str(root))


def _git(*args: str) -> str:
    return _run(["git", "-C", str(REPO_ROOT), *args]).strip()


def _run(command: list[str]) -> str:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    return done.stdout
