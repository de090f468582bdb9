"""The organizers' face in the dialogue: the gate (who is an organizer, who may register) and
the actions and variables of flows/admin.yaml, thin adapters over `coffee.organizers`, one
module per screen.

What other layers use: `OrganizerGate`, `Desk`, `admin_registry`, `progress_edits` (the
outbox's progress hook for broadcasts), `reason_labels`, and `PREVIEW_OF` (the meta key of a
broadcast's preview, for a transport's refusal hook).
"""

from coffee.admin.broadcast_progress import progress_edits
from coffee.admin.broadcasts import PREVIEW_OF
from coffee.admin.desk import Desk
from coffee.admin.organizer_gate import OrganizerGate
from coffee.admin.registry import admin_registry
from coffee.organizers.vocabulary import reason_labels

__all__ = ["PREVIEW_OF", "Desk", "OrganizerGate", "admin_registry", "progress_edits",
           "reason_labels"]
