import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { shownText } from "./config-error.js";

/** Characters of a path shown in a problem; Linux allows 4096. */
export const MAX_SHOWN_PATH = 256;

export type BoundedRead = { ok: true; data: Buffer } | { ok: false; problem: string };

/**
 * An operator-named file, untrusted: opened non-blocking (a FIFO cannot hang us), a regular file of
 * at most `maxBytes` (one more byte is read: growth is caught); problems name `shown`, not content.
 */
export function readBoundedFile(
  path: string,
  maxBytes: number,
  shown = `"${shownText(path, MAX_SHOWN_PATH)}"`,
): BoundedRead {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return { ok: false, problem: `cannot read ${shown} (${errorCode(error)})` };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { ok: false, problem: `${shown} is not a regular file` };
    const tooLarge = { ok: false, problem: `${shown} is larger than ${maxBytes} bytes` } as const;
    if (stat.size > maxBytes) return tooLarge;
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    let n: number;
    while (
      length < buffer.length &&
      (n = readSync(fd, buffer, length, buffer.length - length, null)) > 0
    ) {
      length += n;
    }
    if (length > maxBytes) return tooLarge;
    return { ok: true, data: buffer.subarray(0, length) };
  } catch (error) {
    return { ok: false, problem: `cannot read ${shown} (${errorCode(error)})` };
  } finally {
    closeSync(fd);
  }
}

function errorCode(error: unknown): string {
  return (error as { code?: string }).code ?? "read error";
}
