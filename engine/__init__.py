"""A declarative conversation engine for Telegram bots, and the Random Coffee domain built on it."""
