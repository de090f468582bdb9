"""What the explorer found, each replayed from the steps it printed: they pass since the
defect was fixed."""

from __future__ import annotations

from tests.kit.explorer import World, replay
