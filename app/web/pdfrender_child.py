"""The PDF page renderer's own process (run by ``app.web.pdfpages``, never imported).

    python -I pdfrender_child.py OUT_DIR MAX_PAGES WIDTH MAX_HEIGHT CPU_SECONDS MEMORY_BYTES < file.pdf

Reads the PDF from standard input, renders its first MAX_PAGES pages with
PDFium (pypdfium2) WIDTH pixels wide (narrower where a page would be taller
than MAX_HEIGHT), writes ``page-<n>.png`` for each and then ``manifest.json``:
``{"total": <pages in the document>, "pages": [[width, height], ...]}`` or
``{"failure": "unreadable" | "empty" | "page"}``. It limits its own CPU time
and memory first; the parent also kills it after a wall-clock timeout. It
imports nothing of the application (it runs by path, outside the package).
"""

from __future__ import annotations

import json
import math
import os
import resource
import sys


def _limit(cpu_seconds: int, memory_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    if memory_bytes > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


def _write_manifest(out_dir: str, manifest: dict) -> None:
    partial = os.path.join(out_dir, "manifest.json.partial")
    with open(partial, "w", encoding="utf-8") as f:
        json.dump(manifest, f)
    os.replace(partial, os.path.join(out_dir, "manifest.json"))


def render(data: bytes, out_dir: str, max_pages: int, width: int, max_height: int) -> dict:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return {"failure": "unreadable"}  # not a PDF, damaged, or protected by a password
    try:
        total = len(document)
        if total < 1:
            return {"failure": "empty"}
        pages = []
        for index in range(min(total, max_pages)):
            page = document[index]
            try:
                page_width, page_height = page.get_size()
                if not (math.isfinite(page_width) and math.isfinite(page_height)) or min(page_width, page_height) < 1:
                    return {"failure": "page"}
                scale = min(width / page_width, max_height / page_height)
                if page_width * scale < 1:
                    return {"failure": "page"}  # a sliver: nothing worth showing
                bitmap = page.render(scale=scale, may_draw_forms=False, limit_image_cache=True)
                image = bitmap.to_pil()
                image.save(os.path.join(out_dir, f"page-{index + 1}.png"), format="PNG")
                pages.append([image.width, image.height])
            finally:
                page.close()
        return {"total": total, "pages": pages}
    except pdfium.PdfiumError:
        return {"failure": "page"}
    finally:
        document.close()


def main(argv: list[str]) -> int:
    out_dir = argv[1]
    max_pages, width, max_height, cpu_seconds, memory_bytes = (int(a) for a in argv[2:7])
    _limit(cpu_seconds, memory_bytes)
    data = sys.stdin.buffer.read()
    _write_manifest(out_dir, render(data, out_dir, max_pages, width, max_height))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
