"""What every browser test needs, public or staff: Chromium's whereabouts, the page
sizes we test at, a log of what went wrong in the browser, axe-core, and moving
through a page by keyboard alone.

Import these in tests; the fixtures that use them live in conftest.py.
"""

from __future__ import annotations

import json
import os
import re
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_JS = ROOT / "assets" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Keyword arguments for browser.new_context(), by the name tests use.
DEVICES = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {
        "viewport": {"width": 375, "height": 740},
        "device_scale_factor": 1,
        "is_mobile": True,
        "has_touch": True,
    },
}

REFERENCE = re.compile(r"CF-\d{4}-\d{5}")


def browser_missing() -> str | None:
    """Why no browser test can run here, or None when Chromium and Playwright are both present."""
    try:
        from playwright._impl._driver import compute_driver_executable
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    driver = compute_driver_executable()
    driver_files = driver if isinstance(driver, tuple) else (driver,)
    if not all(Path(part).exists() for part in driver_files):
        return f"the Playwright driver is missing ({driver_files[0]})"
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, as .ci/run does)"
    return None


# --- What went wrong in the browser ----------------------------------------------------


@dataclass
class BrowserLog:
    """Console errors, uncaught exceptions, failed or blocked requests and HTTP errors
    on sub-resources of one page. A CSP violation shows up here as a console error
    and, for a blocked file, as a failed request."""

    problems: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught exception: {error}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)
        page.on("request", self._request)

    def _console(self, message) -> None:
        if message.type == "error":
            where = message.location.get("url", "") if message.location else ""
            self.problems.append(f"console error: {message.text} ({where})")

    def _failed(self, request) -> None:
        failure = request.failure or "failed"
        # Leaving a page (a link, a form sent, "Exit this page") cancels whatever it was
        # still loading, a deferred script included; that is not a fault. A request the
        # CSP blocks fails differently (net::ERR_BLOCKED_BY_CSP) and is still caught.
        if failure == "net::ERR_ABORTED":
            return
        self.problems.append(f"request failed: {request.method} {request.url}: {failure}")

    def _response(self, response) -> None:
        # A page may be a 404 on purpose; a server error never is.
        if response.status >= 500 or (response.status >= 400 and response.request.resource_type != "document"):
            self.problems.append(f"HTTP {response.status}: {response.request.method} {response.url}")

    def _request(self, request) -> None:
        # Tests never touch the internet: everything a page loads comes from loopback.
        host = urlsplit(request.url).hostname
        if request.url.startswith(("http:", "https:")) and host not in ("127.0.0.1", "localhost"):
            self.problems.append(f"request left the machine: {request.method} {request.url}")

    def clear(self) -> None:
        self.problems.clear()


_logs: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def watch(page) -> BrowserLog:
    """Start recording what goes wrong on this page (the page fixtures do this for you)."""
    if page not in _logs:
        log = BrowserLog()
        log.attach(page)
        _logs[page] = log
    return _logs[page]


def assert_no_browser_errors(page, allow: tuple[str, ...] = ()) -> None:
    """Fail if the page logged a console error, threw, or had a request fail or be
    blocked (by the Content-Security-Policy, say). ``allow`` lists substrings of
    problems this test expects, such as "status of 404" on a not-found page."""
    problems = [p for p in watch(page).problems if not any(a in p for a in allow)]
    assert not problems, "the browser reported problems:\n  " + "\n  ".join(problems)


# --- axe-core --------------------------------------------------------------------------

_axe_source: str | None = None
# axe-core is fetched by the page from this same-origin address, answered by Playwright
# from node_modules: the CSP allows scripts from 'self', and a file Chromium fetches is
# compiled faster than source pushed through page.evaluate.
AXE_URL = "/__tests__/axe.min.js"


def _axe() -> str:
    global _axe_source
    if _axe_source is None:
        if not AXE_JS.exists():
            raise AssertionError(f"axe-core is missing at {AXE_JS}: run `make setup` (npm ci in assets/)")
        _axe_source = AXE_JS.read_text(encoding="utf-8") + "\n;undefined"
    return _axe_source


def _inject_axe(page) -> None:
    _axe()  # fails clearly if axe-core is not installed

    def serve(route):
        route.fulfill(path=str(AXE_JS), content_type="text/javascript; charset=utf-8")

    page.route("**" + AXE_URL, serve)
    try:
        page.add_script_tag(url=AXE_URL)
    except Exception:  # noqa: BLE001 - refused by the page; handled below
        pass
    finally:
        page.unroute("**" + AXE_URL, serve)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # A stricter CSP refused the file: evaluate the source through the DevTools
        # protocol instead, which the page's CSP does not govern.
        page.evaluate(_axe())


