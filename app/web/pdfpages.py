"""The pages of an uploaded PDF as PNG images, to show a PDF inside a page.

Browsers refuse to show a PDF in a sandboxed frame (their viewer is a plugin)
and some have no viewer at all, so the server renders the first
``MAX_PAGES`` pages ``WIDTH`` pixels wide with PDFium (pypdfium2) and the page
shows them as ``<img>``s, served like any preview (``app.web.previews``).

Uploaded PDFs are hostile input. PDFium runs in a process of its own
(``pdfrender_child.py``) that limits its CPU time and memory and is killed
after ``TIMEOUT`` seconds, so a PDF bomb or a crash costs a web worker a few
seconds, never the worker; a page never exceeds ``WIDTH`` × ``MAX_HEIGHT``
pixels, and a file over ``MAX_BYTES`` is not rendered. Whatever goes wrong
ends as a ``RenderedPdf`` with a ``failure``, which the page turns into
"pratinjau tidak tersedia" next to the download link.

The result — the PNGs and a small manifest — is kept in storage next to the
stored file (``Storage.save_derived``), so a file is rendered once and the
copies go when the file is deleted. A failure is kept too: the same bytes
fail the same way, except a timeout (it may have been a busy machine) or a
renderer that did not start, tried again after ``RETRY_AFTER`` seconds.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.storage import StorageError, storage

log = logging.getLogger(__name__)

MAX_PAGES = 5
WIDTH = 900  # pixels
MAX_HEIGHT = 4 * WIDTH  # a taller page is drawn narrower
MAX_BYTES = 50 * 1024 * 1024
TIMEOUT = 20  # seconds of wall-clock time for one file
CPU_SECONDS = 15
MEMORY_BYTES = 768 * 1024 * 1024  # the renderer's address space
RETRY_AFTER = 3600  # seconds before a timed-out file is tried again

CHILD = Path(__file__).with_name("pdfrender_child.py")
_NAME = f"pdfpages-v1-w{WIDTH}"  # a change of size or format renders afresh
MANIFEST = f"{_NAME}.json"

# Why there is no preview (``RenderedPdf.failure``).
UNREADABLE = "unreadable"  # not a PDF, damaged, or protected by a password
EMPTY = "empty"
TOO_LARGE = "too_large"
TIMED_OUT = "timeout"
FAILED = "failed"  # the renderer crashed, ran out of memory or CPU time, or a page could not be drawn
MISSING = "missing"  # the stored file is gone (set by callers whose read() failed)


@dataclass(frozen=True)
class PageImage:
    number: int  # from 1
    width: int
    height: int


@dataclass(frozen=True)
class RenderedPdf:
    total: int = 0  # pages in the document
    pages: tuple[PageImage, ...] = ()  # the first MAX_PAGES of them, rendered
    failure: str | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None

    @property
    def truncated(self) -> bool:
        return self.total > len(self.pages)

    def page(self, number: int) -> PageImage | None:
        return self.pages[number - 1] if self.ok and 1 <= number <= len(self.pages) else None


def page_name(number: int) -> str:
    return f"{_NAME}-{number}.png"


def rendered(tenant_id: int, key: str, read: Callable[[], bytes]) -> RenderedPdf:
    """The pages of the stored PDF ``key``: kept ones, else rendered from
    ``read()`` now (and kept). ``StorageError`` only from ``read``."""
    kept = _kept(tenant_id, key)
    if kept is not None:
        return kept
    result, _pngs = _render_and_keep(tenant_id, key, read)
    return result


def page_png(tenant_id: int, key: str, number: int, read: Callable[[], bytes]) -> bytes | None:
    """Page ``number`` of the stored PDF as PNG bytes; None when it has no such page image."""
    result = rendered(tenant_id, key, read)
    if result.page(number) is None:
        return None
    try:
        with _open_derived(tenant_id, key, page_name(number)) as handle:
            return handle.read()
    except StorageError:  # not kept (a backend without derived files, or removed): render again
        result, pngs = _render_and_keep(tenant_id, key, read)
        return pngs.get(number) if result.page(number) else None


# --- the kept result ----------------------------------------------------------------------

def _open_derived(tenant_id: int, key: str, name: str):
    opener = getattr(storage(), "open_derived", None)
    if opener is None:
        raise StorageError("This storage keeps no derived files.")
    return opener(tenant_id, key, name)


def _kept(tenant_id: int, key: str) -> RenderedPdf | None:
    try:
        with _open_derived(tenant_id, key, MANIFEST) as handle:
            manifest = json.loads(handle.read().decode("utf-8"))
    except (StorageError, ValueError):
        return None
    try:
        if "at" in manifest and not time.time() - float(manifest["at"]) < RETRY_AFTER:
            return None  # a failure that may not happen again (a timeout): try once more
        return _from_manifest(manifest)
    except (AttributeError, KeyError, TypeError, ValueError):
        return None  # not a manifest of ours: render afresh


def _from_manifest(manifest: dict) -> RenderedPdf:
    if manifest.get("failure"):
        return RenderedPdf(failure=str(manifest["failure"]))
    pages = tuple(PageImage(i + 1, int(w), int(h)) for i, (w, h) in enumerate(manifest["pages"]))
    return RenderedPdf(total=int(manifest["total"]), pages=pages)


def _render_and_keep(tenant_id: int, key: str, read: Callable[[], bytes]) -> tuple[RenderedPdf, dict[int, bytes]]:
    manifest, pngs = _render(read())
    saver = getattr(storage(), "save_derived", None)
    if saver is not None:
        try:
            for number, png in pngs.items():
                saver(tenant_id, key, page_name(number), png)
            # The manifest last: whoever reads it finds every page it names.
            saver(tenant_id, key, MANIFEST, json.dumps(manifest).encode("utf-8"))
        except (StorageError, OSError):
            log.warning("Could not keep the rendered pages of a stored file", exc_info=True)
    try:
        return _from_manifest(manifest), pngs
    except (KeyError, TypeError, ValueError):
        return RenderedPdf(failure=FAILED), {}


# --- rendering ----------------------------------------------------------------------------

def _render(data: bytes) -> tuple[dict, dict[int, bytes]]:
    """Run the renderer on ``data``: its manifest and the PNG of each page it drew."""
    if len(data) > MAX_BYTES:
        return {"failure": TOO_LARGE}, {}
    if b"%PDF-" not in data[:1024]:  # where PDFium looks for the header: no process for a non-PDF
        return {"failure": UNREADABLE}, {}
    with tempfile.TemporaryDirectory(prefix="kinerja-pdfpages-") as out:
        command = [sys.executable, "-I", str(CHILD), out, str(MAX_PAGES), str(WIDTH), str(MAX_HEIGHT),
                   str(CPU_SECONDS), str(MEMORY_BYTES)]
        started = time.monotonic()
        try:
            process = subprocess.run(command, input=data, capture_output=True, timeout=TIMEOUT, check=False)  # noqa: S603
        except subprocess.TimeoutExpired:
            log.warning("PDF rendering timed out after %ss", TIMEOUT)
            return {"failure": TIMED_OUT, "at": time.time()}, {}
        except OSError:
            log.exception("The PDF renderer could not be started")
            return {"failure": FAILED, "at": time.time()}, {}
        log.info("PDF rendered in %.2fs (exit %s)", time.monotonic() - started, process.returncode)
        try:
            manifest = json.loads((Path(out) / "manifest.json").read_text(encoding="utf-8"))
            if process.returncode != 0 or not isinstance(manifest, dict):
                raise ValueError("renderer failed")
            if manifest.get("failure"):
                return {"failure": str(manifest["failure"]) if manifest["failure"] in (UNREADABLE, EMPTY)
                        else FAILED}, {}
            pages = [(int(w), int(h)) for w, h in manifest["pages"]]
            pngs = {n: (Path(out) / f"page-{n}.png").read_bytes() for n in range(1, len(pages) + 1)}
            return {"total": int(manifest["total"]), "pages": pages}, pngs
        except (OSError, ValueError, KeyError, TypeError):
            log.warning("The PDF renderer failed (exit %s): %s", process.returncode,
                        process.stderr[-2000:].decode("utf-8", "replace"))
            return {"failure": FAILED}, {}
