"""Evaluation: scoring a period by the tenant's rule set, the distribution check, finalising."""
