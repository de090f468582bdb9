"""The whole dialogue explored within the suite's budget (`--explore-seconds`, seed
`--explore-seed`): any defect found fails with the steps that show it, as a test to add to
test_found.py. `python bench/explore.py --minutes 10` explores longer."""

from __future__ import annotations

import pytest

from tests.kit.explorer import Explorer, World


def test_the_whole_dialogue_explored(world: World, request: pytest.FixtureRequest) -> None:
    explorer = Explorer(world, seed=request.config.getoption("explore_seed"))
    coverage = explorer.run(request.config.getoption("explore_seconds"))
    print(explorer.summary())
    assert coverage.steps >= explorer.episode_steps
