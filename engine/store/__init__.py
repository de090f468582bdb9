"""Storage: the engine's Peewee models and the database they live in.

Other layers import from here only: the engine's models and `BaseModel` (an application's
models derive from it), `Schema` and `ENGINE_SCHEMA` (which tables a database holds), the
field `AwareDateTimeField`, `open_database`, `migrate`, `utc_now`, `answers` (stored answers by
key, and deleting those of a removed question),
`first_handling` (the record of handled updates), `participants` (one participant's updates at
a time across processes), `outage` (a database
that went away), `off_loop` (asyncio code's database work on a thread of its own),
`transfer` (a copy into another database), `lanes` (synchronous database work on the event
loop, for PostgreSQL: import `engine.store.lanes` by name, it needs PostgreSQL's extra) and
`apart` (long work of a turn, off the event loop where turns run in lanes).
"""

from engine.store import answers, outage, participants
from engine.store.database import (
    DatabaseUrlError,
    database_problem,
    open_database,
    redacted,
)
from engine.store.fields import AwareDateTimeField, utc_now
from engine.store.long_work import apart
from engine.store.models import (
    ENGINE_MODELS,
    Answer,
    BaseModel,
    DialogState,
    HandledUpdate,
    Outbox,
    ReceivedUpdate,
    Setting,
    TurnReply,
    User,
    database,
)
from engine.store.off_loop import off_loop
from engine.store.prepared import EXAMPLE_TIME, PreparedSelect, PreparedWrite
from engine.store.schema import ENGINE_SCHEMA, Schema, migrate
from engine.store.transfer import Copied, TransferRefused, transfer
from engine.store.updates import first_handling

__all__ = [
    "ENGINE_MODELS",
    "ENGINE_SCHEMA",
    "EXAMPLE_TIME",
    "Answer",
    "AwareDateTimeField",
    "BaseModel",
    "Copied",
    "DatabaseUrlError",
    "DialogState",
    "HandledUpdate",
    "Outbox",
    "PreparedSelect",
    "PreparedWrite",
    "ReceivedUpdate",
    "Schema",
    "Setting",
    "TransferRefused",
    "TurnReply",
    "User",
    "answers",
    "apart",
    "database",
    "database_problem",
    "first_handling",
    "lanes",
    "migrate",
    "off_loop",
    "open_database",
    "outage",
    "participants",
    "redacted",
    "transfer",
    "utc_now",
]
