"""The organizers' vocabulary: every stored id an organizer may read, as a word in their
language, in one place for every face (the bot's /admin, the web panel, the CSV exports).

Build one `Vocabulary` per bot from its flows and renderer, then take the `Words` of an
organizer's locale (cheap, cached; safe to share between threads):

    vocabulary = Vocabulary(library, renderer)       # coffee.app builds it: `parts.vocabulary`
    words = vocabulary.words("en")

What `Words` answers (each returns a plain string, never HTML; an id nobody labelled comes back
as it is, so that a new value is visible rather than lost):

    The flows' own texts, as the participants' buttons and questions say them:
      words.question("frequency")               "How often"       (the question's title)
      words.answer("frequency", "weekly")       "Every week"      (lists joined, languages named)
      words.answers({"first_name": …, …})       [(title, value), …] in the questionnaire's order
      words.reason(DECLINE, "no_time")          "No time"         (DECLINE, WHY_NOT: the reasons)
    Statuses, by kind (ROUND, PARTICIPATION, MEETING, BROADCAST, AUDIENCE, NOTE, DELIVERY,
    PERSON, MODE, LIST, SOURCE; `STATUSES[kind]` lists the ids of each):
      words.status(PARTICIPATION, "skip")       "skips this week"
      words.status(AUDIENCE, "locale:uk")       "Українська" (the language's own name)
      words.meeting(answers)                    MEETING status of what the members said
    Settings:
      words.setting("schedule_invite")          "Invitations: day and time"
      words.setting_value("schedule_invite", "thu 09:00")   "Thursday, 9:00 AM"
    The audit log, the weekly jobs, CSV columns:
      words.action("ban")                       "Suspended"
      words.audit_target("setting", "schedule_invite")      "Invitations: day and time"
      words.audit_value("unlist", "@ann", "allow")          "allow list"
      words.job("match")                        "Pairs"
      words.job_counts({"invited": 31, …})      "Invited: 31. Skipping this week: 3."
      words.column("first_name")                (a question's title, or a fixed column's name)
    Numbers with nouns, by Babel's plural rules (`NOUNS` lists the nouns):
      words.count("people", 2)                  "2 people" (Ukrainian: three forms)
      words.yes_no(True)                        "yes"

Which words exist is data here (msgids marked for extraction: `runner.py i18n extract` puts
them into locales/messages.pot); their translations are in the bot's catalogs, beside the
flows' texts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cached_property
from threading import Lock
from typing import Any

from babel.dates import format_time, get_day_names

from coffee.cycle.leaving import BLOCKED, CANCELLED
from coffee.cycle.schedule import WEEKDAYS, ScheduleError, WeeklyTime
from coffee.organizers.actor import OPERATOR
from coffee.organizers.audit import PANEL_ACCESS
from coffee.organizers.stats import meeting_status
from engine.dialog.profile import is_answered, questionnaire
from engine.flows.library import FlowLibrary
from engine.flows.spec import Ask
from engine.render.templates import Renderer

__all__ = ["ACTIONS", "AUDIENCE", "BROADCAST", "CHART", "COLUMNS", "DECLINE", "DELIVERY",
           "FLOWS", "JOBS", "JOB_COUNTS", "LIST", "MEETING", "MODE", "NOTE", "NOUNS",
           "PARTICIPATION", "PERSON",
           "ROUND", "SETTINGS", "SOURCE", "STATUSES", "WHY_NOT", "Vocabulary", "Words",
           "reason_labels", "swap_groups"]


def N_(msgid: str) -> str:
    """Marks a text for extraction; it is translated where it is shown."""
    return msgid


def NN_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a text with a number for extraction (its English singular and plural)."""
    return singular, plural


# Statuses, by kind ---------------------------------------------------------------------------

ROUND, PARTICIPATION, MEETING, BROADCAST = "round", "participation", "meeting", "broadcast"
AUDIENCE, NOTE, DELIVERY, PERSON = "audience", "note", "delivery", "person"
MODE, LIST, SOURCE = "mode", "list", "source"

