"""Criteria consultation: a proposed indicator set or settings change put to
the employees concerned before it applies (Sawahlunto's seed; any region)."""
