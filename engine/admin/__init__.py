"""The organizers' face in the dialogue: the gate (who is an organizer, who may register) and
the actions and variables of flows/admin.yaml, thin adapters over `engine.organizers`.

What other layers use: `gate.OrganizerGate` and `actions.admin_registry`.
"""

from engine.admin.gate import OrganizerGate

__all__ = ["OrganizerGate"]