STATUSES: dict[str, dict[str, str]] = {
    # coffee.cycle.rounds
    ROUND: {"planned": N_("not started"), "open": N_("invitations sent"),
            "matched": N_("pairs made"), "closed": N_("feedback asked")},
    # coffee.cycle.participation; "" is a round the participant was not asked about
    PARTICIPATION: {"invited": N_("invited, no answer yet"), "yes": N_("takes part"),
                    "no": N_("declined"), "skip": N_("skips this week"), "": N_("not invited")},
    # what the members of a meeting said (`Words.meeting`)
    MEETING: {"met": N_("met"), "not_met": N_("did not meet"),
              "split": N_("one said they met, another said they did not"),
              "unknown": N_("no answer yet")},
    # coffee.organizers.broadcasts
    BROADCAST: {"draft": N_("not sent yet"), "sending": N_("going out"), "done": N_("sent"),
                "cancelled": N_("cancelled"), "refused": N_("refused by Telegram")},
    AUDIENCE: {"all": N_("Everyone registered"), "round": N_("This round's participants"),
               "organizers": N_("Organizers only (a test)")},  # and "locale:<code>"
    # coffee.organizers.notes
    NOTE: {"new": N_("new"), "read": N_("read"), "answered": N_("answered")},
    # coffee.cycle.outbox
    DELIVERY: {"pending": N_("waiting"), "sending": N_("being sent"), "sent": N_("sent"),
               "unreachable": N_("blocked the bot"), "expired": N_("not sent: too late"),
               "refused": N_("refused by Telegram")},
    # a participant as organizers see them (the card, the panel's list, the exports)
    PERSON: {"registered": N_("registered"), "unregistered": N_("not registered"),
             "suspended": N_("suspended"), "unreachable": N_("blocked the bot"),
             "organizer": N_("organizer"), "permanent": N_("organizer (server settings)")},
    # engine.settings.REGISTRATION_MODES
    MODE: {"open": N_("open to everyone"), "allow-list": N_("only the allow list"),
           "closed": N_("closed to newcomers")},
    # coffee.organizers.access
    LIST: {"allow": N_("allow list"), "block": N_("block list")},
    # coffee.organizers.settings: where a setting's value comes from
    SOURCE: {"stored": N_("changed here"), "environment": N_("from the server settings"),
             "default": N_("default")},
}

# What each registration mode means, for the access screen.
MODE_RULES = {
    "open": N_("anyone may register"),
    "allow-list": N_("only people on the allow list may register"),
    "closed": N_("nobody new may register, not even people on the allow list"),
}

# The reasons participants give: the question of which flow, storing which answer, names them.
DECLINE, WHY_NOT = "decline", "why_not"
REASON_QUESTIONS = {DECLINE: ("invitation", "reason"), WHY_NOT: ("feedback", "reason")}
NO_REASON = "none"  # a decline whose reason was skipped: labelled with the skip button
# Why a member is out of a meeting when no button said it: they left it (coffee.cycle.leaving).
LEFT = {CANCELLED: N_("left the meeting"), BLOCKED: N_("blocked the bot")}

# Settings (coffee.organizers.settings.DEFINITIONS) ------------------------------------------

SETTINGS = {
    "schedule_invite": N_("Invitations: day and time"),
    "schedule_match": N_("Pairs: day and time"),
    "schedule_feedback": N_("Feedback question: day and time"),
    "registration_mode": N_("Registration"),
    "community_name": N_("Community name"),
}

# The audit log's actions (coffee.organizers.audit.record) -----------------------------------

