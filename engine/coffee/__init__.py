"""Random Coffee: the weekly cycle of invitations, matching, introductions and feedback."""
