"""Test kit: helpers shared by the end-to-end tests and the benchmarks."""

from tests.kit.fake_bot_api import (
    BOT_USERNAME,
    NOT_MODIFIED,
    SEND_METHODS,
    Call,
    FakeBotAPI,
    File,
    Sender,
    SentMessage,
    Webhook,
)

__all__ = [
    "BOT_USERNAME",
    "NOT_MODIFIED",
    "SEND_METHODS",
    "Call",
    "FakeBotAPI",
    "File",
    "Sender",
    "SentMessage",
    "Webhook",
]