ACTIONS = {
    "comment": N_("Comment changed"),
    "ban": N_("Suspended"),
    "unban": N_("Suspension lifted"),
    "appoint": N_("Made an organizer"),
    "revoke": N_("Organizer rights taken back"),
    "allow": N_("Put on the allow list"),
    "block": N_("Put on the block list"),
    "unlist": N_("Taken off a list"),
    "setting": N_("Setting changed"),
    "broadcast_draft": N_("Broadcast written"),
    "broadcast_start": N_("Broadcast sent"),
    "broadcast_cancel": N_("Broadcast cancelled"),
    "broadcast_refused": N_("Broadcast stopped: Telegram refused it"),
    "reply_note": N_("Note answered"),
    "run_job": N_("Weekly step run by hand"),
    "swap": N_("Two participants swapped in the next matching"),
    "panel_login": N_("Logged in to the web panel"),
    "panel_logout": N_("Logged out of the web panel"),
    "panel_logout_everywhere": N_("Logged out of the web panel everywhere"),
}

# The weekly jobs and what their summaries count (coffee.cycle: Summary.counts) --------------

JOBS = {"invite": N_("Invitations"), "match": N_("Pairs"), "feedback": N_("Feedback question")}

JOB_COUNTS = {
    "invited": N_("Invited"),
    "already invited": N_("Invited before"),
    "skipped": N_("Skipping this week"),
    "resting (biweekly)": N_("Resting (every two weeks)"),
    "unreachable": N_("Blocked the bot"),
    "disabled": N_("Suspended"),
    "groups": N_("Meetings"),
    "trios": N_("Of them trios"),
    "repeated pairs": N_("Pairs that met before"),
    "unmatched": N_("Left without a partner"),
    "introduced": N_("Introduced"),
    "not introduced (disabled or unreachable)": N_("Not introduced (suspended or blocked the "
                                                   "bot)"),
    "asked": N_("Asked"),
    "not asked (disabled or unreachable)": N_("Not asked (suspended or blocked the bot)"),
}

# Columns of the CSV exports that are no question's answer -----------------------------------

COLUMNS = {
    "id": N_("Telegram id"),
    "username": N_("Username"),
    "telegram_name": N_("Name in Telegram"),
    "language": N_("Language"),
    "status": N_("Status"),
    "created_at": N_("First message"),
    "comment": N_("Organizers' comment"),
    "feedback_comment": N_("Their comment"),
    "week": N_("Week from"),
    "meeting": N_("Meeting"),
    "name": N_("Participant"),
    "partners": N_("Partners"),
    "met": N_("Met"),
    "rating": N_("Rating"),
    "reason": N_("Why not"),
    "round_status": N_("Round"),
    "invited": N_("Invited"),
    "yes": N_("Said yes"),
    "no": N_("Said no"),
    "not_answered": N_("Did not answer"),
    "pairs": N_("Pairs"),
    "trios": N_("Groups of three"),
    "met_percent": N_("Met, %"),
    "average_rating": N_("Average rating"),
    "when": N_("When"),
    "organizer": N_("Organizer"),
    "action": N_("Action"),
    "target": N_("Whom or what"),
    "before": N_("Before"),
    "after": N_("After"),
    # the files' names
    "participants": N_("participants"),
    "rounds": N_("rounds"),
    "meetings": N_("meetings"),
    "audit": N_("changes by organizers"),
}

# Nouns met with a number --------------------------------------------------------------------

NOUNS: dict[str, tuple[str, str]] = {
    "people": NN_("%(num)s person", "%(num)s people"),
    "recipients": NN_("%(num)s recipient", "%(num)s recipients"),
    "participants": NN_("%(num)s participant", "%(num)s participants"),
    "characters": NN_("%(num)s character", "%(num)s characters"),
    "messages": NN_("%(num)s message", "%(num)s messages"),
    "invitations": NN_("%(num)s invitation", "%(num)s invitations"),
    "meetings": NN_("%(num)s meeting", "%(num)s meetings"),
    "answers": NN_("%(num)s answer", "%(num)s answers"),
    "more": NN_("and %(num)s more", "and %(num)s more"),
    "sessions": NN_("%(num)s session", "%(num)s sessions"),
}

YES_NO = {True: N_("yes"), False: N_("no")}

# Where a participant stands in the dialogue: the shipped flows (another flow shows its name).
FLOWS = {
    "start": N_("in their profile"),
    "invitation": N_("answering the invitation"),
    "feedback": N_("answering how the meeting went"),
    "note": N_("writing to the organizers"),
    "info": N_("reading the help"),
    "admin": N_("in the organizers' tools"),
    "status": N_("reading where they stand"),
    "": N_("between conversations"),
}

