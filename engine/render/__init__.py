"""Rendering: Jinja2 sandboxed templates in Telegram HTML, Babel catalogs read from .po files,
the translators' tools, and long texts split for Telegram. Takes paths, never settings."""

__all__ = ["catalogs", "i18n_tools", "split", "templates", "words"]
