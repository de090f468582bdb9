"""Run a bot built on the engine alone: a folder of flows, templates and catalogs plus a registry
of the application's actions, in the terminal (`console`), or in Telegram (`polling`, `webhook`),
with `lint` to check an edit. The settings are the engine's (README), read from the environment
and `.env`; the folders default to the bot's own, its database to a SQLite file in it."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from engine.assembly import FlowsInvalid, Texts, lint_bot, open_engine, read_texts, with_core
from engine.dialog.api import Registry
from engine.settings import Settings, SettingsError, load_settings
from engine.store import DatabaseUrlError, User


def run_bot(folder: Path, registry: Registry, argv: Sequence[str]) -> int:
    """The command line of the bot in `folder` (its flows/, templates/ and locales/); the exit
    code: 0, 1 for problems in the flows, 2 for a setting an operator must fix."""
    parser = argparse.ArgumentParser(prog=f"{folder.name}/bot.py")
    parser.add_argument("mode", choices=("console", "polling", "webhook", "lint"))
    parser.add_argument("-v", "--verbose", action="store_true", help="log at INFO level")
    parser.add_argument("--user", type=int, default=1, help="console: your id (default 1)")
    parser.add_argument("--lang", default=None, help="console: your language code, e.g. uk")
    args = parser.parse_args(argv)
    configure_logging(args.verbose)
    def run() -> int:
        settings = load_settings(defaults={
            "FLOWS_DIR": str(folder / "flows"), "TEMPLATES_DIR": str(folder / "templates"),
            "LOCALES_DIR": str(folder / "locales"),
            "DATABASE_URL": f"sqlite:///{folder / (folder.name + '.sqlite3')}"})
        texts = read_texts(settings)
        if args.mode == "lint":
            return _lint(texts, with_core(registry))
        return _serve(settings, texts, with_core(registry), args)

    return reported(run)


def configure_logging(verbose: bool) -> None:
    """The operator's log on stderr: warnings and errors, or INFO lines too."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # transitions logs every callback at INFO: far too much for an operator's log.
    logging.getLogger("transitions").setLevel(logging.WARNING)


def reported(run: Callable[[], int],
             blocked: str = "{count} problem(s) in the flows: the bot does not start.") -> int:
    """`run`'s exit code; what an operator must fix as one line `error: …` and exit code 2,
    problems in the flows as `file:line: …` lines, then `blocked` (what they mean for this
    command), and exit code 1."""
    try:
        return run()
    except (SettingsError, DatabaseUrlError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except FlowsInvalid as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(blocked.format(count=len(error.problems)), file=sys.stderr)
        return 1


def _lint(texts: Texts, registry: Registry) -> int:
    problems = lint_bot(texts, registry)
    for problem in problems:
        print(problem)
    errors = sum(not problem.warning for problem in problems)
    print(f"{errors} error(s), {len(problems) - errors} warning(s)")
    return 1 if errors else 0


def _serve(settings: Settings, texts: Texts, registry: Registry,
           args: argparse.Namespace) -> int:
    if args.mode != "console":
        settings.require_token()
    if args.mode == "webhook":
        settings.require_webhook()
    engine, database = open_engine(texts, registry)
    try:
        if args.mode == "console":
            from engine.transports.console import ConsoleUser, run_console

            run_console(engine, ConsoleUser(user_id=args.user, language_code=args.lang))
            return 0
        from engine.transports.telegram import (
            Service,
            command_menus,
            run_polling,
            run_webhook,
        )

        renderer = texts.renderer
        service = Service(handle=engine.handle,
                          private_only=lambda code: renderer.render(
                              "private_only", renderer.closest_locale(code), {}),
                          menus=command_menus(texts.library, renderer, settings.organizer_ids),
                          mark_unreachable=User.mark_unreachable,
                          show_again=engine.show_again)
        (run_polling if args.mode == "polling" else run_webhook)(service, settings)
        return 0
    finally:
        database.close()
