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

