"""The engine's own test bot (tests/engine/fixture): small flows written for the engine's tests,
with one action of their own, on the engine alone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.assembly import open_engine, read_texts, with_core
from engine.dialog.api import Conversation, Registry
from engine.dialog.engine import ConversationEngine
from tests.kit.clock import Clock
from tests.kit.settings import engine_settings_for

FIXTURE = Path(__file__).parent / "fixture"


def fixture_registry() -> Registry:
    registry = Registry()

    @registry.action("wave")
    def wave(talk: Conversation) -> None:
        talk.store_answer("waved", True)

    return registry


@pytest.fixture
def fixture_engine(tmp_path: Path, clock: Clock) -> Iterator[ConversationEngine]:
    """An engine over the fixture bot, Ukrainian by default, on this pass's database."""
    settings = engine_settings_for(tmp_path, FLOWS_DIR=str(FIXTURE / "flows"),
                                   TEMPLATES_DIR=str(FIXTURE / "templates"),
                                   LOCALES_DIR=str(FIXTURE / "locales"), DEFAULT_LOCALE="uk")
    engine, database = open_engine(read_texts(settings), with_core(fixture_registry()),
                                   clock=clock)
    yield engine
    database.close()
