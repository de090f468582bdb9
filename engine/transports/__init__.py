"""Transports: Telegram and the console, each turning its input into Events and Replies into
output. Nothing below this layer knows about either."""

__all__ = ["console", "telegram"]
