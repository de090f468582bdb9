"""Storage: the Peewee models and the database they live in.

Other layers import from here only: the models, `open_database`, `utc_now` and
`first_handling` (the record of handled updates).
"""

from engine.store.database import DatabaseUrlError, database_problem, migrate, open_database
from engine.store.fields import utc_now
from engine.store.models import (
    ALL_MODELS,
    Answer,
    DialogState,
    HandledUpdate,
    JobRun,
    Meeting,
    MeetingFeedback,
    MeetingMember,
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
from engine.store.updates import first_handling

__all__ = [
    "ALL_MODELS",
    "Answer",
    "DatabaseUrlError",
    "DialogState",
    "HandledUpdate",
    "JobRun",
    "Meeting",
    "MeetingFeedback",
    "MeetingMember",
    "OrganizerNote",
    "Outbox",
    "PanelLoginLink",
    "Participation",
    "PreparedSelect",
    "Round",
    "Setting",
    "User",
    "database",
    "database_problem",
    "first_handling",
    "migrate",
    "open_database",
    "utc_now",
]
