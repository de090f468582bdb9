from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.kit import FakeBotAPI


@pytest.fixture
def fake() -> Iterator[FakeBotAPI]:
    with FakeBotAPI() as api:
        yield api
