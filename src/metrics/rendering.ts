import { gzipSync } from "node:zlib";
import { Counter, type Registry } from "prom-client";
import { familyHeader } from "./text-format.js";

/**
 * The /metrics body, rendered once per poll and served as-is to every scrape. The gzip form is
 * made on the first scrape that asks for it and kept until the next rendering.
 */
export interface Exposition {
  readonly contentType: string;
  refresh(): Promise<void>;
  /** The rendering as UTF-8 bytes, encoded once per poll rather than once per scrape. */
  body(): Buffer;
  gzipped(): Buffer;
}

/**
 * UTF-8 bytes of `text` in memory that V8 maps from the system itself, not from malloc.
 *
 * The rendering is 15 MB at 10,000 accounts and a new one is made every poll. Through malloc
 * (Buffer.from), glibc raises its mmap threshold to the size of the last large block freed, so the
 * next renderings land in the brk heap, which is seldom given back: RSS grew 18 % over 1,000 polls.
 * A resizable ArrayBuffer is reserved and committed by V8's page allocator and unmapped when
 * collected, whatever the C library.
 */
export function encodeMapped(text: string): Buffer {
  const length = Buffer.byteLength(text, "utf8");
  const bytes = Buffer.from(new ArrayBuffer(length, { maxByteLength: length }));
  bytes.write(text, "utf8");
  return bytes;
}

const FAILURES = {
  name: "useapi_minimax_rendering_failures_total",
  help: "Renderings of the /metrics body that failed; /metrics then says up 0 until one succeeds.",
};

/**
 * `before` renders text placed ahead of the registry's families (the per-account families).
 * After a failed rendering the body is `down()` (up 0) and the failure count, never the last good
 * rendering, which would still claim up 1.
 */
export function createExposition(
  registry: Registry,
  before: () => string = () => "",
  down: () => string = () => "",
): Exposition {
  const failuresCounter = new Counter({ ...FAILURES, registers: [registry] });
  let failures = 0;
  let body: Buffer = Buffer.alloc(0);
  let gzipped: Buffer | undefined;
  let rendering = Promise.resolve();
  return {
    contentType: registry.contentType,
    refresh() {
      // Chained so that a slow rendering never overwrites a newer one.
      // A failed rendering is reported to its caller only: the next one still runs.
      rendering = rendering
        .catch(() => undefined)
        .then(async () => {
          try {
            const rest = await registry.metrics();
            body = encodeMapped(before() + rest);
          } catch (error) {
            failures++;
            failuresCounter.inc();
            const count = `${familyHeader(FAILURES.name, FAILURES.help, "counter")}${FAILURES.name} ${failures}\n`;
            body = encodeMapped(down() + count);
            throw error;
          } finally {
            gzipped = undefined;
          }
        });
      return rendering;
    },
    body: () => body,
    gzipped() {
      gzipped ??= gzipSync(body);
      return gzipped;
    },
  };
}
