import { closeSync, openSync, readSync } from "node:fs";

/** The page `npm run build` renders from docs/runbook.md into dist/ (this file is one folder down). */
const RUNBOOK_FILE = new URL("../runbook.html", import.meta.url);

/** Some 20 times the page's size; a larger file is not the page, and is not read further. */
export const MAX_RUNBOOK_BYTES = 1024 * 1024;

/**
 * The runbook page served at /runbook, read once at startup; undefined when the file is not there
 * (not built, as when src/ runs uncompiled) or is larger than MAX_RUNBOOK_BYTES.
 */
export function loadRunbook(file: URL = RUNBOOK_FILE): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return undefined;
  }
  try {
    const buffer = Buffer.alloc(MAX_RUNBOOK_BYTES + 1);
    let length = 0;
    let read: number;
    do {
      read = readSync(fd, buffer, length, buffer.length - length, null);
      length += read;
    } while (read > 0 && length < buffer.length);
    return length > MAX_RUNBOOK_BYTES ? undefined : Buffer.from(buffer.subarray(0, length));
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
