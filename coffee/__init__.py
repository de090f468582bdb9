"""Random Coffee: the application built on the engine — its weekly cycle of invitations,
matching, introductions and feedback, the organizers' operations and their two faces (the
/admin flow in Telegram and the web panel), and the assembly of a bot from settings."""

__all__ = ["admin", "app", "bot_settings", "cycle", "matching", "models", "organizers", "panel"]
