"""The explorer of the whole dialogue: every flow, state, command and language, walked by a
cast of participants and organizers through the engine seam, with the weekly jobs in between,
and checked after every step (`checks`). `walk` explains the strategy; `steps` the script a
failure is replayed from; `world` the bot and chats the steps act on; `moves` what can be done
next, read from the compiled flows."""

from tests.kit.explorer.cast import ORGANIZER_IDS
from tests.kit.explorer.checks import ALLOWANCES, Allowance, Violation
from tests.kit.explorer.walk import Coverage, Explorer, Found, replay
from tests.kit.explorer.world import World

__all__ = ["ALLOWANCES", "ORGANIZER_IDS", "Allowance", "Coverage", "Explorer", "Found",
           "Violation", "World", "replay"]