# The chart of the latest rounds (coffee.organizers.stats.chart_png).
CHART = {"participants": N_("participants"), "meetings": N_("meetings"),
         "met": N_("answers “we met”, %"), "title": N_("The last 12 rounds")}


def reason_labels(library: FlowLibrary) -> dict[str, dict[str, str]]:
    """Kind (DECLINE, WHY_NOT) -> reason id -> label (a msgid): the options of the question
    that asks it; a skipped reason (`none`) is labelled with the question's skip button, and a
    member who left the meeting (LEFT) as such."""
    found: dict[str, dict[str, str]] = {}
    for kind, (flow, answer) in REASON_QUESTIONS.items():
        labels = found.setdefault(kind, {})
        spec = library.flows.get(flow)
        for state in spec.states.values() if spec else ():
            if state.ask is not None and state.ask.answer == answer:
                labels.update({option.id: option.label for option in state.ask.options})
                if state.ask.skip:
                    labels.setdefault(NO_REASON, state.ask.skip)
        for reason, label in LEFT.items():
            labels.setdefault(reason, label)
    return found


class Vocabulary:
    """The words of one bot: its flows' questions and options, and the fixed words above."""

    def __init__(self, library: FlowLibrary, renderer: Renderer) -> None:
        self.library = library
        self.renderer = renderer
        self._words: dict[str, Words] = {}
        self._lock = Lock()

    def words(self, locale: str) -> Words:
        """The words in `locale` (the renderer's fallbacks apply to an unknown locale)."""
        words = self._words.get(locale)
        if words is None:
            with self._lock:
                words = self._words.setdefault(locale, Words(self, locale))
        return words

    @cached_property
    def profile(self) -> tuple[Ask, ...]:
        """The questionnaire's questions, in its order."""
        spec = questionnaire(self.library)
        if spec is None:
            return ()
        asks = (spec.states[name].ask for name in spec.questions if name in spec.states)
        return tuple(ask for ask in asks if ask is not None)

    @cached_property
    def questions(self) -> dict[str, Ask]:
        """Answer key -> its question: the questionnaire's first, then every other flow's
        (in flow order; the first question storing a key names it)."""
        found = {ask.answer: ask for ask in self.profile}
        for spec in self.library.flows.values():
            for state in spec.states.values():
                if state.ask is not None and state.ask.input != "pick":
                    found.setdefault(state.ask.answer, state.ask)
        return found

    @cached_property
    def reasons(self) -> dict[str, dict[str, str]]:
        return reason_labels(self.library)

    def option_ids(self) -> set[str]:
        """Every option id of every flow's questions: ids an organizer must never read where
        a label exists (the vocabulary tests look for them)."""
        return {option.id for spec in self.library.flows.values()
                for state in spec.states.values() if state.ask is not None
                for option in state.ask.options}


def swap_groups(value: Any) -> list[list[int]]:
    """The groups (Telegram ids) a swap's audit value holds: two lists of members; entries
    written before the groups were recorded hold {id: meeting}, read as the two people."""
    if isinstance(value, dict):
        return [[int(uid)] for uid in value]
    if isinstance(value, list):
        return [[int(uid) for uid in group] for group in value if isinstance(group, list)]
    return []


