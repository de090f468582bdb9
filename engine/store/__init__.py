"""Storage: the Peewee models and the database they live in.

Other layers import from here only: the models, `open_database`, `utc_now`,
`first_handling` (the record of handled updates), `participants` (one participant's updates at
a time across processes), `sender` (one process delivers the outbox), `outage` (a database
that went away), `off_loop` (asyncio code's database work on a thread of its own) and
`transfer` (a copy into another database).
"""

from engine.store import outage, participants, sender
from engine.store.database import (
    DatabaseUrlError,
    database_problem,
    migrate,
    open_database,
    redacted,
)
from engine.store.fields import utc_now
from engine.store.models import (
    ALL_MODELS,
    AccessEntry,
    Answer,
    AuditEntry,
    Broadcast,
    DialogState,
    HandledUpdate,
    JobRun,
    Meeting,
    MeetingFeedback,
    MeetingMember,
    NoteRead,
    Organizer,
    OrganizerNote,
    Outbox,
    PanelLoginLink,
    PanelSession,
    Participation,
    ReceivedUpdate,
    Round,
    Setting,
    User,
    database,
)
from engine.store.off_loop import off_loop
from engine.store.prepared import PreparedSelect
from engine.store.transfer import Copied, TransferRefused, transfer
from engine.store.updates import first_handling

__all__ = [
    "ALL_MODELS",
    "AccessEntry",
    "Answer",
    "AuditEntry",
    "Broadcast",
    "Copied",
    "DatabaseUrlError",
    "DialogState",
    "HandledUpdate",
    "JobRun",
    "Meeting",
    "MeetingFeedback",
    "MeetingMember",
    "NoteRead",
    "Organizer",
    "OrganizerNote",
    "Outbox",
    "PanelLoginLink",
    "PanelSession",
    "Participation",
    "PreparedSelect",
    "ReceivedUpdate",
    "Round",
    "Setting",
    "TransferRefused",
    "User",
    "database",
    "database_problem",
    "first_handling",
    "migrate",
    "off_loop",
    "open_database",
    "outage",
    "participants",
    "redacted",
    "sender",
    "transfer",
    "utc_now",
]
