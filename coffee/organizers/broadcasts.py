"""News broadcasts: a checked Telegram HTML text (the caption of a photo, if one is attached),
an audience, a preview, then one outbox row per recipient (`broadcast:<id>:<user>`, so a rerun
after a crash queues nobody twice), sent at the outbox's bulk pace; progress, cancel, the
final report and the list of past broadcasts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import Expression, ModelSelect, fn

from coffee.cycle.participation import INVITED, NO, YES
from coffee.models import Broadcast, Organizer, Participation, Round
from coffee.organizers.actor import Actor, Refused
from coffee.organizers.audit import record
from coffee.organizers.telegram_html import check_caption, check_html
from engine.delivery.outbox import (
    EXPIRED,
    PENDING,
    REFUSED,
    SENDING,
    SENT,
    UNREACHABLE,
    queue_copies,
)
from engine.dialog.events import Reply
from engine.store import Outbox, User, database

DRAFT, SENDING_STATUS, DONE, CANCELLED = "draft", "sending", "done", "cancelled"
REFUSED_STATUS = "refused"  # Telegram refused its text: stopped after the first refusal
FINISHED = (DONE, CANCELLED, REFUSED_STATUS)
STOPPED = "broadcast stopped: Telegram refused its text"  # the error of the rows not sent
# Telegram's refusals that are about one chat, not the message: the broadcast goes on.
ABOUT_THE_CHAT = ("chat", "user", "peer", "bot was")
ALL, ROUND, ORGANIZERS, LOCALE = "all", "round", "organizers", "locale:"


def check_audience(audience: str, locales: list[str]) -> str:
    """all, round, organizers or locale:<code> of a known locale."""
    if audience in (ALL, ROUND, ORGANIZERS):
        return audience
    if audience.startswith(LOCALE) and audience[len(LOCALE):] in locales:
        return audience
    raise Refused("bad_audience", audience=audience,
                  example=", ".join((ALL, ROUND, ORGANIZERS, *(LOCALE + code for code in locales))))


def recipients(actor: Actor, audience: str) -> ModelSelect:
    """The ids a broadcast to `audience` reaches now: registered and not banned (organizers:
    every organizer who has written to the bot)."""
    people = User.select(User.id)
    if audience == ORGANIZERS:
        return people.where(User.id.in_(list(actor.organizer_ids)) | User.id.in_(
            Organizer.select(Organizer.user_id)))
    people = people.where(User.registered, User.enabled)
    if audience == ROUND:
        latest = Round.select(Round.id).order_by(Round.week.desc()).limit(1)
        return people.where(User.id.in_(Participation.select(Participation.user).where(
            Participation.round.in_(latest), Participation.status.in_((INVITED, YES, NO)))))
    if audience.startswith(LOCALE):
        return people.where(User.locale == audience[len(LOCALE):])
    return people


def draft_broadcast(actor: Actor, text: str, audience: str, locales: list[str],
                    photo: str = "") -> Broadcast:
    """Check the text (as a photo's caption, with `photo`: a Telegram file id) and the
    audience and keep them as a draft (nothing is sent)."""
    body = check_caption(text) if photo else check_html(text)
    audience = check_audience(audience, locales)
    with database.atomic():
        broadcast = Broadcast.create(author=actor.user_id, text=body, audience=audience,
                                     photo=photo, total=recipients(actor, audience).count(),
                                     created_at=actor.now)
        record(actor, "broadcast_draft", broadcast.id, None, audience)
    return broadcast


def broadcast_preview(broadcast: Broadcast) -> Reply:
    """Exactly what each recipient gets: the text, or the photo with the text as its caption."""
    return Reply(text=broadcast.text, photo=broadcast.photo)


def _get(broadcast_id: int) -> Broadcast:
    found = Broadcast.get_or_none(Broadcast.id == broadcast_id)
    if found is None:
        raise Refused("no_such_broadcast", broadcast_id=broadcast_id)
    return found


def start_broadcast(actor: Actor, broadcast_id: int,
                    progress_message_id: int | None = None) -> Progress:
    """Queue the broadcast for its audience (again after a crash: keys already queued are
    skipped); the outbox delivers it. `progress_message_id`: the author's message that shows
    the progress (the delivery edits it as the broadcast goes out)."""
    broadcast = _get(broadcast_id)
    if broadcast.status in FINISHED:
        raise Refused("broadcast_finished", broadcast_id=broadcast_id)
    copy = broadcast_preview(broadcast)
    ids = [uid for (uid,) in recipients(actor, broadcast.audience).order_by(User.id).tuples()]
    with database.atomic():
        total = Outbox.select().where(_rows(broadcast.id)).count()
        total += queue_copies(((uid, f"{_prefix(broadcast.id)}{uid}") for uid in ids), copy,
                              actor.now)
        if broadcast.status == DRAFT:
            record(actor, "broadcast_start", broadcast.id, DRAFT, SENDING_STATUS)
        Broadcast.update(status=SENDING_STATUS, total=total,
                         started_at=broadcast.started_at or actor.now,
                         progress_message_id=progress_message_id
                         or broadcast.progress_message_id).where(
            Broadcast.id == broadcast.id).execute()
    return broadcast_progress(actor, broadcast.id)


def _prefix(broadcast_id: int) -> str:
    return f"broadcast:{broadcast_id}:"


def _rows(broadcast_id: int) -> Expression:
    """The broadcast's outbox rows, by a range of their unique key (so the index serves)."""
    prefix = _prefix(broadcast_id)
    return (Outbox.key >= prefix) & (Outbox.key < prefix[:-1] + ";")


@dataclass(frozen=True)
class Progress:
    broadcast_id: int
    status: str
    total: int
    sent: int
    unreachable: int
    waiting: int  # pending or being sent
    cancelled: int  # not sent: cancelled, or stopped when Telegram refused the text
    audience: str
    created_at: dt.datetime
    author: int = 0
    message_id: int | None = None  # the author's progress message
    refused: int = 0  # refused by Telegram
    refusal: str = ""  # Telegram's reason (the first refusal's)
    text: str = ""
    photo: str = ""

    @property
    def finished(self) -> bool:
        return self.status in FINISHED


def broadcast_progress(actor: Actor, broadcast_id: int) -> Progress:
    """Sent / total / unreachable / refused now; a broadcast with nothing left to send becomes
    done."""
    broadcast = _get(broadcast_id)
    counts = dict(Outbox.select(Outbox.status, fn.COUNT(Outbox.id))
                  .where(_rows(broadcast.id)).group_by(Outbox.status).tuples())
    waiting = counts.get(PENDING, 0) + counts.get(SENDING, 0)
    status = broadcast.status
    if status == SENDING_STATUS and not waiting:
        status = DONE
        Broadcast.update(status=DONE, finished_at=actor.now).where(
            Broadcast.id == broadcast.id, Broadcast.status == SENDING_STATUS).execute()
    refusal = "" if not counts.get(REFUSED) else str(
        Outbox.select(Outbox.error).where(_rows(broadcast.id), Outbox.status == REFUSED)
        .order_by(Outbox.id).limit(1).scalar() or "")
    return Progress(broadcast.id, status, broadcast.total, counts.get(SENT, 0),
                    counts.get(UNREACHABLE, 0), waiting, counts.get(EXPIRED, 0),
                    broadcast.audience, broadcast.created_at, broadcast.author,
                    broadcast.progress_message_id, counts.get(REFUSED, 0), refusal,
                    broadcast.text, broadcast.photo or "")


def preview_refused(actor: Actor, broadcast_id: int, reason: str) -> bool:
    """Telegram refused the preview of a draft: it is never sent (the question to send it
    was not shown either). True when a draft was stopped."""
    with database.atomic():
        stopped = Broadcast.update(status=REFUSED_STATUS, finished_at=actor.now).where(
            Broadcast.id == broadcast_id, Broadcast.status == DRAFT).execute()
        if stopped:
            record(actor, "broadcast_refused", broadcast_id, DRAFT, reason[:200])
    return bool(stopped)


def refused_by_telegram(actor: Actor, key: str, reason: str) -> str | None:
    """The outbox's refusal hook: a broadcast message Telegram refused for a reason of the
    text (not of one chat) stops the broadcast: nothing more of it is sent, the rest counts
    as not sent. Answers the key prefix of its rows when it stopped one."""
    prefix, _, rest = key.partition(":")
    if prefix != "broadcast" or any(word in reason.lower() for word in ABOUT_THE_CHAT):
        return None
    broadcast_id = int(rest.split(":")[0])
    with database.atomic():
        stopped = Broadcast.update(status=REFUSED_STATUS, finished_at=actor.now).where(
            Broadcast.id == broadcast_id, Broadcast.status == SENDING_STATUS).execute()
        if stopped:
            Outbox.update(status=EXPIRED, error=STOPPED).where(
                _rows(broadcast_id), Outbox.status == PENDING).execute()
            record(actor, "broadcast_refused", broadcast_id, SENDING_STATUS, reason[:200])
    return _prefix(broadcast_id) if stopped else None


STALLED_AFTER = dt.timedelta(minutes=1)


def delivery_stalled(actor: Actor, progress: Progress) -> bool:
    """Whether a broadcast going out has had nothing delivered for STALLED_AFTER since it was
    sent or since its last copy went: no bot (nor cron's `scheduler.py deliver`) is delivering."""
    if progress.status != SENDING_STATUS or not progress.waiting:
        return False
    started = (Broadcast.select(Broadcast.started_at)
               .where(Broadcast.id == progress.broadcast_id).scalar())
    last = Outbox.select(fn.MAX(Outbox.sent_at)).where(_rows(progress.broadcast_id)).scalar()
    moments = [moment for moment in (started, last) if moment is not None]
    return bool(moments) and actor.now - max(moments) >= STALLED_AFTER


def cancel_broadcast(actor: Actor, broadcast_id: int) -> Progress:
    """Stop a broadcast: what is not sent yet never will be (a message a sender holds this
    moment may still go; one held by a sender that died is not taken back)."""
    broadcast = _get(broadcast_id)
    if broadcast.status in FINISHED:
        raise Refused("broadcast_finished", broadcast_id=broadcast_id)
    with database.atomic():
        Outbox.update(status=EXPIRED, error="broadcast cancelled").where(
            _rows(broadcast.id), Outbox.status.in_((PENDING, SENDING))).execute()
        Broadcast.update(status=CANCELLED, finished_at=actor.now).where(
            Broadcast.id == broadcast.id).execute()
        record(actor, "broadcast_cancel", broadcast.id, broadcast.status, CANCELLED)
    return broadcast_progress(actor, broadcast.id)


def broadcast_history(actor: Actor, limit: int = 10) -> list[Progress]:
    """The latest broadcasts, newest first."""
    ids = [bid for (bid,) in Broadcast.select(Broadcast.id).where(Broadcast.status != DRAFT)
           .order_by(Broadcast.id.desc()).limit(limit).tuples()]
    return [broadcast_progress(actor, bid) for bid in ids]


def broadcasts_in_flight(actor: Actor) -> list[Progress]:
    """Broadcasts going out, and those finished whose author has no final report yet."""
    ids = [bid for (bid,) in Broadcast.select(Broadcast.id).where(
        (Broadcast.status == SENDING_STATUS)
        | (Broadcast.status.in_(FINISHED) & Broadcast.reported_at.is_null()
           & Broadcast.started_at.is_null(False))).order_by(Broadcast.id).tuples()]
    return [broadcast_progress(actor, bid) for bid in ids]


def claim_report(actor: Actor, broadcast_id: int) -> bool:
    """Whether the caller is the one to send the final report of a finished broadcast (True
    once, whichever process asks first)."""
    return bool(Broadcast.update(reported_at=actor.now).where(
        Broadcast.id == broadcast_id, Broadcast.reported_at.is_null(),
        Broadcast.status.in_(FINISHED)).execute())
