// Starts GOV.UK Frontend's components, and MOJ Frontend's we use, again inside content
// htmx swaps in. MOJ Frontend's scripts (staff pages only) are fetched when a page has
// something they enhance, so the public pages never download them.
import { createAll, initAll } from "./govuk-frontend.min.js";

async function start(scope) {
  const root = scope || document;
  initAll(scope ? { scope } : undefined);
  if (root.querySelector("[data-app-date]")) {
    const [{ enhanceDates }, { DatePicker }] = await Promise.all([import("./dates.mjs"), import("./moj/date-picker.mjs")]);
    enhanceDates(root);
    createAll(DatePicker, undefined, scope);
  }
  if (root.querySelector('[data-module="moj-multi-select"]')) {
    const { MultiSelect } = await import("./moj/multi-select.mjs");
    createAll(MultiSelect, undefined, scope);
  }
}

start();
document.body.addEventListener("htmx:afterSettle", (event) => {
  start(event.detail.elt);
});
