"""Transports: Telegram and the console, each turning its input into Events and Replies into
output. Nothing below this layer knows about either; `plain` turns Telegram HTML into terminal
text (the console, and command-line tools that print a bot's texts)."""

__all__ = ["console", "plain", "telegram"]
