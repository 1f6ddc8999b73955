// The text pdf.js (Firefox's PDF viewer) gives a PDF read from stdin, as Firefox's text
// layer lays it out: each text item's string, a line break where pdf.js ends a line.
// KIT_PDFJS names the pdfjs-dist package folder (pinned and installed by .ci/run).
// pdf.js warns on the console (no canvas under node): keep its stdout for the text.
console.log = console.warn = (...args) => process.stderr.write(args.join(" ") + "\n");

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const { getDocument } = await import(
  pathToFileURL(join(process.env.KIT_PDFJS, "legacy/build/pdf.mjs")).href
);
const doc = await getDocument({ data: new Uint8Array(readFileSync(0)), verbosity: 0 }).promise;
const out = [];
for (let n = 1; n <= doc.numPages; n++) {
  const content = await (await doc.getPage(n)).getTextContent();
  for (const item of content.items) out.push(item.str + (item.hasEOL ? "\n" : ""));
  out.push("\n");
}
process.stdout.write(out.join(""));