def _govuk_conditional_reveal(violation: dict, node: dict) -> bool:
    """GOV.UK Frontend puts aria-expanded on a radio that reveals a conditional question.
    ARIA does not list it for radios, but GOV.UK keep it on purpose, because screen
    readers announce it (alphagov/govuk-frontend#979, #1972): we accept that one case."""
    return (
        violation["id"] == "aria-allowed-attr"
        and 'class="govuk-radios__input"' in node.get("html", "")
        and "aria-controls=" in node.get("html", "")
        and all("aria-expanded" in line for line in node.get("failureSummary", "").splitlines()[1:] if line.strip())
    )


KNOWN_EXCEPTIONS = [_govuk_conditional_reveal]


def axe_violations(page, context: str | None = None) -> list[dict]:
    """Run axe-core on the page (or the part ``context`` selects) against WCAG 2.2 A and
    AA, less the KNOWN_EXCEPTIONS."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        _inject_axe(page)
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    violations = page.evaluate(
        "([context, options]) => axe.run(context || document, options).then(r => r.violations)",
        [context, options],
    )
    remaining = []
    for violation in violations:
        nodes = [n for n in violation["nodes"] if not any(known(violation, n) for known in KNOWN_EXCEPTIONS)]
        if nodes:
            remaining.append({**violation, "nodes": nodes})
    return remaining


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v.get('impact')}): {v['help']} <{v.get('helpUrl', '')}>")
        for node in v["nodes"][:10]:
            lines.append(f"    at {json.dumps(node['target'])}: {node.get('failureSummary', '').splitlines()[-1:]}")
            lines.append(f"       {node.get('html', '')[:200]}")
    return "\n".join(lines)


# Pages opened with JavaScript off (conftest's new_page adds them).
WITHOUT_JAVASCRIPT: "weakref.WeakSet" = weakref.WeakSet()
_SCRIPTS = re.compile(r"<script\b.*?</script>", re.S | re.I)


def _twin_with_javascript(page):
    """axe-core cannot run in a page with JavaScript off (its timers never fire, and
    injecting it waits for ever): the same markup and styles, scripts taken out, in a
    fresh page of its own that may run axe. Returns the twin and its context."""
    html = _SCRIPTS.sub("", page.content())
    address = page.url.split("#")[0]
    context = page.context.browser.new_context(viewport=page.viewport_size)
    twin = context.new_page()
    twin.route(lambda url: url == address,
               lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"))
    twin.goto(address)
    return twin, context


def assert_accessible(page, context: str | None = None) -> None:
    """Fail with a readable list of the axe-core violations on the page as it is now
    (for a page without JavaScript, as its twin shows it)."""
    if page in WITHOUT_JAVASCRIPT:
        twin, twin_context = _twin_with_javascript(page)
        try:
            return assert_accessible(twin, context)
        finally:
            twin_context.close()
    violations = axe_violations(page, context)
    assert not violations, f"axe-core found problems on {page.url}:\n" + describe_violations(violations)


def check_page(page, allow: tuple[str, ...] = ()) -> None:
    """The checks every page gets: no browser errors, no axe-core violations."""
    assert_no_browser_errors(page, allow)
    assert_accessible(page)


# --- Keyboard alone ---------------------------------------------------------------------

_FOCUSED_MATCHES = """([sel, text]) => {
  const e = document.activeElement;
  return !!e && e.matches(sel) && (text === null || e.textContent.trim() === text);
}"""
_FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return 'the page itself';
  return e.outerHTML.slice(0, 160);
}"""


def focused(page) -> str:
    """A short description of the element that has focus, for failure messages."""
    return page.evaluate(_FOCUSED)


def is_focused(page, selector: str, text: str | None = None) -> bool:
    """Whether the focused element matches the CSS selector (and has exactly this text)."""
    return page.evaluate(_FOCUSED_MATCHES, [selector, text])


