"""The organizers' face in the dialogue: the gate (who is an organizer, who may register) and
the actions and variables of flows/admin.yaml, thin adapters over `engine.organizers`.

What other layers use: `OrganizerGate`, `Desk`, `admin_registry` and `reason_labels`.
"""

from engine.admin.actions import Desk, admin_registry
from engine.admin.gate import OrganizerGate
from engine.admin.labels import reason_labels

__all__ = ["Desk", "OrganizerGate", "admin_registry", "reason_labels"]
