"""The command menus: which commands everyone sees and which organizers see, in each language
Telegram clients may have."""

from __future__ import annotations

from engine.dialog.events import Command, CommandMenu
from engine.flows.library import FlowLibrary
from engine.render.templates import Renderer, language_of


def command_menu(library: FlowLibrary, renderer: Renderer, *, organizer: bool) -> CommandMenu:
    """Everyone's commands (with `organizer`, every command) for each offered locale, by its
    two-letter Telegram language code, after the default locale's for any other language ("").
    """
    flows = sorted((spec for spec in library.flows.values() if spec.command
                    and (organizer or spec.access == "everyone")),
                   key=lambda spec: spec.command or "")
    # Telegram knows two-letter language codes: a pt_BR catalog serves every "pt" client.
    by_code = {language_of(locale): locale for locale in renderer.offered}
    languages = [("", renderer.default_locale), *by_code.items()]
    return CommandMenu(tuple(
        (code, tuple(Command(spec.command or "",
                             renderer.gettext(locale, spec.description or spec.command or ""))
                     for spec in flows))
        for code, locale in languages))
