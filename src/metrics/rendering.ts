import { gzipSync } from "node:zlib";
import { RENDERING_FAILURES, UP } from "./families.js";
import { registerFamily } from "./family.js";
import { MetricRegistry } from "./registry.js";

/** The /metrics body, rendered once per poll and served as-is; gzipped once per rendering. */
export interface Exposition {
  readonly contentType: string;
  refresh(): Promise<void>;
  /** The rendering as UTF-8 bytes, encoded once per poll rather than once per scrape. */
  body(): Buffer;
  gzipped(): Buffer;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** After a failed rendering, up 0 and the failure count: the last good one would still say up 1. */
export function createExposition(registry: MetricRegistry): Exposition {
  let failures = 0;
  const fallback = new MetricRegistry();
  registerFamily(fallback, { ...UP, type: "gauge", labelNames: [], samples: (set) => set({}, 0) });
  for (const families of [registry, fallback]) {
    registerFamily(families, {
      ...{ ...RENDERING_FAILURES, type: "counter", labelNames: [] },
      samples: (set) => set({}, failures),
    });
  }
  let body: Buffer = Buffer.alloc(0);
  let gzipped: Buffer | undefined;
  let rendering = Promise.resolve();
  // The rendering asked for and not yet started: a refresh() before it starts joins it.
  let waiting: Promise<void> | undefined;

  async function render() {
    try {
      body = await registry.render();
    } catch (error) {
      failures++;
      body = await fallback.render();
      throw error;
    } finally {
      gzipped = undefined;
    }
  }

  return {
    contentType: registry.contentType,
    refresh() {
      if (waiting !== undefined) return waiting;
      // Chained: a slow rendering never replaces a newer one, a failed one fails only its callers.
      // It starts on the event loop's next turn, so that every poll ending in this turn shares it.
      const next = rendering
        .catch(() => undefined)
        .then(nextTurn)
        .then(() => {
          waiting = undefined;
          return render();
        });
      waiting = next;
      rendering = next;
      return next;
    },
    body: () => body,
    gzipped: () => (gzipped ??= gzipSync(body)),
  };
}
