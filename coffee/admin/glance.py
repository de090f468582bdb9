"""The organizers' menu: the community at a glance, the chart of the latest rounds, and the
way into the web panel."""

from __future__ import annotations

from coffee import organizers as ops
from coffee.admin.desk import Desk
from engine.dialog.api import Attachment, Conversation, Registry
from engine.store import apart


def glance_registry(desk: Desk) -> Registry:
    registry = Registry()
    registry.needs.template("admin_panel_link", link=str)

    @registry.variable("words")
    def words(talk: Conversation) -> ops.Words:
        """The organizers' vocabulary in this organizer's language."""
        return desk.words(talk)

    @registry.variable("glance")
    def glance(talk: Conversation) -> ops.Glance:
        return ops.at_a_glance(desk.actor(talk))

    @registry.variable("panel")
    def panel(talk: Conversation) -> bool:
        """Whether the web panel has an address to open (PANEL_URL)."""
        return desk.panel_link is not None

    @registry.action("send_chart")
    def send_chart(talk: Conversation) -> None:
        labels = desk.words(talk).chart()
        png = desk.attempt(talk, lambda who: apart(lambda: ops.chart_png(who, labels)))
        if png:
            talk.send_file(Attachment("chart.png", png, photo=True))

    @registry.action("open_panel")
    def open_panel(talk: Conversation) -> None:
        """A single-use login link to the web panel, for this organizer only."""
        if desk.panel_link is not None and desk.attempt(talk, lambda who: who) is not None:
            talk.say("admin_panel_link", link=desk.panel_link(talk.user_id))

    return registry
