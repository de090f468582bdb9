"""The dialogue: an Event in, Replies out, each participant's state loaded and saved per event.

Other layers import these modules only: `api` (actions and variables: `Conversation`,
`Registry`), `engine` (`ConversationEngine`), `events` (the seam), `delivery` (how replies are
sent), `core_actions`, `menus` (the command menus), `profile` (numbered profile rows), `turn`
(what templates read) and `gate` (the protocol an application answers: who is an organizer,
who may register). The rest (session, answers, navigator, present, inputs, callbacks,
variables) is internal.
"""

__all__ = ["api", "core_actions", "delivery", "engine", "events", "gate", "menus", "profile",
           "turn"]
