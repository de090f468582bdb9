"""The organizers' face in the dialogue: the gate (who is an organizer, who may register) and
the actions and variables of flows/admin.yaml, thin adapters over `engine.organizers`.

What other layers use: `OrganizerGate`, `Desk` and `admin_registry`.
"""

from engine.admin.actions import Desk, admin_registry
from engine.admin.gate import OrganizerGate

__all__ = ["Desk", "OrganizerGate", "admin_registry"]
