"""What the explorer found, each replayed from the steps it printed: they pass since the
defect was fixed."""

from __future__ import annotations

from tests.kit.explorer import World, replay


def test_a_member_whose_partner_left_is_not_asked_about_a_meeting_with_nobody(
        world: World) -> None:
    # The survey asked "Did you manage to meet ()?" of someone left alone.
    replay(world, """
        job: feedback
        uk_member: press Так, беру участь
        organizer: press Так, беру участь
        job: match
        organizer: blocks
        job: feedback
    """)


def test_the_invitation_opened_from_the_profile_keeps_its_week_once_the_pairs_are_made(
        world: World) -> None:
    # Entered from the profile the flow had no week; once the round was matched no open
    # invitation was left to find, and the screen named today's date (now: an apology).
    replay(world, """
        job: invite
        en_member: /start
        en_member: press Answer for the week from 30 November
        job: match
        en_member: stale #13 Yes, I take part
    """)
