// Dates people can type: a staff date field is three boxes (day, month, year) without
// JavaScript; with it, one box that takes what people type (1/11/2026, 1 Nov 2026,
// today) with MOJ Frontend's date picker beside it. The server reads either
// (staff/fields.py, RealDateField; portal/services/common/dates.py, read_date).
export function enhanceDates(scope) {
  for (const wrapper of scope.querySelectorAll("[data-app-date]:not([data-app-date-done])")) {
    wrapper.setAttribute("data-app-date-done", "");
    const boxes = wrapper.querySelector(".govuk-date-input");
    if (!boxes) continue;
    const inputs = Array.from(boxes.querySelectorAll("input"));
    const [day, month, year] = inputs.map((input) => input.value.trim());
    const typed = wrapper.dataset.typed || (day || month || year ? [day, month, year].join("/") : "");
    const id = `${wrapper.dataset.name}-typed`;
    const picker = document.createElement("div");
    picker.className = "moj-datepicker";
    picker.setAttribute("data-module", "moj-date-picker");
    // The fieldset's legend stays the question people see ("Date acknowledged"); the one
    // box is named by it too (for a screen reader that lands on it), and its own hint, on
    // what may be typed, takes the place of the three boxes' hint.
    const legend = wrapper.querySelector("legend");
    const label = document.createElement("label");
    label.className = "govuk-label govuk-visually-hidden";
    label.htmlFor = id;
    label.textContent = (legend && legend.textContent.trim()) || "Date";
    for (const old of wrapper.querySelectorAll("fieldset > .govuk-hint")) old.hidden = true;
    const hint = document.createElement("div");
    hint.className = "govuk-hint";
    hint.id = `${id}-hint`;
    hint.textContent = "For example, 1/11/2026, 1 Nov 2026 or today";
    const input = document.createElement("input");
    input.className = "govuk-input govuk-input--width-10 moj-js-datepicker-input";
    if (wrapper.querySelector(".govuk-input--error")) input.classList.add("govuk-input--error");
    input.id = id;
    input.name = wrapper.dataset.name;
    input.type = "text";
    input.autocomplete = "off";
    input.spellcheck = false;
    input.value = typed;
    const described = [hint.id];
    const error = wrapper.querySelector(".govuk-error-message");
    if (error && error.id) described.push(error.id);
    input.setAttribute("aria-describedby", described.join(" "));
    picker.append(label, hint, input);
    for (const box of inputs) box.disabled = true; // sent as the one box instead
    boxes.hidden = true;
    boxes.after(picker);
  }
}
