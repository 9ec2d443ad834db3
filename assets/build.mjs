// Builds portal/static/ from our Sass and the few package files we serve.
// Only what we use is copied: no GOV.UK crown, logotype or GDS Transport font.
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "portal", "static");
const modules = join(here, "node_modules");

for (const dir of ["css", "js", "js/moj", "images"]) mkdirSync(join(out, dir), { recursive: true });

const css = sass.compile(join(here, "scss", "main.scss"), {
  // MOJ Frontend loads GOV.UK Frontend as "node_modules/govuk-frontend/...", from here.
  loadPaths: [modules, here],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
// The footer's copyright rule points at the GOV.UK crest, and the GOV.UK header's
// logotype and footer's crown have rules of their own; we never use them, so drop them.
const unbranded = css.css
  .replace(/[^{}]*\{[^{}]*govuk-crest[^{}]*\}/g, "")
  .replace(/[^{},]*(govuk-footer__crown|govuk-header__logotype)[^{},]*\{[^{}]*\}/g, "")
  .replace(/@media[^{}]*\{\}/g, "");
writeFileSync(join(out, "css", "main.css"), unbranded);

const copies = [
  [join(modules, "govuk-frontend", "dist", "govuk", "govuk-frontend.min.js"), join(out, "js", "govuk-frontend.min.js")],
  [join(modules, "htmx.org", "dist", "htmx.min.js"), join(out, "js", "htmx.min.js")],
  [join(here, "js", "app.mjs"), join(out, "js", "app.mjs")],
  [join(here, "js", "dates.mjs"), join(out, "js", "dates.mjs")],
  // MOJ Frontend: only the scripts of the patterns we use, each a self-contained module.
  ...["date-picker", "multi-select"].map((name) => [
    join(modules, "@ministryofjustice", "frontend", "moj", "components", name, `${name}.bundle.mjs`),
    join(out, "js", "moj", `${name}.mjs`),
  ]),
  [join(here, "images", "favicon.svg"), join(out, "images", "favicon.svg")],
  // The icons MOJ Frontend's stylesheets point at (filter, multi-select, badges); no other image.
  ...["icon-close-cross-black.svg", "icon-document.svg", "icon-tag-remove-cross-white.svg",
      "icon-tag-remove-cross.svg", "icon-toggle-plus-minus.svg"].map((name) => [
    join(modules, "@ministryofjustice", "frontend", "moj", "assets", "images", name),
    join(out, "images", name),
  ]),
];
for (const [from, to] of copies) copyFileSync(from, to);
console.log(`assets built into ${out}`);
