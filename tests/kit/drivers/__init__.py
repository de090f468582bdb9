"""Drivers: one way to play a participant over the engine seam, the console and Telegram."""

from tests.kit.drivers.console import ConsoleParticipant
from tests.kit.drivers.protocol import Driver, find_label

__all__ = ["ConsoleParticipant", "Driver", "find_label"]