def tab_to(page, selector: str, text: str | None = None, limit: int = 80, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the element matching ``selector`` (and ``text``)
    has focus. Fails if it is not reached: it is then out of the tab order, or hidden."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        if is_focused(page, selector, text):
            return
        page.keyboard.press(key)
    if not is_focused(page, selector, text):
        what = selector + (f" {text!r}" if text else "")
        raise AssertionError(f"{limit} presses of {key} never reached {what}; focus is on {focused(page)}")


_FOCUS_STOP = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const drawn = (style) => (style.outlineStyle !== "none" && style.outlineColor !== "rgba(0, 0, 0, 0)"
    && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none";
  // GOV.UK radios and checkboxes hide the input and draw focus on its label's ::before.
  const custom = (e.type === "radio" || e.type === "checkbox") && getComputedStyle(e).opacity === "0";
  const shown = custom ? !!e.labels[0] && drawn(getComputedStyle(e.labels[0], "::before")) : drawn(getComputedStyle(e));
  const label = e.id ? "#" + e.id : e.name ? `[name=${e.name}]` : (e.textContent || "").trim().slice(0, 40);
  return {tag: e.tagName.toLowerCase(), id: e.id, name: e.name || "", label, indicator: shown};
}"""


def tab_stops(page, limit: int = 200) -> list[dict]:
    """Press Tab from the top of the page to its end; return each element that took
    focus: its tag, id, name, a label, and whether it showed a focus indicator
    (outline, box shadow or GOV.UK's yellow)."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(_FOCUS_STOP)
        if stop is None or (stops and stop == stops[0]):
            break
        stops.append(stop)
    return stops


def type_into(page, selector: str, text: str) -> None:
    """Tab to a text box and type, key by key."""
    tab_to(page, selector)
    page.keyboard.type(text)


def choose_radio(page, name: str, value: str) -> None:
    """Tab into a radio group and choose with the arrow keys (Space for the first)."""
    radios = f"input[type=radio][name='{name}']"
    tab_to(page, radios)
    values = page.eval_on_selector_all(radios, "els => els.map(e => e.value)")
    here = values.index(page.evaluate("() => document.activeElement.value"))
    there = values.index(value)
    if not page.evaluate("() => document.activeElement.checked") and here == there:
        page.keyboard.press("Space")
    for _ in range(abs(there - here)):
        page.keyboard.press("ArrowDown" if there > here else "ArrowUp")
    checked = page.eval_on_selector(f"{radios}[value='{value}']", "e => e.checked")
    assert checked, f"the keyboard did not choose {value!r} for {name!r}; focus is on {focused(page)}"


def tick(page, name: str, value: str) -> None:
    """Tab to a checkbox and press Space to tick it."""
    box = f"input[type=checkbox][name='{name}'][value='{value}']"
    tab_to(page, box)
    page.keyboard.press("Space")
    assert page.eval_on_selector(box, "e => e.checked"), f"Space did not tick {value!r} for {name!r}"


def choose_option(page, name: str, value: str) -> None:
    """Tab to a select and move to the option with the arrow keys."""
    select = f"select[name='{name}']"
    tab_to(page, select)
    values = page.eval_on_selector(select, "e => [...e.options].map(o => o.value)")
    for _ in range(len(values)):
        if page.eval_on_selector(select, "e => e.value") == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"the arrow keys never chose {value!r} in {name!r}")


def press_button(page, text: str, key: str = "Enter") -> None:
    """Tab to the button (or link styled as one) with this text and press it."""
    tab_to(page, "button, a[role=button], .govuk-button", text)
    page.keyboard.press(key)


def wait_until(predicate, timeout: float = 10.0, interval: float = 0.05):
    """Poll until ``predicate()`` returns something truthy, and return it."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(interval)


def assert_error_page(page) -> None:
    """The page now shown is one with errors: its title starts "Error: ".

    Waits for the title, since a click that submits a form returns once the answer
    has begun to arrive, which can be before its <title> is read.
    """
    from playwright.sync_api import expect

    expect(page).to_have_title(re.compile(r"^Error: "))


def reference_on(page) -> str:
    """The CF-YYYY-NNNNN reference shown on the page."""
    match = REFERENCE.search(page.inner_text("main"))
    assert match, f"no reference on {page.url}"
    return match.group(0)


def fill_date(scope, field_id: str, day) -> None:
    """Give a staff date field ``day`` as a person would: in the one box that takes what
    people type, where JavaScript made one (assets/js/dates.mjs), else in the three boxes."""
    # The script makes the one box once the page has loaded (a module runs before "load"):
    # asked sooner, the three boxes would be found, and then turned off under the typing.
    getattr(scope, "page", scope).wait_for_load_state("load")
    typed = scope.locator(f"#{field_id}-typed")
    if typed.count():
        typed.fill(f"{day.day}/{day.month}/{day.year}")
        return
    scope.locator(f"#{field_id}-day").fill(str(day.day))
    scope.locator(f"#{field_id}-month").fill(str(day.month))
    scope.locator(f"#{field_id}-year").fill(str(day.year))
