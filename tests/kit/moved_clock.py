"""A moved clock for the subprocesses the tests start (runner.py, scheduler.py): with
TEST_CLOCK_FILE set, the project's one clock (`engine.store.fields.utc_now`) reads the time the
file names instead of the machine's, and goes on from there in real time.

The file holds an ISO datetime and is read again whenever it changes, so a test moves the clock
of a running bot by writing it (`tests.kit.clock.MovedClock`).
"""

from __future__ import annotations

import datetime as dt
import importlib.abc
import importlib.machinery
import os
import sys
from types import ModuleType
from typing import Any

TARGET = "engine.store.fields"


class _Moved:
    def __init__(self, path: str) -> None:
        self.path = path
        self.stamp = -1.0
        self.offset = dt.timedelta(0)

    def __call__(self) -> dt.datetime:
        real = dt.datetime.now(dt.UTC)
        try:
            stamp = os.stat(self.path).st_mtime
        except OSError:
            return real + self.offset
        if stamp != self.stamp:
            with open(self.path, encoding="utf-8") as file:
                named = dt.datetime.fromisoformat(file.read().strip())
            written = dt.datetime.fromtimestamp(stamp, dt.UTC)
            self.offset = named - written
            self.stamp = stamp
        return real + self.offset


class _Finder(importlib.abc.MetaPathFinder):
    """Patches the clock the moment its module has loaded, before anything imports it."""

    def __init__(self, clock: _Moved) -> None:
        self.clock = clock

    def find_spec(self, name: str, path: Any, target: ModuleType | None = None) -> Any:
        if name != TARGET:
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        original = loader.exec_module  # type: ignore[attr-defined]

        def exec_module(module: ModuleType) -> None:
            original(module)
            module.utc_now = self.clock  # type: ignore[attr-defined]

        loader.exec_module = exec_module  # type: ignore[attr-defined,method-assign]
        return spec


def install() -> None:
    path = os.environ.get("TEST_CLOCK_FILE")
    if path:
        sys.meta_path.insert(0, _Finder(_Moved(path)))
