// Builds portal/static/ from our Sass and the few package files we serve.
// Only what we use is copied: no GOV.UK crown, logotype or GDS Transport font.
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, extname, join, posix } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import * as sass from "sass";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "portal", "static");
const modules = join(here, "node_modules");

// From nothing each time, so no file of an older build (an old fingerprint) is left to serve.
rmSync(out, { recursive: true, force: true });
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

// Fingerprints: each file is also written as name.HASH.ext, HASH from its content, and
// pages link to that name (portal/assets.py reads fingerprints.json), so it can be cached
// for a year and never asked for again: a changed file is a new name. What a file points
// at is fingerprinted before it, and its references rewritten: the icons before the
// stylesheet that draws them, the modules before app.mjs that imports them.
const fingerprints = {};
function fingerprint(name, rewrite = (text) => text) {
  const path = join(out, name);
  const content = Buffer.from(rewrite(readFileSync(path, "utf8")));
  writeFileSync(path, content);
  const hash = createHash("sha256").update(content).digest("hex").slice(0, 12);
  const ext = extname(name);
  const hashed = `${name.slice(0, -ext.length)}.${hash}${ext}`;
  writeFileSync(join(out, hashed), content);
  fingerprints[name] = hashed;
}
const images = copies.map(([, to]) => posix.relative(out, to)).filter((name) => name.startsWith("images/"));
for (const name of images) fingerprint(name);
fingerprint("css/main.css", (text) =>
  text.replace(/url\(\/static\/(images\/[^)]+)\)/g, (whole, image) => `url(/static/${fingerprints[image]})`));
const scripts = ["js/govuk-frontend.min.js", "js/htmx.min.js", "js/dates.mjs", "js/moj/date-picker.mjs", "js/moj/multi-select.mjs"];
for (const name of scripts) fingerprint(name);
// app.mjs imports "./x.mjs"; its fingerprinted copy imports the fingerprinted names.
fingerprint("js/app.mjs", (text) =>
  text.replace(/(["'])\.\/([^"']+)\1/g, (whole, quote, target) => {
    const hashed = fingerprints[`js/${target}`];
    if (!hashed) throw new Error(`app.mjs imports ${target}, which the build does not fingerprint`);
    return `${quote}./${posix.relative("js", hashed)}${quote}`;
  }));
writeFileSync(join(out, "fingerprints.json"), JSON.stringify(fingerprints, null, 2));

// Compressed beside each file, once, at the best settings (WhiteNoise serves name.br or
// name.gz to a browser that accepts it): brotli and gzip from Node's own zlib.
for (const name of [...Object.keys(fingerprints), ...Object.values(fingerprints)]) {
  const path = join(out, name);
  const content = readFileSync(path);
  writeFileSync(`${path}.gz`, gzipSync(content, { level: 9 }));
  writeFileSync(`${path}.br`, brotliCompressSync(content, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: content.length },
  }));
}
console.log(`assets built into ${out}`);
