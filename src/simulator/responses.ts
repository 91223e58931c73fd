import type { ServerResponse } from "node:http";

const JSON_TYPE = "application/json";
const CHUNK_BYTES = 64 * 1024;
const FILLER = Buffer.alloc(CHUNK_BYTES, "x");
const OVERSIZED_HEAD = Buffer.from('{"accounts":[],"summary":{},"executing":{},"padding":"');
const OVERSIZED_TAIL = Buffer.from('"}');
const SLOW_BODY_FIRST_BYTES = 16;

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  sendBytes(res, status, Buffer.from(JSON.stringify(body)), headers);
}

/** Bytes already serialized as JSON, with an exact Content-Length. */
export function sendBytes(
  res: ServerResponse,
  status: number,
  bytes: Buffer,
  headers: Record<string, string> = {},
  contentType: string = JSON_TYPE,
): void {
  res.writeHead(status, {
    "content-type": contentType,
    "content-length": String(bytes.length),
    ...headers,
  });
  res.end(bytes);
}

/**
 * A valid JSON body of `bytes` bytes (or its smallest form, if bigger), sent chunked with no
 * Content-Length so the client has to count; it waits for drain and stops when the client leaves.
 */
export async function streamOversized(res: ServerResponse, bytes: number): Promise<void> {
  res.writeHead(200, { "content-type": JSON_TYPE });
  let padding = Math.max(0, bytes - OVERSIZED_HEAD.length - OVERSIZED_TAIL.length);
  if (!(await write(res, OVERSIZED_HEAD))) return;
  while (padding > 0) {
    const size = Math.min(padding, CHUNK_BYTES);
    padding -= size;
    if (!(await write(res, FILLER.subarray(0, size)))) return;
  }
  res.end(OVERSIZED_TAIL);
}

/**
 * Sends the headers (with the full Content-Length) and the first bytes of `body` now, the rest
 * through `schedule` later; the rest is cancelled if the client leaves.
 */
export function sendSlowly(
  res: ServerResponse,
  body: Buffer,
  delayMs: number,
  schedule: (fn: () => void, delayMs: number) => () => void,
  status = 200,
): void {
  const first = Math.max(0, Math.min(SLOW_BODY_FIRST_BYTES, body.length - 1));
  res.writeHead(status, { "content-type": JSON_TYPE, "content-length": String(body.length) });
  res.write(body.subarray(0, first));
  const cancel = schedule(() => {
    if (!res.destroyed) res.end(body.subarray(first));
  }, delayMs);
  res.once("close", cancel);
}

/** Resolves true once `chunk` is written or drained, false if the response closed first. */
function write(res: ServerResponse, chunk: Buffer): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  if (res.write(chunk)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const settle = (written: boolean) => () => {
      res.off("drain", onDrain);
      res.off("close", onClose);
      resolve(written);
    };
    const onDrain = settle(true);
    const onClose = settle(false);
    res.on("drain", onDrain);
    res.on("close", onClose);
  });
}
