"""A preview of the flows: every state drawn for a sample participant in each language (as
terminal text, or one HTML page that looks like a Telegram chat, with each flow's graph), so
that an organizer sees an edit before a participant does."""

__all__ = ["graph", "page", "sample", "screens", "text"]
