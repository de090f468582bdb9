"""The bot's settings: the engine's and the application's, and the former names of renamed
settings still read (an operator's .env written before the renaming keeps working)."""

from __future__ import annotations

from pathlib import Path

from tests.kit.settings import engine_settings_for, settings_for


def test_former_names_are_still_read_and_the_new_ones_win(tmp_path: Path) -> None:
    old = settings_for(tmp_path, ADMIN_IDS="11,22", ADMIN_PORT="9000",
                       ADMIN_URL="https://panel.example.org", ADMIN_SECRET_KEY="k" * 32,
                       PANEL_SECRET_KEY="")  # (the kit gives one on the PostgreSQL pass)
    assert old.organizer_ids == frozenset({11, 22})
    assert (old.panel_port, old.panel_url, old.panel_secret_key) == (
        9000, "https://panel.example.org", "k" * 32)
    both = settings_for(tmp_path, ADMIN_IDS="11", ORGANIZER_IDS="33", ADMIN_PORT="9000",
                        PANEL_PORT="9001")
    assert (both.organizer_ids, both.panel_port) == (frozenset({33}), 9001)


def test_the_engine_alone_has_its_own_defaults(tmp_path: Path) -> None:
    engine = engine_settings_for(tmp_path)
    bot = settings_for(tmp_path)
    assert (engine.default_locale, str(engine.timezone)) == ("en", "UTC")
    assert (bot.default_locale, str(bot.timezone)) == ("uk", "Europe/Kyiv")
    assert not hasattr(engine, "community_name") and bot.community_name == "Random Coffee"
