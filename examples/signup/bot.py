"""Meetup sign-up: a small bot on the engine alone (YAML flows, templates, catalogs) and one
action of its own. Run it from the repository root:

    python examples/signup/bot.py console             # chat in the terminal
    BOT_TOKEN=123:ABC python examples/signup/bot.py polling   # chat in Telegram
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # the repository root, where the engine is

from engine.dialog.api import Conversation, Registry  # noqa: E402
from engine.run import run_bot  # noqa: E402

signup = Registry()
signup.needs.template("new_signup")


@signup.action("confirm_signup")
def confirm_signup(talk: Conversation) -> None:
    """The guest answered everything: signed up, and the organizers hear of it."""
    talk.mark_registered()
    talk.tell_organizers("new_signup")


if __name__ == "__main__":
    sys.exit(run_bot(HERE, signup, sys.argv[1:]))
