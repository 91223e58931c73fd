import { fileURLToPath } from "node:url";
import { readBoundedFile } from "../config/bounded-file.js";

/** The page `npm run build` renders from docs/runbook.md into dist/ (this file one folder down). */
const RUNBOOK_FILE = new URL("../runbook.html", import.meta.url);

/** Some 20 times the page's size; a larger file is not the page, and is not read further. */
export const MAX_RUNBOOK_BYTES = 1024 * 1024;

/** The page at /runbook, read at startup; undefined if not built (src/ run as is) or too large. */
export function loadRunbook(file: URL = RUNBOOK_FILE): Buffer | undefined {
  const read = readBoundedFile(fileURLToPath(file), MAX_RUNBOOK_BYTES);
  // A copy: the read's buffer is MAX_RUNBOOK_BYTES long whatever the page's size.
  return read.ok ? Buffer.from(read.data) : undefined;
}
