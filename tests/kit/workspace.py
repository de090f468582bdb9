"""A copy of the organizers' files (flows, templates, locales) that a test may break."""

from __future__ import annotations

import shutil
from pathlib import Path

from coffee.bot_settings import BotSettings
from engine.settings import PROJECT_ROOT
from tests.kit.databases import database_url
from tests.kit.loopback_only import UNREACHABLE_API
from tests.kit.settings import settings_for


class Workspace:
    """`root/flows`, `root/templates` and `root/locales`, copied from the repository."""

    def __init__(self, root: Path) -> None:
        self.root = root
        for name in ("flows", "templates", "locales"):
            shutil.copytree(PROJECT_ROOT / name, root / name)

    def edit(self, relative: str, old: str, new: str) -> int:
        """Replace `old` (which must occur once) and return the line where `new` starts."""
        path = self.root / relative
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {relative}"
        path.write_text(text.replace(old, new), encoding="utf-8")
        return text[:text.index(old)].count("\n") + 1

    def translate(self, locale: str, translations: dict[str, str]) -> None:
        """Fill in empty translations of `locale`'s catalog, msgid -> msgstr, as a translator
        would."""
        path = self.root / "locales" / locale / "LC_MESSAGES" / "messages.po"
        text = path.read_text(encoding="utf-8")
        for msgid, msgstr in translations.items():
            old = f'msgid "{msgid}"\nmsgstr ""'
            assert old in text, msgid
            text = text.replace(old, f'msgid "{msgid}"\nmsgstr "{msgstr}"')
        path.write_text(text, encoding="utf-8")

    def environment(self) -> dict[str, str]:
        return {"FLOWS_DIR": str(self.root / "flows"),
                "TEMPLATES_DIR": str(self.root / "templates"),
                "LOCALES_DIR": str(self.root / "locales"),
                "DATABASE_URL": database_url(self.root / "bot.sqlite3"),
                "TELEGRAM_API_URL": UNREACHABLE_API}

    def settings(self) -> BotSettings:
        return settings_for(self.root, **self.environment())
