"""Periodic work: ``flask jobs tick`` runs every task that is due (``tick``),
from cron every 5 minutes — or, where ``REDIS_URL`` is set, from the job
queue itself (``flask worker`` keeps one tick scheduled: ``queue``)."""
