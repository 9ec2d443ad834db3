// Starts GOV.UK Frontend's components, and MOJ Frontend's we use, again inside content
// htmx swaps in.
import { createAll, initAll } from "./govuk-frontend.min.js";
import { DatePicker } from "./moj/date-picker.mjs";
import { MultiSelect } from "./moj/multi-select.mjs";
import { enhanceDates } from "./dates.mjs";

function start(scope) {
  initAll(scope ? { scope } : undefined);
  enhanceDates(scope || document);
  createAll(MultiSelect, undefined, scope);
  createAll(DatePicker, undefined, scope);
}

start();
document.body.addEventListener("htmx:afterSettle", (event) => {
  start(event.detail.elt);
});
