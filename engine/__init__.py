"""A declarative conversation engine for Telegram bots: YAML flows, Jinja2 templates and gettext
catalogs, a dialogue core behind one seam (Event in, Replies out), storage and transports."""
