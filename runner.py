#!/usr/bin/env python3
"""The bot's command line: run it (polling, webhook, console) and check what organizers edit."""

from __future__ import annotations

import argparse
import logging
import os
import secrets
import signal
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from coffee.app import Bot, build_bot, load_parts, reload_bot, reload_outcome
from coffee.bot_settings import BotSettings, load_bot_settings
from engine.assembly import FlowsInvalid
from engine.run import configure_logging, reported
from engine.settings import SettingsError
from engine.store import User

if TYPE_CHECKING:
    from engine.transports.telegram import Service

log = logging.getLogger("runner")
RELOAD_WAIT = 30.0  # seconds `runner.py reload` waits for the running bot's answer


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    configure_logging(args.verbose)
    return reported(lambda: args.run(load_bot_settings(), args), blocked=args.blocked)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="runner.py", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log at INFO level")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, run: Callable[[BotSettings, argparse.Namespace], int],
                help_text: str, formerly: str | None = None) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text,
                                  aliases=[formerly] if formerly else [])
        # what problems in the flows mean for this command
        sub.set_defaults(run=run, blocked="{count} problem(s) in the flows: the bot does not "
                                          "start.")
        return sub

    command("polling", run_polling, "serve Telegram by long polling (BOT_TOKEN)")
    command("webhook", run_webhook, "serve Telegram by webhook (BOT_TOKEN, WEBHOOK_URL, "
                                    "WEBHOOK_SECRET; listens on WEBHOOK_LISTEN:WEBHOOK_PORT)")
    console = command("console", run_console, "chat with the bot in this terminal (no token)")
    console.add_argument("--user", type=int, default=1, help="your participant id (default 1)")
    console.add_argument("--name", default="Console", help="your first name")
    console.add_argument("--lang", default=None, help="your Telegram language code, e.g. uk or en")
    console.add_argument("--phone", default="+380000000001", help="the phone :contact shares")
    console.add_argument("--script", metavar="FILE",
                         help="play FILE, one action a line (a text, #2 for button 2, "
                              "/command, :contact; '# ' starts a comment), and print the "
                              "transcript")
    reload = command("reload", run_reload, "lint the edited flows, templates and catalogs, "
                                           "then make the running bot (PID_FILE) take them "
                                           "without a restart, and print its answer")
    reload.set_defaults(blocked="refused: {count} problem(s) in the edited files; the running "
                                "bot keeps the previous version")
    lint = command("lint", run_lint, "check every flow, template reference, action and "
                                     "translation; one line per language at the end")
    lint.add_argument("--locale", metavar="LOCALE",
                      help="only the problems of this language (e.g. pl), and its line")
    lint.add_argument("--summary", action="store_true",
                      help="one line per language instead of every text it lacks")
    preview = command("preview", run_preview,
                      "draw every question, message and button of the flows with sample data: "
                      "as text, or one HTML page like a Telegram chat with each flow's graph")
    preview.add_argument("flow", nargs="?", help="one flow, e.g. start (default: every flow)")
    languages = preview.add_mutually_exclusive_group()
    languages.add_argument("--locale", metavar="LOCALE",
                           help="the language to draw (default: DEFAULT_LOCALE)")
    languages.add_argument("--all", action="store_true", help="every language")
    preview.add_argument("--html", metavar="FILE", help="write one HTML page to FILE")
    preview.set_defaults(blocked="{count} problem(s) in the flows: nothing to preview until "
                                 "they are fixed")
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
    answers = command("answers", run_answers,
                      "list the stored answers by key and the question that asks each; "
                      "delete those of a question removed from the flows")
    answers.add_argument("action", nargs="?", choices=("list", "delete"), default="list")
    answers.add_argument("key", nargs="?", help="the answer key to delete, e.g. phone")
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
    try:
        _write_pid_file(settings.pid_file)
    except SettingsError:
        bot.database.close()
        raise
    # SIGHUP (`systemctl reload`, `runner.py reload`): lint the edited files, swap them in.
    signal.signal(signal.SIGHUP, lambda _signal, _frame: _reload(bot, settings.pid_file))
    try:
        serve(telegram_service(bot, settings), settings)
    finally:
        settings.pid_file.unlink(missing_ok=True)
        bot.database.close()
    return 0


