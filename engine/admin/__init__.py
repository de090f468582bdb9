"""The organizers' face in the dialogue: the gate (who is an organizer, who may register) and
the actions and variables of flows/admin.yaml, thin adapters over `engine.organizers`.

What other layers use: `OrganizerGate`, `Desk`, `admin_registry`, `reason_labels` and
`progress_edits` (the outbox's progress hook for broadcasts).
"""

from engine.admin.actions import Desk, admin_registry
from engine.admin.gate import OrganizerGate
from engine.admin.labels import reason_labels
from engine.admin.progress import progress_edits

__all__ = ["Desk", "OrganizerGate", "admin_registry", "progress_edits", "reason_labels"]
