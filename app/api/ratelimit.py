"""Requests per token per minute (fixed one-minute windows).

``API_RATE_LIMIT`` requests per ``API_RATE_WINDOW`` seconds per token; the
next request in the window is refused with 429 and ``Retry-After`` (the
seconds until the window ends). With ``REDIS_URL`` set (and the ``redis``
package installed) the counts live in Redis and hold across every web
worker; otherwise each process counts for itself (a limit per process, which
is what the single-process demo needs).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from typing import Any

from flask import current_app

log = logging.getLogger(__name__)

_lock = threading.Lock()
_counts: dict[tuple[int, int], int] = {}
_redis: dict[str, Any] = {}


def _client(url: str) -> Any | None:
    if url not in _redis:
        try:
            import redis  # optional: only where REDIS_URL is configured
        except ImportError:
            log.warning("REDIS_URL is set but the redis package is missing: API rate limits are per process")
            _redis[url] = None
        else:
            _redis[url] = redis.Redis.from_url(url, socket_timeout=1)
    return _redis[url]


def _count_in_redis(client: Any, key: str, window: int) -> int | None:
    try:
        pipe = client.pipeline()
        pipe.incr(key)
        pipe.expire(key, window + 1)
        return int(pipe.execute()[0])
    except Exception:  # Redis down: fall back to this process rather than refuse every request
        log.warning("Redis unavailable for API rate limits; counting in this process", exc_info=True)
        return None


def _count_here(token_id: int, slot: int) -> int:
    with _lock:
        for old in [key for key in _counts if key[1] < slot]:
            del _counts[old]
        _counts[(token_id, slot)] = _counts.get((token_id, slot), 0) + 1
        return _counts[(token_id, slot)]


def hit(token_id: int) -> int:
    """Count one request of the token; the seconds to wait when over the limit, else 0."""
    limit = current_app.config.get("API_RATE_LIMIT", 600)
    window = current_app.config.get("API_RATE_WINDOW", 60)
    if not limit:
        return 0
    now = time.time()
    slot = int(now // window)
    count = None
    if url := current_app.config.get("REDIS_URL"):
        client = _client(url)
        if client is not None:
            count = _count_in_redis(client, f"kinerja:api-rate:{token_id}:{slot}", window)
    if count is None:
        count = _count_here(token_id, slot)
    if count <= limit:
        return 0
    return max(1, math.ceil((slot + 1) * window - now))


def reset() -> None:
    """Forget the in-process counts (tests)."""
    with _lock:
        _counts.clear()
