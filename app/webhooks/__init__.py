"""Webhooks: endpoints an admin registers, signed deliveries of events, retries (see services.py)."""
