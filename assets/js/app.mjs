// Starts GOV.UK Frontend's components, and again inside content htmx swaps in.
import { initAll } from "./govuk-frontend.min.js";

initAll();
document.body.addEventListener("htmx:afterSettle", (event) => {
  initAll({ scope: event.detail.elt });
});