class Words:
    """The vocabulary in one language (see the module's docstring)."""

    def __init__(self, vocabulary: Vocabulary, locale: str) -> None:
        self.vocabulary = vocabulary
        self.locale = locale
        self._renderer = vocabulary.renderer
        self._cache: dict[str, str] = {}

    def _(self, msgid: str) -> str:
        text = self._cache.get(msgid)
        if text is None:
            text = self._cache[msgid] = self._renderer.gettext(self.locale, msgid)
        return text

    # The flows' own texts -------------------------------------------------------------------

    def question(self, key: str) -> str:
        """The title of the question that stores `key` (its text when it has no title)."""
        ask = self.vocabulary.questions.get(key)
        if ask is None:
            return self._(COLUMNS[key]) if key in COLUMNS else key
        if ask.title:
            return self._(ask.title)
        return self._(ask.prompt.inline) if ask.prompt.inline else key

    def answer(self, key: str, value: Any) -> str:
        """A stored answer as the participant's buttons said it: options by their labels,
        lists joined, a language by its name; "—" for none."""
        if not is_answered(value):
            return "—"
        ask = self.vocabulary.questions.get(key)
        if isinstance(value, list):
            return ", ".join(self.answer(key, item) for item in value)
        if ask is not None and ask.input == "language":
            return self._renderer.language_name(str(value))
        if isinstance(value, bool):
            return self.yes_no(value)
        if ask is not None:
            for option in ask.options:
                if option.id == str(value):
                    return self._(option.label)
        return str(value)

    def answers(self, answers: Mapping[str, Any]) -> list[tuple[str, str]]:
        """(title, answer) of the questionnaire's questions in its order, then of any other
        stored answer (by its key: no question asks it any more)."""
        asked = [ask.answer for ask in self.vocabulary.profile]
        rest = [key for key in answers if key not in asked]
        return [(self.question(key), self.answer(key, answers.get(key)))
                for key in (*asked, *rest)]

    def reason(self, kind: str, reason: str | None) -> str:
        """A decline reason (DECLINE) or why a meeting did not happen (WHY_NOT), as the
        participant's button said it."""
        label = self.vocabulary.reasons.get(kind, {}).get(reason or NO_REASON)
        return self._(label) if label else (reason or "—")

    # Statuses ---------------------------------------------------------------------------

    def status(self, kind: str, value: str | None) -> str:
        """A status of `kind` (one of STATUSES) in words."""
        value = value or ""
        if kind == AUDIENCE and value.startswith("locale:"):
            return self._renderer.language_name(value.partition(":")[2])
        label = STATUSES[kind].get(value)
        return self._(label) if label else value

    def language(self, code: str) -> str:
        """One of the bot's languages by its own name ("Українська")."""
        return self._renderer.language_name(code)

    def meeting(self, happened: Iterable[bool | None]) -> str:
        """What a meeting's members said as one MEETING status: met, did not meet, split
        (one said yes, another no), or no answer yet."""
        return self.status(MEETING, meeting_status(happened))

    def person(self, *, registered: bool, suspended: bool, reachable: bool) -> str:
        """A participant's standing in PERSON statuses: "registered", or what is amiss
        ("suspended, blocked the bot")."""
        amiss = [status for status, holds in (("unregistered", not registered),
                                              ("suspended", suspended),
                                              ("unreachable", not reachable)) if holds]
        return ", ".join(self.status(PERSON, status) for status in amiss or ["registered"])

    def flow(self, name: str | None) -> str:
        """Where a participant stands: the flow they are in (None: none), in words."""
        label = FLOWS.get(name or "")
        return self._(label) if label else str(name)

    def mode_rule(self, mode: str) -> str:
        """What a registration mode lets in."""
        rule = MODE_RULES.get(mode)
        return self._(rule) if rule else mode

    # Settings ---------------------------------------------------------------------------

    def setting(self, key: str) -> str:
        return self._(SETTINGS[key]) if key in SETTINGS else key

    def setting_value(self, key: str, value: str | None) -> str:
        """A setting's value as an organizer reads it: a weekday and time in their language,
        a registration mode by its name."""
        if value is None:
            return "—"
        if key.startswith("schedule_"):
            try:
                return self.weekly_time(WeeklyTime.parse(key, value))
            except ScheduleError:
                return value
        if key == "registration_mode":
            return self.status(MODE, value)
        return value

    def weekly_time(self, time: WeeklyTime) -> str:
        """`thu 09:00` as "Thursday, 09:00" in this language."""
        day = get_day_names("wide", "format", self.locale)[time.weekday]
        return f"{day}, {format_time(time.at, 'short', locale=self.locale)}"

    def weekdays(self) -> dict[str, int]:
        """Every way this language (and English) names a weekday, lower-case -> 0..6: the
        full names, the abbreviations, the short forms."""
        names: dict[str, int] = {}
        for locale in dict.fromkeys((self.locale, "en")):
            for width in ("wide", "abbreviated", "short"):
                for context in ("format", "stand-alone"):
                    for day, name in get_day_names(width, context, locale).items():
                        names.setdefault(name.lower().rstrip("."), day)
        for day, name in enumerate(WEEKDAYS):
            names.setdefault(name, day)
        return names

    # The audit log, the weekly jobs, the exports ---------------------------------------

    def action(self, action: str) -> str:
        return self._(ACTIONS[action]) if action in ACTIONS else action

    def audit_target(self, action: str, target: str) -> str:
        """What an audit entry changed when it is not a person (callers name people): a
        setting by its name, a weekly step run by hand with its week."""
        if action == "setting":
            return self.setting(target)
        if action == "run_job":
            job, _space, week = target.partition(" ")
            return f"{self.job(job)} {week}".rstrip()
        return target

    def audit_value(self, action: str, target: str, value: Any,
                    names: Mapping[int, str] | None = None) -> str:
        """A value before or after a change, in words: yes or no for a flag, a setting's value,
        an access list, a broadcast's audience or status, a weekly step's counts, the panel
        sessions a login opened or a logout ended, the groups of a swap (`A + B; C + D`, people
        by `names`: Telegram id -> name); any other text as it is ("" for none)."""
        if value is None:
            return ""
        if action == "swap":
            return "; ".join(" + ".join((names or {}).get(uid, str(uid)) for uid in group)
                             for group in swap_groups(value))
        if isinstance(value, bool):
            return self.yes_no(value)
        if action in PANEL_ACCESS and isinstance(value, int):  # the sessions opened or ended
            return self.count("sessions", value)
        text = str(value)
        if action == "setting":
            return self.setting_value(target, text)
        if action in ("allow", "block", "unlist") and text in STATUSES[LIST]:
            return self.status(LIST, text)
        if action == "broadcast_draft":
            return self.status(AUDIENCE, text)
        if action.startswith("broadcast_") and text in STATUSES[BROADCAST]:
            return self.status(BROADCAST, text)
        if action == "run_job" and isinstance(value, dict):
            return self.job_counts(value)
        return text

    def someone(self, user_id: int) -> str:
        """Who acted or was acted on when the bot has no record of them: the operator at the
        command line (0), or someone who never opened the bot (an organizer of ORGANIZER_IDS
        who has not yet written to it)."""
        if user_id == OPERATOR:
            return self._(N_("The operator (command line)"))
        return self._(N_("Telegram id %(id)s (has not opened the bot)")) % {"id": user_id}

    def job(self, job: str) -> str:
        return self._(JOBS[job]) if job in JOBS else job

    def job_counts(self, counts: Mapping[str, int]) -> str:
        """`Invited: 31. Skipping this week: 3.`: a job's counts, zeros left out (all of them
        zero: "nothing to do")."""
        parts = [f"{self._(JOB_COUNTS.get(key, key))}: {count}."
                 for key, count in counts.items() if count]
        return " ".join(parts) or self._(N_("Nothing to do."))

    def column(self, name: str) -> str:
        """A CSV column: a question's title for an answer key, else a fixed column's name."""
        if name in COLUMNS:
            return self._(COLUMNS[name])
        return self.question(name)

    # Numbers and the rest ---------------------------------------------------------------

    def count(self, noun: str, number: int) -> str:
        """`number` and `noun` (one of NOUNS) in this language's plural form."""
        singular, plural = NOUNS[noun]
        return self._renderer.ngettext(self.locale, singular, plural, number) % {"num": number}

    def chart(self) -> dict[str, str]:
        """The chart's legend and title."""
        return {key: self._(label) for key, label in CHART.items()}

    def yes_no(self, value: bool | None) -> str:
        return "—" if value is None else self._(YES_NO[bool(value)])

