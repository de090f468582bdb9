"""Weekly matching: split one round's participants into coffee groups.

This package has one job: given who said yes this round and who has met whom
before, return pairs (plus one trio when the count is odd) that repeat as few
past meetings as possible. It is a pure function of its inputs: no database, no
clock, no I/O.

Order of preference between two groupings (lexicographic):

1. fewer repeated pairs (a trio counts its three pairs);
2. older repeats: compare the rounds of the repeated pairs, most recent first,
   so one repeat from last week is worse than any number of repeats of equal
   count that are all older;
3. more shared interests, summed over all pairs (tie-breaker only).

How a round is matched:

* **RoundData-robin rotation first.** Choosing *any* repeat-free grouping each week
  is short-sighted: the pairs used up this week can leave the "not yet met"
  graph without a perfect matching in a later week, although a full schedule of
  n - 1 repeat-free weeks exists for n people (a 1-factorization of K_n). The
  circle method over the participants in id order produces exactly such a
  schedule, so a stable group that keeps saying yes walks through it and meets
  everyone before anybody meets twice. The rotation is taken only when it
  repeats nobody.
* **Tiny rounds** (at most ``EXACT_LIMIT`` people) are solved by trying every
  grouping, which honours all three preferences exactly.
* **Otherwise a maximum matching** of the graph of pairs who have not met,
  built by a seeded greedy pass (people sharing a topic first) and completed
  with Edmonds' augmenting paths. That graph is nearly complete in a large
  community, so it is never materialized: adjacency is "not in the sparse set
  of people already met", and the search tries the few unmatched people first.
  The maximum matching fixes the fewest repeats possible; an odd count adds an
  exact search for the best trio. Which people repeat is then chosen greedily
  to make the repeats old, and a local search polishes recency and interests.
  Beyond ``EXACT_LIMIT`` the repeat count is always optimal, the recency of
  unavoidable repeats is best effort.

One module per algorithm: `rotation` (round-robin), `exhaustive` (tiny rounds), `fewest_repeats`
(greedy pass and maximum matching, with `blossom`'s augmenting paths and `trio` for an odd
count) and `improve` (local search); `round` holds the data they share, `grouping` chooses among
them. Other packages import from here only.
"""

from coffee.matching.grouping import match_participants, repeat_lower_bound
from coffee.matching.round import EXACT_LIMIT, Group, MatchResult, Pair

__all__ = ["EXACT_LIMIT", "Group", "MatchResult", "Pair", "match_participants",
           "repeat_lower_bound"]
