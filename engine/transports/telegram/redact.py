"""Keep the bot token out of the logs: quiet the HTTP client, and scrub every record."""

from __future__ import annotations

import logging

MASK = "<BOT_TOKEN>"
# These log every request URL at INFO, and Bot API URLs carry the token.
CHATTY_LOGGERS = ("httpx", "httpcore")


class RedactToken(logging.Filter):
    """Replace the token in a record's message and traceback before any handler writes it."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a broken format string: the handler reports it
            return True
        if self.token in message:
            record.msg, record.args = message.replace(self.token, MASK), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = record.exc_text.replace(self.token, MASK)
        if record.stack_info:
            record.stack_info = record.stack_info.replace(self.token, MASK)
        return True


def protect_token(token: str) -> None:
    """Silence request logging and install the scrubbing filter on every root handler.

    Filters on a logger do not see records propagated from its children, so the filter goes
    on the handlers, where every record ends up. Calling this again adds nothing twice.
    """
    for name in CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig()
    for handler in root.handlers:
        if not any(isinstance(f, RedactToken) and f.token == token for f in handler.filters):
            handler.addFilter(RedactToken(token))
