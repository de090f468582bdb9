"""Rendering: Jinja2 sandboxed templates in Telegram HTML, Babel catalogs read from .po files,
and the translators' tools. Takes paths, never settings."""

__all__ = ["catalogs", "i18n_tools", "templates"]
