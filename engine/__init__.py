"""A declarative conversation engine for Telegram bots: YAML flows, Jinja2 templates and gettext
catalogs, a dialogue core behind one seam (Event in, Replies out), storage and transports.

An application uses these, each package saying in its own `__all__` what it exports:

- `assembly`: read a bot's texts (`read_texts`), join its actions with the engine's own
  (`with_core`), lint them (`lint_bot`), open the engine on its database (`open_engine`);
- `run`: `run_bot(folder, registry, argv)`, the command line of a bot on the engine alone;
- `dialog`: `api.Registry` and `api.Conversation` (actions and variables), `engine`
  (`ConversationEngine`), `events` (the seam), `gate` (who is an organizer, who may register);
- `delivery`: the outbox and one `Delivery` per bot;
- `store`: the engine's models, `BaseModel` and `Schema` for an application's own tables,
  `open_database`;
- `settings`: `Settings`, `load_settings`, `Environment` for an application's own settings;
- `transports`: `telegram` (polling, webhook, the paced sender) and `console`;
- `flows` and `render`: the flow format and its lint, templates and catalogs.
"""

__all__ = ["assembly", "delivery", "dialog", "flows", "render", "run", "settings", "store",
           "transports"]
