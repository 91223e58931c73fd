import { gzipSync } from "node:zlib";
import type { Registry } from "prom-client";

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

/** `before` renders text placed ahead of the registry's families (the per-account families). */
export function createExposition(registry: Registry, before: () => string = () => ""): Exposition {
  let body = Buffer.alloc(0);
  let gzipped: Buffer | undefined;
  let rendering = Promise.resolve();
  return {
    contentType: registry.contentType,
    refresh() {
      // Chained so that a slow rendering never overwrites a newer one.
      rendering = rendering.then(async () => {
        const rest = await registry.metrics();
        body = Buffer.from(before() + rest, "utf8");
        gzipped = undefined;
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
