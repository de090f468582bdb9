"""Organizer operations: what organizers do to run a community, for every face (the /admin
flow in Telegram, the web panel, `runner.py access`) to call. No SQL lives in those faces.

Every operation takes an `Actor` first (`act_as(user_id, organizer_ids)` checks the person is an
organizer; `operator(organizer_ids)` is the command line), validates its input (raising `Refused`
with a `code` and `params` each face translates; nothing is changed then), writes an audit row
(who, what, target, old -> new, when) in the same transaction as the change, and returns what
to show.

Organizers (people):   is_organizer, organizers, appoint, revoke
Participants (people): find, card, set_comment, clear_comment, ban, unban
Access (access):       add_entry(ALLOW|BLOCK), remove_entry, entries, admission
Settings (settings):   Defaults.from_settings, setting_values, change_setting, reset_setting,
                       effective, live_schedule
Statistics (stats):    at_a_glance, chart_png, latest_rounds, round_numbers (rounds_numbers:
                       many rounds at once), meeting_numbers
Rounds (round_control): next_round, job_plans, preview_pairs, run_job_now, without_partner
The next matching (next_pairs, swap): next_groups (paged, searchable), prepare_next_groups
                       (its plan worked out ahead), swap_participants
Notes (notes):         inbox, unread_count, reply_to_note; a participant's note
                       (sending_notes): note_registry, the action of /feedback
Exports (exports):     participants_export, rounds_export, meetings_export, audit_export:
                       an Export (file name, streamed chunks), the same for /admin and the panel
Broadcasts (broadcasts): draft_broadcast, broadcast_preview, start_broadcast,
                       broadcast_progress, cancel_broadcast, broadcast_history, check_audience,
                       check_caption, delivery_stalled, broadcasts_in_flight, claim_report,
                       refused_by_telegram (the outbox's refusal hook), preview_refused
Audit (audit):         audit_log, note_panel_access
Words (vocabulary):    Vocabulary, Words: every id an organizer reads, as a word in their
                       language (see `coffee.organizers.vocabulary`, whose constants name the
                       kinds of status)
"""

from coffee.organizers import vocabulary
from coffee.organizers.access import (
    ALLOW,
    BLOCK,
    Admission,
    Entry,
    Who,
    add_entry,
    admission,
    entries,
    remove_entry,
)
from coffee.organizers.actor import OPERATOR, Actor, Refused, act_as, is_organizer, operator
from coffee.organizers.audit import AuditLine, audit_log, note_panel_access
from coffee.organizers.broadcasts import (
    Progress,
    broadcast_history,
    broadcast_preview,
    broadcast_progress,
    broadcasts_in_flight,
    cancel_broadcast,
    check_audience,
    claim_report,
    delivery_stalled,
    draft_broadcast,
    preview_refused,
    refused_by_telegram,
    start_broadcast,
)
from coffee.organizers.exports import (
    Export,
    audit_export,
    meetings_export,
    participants_export,
    rounds_export,
)
from coffee.organizers.live_settings import (
    DEFINITIONS,
    REGISTRATION_MODES,
    Defaults,
    LiveSetting,
    SettingValue,
    change_setting,
    effective,
    live_schedule,
    reset_setting,
    setting_values,
)
from coffee.organizers.next_pairs import GroupsPage, next_groups, prepare_next_groups
from coffee.organizers.notes import NoteView, inbox, reply_to_note, unread_count
from coffee.organizers.people import (
    Card,
    Found,
    Match,
    OrganizerRow,
    RoundLine,
    Suspension,
    appoint,
    ban,
    card,
    clear_comment,
    find,
    organizers,
    revoke,
    set_comment,
    unban,
)
from coffee.organizers.round_control import (
    JobDone,
    JobPlan,
    job_plans,
    next_round,
    preview_pairs,
    run_job_now,
    without_partner,
)
from coffee.organizers.sending_notes import note_registry
from coffee.organizers.stats import (
    Glance,
    MeetingNumbers,
    RoundNumbers,
    at_a_glance,
    chart_png,
    latest_rounds,
    meeting_numbers,
    round_numbers,
    rounds_numbers,
)
from coffee.organizers.swap import swap_participants
from coffee.organizers.telegram_html import check_caption, check_html
from coffee.organizers.vocabulary import Vocabulary, Words

__all__ = [
    "ALLOW",
    "BLOCK",
    "DEFINITIONS",
    "OPERATOR",
    "REGISTRATION_MODES",
    "Actor",
    "Admission",
    "AuditLine",
    "Card",
    "Defaults",
    "Entry",
    "Export",
    "Found",
    "Glance",
    "GroupsPage",
    "JobDone",
    "JobPlan",
    "LiveSetting",
    "Match",
    "MeetingNumbers",
    "NoteView",
    "OrganizerRow",
    "Progress",
    "Refused",
    "RoundLine",
    "RoundNumbers",
    "SettingValue",
    "Suspension",
    "Vocabulary",
    "Who",
    "Words",
    "act_as",
    "add_entry",
    "admission",
    "appoint",
    "at_a_glance",
    "audit_export",
    "audit_log",
    "ban",
    "broadcast_history",
    "broadcast_preview",
    "broadcast_progress",
    "broadcasts_in_flight",
    "cancel_broadcast",
    "card",
    "change_setting",
    "chart_png",
    "check_audience",
    "check_caption",
    "check_html",
    "claim_report",
    "clear_comment",
    "delivery_stalled",
    "draft_broadcast",
    "effective",
    "entries",
    "find",
    "inbox",
    "is_organizer",
    "job_plans",
    "latest_rounds",
    "live_schedule",
    "meeting_numbers",
    "meetings_export",
    "next_groups",
    "next_round",
    "note_panel_access",
    "note_registry",
    "operator",
    "organizers",
    "participants_export",
    "prepare_next_groups",
    "preview_pairs",
    "preview_refused",
    "refused_by_telegram",
    "remove_entry",
    "reply_to_note",
    "reset_setting",
    "revoke",
    "round_numbers",
    "rounds_export",
    "rounds_numbers",
    "run_job_now",
    "set_comment",
    "setting_values",
    "start_broadcast",
    "swap_participants",
    "unban",
    "unread_count",
    "vocabulary",
    "without_partner",
]