def _write_pid_file(path: Path) -> None:
    try:
        path.write_text(f"{os.getpid()}\n", encoding="utf-8")
    except OSError as error:
        raise SettingsError(f"cannot write PID_FILE {path}: {error.strerror or error}; set "
                            "PID_FILE to a file this user may write") from None


def _reload(bot: Bot, pid_file: Path) -> None:
    """Reload, and answer the `runner.py reload` that asked, if one did: its token, the
    problems, the outcome, in the file it waits on (written whole, then moved into place)."""
    errors = reload_bot(bot)
    answer = _answer_file(pid_file)
    try:
        asked = answer.read_text(encoding="utf-8").splitlines()[:1]
    except OSError:
        return  # nobody waits (systemctl reload): the log says it
    lines = [*asked, *map(str, errors), reload_outcome(bot, errors)]
    written = answer.with_name(f"{answer.name}.new")
    written.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    written.replace(answer)


def _answer_file(pid_file: Path) -> Path:
    return pid_file.with_name(f"{pid_file.name}.reload")


def run_reload(settings: BotSettings, args: argparse.Namespace) -> int:
    """Lint the edited files here first, then ask the running bot to reload them and wait for
    its answer."""
    problems = [problem for problem in load_parts(settings).lint() if not problem.warning]
    if problems:
        raise FlowsInvalid(problems)
    try:
        pid = int(settings.pid_file.read_text(encoding="utf-8").strip())
        answer = _answer_file(settings.pid_file)
        token = secrets.token_hex(8)
        answer.write_text(f"{token}\n", encoding="utf-8")
        os.kill(pid, signal.SIGHUP)
    except (OSError, ValueError) as error:
        raise SettingsError(f"no running bot to reload (PID_FILE {settings.pid_file}): "
                            f"{error}") from None
    deadline = time.monotonic() + RELOAD_WAIT
    while time.monotonic() < deadline:
        lines = answer.read_text(encoding="utf-8").splitlines() if answer.is_file() else []
        if lines[:1] == [token] and len(lines) > 1:
            answer.unlink(missing_ok=True)
            reloaded = lines[-1].startswith("reloaded:")
            for line in lines[1:]:
                print(line, file=sys.stdout if reloaded else sys.stderr)
            return 0 if reloaded else 1
        time.sleep(0.1)
    print(f"no answer from the bot (pid {pid}) within {RELOAD_WAIT:.0f} s: its log says "
          "whether it reloaded", file=sys.stderr)
    return 1


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
        refused=bot.reply_refused,
        show_again=bot.engine.show_again,
    )


def run_console(settings: BotSettings, args: argparse.Namespace) -> int:
    from engine.transports.console import ConsoleUser, play_script, run_console

    script: list[str] | None = None
    if args.script:
        try:
            script = Path(args.script).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            print(f"error: cannot read the script {args.script}: {error}", file=sys.stderr)
            return 2
    bot = build_bot(settings)
    user = ConsoleUser(user_id=args.user, first_name=args.name, language_code=args.lang,
                       phone=args.phone)
    try:
        if script is not None:
            return 1 if play_script(bot.engine, user, script) else 0
        if sys.stdin.isatty():
            print("Console chat with the bot. Type /start to begin; Ctrl-D to leave.")
        run_console(bot.engine, user)
        return 0
    finally:
        bot.database.close()


def run_panel(settings: BotSettings, args: argparse.Namespace) -> int:
    from coffee.panel import serve

    parts = load_parts(settings)
    serve(settings, parts.renderer, parts.desk.fields, parts.desk.vocabulary)
    return 0


def run_panel_link(settings: BotSettings, args: argparse.Namespace) -> int:
    from coffee.panel import login_link

    print(login_link(settings, args.user))
    return 0


