"""The pairs who met before a round, as the next matching's page keeps them between views: read
again only where the meetings changed.

The meetings are taken in blocks of consecutive ids (`MEETINGS_PER_BLOCK` of them, twice as many
each time the ids outgrow `MOST_BLOCKS` blocks), and each block's pairs are kept under a
fingerprint of its members, all of them checked in one query at each view. A rematch or a swap
moves members between meetings of one round: only the block holding those meetings is read
again, not a year of meetings. The fingerprints also name the rounds before the week and their
numbers, which the pairs are listed under. Meetings are never moved from one round to another
(nothing does), so that is not looked for.
"""

from __future__ import annotations

import datetime as dt
import operator
from dataclasses import dataclass
from functools import reduce

from peewee import SQL, fn

from coffee.cycle.jobs import latest_meetings, pairs_by_round, rounds_before
from coffee.matching import Pair
from coffee.models import MeetingMember
from engine.store import database

__all__ = ["MEETINGS_PER_BLOCK", "MOST_BLOCKS", "MeetingsState", "meetings_state", "pairs_met"]

MEETINGS_PER_BLOCK = 4096
MOST_BLOCKS = 256


@dataclass(frozen=True)
class MeetingsState:
    """What the pairs who met before `week` are read from, summed up."""

    week: dt.date
    rounds: tuple[tuple[int, int], ...]  # the rounds before the week: (id, number)
    size: int  # meetings per block
    # each block with members: its first meeting id, and its (count, sum of user ids, mixed sum)
    blocks: tuple[tuple[int, tuple[int, int, int]], ...]


# the latest state's week, rounds and block size; each block's sums and pairs (by round
# number); all of them merged (None until asked again after a change)
_kept: tuple[tuple[object, ...], dict[int, tuple[tuple[int, int, int], dict[int, list[Pair]]]],
             dict[Pair, int] | None] | None = None


def meetings_state(week: dt.date) -> MeetingsState:
    """The meetings' members summed up block by block, with the rounds before `week`.

    Each block: the count of its members' rows, the sum of their user ids (a member added or
    removed changes them) and the sum over (meeting x member) of the product's low 20 bits (a
    member moved to another meeting changes it). Blocks without members are left out. The
    product is taken in 64 bits (no overflow on PostgreSQL) and the constants are written into
    the SQL: the same query on SQLite and PostgreSQL."""
    top = MeetingMember.select(fn.MAX(MeetingMember.meeting)).scalar() or 0
    size = MEETINGS_PER_BLOCK << (top // (MEETINGS_PER_BLOCK * MOST_BLOCKS)).bit_length()
    mixed = (MeetingMember.meeting.cast("BIGINT") * MeetingMember.user).bin_and(SQL("1048575"))
    blocks = [MeetingMember.select(SQL(str(start)), fn.COUNT(MeetingMember.id),
                                   fn.SUM(MeetingMember.user), fn.SUM(mixed))
              .where(MeetingMember.meeting >= SQL(str(start)),
                     MeetingMember.meeting < SQL(str(start + size)))
              for start in range(0, top + 1, size)]
    summed = sorted((int(start), (int(count), int(users), int(mixed_sum)))
                    for start, count, users, mixed_sum
                    in database.execute(reduce(operator.add, blocks)) if count) if top else []
    return MeetingsState(week, tuple(sorted(rounds_before(week).items())), size,
                         tuple(summed))


def pairs_met(state: MeetingsState) -> dict[Pair, int]:
    """Every pair that met in a round before `state.week`, with the number of their latest
    round: the blocks whose sums changed since the last call are read again, the others kept."""
    global _kept
    key = (state.week, state.rounds, state.size)
    if _kept is None or _kept[0] != key:
        _kept = (key, {}, None)
    _key, parts, history = _kept
    blocks = dict(state.blocks)
    numbers = dict(state.rounds)
    for start in [start for start in parts if start not in blocks]:
        del parts[start]
        history = None
    for start, sums in blocks.items():
        if start not in parts or parts[start][0] != sums:
            parts[start] = (sums, pairs_by_round(numbers,
                                                 meetings=range(start, start + state.size)))
            history = None
    if history is None:
        history = latest_meetings(part for _sums, part in parts.values())
        _kept = (key, parts, history)
    return history
