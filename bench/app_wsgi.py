"""The app as `make bench` serves it: wsgi.py's app with the API's per-token
rate limit lifted (one token drives the API page at full speed)."""

from app import create_app

app = create_app(overrides={"API_RATE_LIMIT": 10**9})
