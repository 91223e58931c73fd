import { gzipSync } from "node:zlib";
import type { Registry } from "prom-client";

/**
 * The /metrics body, rendered once per poll and served as-is to every scrape. The gzip form is
 * made on the first scrape that asks for it and kept until the next rendering.
 */
export interface Exposition {
  readonly contentType: string;
  refresh(): Promise<void>;
  text(): string;
  gzipped(): Buffer;
}

export function createExposition(registry: Registry): Exposition {
  let text = "";
  let gzipped: Buffer | undefined;
  let rendering = Promise.resolve();
  return {
    contentType: registry.contentType,
    refresh() {
      // Chained so that a slow rendering never overwrites a newer one.
      rendering = rendering.then(async () => {
        text = await registry.metrics();
        gzipped = undefined;
      });
      return rendering;
    },
    text: () => text,
    gzipped() {
      gzipped ??= gzipSync(text);
      return gzipped;
    },
  };
}
