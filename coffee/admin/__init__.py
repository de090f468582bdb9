"""The organizers' face in the dialogue: the gate (who is an organizer, who may register) and
the actions and variables of flows/admin.yaml, thin adapters over `coffee.organizers`.

What other layers use: `OrganizerGate`, `Desk`, `admin_registry`, `reason_labels` and
`progress_edits` (the outbox's progress hook for broadcasts).
"""

from coffee.admin.actions import Desk, admin_registry
from coffee.admin.broadcast_progress import progress_edits
from coffee.admin.labels import reason_labels
from coffee.admin.organizer_gate import OrganizerGate

__all__ = ["Desk", "OrganizerGate", "admin_registry", "progress_edits", "reason_labels"]
