#!/usr/bin/env python3
"""The bot's command line: run it (polling, webhook, console) and check what organizers edit."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from coffee.app import Bot, build_bot, load_parts, reload_bot
from coffee.bot_settings import BotSettings, load_bot_settings
from engine.assembly import FlowsInvalid
from engine.run import configure_logging, reported
from engine.settings import SettingsError
from engine.store import User

if TYPE_CHECKING:
    from engine.transports.telegram import Service

log = logging.getLogger("runner")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    configure_logging(args.verbose)
    return reported(lambda: args.run(load_bot_settings(), args))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="runner.py", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log at INFO level")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, run: Callable[[BotSettings, argparse.Namespace], int],
                help_text: str, formerly: str | None = None) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text,
                                  aliases=[formerly] if formerly else [])
        sub.set_defaults(run=run)
        return sub

    command("polling", run_polling, "serve Telegram by long polling (BOT_TOKEN)")
    command("webhook", run_webhook, "serve Telegram by webhook (BOT_TOKEN, WEBHOOK_URL, "
                                    "WEBHOOK_SECRET; listens on WEBHOOK_LISTEN:WEBHOOK_PORT)")
    console = command("console", run_console, "chat with the bot in this terminal (no token)")
    console.add_argument("--user", type=int, default=1, help="your participant id (default 1)")
    console.add_argument("--name", default="Console", help="your first name")
    console.add_argument("--lang", default=None, help="your Telegram language code, e.g. uk or en")
    console.add_argument("--phone", default="+380000000001", help="the phone :contact shares")
    command("reload", run_reload, "lint the edited flows, templates and catalogs, then make "
                                  "the running bot (PID_FILE) take them without a restart")
    command("lint", run_lint, "check every flow, template reference, action and translation")
    graph = command("graph", run_graph, "print a flow as a Mermaid state diagram")
    graph.add_argument("flow", help="flow name, e.g. start")
    # `admin` and `admin-link`: the panel's commands' former names, still understood.
    command("panel", run_panel, "serve the organizers' web panel on PANEL_LISTEN:PANEL_PORT",
            formerly="admin")
    panel_link = command("panel-link", run_panel_link,
                         "print a single-use login link to the web panel for an organizer",
                         formerly="admin-link")
    panel_link.add_argument("--user", type=int, required=True, help="the organizer's Telegram id")
    i18n = command("i18n", run_i18n, "extract texts, update catalogs, check translations")
    i18n.add_argument("action", choices=("extract", "update", "check"))
    access = command("access", run_access, "the allow and block lists of registration: add "
                                           "@name or ID, remove it, or list both")
    access.add_argument("action", choices=("allow", "block", "remove", "list"))
    access.add_argument("who", nargs="?", help="@username or numeric Telegram id")
    migrate_db = command("migrate-db", run_migrate_db,
                         "copy every table of DATABASE_URL into an empty database (e.g. "
                         "PostgreSQL), checked by counting each table's rows")
    migrate_db.add_argument("--to", required=True, metavar="URL",
                            help="the database to fill, e.g. postgresql://bot:…@localhost/bot")
    return parser


def run_polling(settings: BotSettings, args: argparse.Namespace) -> int:
    from engine.transports.telegram import run_polling

    settings.require_token()
    return _serve(settings, run_polling)


def run_webhook(settings: BotSettings, args: argparse.Namespace) -> int:
    from engine.transports.telegram import run_webhook

    settings.require_token()
    settings.require_webhook()
    return _serve(settings, run_webhook)


def _serve(settings: BotSettings, serve: Callable[[Service, BotSettings], None]) -> int:
    bot = build_bot(settings)
    # SIGHUP (`systemctl reload`, `runner.py reload`): lint the edited files, swap them in.
    signal.signal(signal.SIGHUP, lambda _signal, _frame: reload_bot(bot))
    settings.pid_file.write_text(f"{os.getpid()}\n", encoding="utf-8")
    try:
        serve(telegram_service(bot, settings), settings)
    finally:
        settings.pid_file.unlink(missing_ok=True)
        bot.database.close()
    return 0


def run_reload(settings: BotSettings, args: argparse.Namespace) -> int:
    """Lint the edited files here first, then ask the running bot to reload them."""
    problems = [problem for problem in load_parts(settings).lint() if not problem.warning]
    if problems:
        raise FlowsInvalid(problems)
    try:
        pid = int(settings.pid_file.read_text(encoding="utf-8").strip())
        os.kill(pid, signal.SIGHUP)
    except (OSError, ValueError) as error:
        raise SettingsError(f"no running bot to reload (PID_FILE {settings.pid_file}): "
                            f"{error}") from None
    print(f"ok: asked the bot (pid {pid}) to reload; its log says whether it did")
    return 0


def telegram_service(bot: Bot, settings: BotSettings) -> Service:
    """What the Telegram transport serves: the engine, the command menus, the weekly cycle,
    what blocks and departures from meetings do."""
    from coffee.cycle.cycle import WeeklyCycle
    from engine.transports.telegram import Service, command_menus

    renderer = bot.parts.renderer
    cycle = WeeklyCycle(bot.engine, bot.parts.schedule, bot.database, bot.delivery,
                        live=bot.schedule_now)

    return Service(
        handle=bot.engine.handle,
        private_only=lambda code: renderer.render("private_only",
                                                  renderer.closest_locale(code), {}),
        menus=command_menus(bot.parts.library, renderer, bot.organizer_ids()),
        mark_unreachable=User.mark_unreachable,
        background=[cycle.run_forever] if settings.schedule_in_process else [],
        chat_member_changed=bot.chat_member_changed,
        deliver_notices=bot.deliver_notices,
    )


def run_console(settings: BotSettings, args: argparse.Namespace) -> int:
    from engine.transports.console import ConsoleUser, run_console

    bot = build_bot(settings)
    if sys.stdin.isatty():
        print("Console chat with the bot. Type /start to begin; Ctrl-D to leave.")
    run_console(bot.engine, ConsoleUser(user_id=args.user, first_name=args.name,
                                        language_code=args.lang, phone=args.phone))
    bot.database.close()
    return 0


def run_panel(settings: BotSettings, args: argparse.Namespace) -> int:
    from coffee.panel import serve

    parts = load_parts(settings)
    serve(settings, parts.renderer, parts.desk.fields, parts.desk.reasons)
    return 0


def run_panel_link(settings: BotSettings, args: argparse.Namespace) -> int:
    from coffee.panel import login_link

    print(login_link(settings, args.user))
    return 0


def run_lint(settings: BotSettings, args: argparse.Namespace) -> int:
    parts = load_parts(settings)
    problems = parts.lint()
    for problem in problems:
        print(problem)
    errors = sum(not problem.warning for problem in problems)
    if errors:
        print(f"{errors} problem(s)", file=sys.stderr)
        return 1
    warnings = len(problems) - errors
    print(f"ok: {len(parts.library.flows)} flows, "
          f"{sum(len(f.states) for f in parts.library.flows.values())} states"
          + (f"; {warnings} text(s) fall back to another language" if warnings else ""))
    return 0


def run_graph(settings: BotSettings, args: argparse.Namespace) -> int:
    from engine.flows.graph import mermaid

    parts = load_parts(settings)
    if args.flow not in parts.library.flows:
        print(f"error: no flow '{args.flow}' (flows: {', '.join(sorted(parts.library.flows))})",
              file=sys.stderr)
        return 2
    print(mermaid(parts.library, args.flow), end="")
    return 0


def run_i18n(settings: BotSettings, args: argparse.Namespace) -> int:
    from engine.assembly import text_sources
    from engine.render import i18n_tools

    sources = text_sources(settings)
    if args.action == "extract":
        return i18n_tools.extract(sources)
    if args.action == "update":
        return i18n_tools.update(sources)
    return i18n_tools.check(sources, load_parts(settings).catalogs)


def run_access(settings: BotSettings, args: argparse.Namespace) -> int:
    from coffee import organizers
    from coffee.models import SCHEMAS
    from engine.store import open_database
    from engine.transports.plain import html_to_text

    parts = load_parts(settings)
    database = open_database(settings.database_url, SCHEMAS)
    actor = organizers.operator(settings.organizer_ids)
    try:
        if args.action == "list":
            for entry in organizers.entries(actor):
                print(f"{entry.list_name}\t{entry.who}")
            mode = organizers.effective("registration_mode", organizers.Defaults.from_settings(
                settings))
            print(f"registration mode: {mode}")
            return 0
        if not args.who:
            print(f"error: access {args.action} needs @username or a numeric id",
                  file=sys.stderr)
            return 2
        if args.action == "remove":
            entry = organizers.remove_entry(actor, args.who)
            print(f"{entry.who}: removed from the {entry.list_name} list")
        else:
            entry = organizers.add_entry(actor, args.action, args.who)
            print(f"{entry.who}: on the {entry.list_name} list")
        return 0
    except organizers.Refused as refused:
        text = parts.renderer.render("organizer_error", "en",
                                     {"error": refused.code, **refused.params})
        print(f"error: {html_to_text(text).strip()}", file=sys.stderr)
        return 2
    finally:
        database.close()


def run_migrate_db(settings: BotSettings, args: argparse.Namespace) -> int:
    from coffee.models import SCHEMAS
    from engine.store import open_database, redacted, transfer

    source = open_database(settings.database_url, SCHEMAS)
    try:
        copied = transfer(source, args.to, SCHEMAS)
    finally:
        source.close()
    for table in copied:
        print(f"{table.table}\t{table.rows}")
    print(f"ok: {len(copied)} tables, {sum(table.rows for table in copied)} rows copied to "
          f"{redacted(args.to)}; set DATABASE_URL to it and start the bot")
    return 0


if __name__ == "__main__":
    sys.exit(main())
