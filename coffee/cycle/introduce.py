"""Introductions: each member of a meeting gets their partners' profiles and a way to reach them.

The profile shows the partner's name and the answers the questionnaire marks `shared: true` (in
its order, titles and option labels in the recipient's language), and a link that opens the
chat (`@username`, or a `tg://user?id=` link without one). A partner who shared a phone number
also comes as a contact card, while the questionnaire still has its contact question.
Introductions are plain messages (the recipient's dialogue does not change), queued per member
together with the member's `introduced_at`, so a second run introduces nobody twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from coffee.cycle.context import JobContext
from coffee.cycle.members import Partner, RoundMembers
from coffee.cycle.schedule import Schedule, week_plan
from coffee.cycle.summary import Summary
from coffee.models import MeetingMember, Round
from engine.delivery.outbox import queue_replies
from engine.dialog.events import Contact, Reply
from engine.dialog.profile import display_answer, profile_fields
from engine.flows.library import FlowLibrary
from engine.flows.spec import Ask
from engine.render.templates import Renderer
from engine.render.words import Localized, Phrase
from engine.store import User, database


@dataclass(frozen=True)
class Field:
    """One shared answer: the question's title and the answer, put into words in the language
    the introduction is written in."""

    title: Localized
    value: Localized | str


class Texts(Protocol):
    """What introductions are written with: the templates and the profile's questions (the
    engine has both, and so do the bot's parts)."""

    @property
    def renderer(self) -> Renderer: ...

    @property
    def library(self) -> FlowLibrary: ...


@dataclass(frozen=True)
class BotTexts:
    renderer: Renderer
    library: FlowLibrary


@dataclass(frozen=True)
class PartnerCard:
    """One partner as a recipient sees them; every text is raw (the template escapes it).
    `fields` are the answers the questionnaire marks `shared: true`, in its order, the
    unanswered left out."""

    id: int
    name: str
    username: str | None
    fields: tuple[Field, ...]


def partner_card(partner: Partner, shared: tuple[Ask, ...], engine: Texts) -> PartnerCard:
    """A partner's profile: its titles and option labels take the introduction's language."""
    fields = tuple(
        Field(Phrase(ask.title or ask.answer),
              display_answer(ask, partner.answers[ask.answer], engine.renderer))
        for ask in shared if partner.answers.get(ask.answer) not in (None, "", []))
    return PartnerCard(id=partner.user.id, name=partner.name, username=partner.user.username,
                       fields=fields)


def introduction_replies(engine: Texts, schedule: Schedule, recipient: User,
                         partners: list[Partner], week: dt.date,
                         joined: bool = False) -> list[Reply]:
    """The introduction text in the recipient's language, then a contact card per partner who
    answered the questionnaire's contact question (none once it is removed). `joined`: the
    partner joins the recipient's pair as its third."""
    fields = profile_fields(engine.library)
    cards = [partner_card(partner, fields.shared, engine) for partner in partners]
    text = engine.renderer.render("introduction", recipient.locale,
                                  {"partners": cards, "week": week, "joined": joined,
                                   "schedule": week_plan(schedule)})
    replies = [Reply(text=text)]
    for partner in partners:
        phone = partner.answers.get(fields.contact) if fields.contact else None
        if phone:
            replies.append(Reply(contact=Contact(str(phone), partner.first_name,
                                                 partner.last_name, partner.user.id)))
    return replies


def introduce_round(job: JobContext, round_: Round, summary: Summary) -> None:
    """Queue the introductions of every member of the round not introduced yet."""
    members = RoundMembers.load(round_).to_reach(
        lambda member: member.introduced_at is None, "introduced", summary, job.keep_alive)
    for member, recipient, partners in members:
        _introduce(job, member, recipient, partners)


def _introduce(job: JobContext, member: MeetingMember, recipient: User,
               partners: list[Partner]) -> None:
    now = job.now()
    replies = introduction_replies(job.engine, job.schedule, recipient, partners, job.week)
    with database.atomic():
        queue_replies(recipient.id, f"intro:{job.week.isoformat()}:{recipient.id}", replies, now,
                      expires_at=job.schedule.due_at("feedback", job.week))
        MeetingMember.update(introduced_at=now).where(MeetingMember.id == member.id).execute()
