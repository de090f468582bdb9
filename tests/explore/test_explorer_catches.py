"""The explorer is no test that cannot fail: deliberately broken edits make it fail, with the
steps that show the defect, and those steps replay it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from coffee.app import build_bot
from engine.dialog.navigator import Navigator
from engine.dialog.session import Frame
from engine.dialog.turn import Turn
from tests.kit.clock import Clock
from tests.kit.explorer import ORGANIZER_IDS, Explorer, Found, World
from tests.kit.settings import settings_for
from tests.kit.workspace import Workspace

BUDGET = 60.0  # seconds; each defect below is found within a few


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path / "bot")


@pytest.fixture
def world_of(clock: Clock) -> Iterator[Callable[[Workspace], World]]:
    """A world on a workspace's flows and templates, as the test edited them."""
    worlds: list[World] = []

    def build(workspace: Workspace) -> World:
        admins = ",".join(str(user_id) for user_id in ORGANIZER_IDS)
        settings = settings_for(workspace.root, **workspace.environment(), ADMIN_IDS=admins)
        bot = build_bot(settings, clock=clock)
        worlds.append(World(bot, clock))
        return worlds[-1]

    yield build
    for world in worlds:
        world.bot.database.close()


def explore_until_found(world: World) -> Found:
    # Not shrunk (the suite's time): the whole episode up to the failing step is the script.
    explorer = Explorer(world, seed=1, shrink_seconds=0)
    with pytest.raises(Found) as caught:
        explorer.run(BUDGET)
    found = caught.value
    print(found)
    checks = {violation.check for violation in found.violations}
    assert {violation.check for violation in explorer.replay(found.steps)} & checks
    return found


def test_a_template_reading_a_value_nobody_passes_is_caught(
        workspace: Workspace, world_of: Callable[[Workspace], World]) -> None:
    # The invitation greets `context.partner_name`, which the invite job never passes: lint
    # cannot know (a flow's context is what the code puts there), the text reads "Hi, !".
    workspace.edit("templates/invitation.j2", "{% set name = answers.first_name or "
                   "user.first_name %}", "{% set name = context.partner_name %}")
    found = explore_until_found(world_of(workspace))
    assert any(violation.check == "hole" and "templates/invitation.j2" in violation.detail
               for violation in found.violations)


def test_a_return_that_loses_the_callers_context_is_caught(
        workspace: Workspace, world_of: Callable[[Workspace], World],
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A `returns: true` flow that comes back with the caller's context cleared, as before the
    # call stack kept what the caller held.
    def forgetful(turn: Turn, state: str, resume: bool = False) -> Frame:
        return Frame(turn.flow or "", state, values={}, resume=resume)

    monkeypatch.setattr(Navigator, "_caller", staticmethod(forgetful))
    found = explore_until_found(world_of(workspace))
    assert {violation.check for violation in found.violations} & {"return", "apology", "hole"}
