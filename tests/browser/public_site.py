"""The public site, as a person moves through it: a page navigator for browser tests.

``PublicSite(page, live_server)`` fills in each public form by keyboard alone (Tab,
typing, arrow keys and Space for choices, Enter on buttons), or quickly with
Playwright's own fill (``keyboard=False``) where only the result matters.
"""

from __future__ import annotations

from tests.browser.helpers import (
    choose_option,
    choose_radio,
    press_button,
    reference_on,
    tab_to,
    tick,
    type_into,
)
from tests.public.helpers import PATHS

# The names of the form's fields in the order the page shows them.
_FIELD_ORDER = """() => {
  const form = document.querySelector("main form[method=post]");
  const names = [];
  for (const e of form.elements) if (e.name && !names.includes(e.name)) names.push(e.name);
  return names;
}"""

_KIND = "name => { const e = document.querySelector(`main [name='${name}']`); return e.type || e.tagName.toLowerCase(); }"


class PublicSite:
    def __init__(self, page, live_server):
        self.page = page
        self.server = live_server

    def open(self, path: str = "/"):
        self.page.goto(self.server(path))
        return self

    def open_form(self, form: str):
        """Open one of the forms by its short name: complaint, concern, compliment, young."""
        return self.open(PATHS[form])

    def fill(self, answers: dict, keyboard: bool = True) -> None:
        """Give these answers on the open form, in the order the page asks the questions."""
        order = self.page.evaluate(_FIELD_ORDER)
        unknown = set(answers) - set(order)
        assert not unknown, f"the form has no fields {sorted(unknown)}"
        if keyboard:
            # Start from the top of the page, as a person arriving does.
            self.page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
        for name in order:
            value = answers.get(name)
            if value in (None, "", []):
                continue
            kind = self.page.evaluate(_KIND, name)
            if keyboard:
                self._key_in(name, kind, value)
            else:
                self._fill(name, kind, value)

    def _key_in(self, name: str, kind: str, value) -> None:
        page = self.page
        if kind == "radio":
            choose_radio(page, name, value)
        elif kind == "checkbox":
            for each in value:
                tick(page, name, each)
        elif kind.startswith("select"):
            choose_option(page, name, value)
        else:
            type_into(page, f"[name='{name}']", str(value))

    def _fill(self, name: str, kind: str, value) -> None:
        page = self.page
        if kind == "radio":
            page.check(f"main input[name='{name}'][value='{value}']")
        elif kind == "checkbox":
            for each in value:
                page.check(f"main input[name='{name}'][value='{each}']")
        elif kind.startswith("select"):
            page.select_option(f"main select[name='{name}']", value)
        else:
            page.fill(f"main [name='{name}']", str(value))

    def continue_(self, keyboard: bool = True) -> None:
        """Press Continue at the foot of the form and wait for the next page."""
        with self.page.expect_navigation():
            if keyboard:
                press_button(self.page, "Continue")
            else:
                self.page.click("main button:text-is('Continue')")

    def send(self, keyboard: bool = True) -> str:
        """On the check-your-answers page: press Send; return the reference shown."""
        assert self.page.url.endswith("/check"), f"not on a check-your-answers page: {self.page.url}"
        with self.page.expect_navigation():
            if keyboard:
                press_button(self.page, "Send")
            else:
                self.page.click("main button:text-is('Send')")
        assert self.page.url.endswith("/sent"), f"sending ended on {self.page.url}"
        return reference_on(self.page)

    def complete(self, form: str, answers: dict, keyboard: bool = True) -> str:
        """Open a form, answer, continue, check and send; return the reference."""
        self.open_form(form)
        self.fill(answers, keyboard)
        self.continue_(keyboard)
        assert self.page.url.endswith(PATHS[form] + "/check"), (
            f"the form did not go on to check answers: {self.page.url}\n" + self.errors_shown()
        )
        return self.send(keyboard)

    def errors_shown(self) -> str:
        summary = self.page.query_selector(".govuk-error-summary")
        return summary.inner_text() if summary else "(no error summary)"

    def tab_to(self, selector: str, text: str | None = None) -> None:
        tab_to(self.page, selector, text)