def run_lint(settings: BotSettings, args: argparse.Namespace) -> int:
    parts = load_parts(settings)
    problems = parts.lint()
    languages = parts.coverage()
    if args.locale:
        if args.locale not in parts.catalogs.locales:
            print(f"error: no language {args.locale!r} (languages: "
                  f"{', '.join(parts.catalogs.locales)})", file=sys.stderr)
            return 2
        problems = [problem for problem in problems if problem.locale in (None, args.locale)]
        languages = [language for language in languages if language.locale == args.locale]
    if args.summary:  # a language's own warnings make its line
        problems = [problem for problem in problems
                    if not (problem.warning and problem.locale)]
    for problem in problems:
        print(problem)
    errors = sum(not problem.warning for problem in problems)
    if errors:
        print(f"{errors} problem(s)", file=sys.stderr)
        return 1
    for language in languages:
        print(language)
    warnings = len(problems) - errors
    print(f"ok: {len(parts.library.flows)} flows, "
          f"{sum(len(f.states) for f in parts.library.flows.values())} states"
          + (f"; {warnings} warning(s)" if warnings else ""))
    return 0


def run_preview(settings: BotSettings, args: argparse.Namespace) -> int:
    from coffee.preview import ABOUT, sample_world
    from engine.preview.graph import flow_svg
    from engine.preview.page import chat_page
    from engine.preview.screens import draw_screens
    from engine.preview.text import transcript

    parts = load_parts(settings)
    library = parts.library
    if args.flow and args.flow not in library.flows:
        print(f"error: no flow '{args.flow}' (flows: {', '.join(sorted(library.flows))})",
              file=sys.stderr)
        return 2
    locale = args.locale or settings.default_locale
    if locale not in parts.catalogs.locales:
        print(f"error: no language {locale!r} (languages: "
              f"{', '.join(parts.catalogs.locales)})", file=sys.stderr)
        return 2
    locales = parts.catalogs.locales if args.all else [locale]
    flows = [library.flows[args.flow]] if args.flow else list(library.flows.values())
    with sample_world(settings) as world:
        screens = draw_screens(world.bot.engine, world.user_id, flows, locales, world.values)
    if not args.html:
        print(transcript(screens), end="")
        return 0
    first_lines = {(screen.flow, screen.state): screen.first_line for screen in screens
                   if screen.locale == locales[0]}
    svgs = {spec.name: flow_svg(library, spec.name, {
        state: first_lines.get((spec.name, state), "") for state in spec.states})
        for spec in flows}
    Path(args.html).write_text(chat_page(library, screens, locales, svgs, ABOUT),
                               encoding="utf-8")
    holes = sum(len(screen.holes) + bool(screen.error) for screen in screens)
    print(f"wrote {args.html}: {len(flows)} flow(s), {len(screens)} screen(s) in "
          f"{', '.join(locales)}" + (f"; {holes} hole(s)" if holes else ""))
    if None in svgs.values():
        print("the flow graphs need Graphviz's dot program (apt-get install graphviz)",
              file=sys.stderr)
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
    from coffee.app import text_sources
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


def run_answers(settings: BotSettings, args: argparse.Namespace) -> int:
    from coffee.models import SCHEMAS
    from engine.dialog.profile import profile_fields
    from engine.store import answers, open_database

    library = load_parts(settings).library
    askers = {state.ask.answer: f"{state.name} ({state.ask.where})"
              for spec in library.flows.values() if spec.answers_in == "profile"
              for state in spec.states.values() if state.ask}
    database = open_database(settings.database_url, SCHEMAS)
    try:
        stored = answers.counts()
        if args.action == "list":
            for key, count in stored.items():
                asker = askers.get(key) or (f"asked by no question: kept, shown and shared "
                                            f"nowhere (runner.py answers delete {key})")
                print(f"{key}\t{count}\t{asker}")
            return 0
        if not args.key:
            print("error: answers delete needs the key, e.g. phone", file=sys.stderr)
            return 2
        if args.key in askers:
            print(f"error: '{args.key}' is the answer of {askers[args.key]}: remove the "
                  "question from the flows first", file=sys.stderr)
            return 2
        if args.key not in stored:
            print(f"error: no answers are stored under '{args.key}' (stored: "
                  f"{', '.join(stored) or 'none'})", file=sys.stderr)
            return 2
        deleted = answers.delete(args.key, phone=profile_fields(library).contact is None)
        print(f"deleted {deleted} answer(s) stored under '{args.key}'")
        return 0
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
