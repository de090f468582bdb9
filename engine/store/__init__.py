"""Storage: the Peewee models and the database they live in.

Other layers import from here only: the models, `open_database` and `utc_now`.
"""

from engine.store.database import DatabaseUrlError, migrate, open_database
from engine.store.fields import utc_now
from engine.store.models import (
    ALL_MODELS,
    AccessEntry,
    Answer,
    AuditEntry,
    Broadcast,
    DialogState,
    JobRun,
    Meeting,
    MeetingFeedback,
    MeetingMember,
    NoteRead,
    Organizer,
    OrganizerNote,
    Outbox,
    PanelLoginLink,
    Participation,
    Round,
    Setting,
    User,
    database,
)
from engine.store.prepared import PreparedSelect

__all__ = [
    "ALL_MODELS",
    "AccessEntry",
    "Answer",
    "AuditEntry",
    "Broadcast",
    "DatabaseUrlError",
    "DialogState",
    "JobRun",
    "Meeting",
    "MeetingFeedback",
    "MeetingMember",
    "NoteRead",
    "Organizer",
    "OrganizerNote",
    "Outbox",
    "PanelLoginLink",
    "Participation",
    "PreparedSelect",
    "Round",
    "Setting",
    "User",
    "database",
    "migrate",
    "open_database",
    "utc_now",
]
