"""A live server and Debian's Chromium, driven by Playwright, for page tests.

The fixtures reach every test through tests/conftest.py; importing them into a
test module again would start a second Playwright and fail. The plain helpers
(``sign_in``, ``assert_accessible``) are imported by the modules that use them.

Playwright never downloads a browser here: it launches /usr/bin/chromium,
which `make test` installs from Debian's packages.

Every page a browser test opens is checked for accessibility (WCAG 2.1 AA):
the browser the fixtures hand out makes pages that run axe-core (from the npm
registry, installed by `make js-packages`) on each document they show, at the
page's own size and at the other of desktop and phone size, before the test
acts on it and when the test ends. A serious or critical violation, or a page
wider than a 390 px phone, fails the test with a readable list.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

AXE_CORE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
FAILING_IMPACTS = ("serious", "critical")

# axe-core's rules (all but the experimental ones); only what fails matters.
_RUN_AXE = """async (impacts) => {
  // After a resize the page's own script settles (scroll regions) before the next frames.
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.filter((v) => impacts.includes(v.impact)).map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    why: (v.nodes[0].failureSummary || "").replace(/\\s+/g, " ").replace(/^Fix (any|all) of the following: /, ""),
    nodes: v.nodes.slice(0, 6).map((n) => n.target.join(" ")),
    more: Math.max(v.nodes.length - 6, 0),
  }));
}"""

# WCAG 1.4.10 Reflow: at 320 CSS px (a 390 px phone is wider) nothing scrolls sideways but the
# elements that are meant to (tables in their scroll regions); the widest culprits are named.
_OVERFLOW = """() => {
  const root = document.documentElement;
  if (root.scrollWidth <= window.innerWidth + 1) return null;
  const limit = root.clientWidth;
  // Beyond the edge and not inside a box that scrolls or clips it (an absolutely positioned
  // element escapes such a box unless the box, or one of its ancestors, is positioned).
  const escapes = (el) => {
    const position = getComputedStyle(el).position;
    if (position === "fixed") return true;
    let needPositioned = position === "absolute";
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (needPositioned && style.position !== "static") needPositioned = false;
      if (!needPositioned && style.overflowX !== "visible") return false;
    }
    return true;
  };
  const beyond = (el) => { const box = el.getBoundingClientRect(); return box.right > limit + 1 && escapes(el); };
  const name = (e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
    + (e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\\s+/).join(".") : "");
  const culprits = [...document.body.querySelectorAll("*")]
    .filter((el) => beyond(el) && !(el.parentElement !== document.body && beyond(el.parentElement)))
    .slice(0, 5).map((el) => {
      const text = (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 30);
      return `${name(el.parentElement)} > ${name(el)} "${text}" (to ${Math.round(el.getBoundingClientRect().right)} px)`;
    });
  return { width: root.scrollWidth, culprits };
}"""


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@functools.cache
def axe_source() -> str:
    if not AXE_CORE.exists():
        pytest.fail("axe-core is not installed: `make js-packages` (npm ci) puts it in node_modules/.")
    return AXE_CORE.read_text(encoding="utf-8")


def _size_name(size: dict) -> str:
    return f"{size['width']}×{size['height']}"


def accessibility_problems(page, phone: bool = False) -> list[str]:
    """axe-core's serious and critical violations on the document as it is shown now,
    and, on a phone, a page that scrolls sideways. Empty when all is well."""
    # Evaluated, not added as a <script>: the app's Content-Security-Policy refuses inline scripts.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    problems = []
    for v in page.evaluate(_RUN_AXE, list(FAILING_IMPACTS)):
        lines = [f"{v['impact']} {v['id']}: {v['help']}", f"    e.g. {v['why']}",
                 *(f"    at {node}" for node in v["nodes"])]
        if v["more"]:
            lines.append(f"    … and {v['more']} more")
        problems.append("\n".join(lines))
    if phone:
        overflow = page.evaluate(_OVERFLOW)
        if overflow:
            problems.append(f"reflow: the page is {overflow['width']} px wide on a phone; "
                            f"too wide: {', '.join(overflow['culprits']) or '?'}")
    return problems


def _is_html_document(page) -> bool:
    return page.url.startswith("http") and page.evaluate("() => document.contentType === 'text/html'")


def assert_accessible(page, sizes: tuple[dict, ...] = (DESKTOP, PHONE)) -> None:
    """Fails with a readable list when the current document has a serious or critical
    axe-core violation at any of `sizes` (or overflows a phone's width)."""
    if isinstance(page, AuditedPage):
        page.audit(sizes)
        return
    original = page.viewport_size
    report = []
    try:
        for size in sizes:
            page.set_viewport_size(size)
            for problem in accessibility_problems(page, phone=size["width"] <= PHONE["width"]):
                report.append(f"[{_size_name(size)}] {problem}")
    finally:
        if original:
            page.set_viewport_size(original)
    if report:
        raise AssertionError(f"accessibility problems on {page.url}:\n" + "\n".join(report))


def sign_in(page, base: str, slug: str | None, username: str, password: str | None = None) -> None:
    """Signs ``username`` in through the real form of tenant ``slug`` (the platform's when
    ``slug`` is None), in a fresh session: the context's cookies are cleared first. Returns
    once the page the sign-in led to has loaded; fails with what the sign-in page said when
    it stayed there. ``password``: the test accounts' (tests.conftest.PASSWORD) by default.

    A plain function, imported by the test modules that use it (unlike the fixtures)."""
    if password is None:
        from tests.conftest import PASSWORD  # not at the top: tests.conftest imports this module

        password = PASSWORD
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    login_url = f"{base}/{slug}/login" if slug else f"{base}/platform/login"
    page.context.clear_cookies()
    page.goto(login_url)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    # The form's document carries a mark; the answer to the post (a redirect or the form
    # again, with a message) is a new document without it.
    page.evaluate("() => { window.__signInPending = true; }")
    page.click("button[type=submit]")
    try:
        page.wait_for_function("() => window.__signInPending !== true && document.readyState === 'complete'")
    except PlaywrightTimeout:
        raise AssertionError(f"the sign-in of {username} at {login_url} did not finish "
                             f"(still at {page.url})") from None
    if page.url.split("?")[0] == login_url:
        said = [text.strip() for text in page.locator(".error, .flash-error").all_inner_texts() if text.strip()]
        raise AssertionError(f"{username} could not sign in at {login_url}: "
                             + ("; ".join(said) or "the sign-in page came back without a message"))


class AuditedPage:
    """A Playwright page that checks every document it shows: before each call the test
    makes on the page (the document it is about to change has been seen) and when its
    context closes. Locators and everything else come from the Playwright page itself."""

    _QUIET = frozenset({"on", "once", "remove_listener", "set_default_timeout",
                        "set_default_navigation_timeout", "is_closed", "close", "expect_download",
                        "expect_navigation", "expect_popup", "expect_event", "expect_request",
                        "expect_response", "expect_file_chooser", "expect_console_message"})

    def __init__(self, page, sizes: tuple[dict, ...]):
        self._page = page
        self._sizes = sizes
        self.audited: list[str] = []

    def audit(self, sizes: tuple[dict, ...] | None = None) -> None:
        """Checks the document shown now, unless it has been checked already."""
        page = self._page
        if page.is_closed():
            return
        from playwright.sync_api import Error

        for _ in range(5):
            try:
                page.wait_for_load_state("load")
                if not _is_html_document(page) or page.evaluate("() => window.__accessibilityChecked === true"):
                    return
                self.audited.append(page.url)
                try:
                    assert_accessible(page, sizes or self._sizes)
                finally:  # reported once, not again when the context closes
                    page.evaluate("() => { window.__accessibilityChecked = true; }")
                return
            except Error as exc:  # the document went away mid-check (a navigation): check the next one
                if "context was destroyed" not in str(exc) and "navigat" not in str(exc):
                    raise

    def __getattr__(self, name):
        attribute = getattr(self._page, name)
        if name in self._QUIET or name.startswith("_") or not callable(attribute):
            return attribute

        @functools.wraps(attribute)
        def call(*args, **kwargs):
            self.audit()
            return attribute(*args, **kwargs)

        return call


class AuditedContext:
    """A browser context whose pages are AuditedPages; closing it checks their last documents."""

    def __init__(self, context, sizes: tuple[dict, ...]):
        self._context = context
        self._sizes = sizes
        self.pages_opened: list[AuditedPage] = []

    def new_page(self) -> AuditedPage:
        page = AuditedPage(self._context.new_page(), self._sizes)
        self.pages_opened.append(page)
        return page

    def close(self) -> None:
        try:
            for page in self.pages_opened:
                page.audit()
        finally:
            self._context.close()

    def __getattr__(self, name):
        return getattr(self._context, name)


class AuditedBrowser:
    """Debian's Chromium; its contexts check each page at their own size and at the other
    of desktop and phone size."""

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, **options) -> AuditedContext:
        viewport = options.get("viewport") or DESKTOP
        options.setdefault("viewport", viewport)
        other = DESKTOP if viewport["width"] <= PHONE["width"] else PHONE
        return AuditedContext(self._browser.new_context(**options), (viewport, other))

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture
def live_server(app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required in CI: `make browser` installs Debian's chromium.")
        pytest.skip("Chromium is not installed (make browser)")
    axe_source()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_FLAGS)
        yield AuditedBrowser(browser)
        browser.close()


def fresh_page(browser) -> Iterator:
    """A page in a browser context of its own (no cookies shared with other pages)."""
    context = browser.new_context(locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def page(browser):
    yield from fresh_page(browser)
