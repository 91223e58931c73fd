/** The runbook page as `npm run build` renders it, for tests that run src/, beside which no page is built. */
import { readFileSync } from "node:fs";
import { runbookPage } from "../scripts/runbook-page.js";

let page: Buffer | undefined;

/** docs/runbook.md rendered by the build's own function, once per test process. */
export function builtRunbook(): Buffer {
  page ??= Buffer.from(
    runbookPage(readFileSync(new URL("../docs/runbook.md", import.meta.url), "utf8")),
  );
  return page;
}
