"""Evaluation meetings (rapat evaluasi kinerja): per unit and period, with
participants and attendance, minutes, and follow-up actions that land in
their owners' work lists. A rule set may require a held meeting before a
period's evaluations of the unit are finalised (``required_meeting_blocker``)."""
