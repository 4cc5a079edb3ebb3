"""Uploads kept in memory.

Werkzeug spools an uploaded file larger than 500 KB to a temporary file on
disk. An import file carries personal data (NIPs, names), so it must never
touch the disk: this request class keeps every upload in memory. That is
safe because ``MAX_CONTENT_LENGTH`` bounds the whole request body (larger
requests are refused with 413 before any of it is read).

Wiring (app-wide, in ``create_app``): ``app.request_class = MemoryUploadRequest``.
"""

from __future__ import annotations

import io
from typing import IO

from flask import Request


class MemoryUploadRequest(Request):
    def _get_file_stream(self, total_content_length: int | None, content_type: str | None,
                         filename: str | None = None, content_length: int | None = None) -> IO[bytes]:
        return io.BytesIO()
